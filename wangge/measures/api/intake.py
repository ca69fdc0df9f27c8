"""What arrives from outside: risk areas, arrival reports and the health-code feed."""

from dataclasses import fields
from datetime import date
from typing import Any

from django.apps import apps
from django.db.models import Q, QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from wangge.accounts.authority import user_can
from wangge.accounts.http import api_user
from wangge.core.api import ApiViewSet, QueryFilter, ScopedViewSet
from wangge.core.origin import Origin as AuditOrigin
from wangge.core.roles import Action
from wangge.measures.api.measures import team_from
from wangge.measures.api.serializers import (
    ArrivalDecisionSerializer,
    ArrivalReportSerializer,
    ArrivalWriteSerializer,
    HealthCodeBatchSerializer,
    HealthCodeFeedSerializer,
    HealthCodeSerializer,
    RiskAreaSerializer,
)
from wangge.measures.models import (
    ArrivalReport,
    CodeColour,
    HealthCodeBatch,
    HealthCodeChange,
    RiskArea,
)
from wangge.measures.services import (
    AreaData,
    ArrivalData,
    CodeRow,
    Origin,
    arrival_report_confirm,
    arrival_report_create,
    health_code_record,
    risk_area_create,
    risk_area_update,
)

AREA_FIELDS = [field.name for field in fields(AreaData)]


class RiskAreaViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """风险地区; `?on=YYYY-MM-DD` lists those in force that day. Writes keep the area's history."""

    serializer_class = RiskAreaSerializer
    queryset = RiskArea.objects.all()

    def get_queryset(self) -> QuerySet:
        if not user_can(self.request.user, Action.VIEW):
            raise exceptions.PermissionDenied()
        areas = RiskArea.objects.all()
        on = self.request.query_params.get("on", "")
        if on:
            try:
                day = date.fromisoformat(on)
            except ValueError as error:
                raise exceptions.ValidationError({"on": ["日期格式 YYYY-MM-DD"]}) from error
            areas = areas.filter(effective_from__lte=day).filter(
                Q(effective_until__isnull=True) | Q(effective_until__gt=day)
            )
        return areas

    @extend_schema(
        parameters=[OpenApiParameter("on", str, description="某日有效 / in force on this date")]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def _data(self, values: dict[str, Any], area: RiskArea | None = None) -> AreaData:
        current = {name: getattr(area, name) for name in AREA_FIELDS} if area else {}
        merged = {**current, **{k: v for k, v in values.items() if k in AREA_FIELDS}}
        return AreaData(**merged)

    def create(self, request: Request) -> Response:
        given = self.given(RiskAreaSerializer)
        given.is_valid(raise_exception=True)
        values = given.validated_data
        area = risk_area_create(by=api_user(request), data=self._data(values), note=values["note"])
        return Response(RiskAreaSerializer(area).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        area = self.get_object()
        given = self.given(RiskAreaSerializer, area, partial=True)
        given.is_valid(raise_exception=True)
        values = given.validated_data
        area = risk_area_update(
            by=api_user(request),
            area=area,
            data=self._data(values, area),
            note=values.get("note", ""),
        )
        return Response(RiskAreaSerializer(area).data)


class ArrivalReportViewSet(ScopedViewSet):
    """返乡报备: POST registers one and proposes a measure; `confirm` decides it."""

    model = ArrivalReport
    serializer_class = ArrivalReportSerializer
    query_filters = (
        QueryFilter("status", ("status",), "状态 / status", str, ArrivalReport.Status.values),
    )

    @extend_schema(request=ArrivalWriteSerializer, responses={201: ArrivalReportSerializer})
    def create(self, request: Request) -> Response:
        given = self.given(ArrivalWriteSerializer)
        given.is_valid(raise_exception=True)
        values = dict(given.validated_data)
        household = None
        if values["host_household"]:
            household = (
                apps.get_model("regions", "Household")
                .objects.restrict(request.user, Action.VIEW)
                .filter(pk=values["host_household"])
                .first()
            )
            if household is None:
                raise exceptions.ValidationError({"host_household": ["无此户 / no such household"]})
        community = None
        if values["community"]:
            community = (
                apps.get_model("regions", "Community")
                .objects.filter(pk=values["community"])
                .first()
            )
            if community is None:
                raise exceptions.ValidationError({"community": ["无此社区 / no such community"]})
        origin = Origin(
            province=values.pop("origin_province"),
            city=values.pop("origin_city"),
            district=values.pop("origin_district"),
            street=values.pop("origin_street"),
            code=values.pop("origin_code"),
        )
        values.update(origin=origin, host_household=household, community=community)
        report = arrival_report_create(
            by=api_user(request),
            data=ArrivalData(**values),
            origin=AuditOrigin.from_request(request),
        )
        return Response(ArrivalReportSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ArrivalDecisionSerializer, responses=ArrivalReportSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str | None = None) -> Response:
        """Confirm the proposed measure, pick another, or none (`measure_type: null`); a reason is
        required when departing from the proposal."""
        report = self.get_object()
        given = self.given(ArrivalDecisionSerializer)
        given.is_valid(raise_exception=True)
        values = given.validated_data
        household = None
        if values["household"]:
            household = (
                apps.get_model("regions", "Household")
                .objects.restrict(request.user, Action.EDIT)
                .filter(pk=values["household"])
                .first()
            )
            if household is None:
                raise exceptions.ValidationError({"household": ["无此户 / no such household"]})
        report = arrival_report_confirm(
            by=api_user(request),
            report=report,
            measure_type=values["measure_type"],
            reason=values["reason"],
            household=household,
            team=team_from(values),
            origin=AuditOrigin.from_request(request),
        )
        return Response(ArrivalReportSerializer(report).data)


class HealthCodeViewSet(ScopedViewSet):
    """健康码 changes of the persons in scope; POST feeds a batch of changes (ID number, colour,
    time). Rows whose ID number is not registered in the caller's area come back in `problems`."""

    model = HealthCodeChange
    serializer_class = HealthCodeSerializer
    select_related = ("person",)
    query_filters = (
        QueryFilter("person", ("person",), "人员编号 / person id"),
        QueryFilter("colour", ("colour",), "健康码 / colour", str, CodeColour.values),
    )

    @extend_schema(request=HealthCodeFeedSerializer, responses={201: HealthCodeBatchSerializer})
    def create(self, request: Request) -> Response:
        given = self.given(HealthCodeFeedSerializer)
        given.is_valid(raise_exception=True)
        rows = [
            CodeRow(number, item["id_number"], item["colour"], item["changed_at"])
            for number, item in enumerate(given.validated_data["items"], start=1)
        ]
        batch = health_code_record(
            by=api_user(request), rows=rows, source=HealthCodeBatch.Source.API
        )
        return Response(HealthCodeBatchSerializer(batch).data, status=status.HTTP_201_CREATED)
