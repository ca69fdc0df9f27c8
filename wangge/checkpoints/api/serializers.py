"""What the checkpoints API shows and accepts. A scan's answer to the phone carries what checkpoint
staff may see — masked name, colour, verdict and reasons — never a person's id or record."""

from typing import Any

from rest_framework import serializers

from wangge.checkpoints.models import (
    Checkpoint,
    DoorOpening,
    Pass,
    Scan,
    Shift,
    ShiftAssignment,
)
from wangge.checkpoints.rules import Direction, Reason, Verdict
from wangge.checkpoints.services import ScanOutcome
from wangge.checkpoints.services.visitors import COLOURS
from wangge.core.api import IdField

REASON_LABELS = dict(Reason.choices)
VERDICT_LABELS = dict(Verdict.choices)


class CheckpointSerializer(serializers.ModelSerializer):
    place = serializers.CharField(read_only=True)
    community_name = serializers.CharField(source="community.name", read_only=True)

    class Meta:
        model = Checkpoint
        fields = [
            "id",
            "name",
            "kind",
            "community",
            "community_name",
            "grid",
            "compound",
            "building",
            "address",
            "place",
            "opens_at",
            "closes_at",
            "shift_hours",
            "staff_per_shift",
            "passes_required",
            "active",
        ]
        read_only_fields = ["id"]


class ScanWriteSerializer(serializers.Serializer):
    checkpoint = IdField()
    client_id = serializers.CharField(max_length=64)
    direction = serializers.ChoiceField(choices=Direction.choices)
    scanned_at = serializers.DateTimeField(required=False, allow_null=True)
    temperature = serializers.CharField(required=False, allow_blank=True, max_length=8)
    code = serializers.CharField(required=False, allow_blank=True, max_length=200)
    id_number = serializers.CharField(required=False, allow_blank=True, max_length=40)
    phone_tail = serializers.CharField(required=False, allow_blank=True, max_length=8)


class ScanVisitorSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    purpose = serializers.CharField(max_length=200)
    id_number = serializers.CharField(required=False, allow_blank=True, max_length=40)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=30)
    host_address = serializers.CharField(required=False, allow_blank=True, max_length=200)
    code_colour = serializers.ChoiceField(choices=COLOURS)


class ScanResolveSerializer(serializers.Serializer):
    client_id = serializers.CharField(max_length=64)
    candidate = serializers.CharField(required=False, allow_blank=True, max_length=200)
    visitor = ScanVisitorSerializer(required=False)


class ScanReasonSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a declared field, not Field.label


class ScanCandidateSerializer(serializers.Serializer):
    token = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a declared field, not Field.label


class ScanDoorSerializer(serializers.Serializer):
    """What one door of the gate did for the scan: 门已开, or a warning to open it by hand."""

    door = serializers.CharField()
    outcome = serializers.ChoiceField(choices=DoorOpening.Outcome.choices)
    message = serializers.CharField()


class ScanDecisionSerializer(serializers.Serializer):
    """The phone's answer: the decision and what it needs to show, nothing of the register."""

    client_id = serializers.CharField()
    created = serializers.BooleanField()
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    verdict_label = serializers.CharField()
    reasons = ScanReasonSerializer(many=True)
    subject = serializers.CharField()
    code_colour = serializers.CharField()
    temperature = serializers.CharField(allow_null=True)
    direction = serializers.CharField()
    scanned_at = serializers.DateTimeField()
    next_exit_on = serializers.DateField(allow_null=True)
    needs = serializers.CharField()
    candidates = ScanCandidateSerializer(many=True)
    doors = ScanDoorSerializer(many=True)

    @staticmethod
    def of(outcome: ScanOutcome) -> dict[str, Any]:
        scan = outcome.scan
        return {
            "client_id": scan.client_id,
            "created": outcome.created,
            "verdict": scan.verdict,
            "verdict_label": str(VERDICT_LABELS[scan.verdict]),
            "reasons": [
                {"code": code, "label": str(REASON_LABELS[code])} for code in outcome.reasons
            ],
            "subject": outcome.subject_label,
            "code_colour": scan.code_colour,
            "temperature": str(scan.temperature) if scan.temperature is not None else None,
            "direction": scan.direction,
            "scanned_at": scan.scanned_at,
            "next_exit_on": scan.next_exit_on,
            "needs": scan.needs,
            "candidates": [{"token": token, "label": label} for token, label in outcome.candidates],
            "doors": [
                {
                    "door": opening.controller.name,
                    "outcome": opening.outcome,
                    "message": opening.guard_message,
                }
                for opening in outcome.doors
            ],
        }


class ScanSerializer(serializers.ModelSerializer):
    """A stored scan, for staff who see the register of its area."""

    checkpoint_name = serializers.CharField(source="checkpoint.name", read_only=True)
    person_name = serializers.CharField(source="person.name", read_only=True, default="")
    visitor_name = serializers.CharField(source="visitor.name", read_only=True, default="")
    reasons = serializers.SerializerMethodField()

    class Meta:
        model = Scan
        fields = [
            "id",
            "client_id",
            "checkpoint",
            "checkpoint_name",
            "direction",
            "method",
            "person",
            "person_name",
            "visitor",
            "visitor_name",
            "household",
            "pass_used",
            "temperature",
            "code_colour",
            "verdict",
            "reasons",
            "next_exit_on",
            "needs",
            "scanned_at",
            "received_at",
            "by",
        ]

    def get_reasons(self, scan: Scan) -> list[str]:
        return [row.code for row in scan.reason_rows.all()]


class PassSerializer(serializers.ModelSerializer):
    household_label = serializers.CharField(source="household.__str__", read_only=True)

    class Meta:
        model = Pass
        fields = [
            "id",
            "household",
            "household_label",
            "exits_per_period",
            "period_days",
            "valid_from",
            "valid_until",
            "note",
            "issued_at",
            "revoked_at",
            "revoke_reason",
        ]


class PassIssueSerializer(serializers.Serializer):
    households = serializers.ListField(child=IdField(), min_length=1)
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(required=False, allow_null=True)
    exits_per_period = serializers.IntegerField(required=False, min_value=1, max_value=50)
    period_days = serializers.IntegerField(required=False, min_value=1, max_value=31)
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


class PassRevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class ShiftAssignmentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="member.__str__", read_only=True)

    class Meta:
        model = ShiftAssignment
        fields = ["id", "user", "volunteer", "name", "clocked_on_at", "clocked_off_at"]


class ShiftSerializer(serializers.ModelSerializer):
    assignments = ShiftAssignmentSerializer(many=True, read_only=True)
    staffed = serializers.SerializerMethodField()

    class Meta:
        model = Shift
        fields = ["id", "checkpoint", "starts_at", "ends_at", "needed", "staffed", "assignments"]

    def get_staffed(self, shift: Shift) -> int:
        return len(shift.assignments.all())


class ShiftPlanSerializer(serializers.Serializer):
    checkpoint = IdField()
    start = serializers.DateField()
    days = serializers.IntegerField(min_value=1, max_value=31)


class ShiftAssignSerializer(serializers.Serializer):
    user = IdField(required=False)
    volunteer = IdField(required=False, help_text="队伍队员编号 / a teams member id")


class ShiftClockSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=200)


class ShiftNoteSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=1000)
