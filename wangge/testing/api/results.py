"""Results over the API: reading them, importing a lab file, the imports, the resolution list."""

from typing import Any

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from wangge.accounts.http import api_user
from wangge.core.api import QueryFilter, ScopedPrimaryKeyField, ScopedViewSet, import_action
from wangge.core.origin import Origin
from wangge.core.spreadsheets import TableError
from wangge.people.models import Person
from wangge.testing import services
from wangge.testing.models import LabResult, NucleicRound, Outcome, ResultImport, UnmatchedResult
from wangge.testing.services.lab.jobs import results_import_start


class ResultSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True, allow_null=True)

    class Meta:
        model = LabResult
        fields = [
            "id",
            "round",
            "person",
            "person_name",
            "sampled_at",
            "tube_code",
            "site_name",
            "result",
            "lab",
            "reported_at",
            "review",
            "settled_by",
            "source_import",
        ]


class ImportSerializer(serializers.ModelSerializer):
    class Meta:
        model = ResultImport
        fields = [
            "id",
            "round",
            "original_name",
            "status",
            "counts",
            "message",
            "created_at",
            "finished_at",
        ]


class ImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=".xlsx, .xls or .csv")
    round = ScopedPrimaryKeyField(
        queryset=NucleicRound.objects.all(), required=False, allow_null=True
    )


class UnmatchedSerializer(serializers.ModelSerializer):
    class Meta:
        model = UnmatchedResult
        fields = [
            "id",
            "source_import",
            "round",
            "row_number",
            "name",
            "id_number_masked",
            "phone_masked",
            "sampled_at",
            "tube_code",
            "site_name",
            "result",
            "lab",
            "reason",
            "status",
            "resolved_person",
            "decided_at",
            "decision_note",
        ]


class ResultViewSet(ScopedViewSet):
    """核酸检测结果 of the persons the caller may see; `import` takes a lab file."""

    model = LabResult
    serializer_class = ResultSerializer
    select_related = ("person",)
    query_filters = (
        QueryFilter("round", ("round",), "轮次编号 / round id"),
        QueryFilter("person", ("person",), "人员编号 / person id"),
        QueryFilter("result", ("result",), "检测结果 / result", str, Outcome.values),
        QueryFilter("review", ("review",), "复核状态 / review state", str, ("awaiting", "settled")),
        QueryFilter("tube", ("tube_code",), "试管编码 / tube code", str),
    )

    @extend_schema(
        request={"multipart/form-data": ImportRequestSerializer},
        responses={201: ImportSerializer, 202: ImportSerializer},
    )
    @import_action()
    def import_file(self, request: Request) -> Response:
        """Import a lab file. A small one (settings.WANGGE["JOB_INLINE_MAX"]["lab.import"] bytes)
        is imported at once (201, with the counts); a larger one is queued (202): read the import
        to follow it."""
        given = self.given(ImportRequestSerializer)
        given.is_valid(raise_exception=True)
        try:
            batch = results_import_start(
                upload=given.validated_data["file"],
                round=given.validated_data.get("round"),
                by=api_user(request),
                origin=Origin.from_request(request),
            )
        except TableError as error:
            raise ValidationError({"file": [str(error)]}) from error
        queued = batch.status == ResultImport.Status.PENDING
        answer = status.HTTP_202_ACCEPTED if queued else status.HTTP_201_CREATED
        return Response(ImportSerializer(batch).data, status=answer)


class ImportViewSet(ScopedViewSet):
    """检测结果导入: each lab file imported, with its counts; `rejected` lists the rows refused."""

    model = ResultImport
    serializer_class = ImportSerializer

    @extend_schema(
        responses=inline_serializer(
            "RejectedRow",
            {"row_number": serializers.IntegerField(), "reason": serializers.CharField()},
            many=True,
        )
    )
    @action(detail=True)
    def rejected(self, request: Request, pk: str | None = None) -> Response:
        rows = self.get_object().rejected_rows.values("row_number", "reason")
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(list(page or []))


class ResolveSerializer(serializers.Serializer):
    person = ScopedPrimaryKeyField(queryset=Person.objects.all())


class DismissSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=200, allow_blank=True, default="")


class UnmatchedViewSet(ScopedViewSet):
    """未匹配结果: the resolution list. `resolve` names the person, `dismiss` says not ours."""

    model = UnmatchedResult
    serializer_class = UnmatchedSerializer
    query_filters = (
        QueryFilter("status", ("status",), "处理状态 / status", str, UnmatchedResult.Status.values),
        QueryFilter("import", ("source_import",), "导入编号 / import id"),
    )

    def _row(self) -> Any:
        return self.get_object()

    @extend_schema(request=ResolveSerializer, responses=ResultSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk: str | None = None) -> Response:
        given = self.given(ResolveSerializer)
        given.is_valid(raise_exception=True)
        result = services.unmatched_resolve(
            by=api_user(request),
            row=self._row(),
            person=given.validated_data["person"],
            origin=Origin.from_request(request),
        )
        return Response(ResultSerializer(result).data)

    @extend_schema(request=DismissSerializer, responses=UnmatchedSerializer)
    @action(detail=True, methods=["post"])
    def dismiss(self, request: Request, pk: str | None = None) -> Response:
        given = self.given(DismissSerializer)
        given.is_valid(raise_exception=True)
        row = services.unmatched_dismiss(
            by=api_user(request),
            row=self._row(),
            note=given.validated_data["note"],
            origin=Origin.from_request(request),
        )
        return Response(UnmatchedSerializer(row).data)
