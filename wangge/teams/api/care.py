"""一对一关爱 over the API. `/api/teams/care-plans/` lists the plans the caller may see (their area,
or the plans they care for; `?overdue=true` only those overdue for a call) and creates one;
`/api/teams/welfare-calls/` lists the calls (`?plan=`) and logs one. A call's POST carries a client id
from the phone: 201 when stored, 200 when the same caller sent it before (the stored call), 409
`client_id_conflict` when it names someone else's call."""

from typing import Any, cast

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from wangge.accounts.http import api_user
from wangge.core.api import IdField, QueryFilter, ScopedViewSet
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.people.models import Person
from wangge.teams.models import CallOutcome, CarePlan, CareReason, WelfareCall
from wangge.teams.models.care import CarePlanQuerySet
from wangge.teams.selectors.holders import serving_persons, staff_of_area
from wangge.teams.services.care import (
    CallClientIdConflict,
    call_log,
    care_plan_create,
    carer_assignments,
)


class CarePlanSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    carer_user = serializers.SerializerMethodField()
    carer_person = serializers.SerializerMethodField()
    last_reached = serializers.DateTimeField(read_only=True, allow_null=True)
    due_at = serializers.SerializerMethodField()

    class Meta:
        model = CarePlan
        fields = [
            "id",
            "person",
            "person_name",
            "reason",
            "interval_hours",
            "note",
            "started",
            "ended",
            "carer_user",
            "carer_person",
            "last_reached",
            "due_at",
        ]
        read_only_fields = fields

    def _carer(self, plan: CarePlan) -> Any:
        carers = self.context.setdefault("carers", {})
        if plan.pk not in carers:
            carers.update(carer_assignments([plan.pk]))
        return carers.get(plan.pk)

    def get_carer_user(self, plan: CarePlan) -> int | None:
        carer = self._carer(plan)
        return carer.holder_user_id if carer else None

    def get_carer_person(self, plan: CarePlan) -> int | None:
        carer = self._carer(plan)
        return carer.holder_person_id if carer else None

    def get_due_at(self, plan: CarePlan) -> str:
        return plan.due_at(getattr(plan, "last_reached", None)).isoformat()


class CarePlanWriteSerializer(serializers.Serializer):
    person = IdField(help_text="关爱对象（人员编号）")
    reason = serializers.ChoiceField(choices=CareReason.choices)
    interval_hours = serializers.IntegerField(min_value=1, max_value=720)
    carer_user = IdField(required=False, help_text="关爱人：工作人员编号（与居民二选一）")
    carer_person = IdField(required=False, help_text="关爱人：居民编号（楼栋长、党员）")
    note = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if ("carer_user" in data) == ("carer_person" in data):
            raise serializers.ValidationError(
                "请给出一位关爱人 / give exactly one of carer_user, carer_person"
            )
        return data


def _row(queryset: QuerySet, pk: int, field: str) -> Any:
    row = queryset.filter(pk=pk).first()
    if row is None:
        raise exceptions.ValidationError({field: ["无此编号 / no such id in your area"]})
    return row


class CarePlanViewSet(mixins.CreateModelMixin, ScopedViewSet):
    model = CarePlan
    serializer_class = CarePlanSerializer
    select_related = ("person",)
    query_filters = (
        QueryFilter("person", ("person",), "人员编号 / person id"),
        QueryFilter(
            "reason", ("reason",), "关爱原因 / reason", parse=str, choices=tuple(CareReason.values)
        ),
    )

    def get_queryset(self) -> QuerySet:
        plans = cast(CarePlanQuerySet, super().get_queryset()).with_calls().order_by("pk")
        raw = self.request.query_params.get("overdue", "").strip() if self.request else ""
        if raw not in ("", "true", "false"):
            raise exceptions.ValidationError({"overdue": ["应为 true 或 false"]})
        if raw:
            now = timezone.now()
            active = plans.active()
            ids = [p.pk for p in active if (p.due_at(p.last_reached) <= now) == (raw == "true")]
            plans = plans.filter(pk__in=ids)
        return plans

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "overdue", OpenApiTypes.BOOL, description="只看超时未联系 (true) 或未超时 (false)"
            )
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=CarePlanWriteSerializer, responses={201: CarePlanSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = self.given(CarePlanWriteSerializer)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        user = api_user(request)
        person = _row(Person.objects.restrict(user, Action.VIEW), data["person"], "person")
        carer = (
            _row(staff_of_area(user), data["carer_user"], "carer_user")
            if "carer_user" in data
            else _row(serving_persons(user), data["carer_person"], "carer_person")
        )
        plan = care_plan_create(
            by=user,
            person=person,
            reason=data["reason"],
            interval_hours=data["interval_hours"],
            carer=carer,
            note=data["note"],
            origin=Origin.from_request(request),
        )
        plan = self.get_queryset().get(pk=plan.pk)
        return Response(CarePlanSerializer(plan).data, status=status.HTTP_201_CREATED)


class WelfareCallSerializer(serializers.ModelSerializer):
    class Meta:
        model = WelfareCall
        fields = ["id", "plan", "at", "by", "outcome", "note", "follow_up", "client_id"]
        read_only_fields = fields


class WelfareCallWriteSerializer(serializers.Serializer):
    plan = IdField(help_text="关爱计划编号")
    outcome = serializers.ChoiceField(choices=CallOutcome.choices)
    at = serializers.DateTimeField(required=False, help_text="联系时间，缺省为接收时间")
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")
    follow_up = serializers.CharField(
        required=False, allow_blank=True, max_length=500, default="", help_text="需要的帮助"
    )
    client_id = serializers.UUIDField(
        required=False, help_text="客户端生成的唯一编号；重发同一编号只存一次"
    )


class WelfareCallViewSet(mixins.CreateModelMixin, ScopedViewSet):
    model = WelfareCall
    serializer_class = WelfareCallSerializer
    query_filters = (
        QueryFilter("plan", ("plan",), "关爱计划编号 / care plan id"),
        QueryFilter(
            "outcome", ("outcome",), "结果 / outcome", parse=str, choices=tuple(CallOutcome.values)
        ),
    )

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().order_by("-at", "-pk")

    @extend_schema(
        request=WelfareCallWriteSerializer,
        responses={
            201: WelfareCallSerializer,
            200: WelfareCallSerializer,
            409: inline_serializer(
                "WelfareCallConflict",
                {
                    "code": serializers.CharField(),
                    "client_id": serializers.ListField(child=serializers.CharField()),
                },
            ),
        },
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = self.given(WelfareCallWriteSerializer)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        user = api_user(request)
        plan = _row(CarePlan.objects.restrict(user, Action.VIEW), data.pop("plan"), "plan")
        try:
            call, created = call_log(
                by=user, plan=plan, origin=Origin.from_request(request), **data
            )
        except CallClientIdConflict as conflict:
            body = {"code": conflict.error_code, **conflict.message_dict}
            return Response(body, status=status.HTTP_409_CONFLICT)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(WelfareCallSerializer(call).data, status=code)
