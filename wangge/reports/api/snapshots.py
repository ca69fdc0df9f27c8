"""The daily report over the API: `/api/reports/figures/` lists the figures of the areas the caller
may see (filter by day, level, area), `/api/reports/snapshots/` the snapshots of their streets, and
`snapshots/build/` builds a day's snapshot (the street's command)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from wangge.accounts.authority import areas_held, holds
from wangge.accounts.http import api_user
from wangge.core.api import ApiViewSet, Pagination, QueryFilter, QueryFilterBackend
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.shortcuts import date_param
from wangge.regions.models import District, Street
from wangge.reports.api.serializers import (
    AreaFiguresSerializer,
    BuildSerializer,
    DistrictFiguresSerializer,
    SnapshotSerializer,
    day_asked,
)
from wangge.reports.district import district_figures
from wangge.reports.models import AreaFigures, Level, Snapshot
from wangge.reports.selectors import areas_for
from wangge.reports.services import report_build


def _day(raw: str) -> object:
    day = date_param(raw)
    if day is None:
        raise ValueError("日期应为 YYYY-MM-DD / the day must be YYYY-MM-DD")
    return day


class FiguresViewSet(mixins.ListModelMixin, ApiViewSet):
    """每个区域每天的日报指标 of the areas the caller may see, newest day first."""

    serializer_class = AreaFiguresSerializer
    pagination_class = Pagination
    filter_backends = [QueryFilterBackend]
    query_filters = (
        QueryFilter("day", ("day",), "日期 YYYY-MM-DD / the day", _day),
        QueryFilter("level", ("level",), "层级 / level", str, Level.values),
        QueryFilter("area", ("area_id",), "区域编号 / area id"),
    )

    def get_queryset(self) -> QuerySet:
        visible = Q(pk__in=[])
        for level in Level.values:
            ids = [c.pk for c in areas_for(self.request.user) if c.level == level]  # type: ignore[arg-type]
            if ids:
                visible |= Q(level=level, area_id__in=ids)
        return AreaFigures.objects.filter(visible).order_by("-day", "level", "area_id")


class DistrictViewSet(ApiViewSet):
    """区县日报: each district the caller holds (the deployment's administrators), its figures of
    the day summed over its streets; `figures` is null while a street lacks that day's snapshot."""

    queryset = District.objects.none()
    serializer_class = DistrictFiguresSerializer
    pagination_class = None

    @extend_schema(
        parameters=[OpenApiParameter("day", str, required=True, description="YYYY-MM-DD")],
        responses=DistrictFiguresSerializer(many=True),
    )
    def list(self, request: Request) -> Response:
        day = day_asked(request)
        districts = areas_held(api_user(request), Action.VIEW, District).order_by("pk")
        rows = [
            {"id": d.pk, "name": d.name, "day": day, "figures": district_figures(d, day)}
            for d in districts
        ]
        return Response(DistrictFiguresSerializer(rows, many=True).data)


class SnapshotViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """日报快照 of the streets the caller sees, newest first."""

    serializer_class = SnapshotSerializer
    pagination_class = Pagination

    def get_queryset(self) -> QuerySet:
        streets = areas_held(self.request.user, Action.VIEW, Street)
        return Snapshot.objects.filter(street__in=streets).select_related("built_by")

    @extend_schema(request=BuildSerializer, responses={201: SnapshotSerializer})
    @action(detail=False, methods=["post"])
    def build(self, request: Request) -> Response:
        """Build the street's snapshot of the day (or replace it, audited); refused (400) while a
        community's approval locks the day."""
        given = self.given(BuildSerializer)
        given.is_valid(raise_exception=True)
        user = api_user(request)
        data = given.validated_data
        street = areas_held(user, Action.VIEW, Street).filter(pk=data["street"]).first()
        if street is None or not holds(user, Action.EDIT, street):
            raise PermissionDenied
        snapshot = report_build(
            street=street,
            on=data["day"],
            by=user,
            rebuild=data["rebuild"],
            origin=Origin.from_request(request),
        )
        return Response(SnapshotSerializer(snapshot).data, status=status.HTTP_201_CREATED)
