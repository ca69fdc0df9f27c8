"""What the tracing API shows and accepts. A candidate's person is shown as `/api/persons/` shows
persons (ID number and phone masked; the full values through that endpoint's audited `reveal`)."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from wangge.core.api import IdField
from wangge.measures.api.serializers import CaseSerializer
from wangge.people.api import PersonSerializer
from wangge.tracing.models import Candidate, NamedContact, Trace
from wangge.tracing.services.trace import MAX_HOPS, MAX_WINDOW_MINUTES


class TracedCaseSerializer(CaseSerializer):
    candidates_total = serializers.IntegerField(read_only=True, help_text="流调对象数")
    candidates_pending = serializers.IntegerField(read_only=True, help_text="待核实")
    candidates_confirmed = serializers.IntegerField(read_only=True, help_text="已确认")
    last_run_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="最近一次流调运行时间 / last run"
    )

    class Meta(CaseSerializer.Meta):
        fields = [
            *CaseSerializer.Meta.fields,
            "candidates_total",
            "candidates_pending",
            "candidates_confirmed",
            "last_run_at",
        ]
        read_only_fields = fields


class EvidencePieceSerializer(serializers.Serializer):
    """One piece of why a person is a candidate (docs/tracing.md, "Evidence")."""

    kind = serializers.ChoiceField(
        choices=["household", "checkpoint", "venue", "named"],
        help_text="同住 household、卡点 checkpoint、场所 venue、病例提供 named",
    )
    place_id = serializers.IntegerField(
        required=False, allow_null=True, help_text="卡点或场所编号 / the checkpoint's or venue's id"
    )
    place = serializers.CharField(required=False, help_text="卡点或场所名称 / its name")
    case_at = serializers.DateTimeField(
        required=False, help_text="病例（或第一层对象）到此的时间 / the seed row's time"
    )
    person_at = serializers.DateTimeField(required=False, help_text="本人到此的时间")
    minutes = serializers.IntegerField(required=False, help_text="相隔分钟数 / |Δt| in minutes")
    through = serializers.IntegerField(
        required=False, help_text="次密接：经由的第一层人员编号 / second hop: the first-hop person"
    )
    at = serializers.DateTimeField(required=False, help_text="病例提供：登记时间 / named: entered")


class CandidateSerializer(serializers.ModelSerializer):
    person = PersonSerializer(read_only=True)
    path_label = serializers.CharField(source="get_path_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    decided_by_name = serializers.SerializerMethodField(help_text="核实人 / who decided")
    evidence = serializers.SerializerMethodField()

    class Meta:
        model = Candidate
        fields = [
            "id",
            "case",
            "person",
            "path",
            "path_label",
            "hop",
            "status",
            "status_label",
            "evidence",
            "found_at",
            "traced_at",
            "decided_at",
            "decided_by",
            "decided_by_name",
            "decision_note",
            "measure",
        ]
        read_only_fields = fields

    @extend_schema_field(EvidencePieceSerializer(many=True))
    def get_evidence(self, candidate: Candidate) -> list[dict[str, Any]]:
        return list(candidate.evidence)

    def get_decided_by_name(self, candidate: Candidate) -> str:
        return str(candidate.decided_by) if candidate.decided_by else ""


class TraceSerializer(serializers.ModelSerializer):
    counts = serializers.DictField(
        child=serializers.IntegerField(),
        read_only=True,
        help_text="co_residents, co_located, second_hop, named, candidates",
    )

    class Meta:
        model = Trace
        fields = ["id", "case", "window_minutes", "windows", "hops", "run_at", "by", "counts"]
        read_only_fields = fields


class TraceRunSerializer(serializers.Serializer):
    window_minutes = serializers.IntegerField(
        min_value=1,
        max_value=MAX_WINDOW_MINUTES,
        required=False,
        allow_null=True,
        default=None,
        help_text="时间窗口（分钟），用于各类场所；不填则按类别的默认窗口（卡点、场所各30）"
        " / for every kind of place; default each kind's own",
    )
    hops = serializers.IntegerField(min_value=1, max_value=MAX_HOPS, default=2, help_text="层数")


class NamedContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = NamedContact
        fields = ["id", "case", "person", "note", "at", "by"]
        read_only_fields = fields


class NamedContactWriteSerializer(serializers.Serializer):
    person = IdField(help_text="人员编号 / person id")
    note = serializers.CharField(max_length=200, allow_blank=True, default="")


class NamedListAskSerializer(serializers.Serializer):
    list = IdField(help_text="协查名单编号（已读取完成）/ a verification list of the street, read")


class NamedFromListSerializer(serializers.Serializer):
    named = serializers.IntegerField(help_text="新登记 / persons newly named")
    already = serializers.IntegerField(help_text="已登记过 / matched persons named before")
    unmatched = serializers.IntegerField(help_text="未匹配的行 / rows without a person")
    case_person = serializers.IntegerField(help_text="病例本人的行 / rows of the case person")


class VerificationListAskSerializer(serializers.Serializer):
    candidates = serializers.ListField(
        child=IdField(),
        required=False,
        max_length=5000,
        help_text="流调对象编号；不填则为该病例全部已确认对象 / default: every confirmed one",
    )


class CandidateNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=200, allow_blank=True, default="")


class CandidateDismissSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=200, allow_blank=True, default="", help_text="排除理由（必填）/ required"
    )
