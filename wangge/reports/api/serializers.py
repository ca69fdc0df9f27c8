"""The shapes of the report API (docs/api.md "Reports"): figures of an area and day, snapshots,
approvals, upstream templates and fills, and what upstream received."""

import json
from datetime import date
from typing import Any

from rest_framework import serializers
from rest_framework.request import Request

from wangge.core.shortcuts import date_param
from wangge.reports.models import AreaFigures, Snapshot, UpstreamFill, UpstreamTemplate

DAY_HELP = "日期 YYYY-MM-DD / the day"


def day_asked(request: Request) -> date:
    """The `?day=` of a report read, required: 400 naming it when it is missing or no date."""
    day = date_param(request.query_params.get("day", ""))
    if day is None:
        raise serializers.ValidationError(
            {"day": ["日期应为 YYYY-MM-DD / the day must be YYYY-MM-DD"]}
        )
    return day


class AreaFiguresSerializer(serializers.ModelSerializer):
    figures = serializers.DictField(
        child=serializers.IntegerField(), help_text="指标，键见 docs/reports.md / figures by key"
    )

    class Meta:
        model = AreaFigures
        fields = ["id", "day", "level", "area_id", "name", "figures"]


class DistrictFiguresSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    day = serializers.DateField()
    figures = serializers.DictField(
        child=serializers.IntegerField(),
        allow_null=True,
        help_text="各街道之和；有街道缺当日快照时为 null / the streets' sum, null while incomplete",
    )


class SnapshotSerializer(serializers.ModelSerializer):
    built_by = serializers.CharField(allow_null=True, help_text="生成人，空为系统 / by")

    class Meta:
        model = Snapshot
        fields = ["id", "street", "day", "built_at", "built_by"]


class BuildSerializer(serializers.Serializer):
    street = serializers.IntegerField(min_value=1)
    day = serializers.DateField(help_text=DAY_HELP)
    rebuild = serializers.BooleanField(default=False, help_text="替换已有快照（留痕）/ replace")


class ApprovalStateSerializer(serializers.Serializer):
    community = serializers.IntegerField(source="community.pk")
    name = serializers.CharField(source="community.name")
    state = serializers.ChoiceField(
        choices=["no_snapshot", "pending", "sent_back", "approved", "reported"]
    )
    approved_at = serializers.DateTimeField(source="approval.approved_at", allow_null=True)
    approved_by = serializers.CharField(source="approval.approved_by", allow_null=True)
    reason = serializers.SerializerMethodField(help_text="退回原因 / why it was sent back")
    may_approve = serializers.BooleanField()
    may_unapprove = serializers.BooleanField()

    def get_reason(self, row: Any) -> str:
        return row.last_change.reason if row.state == "sent_back" else ""


class ApproveSerializer(serializers.Serializer):
    community = serializers.IntegerField(min_value=1)
    day = serializers.DateField(help_text=DAY_HELP)


class UnapproveSerializer(ApproveSerializer):
    reason = serializers.CharField(max_length=500)


class MappingField(serializers.JSONField):
    """The mapping as a JSON object, or (in a multipart upload) as its JSON text."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str):
            try:
                data = json.loads(data)
            except ValueError as error:
                raise serializers.ValidationError(
                    f"不是有效的 JSON / not valid JSON: {error}"
                ) from error
        return super().to_internal_value(data)


class TemplateSerializer(serializers.ModelSerializer):
    mapping = MappingField(help_text="单元格对应 / the mapping, docs/reports.md")

    class Meta:
        model = UpstreamTemplate
        fields = [
            "id",
            "street",
            "name",
            "recipient",
            "file_name",
            "mapping",
            "active",
            "created_at",
        ]


class TemplateUploadSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    recipient = serializers.CharField(max_length=120)
    file = serializers.FileField(help_text=".xlsx")
    mapping = MappingField()


class TemplateUpdateSerializer(serializers.Serializer):
    mapping = MappingField()
    active = serializers.BooleanField()


class FillAskSerializer(serializers.Serializer):
    day = serializers.DateField(help_text=DAY_HELP)


class FillAreaSerializer(serializers.Serializer):
    community = serializers.IntegerField(source="community_id")
    figures = serializers.DictField(child=serializers.IntegerField())
    approved_at = serializers.DateTimeField()


class FillSerializer(serializers.ModelSerializer):
    made_by = serializers.CharField(allow_null=True, help_text="上报人 / by")
    areas = FillAreaSerializer(many=True, read_only=True)

    class Meta:
        model = UpstreamFill
        fields = [
            "id",
            "template",
            "day",
            "file_name",
            "street_filled",
            "made_at",
            "made_by",
            "areas",
        ]


class ReceivedFigureSerializer(serializers.Serializer):
    name = serializers.CharField(source="label", help_text="指标 / the figure")
    sent = serializers.IntegerField(help_text="上报值 / as sent")
    now = serializers.IntegerField(allow_null=True, help_text="当前日报 / as the snapshot says now")


class ReceivedSerializer(serializers.Serializer):
    template = serializers.CharField()
    recipient = serializers.CharField()
    community = serializers.CharField()
    day = serializers.DateField()
    made_at = serializers.DateTimeField()
    made_by = serializers.CharField()
    changed = serializers.BooleanField()
    figures = ReceivedFigureSerializer(many=True)
