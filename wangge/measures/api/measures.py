"""Measure types, person measures (assign, release, end early, transfer), check-ins and tests."""

from datetime import date
from typing import Any

from django.apps import apps
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from wangge.accounts.http import api_user
from wangge.core.api import ApiViewSet, QueryFilter, ScopedViewSet
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.measures.api.serializers import (
    CheckInSerializer,
    CheckInWriteSerializer,
    MeasureAssignSerializer,
    MeasureReasonSerializer,
    MeasureTestResultSerializer,
    MeasureTestSerializer,
    MeasureTransferSerializer,
    MeasureTypeSerializer,
    PersonMeasureSerializer,
)
from wangge.measures.models import CheckIn, MeasureTest, MeasureType, PersonMeasure
from wangge.measures.services import (
    ClientIdConflict,
    Team,
    checkin_record,
    measure_assign,
    measure_end_early,
    measure_release,
    measure_test_record,
    measure_transfer,
)
from wangge.people.models import Person


def visible_persons(request: Request, ids: list[int]) -> list[Person]:
    found = list(Person.objects.restrict(request.user, Action.VIEW).filter(pk__in=set(ids)))
    if len(found) != len(set(ids)):
        raise exceptions.ValidationError({"persons": ["无此人员 / no such person"]})
    return found


def team_from(values: dict[str, Any]) -> Team | None:
    ids = {name: values.get(name) for name in ("grid_worker", "doctor", "police")}
    if not any(ids.values()):
        return None
    users = (
        apps.get_model("accounts", "User")
        .objects.filter(is_active=True)
        .in_bulk([pk for pk in ids.values() if pk])
    )
    missing = [name for name, pk in ids.items() if pk and pk not in users]
    if missing:
        raise exceptions.ValidationError(
            {name: ["无此工作人员 / no such staff"] for name in missing}
        )
    return Team(**{name: users.get(pk) for name, pk in ids.items()})


class MeasureTypeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """管控措施类型 of every rule set; `?on=YYYY-MM-DD` gives those in force on that day."""

    serializer_class = MeasureTypeSerializer
    pagination_class = None

    @extend_schema(
        parameters=[
            OpenApiParameter("on", str, description="某日适用的类型 / types in force on this date")
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet:
        types = MeasureType.objects.select_related("rule_set").order_by("rule_set", "pk")
        on = self.request.query_params.get("on", "")
        if on:
            try:
                types = types.in_force(date.fromisoformat(on))
            except ValueError as error:
                raise exceptions.ValidationError({"on": ["日期格式 YYYY-MM-DD"]}) from error
        return types


class PersonMeasureViewSet(ScopedViewSet):
    """人员管控措施 in the caller's scope (and those on whose team they serve)."""

    model = PersonMeasure
    serializer_class = PersonMeasureSerializer
    select_related = ("person", "measure_type")
    query_filters = (
        QueryFilter("status", ("status",), "状态 / status", str, PersonMeasure.Status.values),
        QueryFilter("person", ("person",), "人员编号 / person id"),
        QueryFilter(
            "grid",
            ("person__household__grid", "person__household__grid__parent"),
            "网格编号 / grid id",
        ),
        QueryFilter("measure_type", ("measure_type",), "措施类型编号 / measure type id"),
    )

    @extend_schema(
        request=MeasureAssignSerializer, responses={201: PersonMeasureSerializer(many=True)}
    )
    def create(self, request: Request) -> Response:
        """Assign one measure to one or several persons, as one action (all or nothing)."""
        given = self.given(MeasureAssignSerializer)
        given.is_valid(raise_exception=True)
        values = given.validated_data
        measures = measure_assign(
            by=api_user(request),
            persons=visible_persons(request, values["persons"]),
            measure_type=values["measure_type"],
            start=values["start"],
            reason=values["reason"],
            plan=values["plan"],
            team=team_from(values),
            origin=Origin.from_request(request),
        )
        data = PersonMeasureSerializer(measures, many=True).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MeasureReasonSerializer, responses=PersonMeasureSerializer)
    @action(detail=True, methods=["post"])
    def release(self, request: Request, pk: str | None = None) -> Response:
        """解除: refused (400, with the reasons) before the end or without the negative tests."""
        given = self.given(MeasureReasonSerializer)
        given.is_valid(raise_exception=True)
        measure = measure_release(
            by=api_user(request),
            measure=self.get_object(),
            origin=Origin.from_request(request),
            **given.validated_data,
        )
        return Response(PersonMeasureSerializer(measure).data)

    @extend_schema(request=MeasureReasonSerializer, responses=PersonMeasureSerializer)
    @action(detail=True, methods=["post"], url_path="end-early")
    def end_early(self, request: Request, pk: str | None = None) -> Response:
        given = self.given(MeasureReasonSerializer)
        given.is_valid(raise_exception=True)
        measure = measure_end_early(
            by=api_user(request),
            measure=self.get_object(),
            origin=Origin.from_request(request),
            **given.validated_data,
        )
        return Response(PersonMeasureSerializer(measure).data)

    @extend_schema(request=MeasureTransferSerializer, responses=PersonMeasureSerializer)
    @action(detail=True, methods=["post"])
    def transfer(self, request: Request, pk: str | None = None) -> Response:
        """转运 to centralised isolation (with the new measure type) or hospital."""
        given = self.given(MeasureTransferSerializer)
        given.is_valid(raise_exception=True)
        measure = measure_transfer(
            by=api_user(request),
            measure=self.get_object(),
            origin=Origin.from_request(request),
            **given.validated_data,
        )
        return Response(PersonMeasureSerializer(measure).data)


class CheckInViewSet(ScopedViewSet):
    """打卡 records; POST records one, stored once per measure and `client_id` (201 new, 200 already
    stored); a `client_id` already used on another measure is 409 `client_id_conflict`."""

    model = CheckIn
    serializer_class = CheckInSerializer
    query_filters = (
        QueryFilter("measure", ("measure",), "措施编号 / measure id"),
        QueryFilter("flagged", ("flagged",), "异常 / flagged (true/false)", lambda v: v == "true"),
    )

    @extend_schema(
        request=CheckInWriteSerializer,
        responses={
            201: CheckInSerializer,
            200: CheckInSerializer,
            409: inline_serializer(
                "CheckInConflict",
                {
                    "code": serializers.CharField(),
                    "client_id": serializers.ListField(child=serializers.CharField()),
                },
            ),
        },
    )
    def create(self, request: Request) -> Response:
        given = self.given(CheckInWriteSerializer)
        given.is_valid(raise_exception=True)
        values = dict(given.validated_data)
        measure = (
            PersonMeasure.objects.restrict(request.user, Action.VIEW)
            .filter(pk=values.pop("measure"))
            .first()
        )
        if measure is None:
            raise exceptions.ValidationError({"measure": ["无此措施 / no such measure"]})
        try:
            checkin, created = checkin_record(
                by=api_user(request),
                measure=measure,
                source=CheckIn.Source.API,
                origin=Origin.from_request(request),
                **values,
            )
        except ClientIdConflict as conflict:
            body = {"code": conflict.error_code, **conflict.message_dict}
            return Response(body, status=status.HTTP_409_CONFLICT)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(CheckInSerializer(checkin).data, status=code)


class MeasureTestViewSet(ScopedViewSet):
    """核酸 due during measures; `record` closes the matching due test of a person."""

    model = MeasureTest
    serializer_class = MeasureTestSerializer
    query_filters = (
        QueryFilter("measure", ("measure",), "措施编号 / measure id"),
        QueryFilter("result", ("result",), "结果（空为待检）/ result, empty for open", str),
    )

    @extend_schema(request=MeasureTestResultSerializer, responses=MeasureTestSerializer)
    @action(detail=False, methods=["post"])
    def record(self, request: Request) -> Response:
        given = self.given(MeasureTestResultSerializer)
        given.is_valid(raise_exception=True)
        values = given.validated_data
        (person,) = visible_persons(request, [values["person"]])
        test = measure_test_record(
            by=api_user(request),
            person=person,
            sampled_on=values["sampled_on"],
            result=values["result"],
            source=MeasureTest.Source.API,
        )
        if test is None:
            raise exceptions.ValidationError({"person": ["该人员不在管控中 / not under a measure"]})
        return Response(MeasureTestSerializer(test).data)
