"""Verification lists over the API: import a list, read its rows, answer them, export the answer."""

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from wangge.accounts.http import api_user
from wangge.command.models import VerificationList, VerificationRow
from wangge.command.selectors import list_progress
from wangge.command.services.verification import (
    verification_row_answer,
)
from wangge.command.services.verification_export import verification_list_export
from wangge.command.services.verification_jobs import verification_list_start
from wangge.core.api import QueryFilter, ScopedPrimaryKeyField, ScopedViewSet, export_answer
from wangge.core.api_parsers import ObjectJSONParser
from wangge.core.exports import EXPORT_REASONS, OTHER_REASON
from wangge.core.origin import Origin
from wangge.core.shortcuts import XLSX, related_rows
from wangge.regions.models import Community, Street


class VerificationListSerializer(serializers.ModelSerializer):
    counts = serializers.DictField(child=serializers.IntegerField(), read_only=True)

    class Meta:
        model = VerificationList
        fields = [
            "id",
            "title",
            "street",
            "community",
            "original_name",
            "deadline",
            "status",
            "message",
            "counts",
            "created_by",
            "created_at",
        ]


class VerificationListImportSerializer(serializers.Serializer):
    file = serializers.FileField()
    street = ScopedPrimaryKeyField(queryset=Street.objects.all())
    community = ScopedPrimaryKeyField(
        queryset=Community.objects.all(), allow_null=True, default=None
    )
    deadline = serializers.DateTimeField(allow_null=True, default=None)
    title = serializers.CharField(max_length=200, allow_blank=True, default="")


class VerificationRowSerializer(serializers.ModelSerializer):
    class Meta:
        model = VerificationRow
        fields = [
            "id",
            "list",
            "position",
            "row_number",
            "name",
            "id_masked",
            "phone_masked",
            "address",
            "reason",
            "source",
            "outcome",
            "method",
            "problem",
            "person",
            "grid",
            "community",
            "pool",
            "assignee",
            "due_at",
            "result",
            "note",
            "measure",
            "answered_by",
            "answered_at",
        ]


class VerificationAnswerSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=VerificationRow.Result.choices)
    note = serializers.CharField(max_length=500, allow_blank=True, default="")
    # Measures are a floor above command: the row's foreign key names the model.
    measure = ScopedPrimaryKeyField(
        queryset=related_rows(VerificationRow, "measure").all(),
        allow_null=True,
        default=None,
        help_text="该人员的管控措施编号 / id of the person's measure",
    )


class ExportReasonSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=EXPORT_REASONS, help_text="导出用途 / purpose")
    reason_text = serializers.CharField(
        max_length=200, required=False, default="", help_text="用途说明 / note (for other)"
    )

    def validate(self, data: dict) -> dict:
        if data["reason"] == OTHER_REASON and not data["reason_text"].strip():
            raise serializers.ValidationError({"reason_text": "请写明用途 / describe the purpose"})
        return data


class VerificationListViewSet(mixins.CreateModelMixin, ScopedViewSet):
    """协查名单 the caller may see, with their counts; import, progress and the answered export."""

    model = VerificationList
    serializer_class = VerificationListSerializer
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": VerificationListImportSerializer},
        responses={201: VerificationListSerializer},
    )
    def create(self, request: Request) -> Response:
        """Import a list. Small files are matched and routed at once; larger ones by the worker
        (status `pending` until done). The same file twice: 400 "already imported as list N"."""
        given = self.given(VerificationListImportSerializer)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        upload = data["file"]
        arguments = {
            "street": data["street"],
            "stream": upload,
            "original_name": upload.name,
            "by": api_user(request),
            "deadline": data["deadline"],
            "community": data["community"],
            "title": data["title"],
            "origin": Origin.from_request(request),
        }
        vlist = verification_list_start(size=upload.size, **arguments)
        return Response(VerificationListSerializer(vlist).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def progress(self, request: Request, pk: str | None = None) -> Response:
        """Answered and overdue rows, in total and per grid, of the rows the caller may see."""
        return Response(list_progress(self.get_object(), api_user(request), timezone.now()))

    @extend_schema(
        request=ExportReasonSerializer,
        responses={(200, XLSX): OpenApiTypes.BINARY, 202: OpenApiTypes.OBJECT},
    )
    @action(detail=True, methods=["post"], parser_classes=[ObjectJSONParser, FormParser])
    def export(self, request: Request, pk: str | None = None) -> HttpResponse:
        """The list in its own template with the result columns filled, row for row, as an export
        job asked with a purpose (audited). A list small enough to be written in the request
        (JOB_INLINE_MAX["command.verification"] rows) answers 200 with the file; a larger one 202
        with the job, whose page shows the progress and the download to a signed-in owner."""
        reason = ExportReasonSerializer(data=request.data)
        reason.is_valid(raise_exception=True)
        origin = Origin.from_request(request)
        job = verification_list_export(
            vlist=self.get_object(), by=api_user(request), origin=origin, **reason.validated_data
        )
        return export_answer(job, by=api_user(request), origin=origin)


class VerificationRowViewSet(ScopedViewSet):
    """协查对象: the rows the caller may see (a grid worker: their grids' and their own)."""

    model = VerificationRow
    serializer_class = VerificationRowSerializer
    query_filters = (
        QueryFilter("list", ("list",), "名单编号 / list id"),
        QueryFilter("grid", ("grid",), "网格编号 / grid id"),
        QueryFilter(
            "outcome", ("outcome",), "匹配结果 / outcome", str, VerificationRow.Outcome.values
        ),
        QueryFilter(
            "result",
            ("result",),
            "核查结果（空：待核查）/ result",
            str,
            ["", *VerificationRow.Result.values],
        ),
    )

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().order_by("list_id", "position")

    @extend_schema(request=VerificationAnswerSerializer, responses=VerificationRowSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: str | None = None) -> Response:
        """Record the row's result from the fixed vocabulary, with a note."""
        given = self.given(VerificationAnswerSerializer)
        given.is_valid(raise_exception=True)
        row = verification_row_answer(
            row=self.get_object(),
            by=api_user(request),
            origin=Origin.from_request(request),
            **given.validated_data,
        )
        return Response(VerificationRowSerializer(row).data)
