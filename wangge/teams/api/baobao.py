"""包保 over the API: `/api/teams/assignments/` lists the assignments whose target the caller may
see (filters: target, duty, holder, `active`), creates one by hand (a 包保 duty on a person,
household, building or grid the caller may change) and ends one (`POST …/{id}/end/`). Care,
sweeps and units write their own rows through their own endpoints."""

from datetime import date
from typing import Any, cast

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from wangge.accounts.http import api_user
from wangge.core.api import IdField, QueryFilter, ScopedViewSet
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.people.models import Assignment, AssignmentQuerySet, Duty, Person
from wangge.regions.models import Building, Grid, Household
from wangge.teams.selectors.baobao import BAOBAO_DUTIES
from wangge.teams.selectors.holders import serving_persons, staff_of_area
from wangge.teams.services.baobao import baobao_assign, baobao_end

TARGETS: dict[str, Any] = {
    "person": Person,
    "household": Household,
    "building": Building,
    "grid": Grid,
}


class TeamAssignmentSerializer(serializers.ModelSerializer):
    holder_name = serializers.CharField(read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "person",
            "household",
            "building",
            "grid",
            "holder_user",
            "holder_person",
            "holder_name",
            "duty",
            "source",
            "source_id",
            "started",
            "ended",
        ]
        read_only_fields = fields


class TeamAssignmentWriteSerializer(serializers.Serializer):
    person = IdField(required=False, help_text="人员编号（与户、楼栋、网格四选一）")
    household = IdField(required=False, help_text="户编号")
    building = IdField(required=False, help_text="楼栋编号")
    grid = IdField(required=False, help_text="网格编号")
    holder_user = IdField(required=False, help_text="包保人：工作人员编号（与居民二选一）")
    holder_person = IdField(required=False, help_text="包保人：居民编号（楼栋长、党员）")
    duty = serializers.ChoiceField(choices=[(d.value, d.label) for d in BAOBAO_DUTIES])
    started = serializers.DateField(required=False, help_text="开始日期，缺省为今天")

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if sum(1 for key in TARGETS if key in data) != 1:
            raise serializers.ValidationError(
                "请给出且只给出一个包保对象 / give exactly one of person, household, building, grid"
            )
        if ("holder_user" in data) == ("holder_person" in data):
            raise serializers.ValidationError(
                "请给出一位包保人 / give exactly one of holder_user, holder_person"
            )
        return data


class AssignmentEndSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, help_text="结束日期，缺省为今天")


def _row(queryset: QuerySet, pk: int, field: str) -> Any:
    row = queryset.filter(pk=pk).first()
    if row is None:
        raise exceptions.ValidationError({field: ["无此编号 / no such id in your area"]})
    return row


def _active(raw: str) -> bool:
    if raw not in ("true", "false"):
        raise ValueError
    return raw == "true"


class AssignmentViewSet(mixins.CreateModelMixin, ScopedViewSet):
    model = Assignment
    serializer_class = TeamAssignmentSerializer
    select_related = ("holder_user", "holder_person")
    query_filters = (
        QueryFilter("person", ("person",), "人员编号 / person id"),
        QueryFilter("household", ("household",), "户编号 / household id"),
        QueryFilter("building", ("building",), "楼栋编号 / building id"),
        QueryFilter("grid", ("grid",), "网格编号 / grid id"),
        QueryFilter("holder_user", ("holder_user",), "包保人（工作人员）/ holder user id"),
        QueryFilter("holder_person", ("holder_person",), "包保人（居民）/ holder person id"),
        QueryFilter("duty", ("duty",), "职责 / duty", parse=str, choices=tuple(Duty.values)),
    )

    def get_queryset(self) -> QuerySet:
        rows = cast(AssignmentQuerySet, super().get_queryset()).order_by("-started", "-pk")
        raw = self.request.query_params.get("active", "").strip() if self.request else ""
        if raw:
            try:
                rows = (
                    rows.active()
                    if _active(raw)
                    else rows.exclude(pk__in=Assignment.objects.active().values("pk"))
                )
            except ValueError as error:
                raise exceptions.ValidationError({"active": ["应为 true 或 false"]}) from error
        return rows

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "active", OpenApiTypes.BOOL, description="只看在岗 (true) 或已结束 (false)"
            )
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=TeamAssignmentWriteSerializer, responses={201: TeamAssignmentSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = self.given(TeamAssignmentWriteSerializer)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        user = api_user(request)
        field = next(key for key in TARGETS if key in data)
        target = _row(TARGETS[field].objects.restrict(user, Action.VIEW), data[field], field)
        holder = (
            _row(staff_of_area(user), data["holder_user"], "holder_user")
            if "holder_user" in data
            else _row(serving_persons(user), data["holder_person"], "holder_person")
        )
        row = baobao_assign(
            by=user,
            target=target,
            holder=holder,
            duty=data["duty"],
            started=data.get("started"),
            origin=Origin.from_request(request),
        )
        return Response(TeamAssignmentSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AssignmentEndSerializer, responses=TeamAssignmentSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: str) -> Response:
        row = self.get_object()
        given = self.given(AssignmentEndSerializer)
        given.is_valid(raise_exception=True)
        on: date | None = given.validated_data.get("on")
        row = baobao_end(
            by=api_user(request), assignment=row, on=on, origin=Origin.from_request(request)
        )
        return Response(TeamAssignmentSerializer(row).data)
