"""What the measures API shows and accepts. Persons appear by id and name; identifiers masked."""

from rest_framework import serializers

from wangge.command.models import Event
from wangge.core.api import IdField, ScopedPrimaryKeyField
from wangge.core.shortcuts import related_rows
from wangge.measures.models import (
    ArrivalReport,
    Case,
    CheckIn,
    HealthCodeBatch,
    HealthCodeChange,
    MeasureTest,
    MeasureType,
    PersonMeasure,
    RiskArea,
    RiskLevel,
    RuleSet,
    Symptom,
)
from wangge.people.models import Person


class RuleSetSerializer(serializers.ModelSerializer):
    class Meta:
        model = RuleSet
        fields = ["id", "name", "kind", "effective_from", "effective_until", "source"]


class MeasureTypeSerializer(serializers.ModelSerializer):
    rule_set = RuleSetSerializer(read_only=True)
    test_days = serializers.ListField(child=serializers.IntegerField())
    checkin_times = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = MeasureType
        fields = [
            "id",
            "name",
            "rule_set",
            "category",
            "household_colour",
            "applies_to",
            "duration_days",
            "test_days",
            "checkin_times",
            "follow_on",
            "release_needs_negative",
            "note",
        ]


class PersonMeasureSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    measure_type_name = serializers.CharField(source="measure_type.name", read_only=True)
    household_colour = serializers.CharField(source="measure_type.household_colour", read_only=True)

    class Meta:
        model = PersonMeasure
        fields = [
            "id",
            "person",
            "person_name",
            "measure_type",
            "measure_type_name",
            "household_colour",
            "status",
            "start",
            "end",
            "reason",
            "plan",
            "grid_worker",
            "doctor",
            "police",
            "previous",
            "created_at",
            "ended_at",
            "end_reason",
            "destination",
        ]


class MeasureAssignSerializer(serializers.Serializer):
    persons = serializers.ListField(child=IdField(), min_length=1)
    measure_type = serializers.PrimaryKeyRelatedField(
        queryset=MeasureType.objects.select_related("rule_set")
    )
    start = serializers.DateField()
    reason = serializers.CharField(max_length=300)
    plan = serializers.CharField(allow_blank=True, default="")
    grid_worker = IdField(required=False, allow_null=True)
    doctor = IdField(required=False, allow_null=True)
    police = IdField(required=False, allow_null=True)


class MeasureReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, allow_blank=True, default="")


class MeasureTransferSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)
    destination = serializers.CharField(max_length=200)
    measure_type = serializers.PrimaryKeyRelatedField(
        queryset=MeasureType.objects.select_related("rule_set"), required=False, allow_null=True
    )


class CheckInSerializer(serializers.ModelSerializer):
    class Meta:
        model = CheckIn
        fields = [
            "id",
            "measure",
            "slot",
            "client_id",
            "temperature",
            "symptoms",
            "symptoms_other",
            "flagged",
            "source",
            "by",
            "at",
            "received_at",
        ]


class CheckInWriteSerializer(serializers.Serializer):
    measure = serializers.IntegerField()
    client_id = serializers.CharField(
        max_length=64, help_text="客户端生成的唯一编号；重发同一编号只存一次"
    )
    temperature = serializers.CharField(max_length=6, help_text="34.0–43.0，一位小数")
    symptoms = serializers.ListField(
        child=serializers.ChoiceField(choices=Symptom.choices), default=list
    )
    symptoms_other = serializers.CharField(max_length=200, allow_blank=True, default="")
    at = serializers.DateTimeField(required=False, help_text="测量时间，缺省为接收时间")


class MeasureTestSerializer(serializers.ModelSerializer):
    class Meta:
        model = MeasureTest
        fields = ["id", "measure", "day", "due_on", "result", "sampled_on", "source", "recorded_at"]


class MeasureTestResultSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    sampled_on = serializers.DateField()
    result = serializers.ChoiceField(choices=MeasureTest.Result.choices)


class RiskAreaSerializer(serializers.ModelSerializer):
    note = serializers.CharField(max_length=200, write_only=True, required=False, default="")
    level = serializers.ChoiceField(choices=RiskLevel.choices)

    class Meta:
        model = RiskArea
        fields = [
            "id",
            "province",
            "city",
            "district",
            "street",
            "detail",
            "division_code",
            "level",
            "effective_from",
            "effective_until",
            "source_note",
            "note",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]


class ArrivalReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = ArrivalReport
        fields = [
            "id",
            "status",
            "street",
            "community",
            "host_household",
            "host_address",
            "person",
            "name",
            "id_number_masked",
            "phone_masked",
            "origin_province",
            "origin_city",
            "origin_district",
            "origin_street",
            "origin_code",
            "route",
            "departed_on",
            "arrived_at",
            "transport",
            "transport_detail",
            "test_result",
            "test_on",
            "matched_area",
            "proposed_type",
            "measure",
            "decision_reason",
            "source",
            "created_at",
        ]


class ArrivalWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    id_number = serializers.CharField(max_length=30, write_only=True)
    phone = serializers.CharField(max_length=20, allow_blank=True, default="", write_only=True)
    origin_province = serializers.CharField(max_length=30)
    origin_city = serializers.CharField(max_length=30, allow_blank=True, default="")
    origin_district = serializers.CharField(max_length=30, allow_blank=True, default="")
    origin_street = serializers.CharField(max_length=50, allow_blank=True, default="")
    origin_code = serializers.CharField(max_length=12, allow_blank=True, default="")
    route = serializers.CharField(max_length=300, allow_blank=True, default="")
    departed_on = serializers.DateField()
    arrived_at = serializers.DateTimeField()
    transport = serializers.ChoiceField(choices=ArrivalReport.Transport.choices)
    transport_detail = serializers.CharField(max_length=50, allow_blank=True, default="")
    test_result = serializers.ChoiceField(
        choices=ArrivalReport.TestResult.choices, allow_blank=True, default=""
    )
    test_on = serializers.DateField(required=False, allow_null=True, default=None)
    community = IdField(required=False, allow_null=True, default=None)
    host_household = IdField(required=False, allow_null=True, default=None)
    host_address = serializers.CharField(max_length=200, allow_blank=True, default="")


class ArrivalDecisionSerializer(serializers.Serializer):
    measure_type = serializers.PrimaryKeyRelatedField(
        queryset=MeasureType.objects.select_related("rule_set"), allow_null=True
    )
    reason = serializers.CharField(max_length=300, allow_blank=True, default="")
    household = IdField(required=False, allow_null=True, default=None)
    grid_worker = IdField(required=False, allow_null=True)
    doctor = IdField(required=False, allow_null=True)
    police = IdField(required=False, allow_null=True)


class HealthCodeSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)

    class Meta:
        model = HealthCodeChange
        fields = ["id", "person", "person_name", "colour", "previous_colour", "changed_at", "batch"]


class HealthCodeFeedItemSerializer(serializers.Serializer):
    id_number = serializers.CharField(max_length=30)
    colour = serializers.CharField(max_length=10, help_text="green/yellow/red 或 绿/黄/红")
    changed_at = serializers.DateTimeField()


class HealthCodeFeedSerializer(serializers.Serializer):
    items = HealthCodeFeedItemSerializer(many=True, allow_empty=False)


class HealthCodeBatchSerializer(serializers.ModelSerializer):
    class Meta:
        model = HealthCodeBatch
        fields = ["id", "source", "at", "counts", "problems"]


class CaseSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    measure_type_name = serializers.CharField(
        source="measure.measure_type.name", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Case
        fields = [
            "id",
            "person",
            "person_name",
            "kind",
            "reported_on",
            "source_result",
            "source_event",
            "measure",
            "measure_type_name",
            "raised_event",
            "note",
            "recorded_at",
        ]
        read_only_fields = fields


class CaseReportSerializer(serializers.Serializer):
    person = ScopedPrimaryKeyField(queryset=Person.objects.all())
    kind = serializers.ChoiceField(choices=Case.Kind.choices)
    reported_on = serializers.DateField()
    # The result model is testing's, a floor above: follow the foreign key rather than import it.
    source_result = ScopedPrimaryKeyField(
        queryset=related_rows(Case, "source_result").all(),
        required=False,
        allow_null=True,
        default=None,
    )
    source_event = ScopedPrimaryKeyField(
        queryset=Event.objects.all(), required=False, allow_null=True, default=None
    )
    note = serializers.CharField(max_length=300, allow_blank=True, default="")
