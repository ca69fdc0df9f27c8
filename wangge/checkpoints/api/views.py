"""Checkpoints, scans (create is idempotent), passes and shifts. Lists are scoped like the register;
checkpoint staff reach only the scan, resolve and clock endpoints of the checkpoints they man.

Errors of a scan carry a stable `code` (pretix-style) besides the messages per field: unknown_checkpoint,
bad_client_id, bad_direction, no_subject, client_id_reused, too_late, no_choice, nothing_to_resolve,
invalid (a field such as the temperature or the ID number).
"""

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from wangge.accounts.http import api_user
from wangge.accounts.models import User
from wangge.checkpoints.api.serializers import (
    CheckpointSerializer,
    PassIssueSerializer,
    PassRevokeSerializer,
    PassSerializer,
    ScanDecisionSerializer,
    ScanResolveSerializer,
    ScanSerializer,
    ScanWriteSerializer,
    ShiftAssignmentSerializer,
    ShiftAssignSerializer,
    ShiftClockSerializer,
    ShiftNoteSerializer,
    ShiftPlanSerializer,
    ShiftSerializer,
)
from wangge.checkpoints.duty import DutyRefused, UnknownCheckpoint
from wangge.checkpoints.models import (
    SCAN,
    Checkpoint,
    Pass,
    Scan,
    Shift,
    ShiftAssignment,
)
from wangge.checkpoints.models.rosters import day_bounds
from wangge.checkpoints.rules import Verdict
from wangge.checkpoints.services import (
    ScanInput,
    VisitorData,
    pass_revoke,
    passes_issue,
    scan_record,
    scan_resolve,
    shift_assign,
    shift_clock,
    shift_note_add,
    shift_unassign,
    shifts_plan,
)
from wangge.core.api import QueryFilter, ScopedViewSet
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.regions.models import Household
from wangge.teams.selectors import rosterable_members


def _refused(error: ValidationError) -> Response:
    detail = (
        error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
    )
    return Response(
        {"code": getattr(error, "error_code", "invalid"), **detail},
        status=status.HTTP_400_BAD_REQUEST,
    )


class CheckpointViewSet(ScopedViewSet):
    """卡点 in the caller's area; `mine` lists those the caller mans (checkpoint staff too)."""

    model = Checkpoint
    serializer_class = CheckpointSerializer
    select_related = ("community", "compound", "building__compound")
    query_filters = (
        QueryFilter("community", ("community",), "社区编号 / community id"),
        QueryFilter("kind", ("kind",), "类型 / kind", str, Checkpoint.Kind.values),
    )

    @extend_schema(responses=CheckpointSerializer(many=True))
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def mine(self, request: Request) -> Response:
        checkpoints = Checkpoint.objects.restrict(api_user(request), SCAN).filter(active=True)
        data = CheckpointSerializer(checkpoints.select_related(*self.select_related), many=True)
        return Response(data.data)


class ScanViewSet(ScopedViewSet):
    """扫码记录 in the caller's area. POST records one passage, once per `client_id`: 201 when
    new, 200 with the stored decision when sent again."""

    model = Scan
    serializer_class = ScanSerializer
    lookup_field = "client_id"
    select_related = ("checkpoint", "person", "visitor")
    query_filters = (
        QueryFilter("checkpoint", ("checkpoint",), "卡点编号 / checkpoint id"),
        QueryFilter("verdict", ("verdict",), "结果 / verdict", str, Verdict.values),
        QueryFilter("person", ("person",), "人员编号 / person id"),
    )

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().prefetch_related("reason_rows")

    @extend_schema(
        request=ScanWriteSerializer,
        responses={201: ScanDecisionSerializer, 200: ScanDecisionSerializer},
    )
    def create(self, request: Request) -> Response:
        given = self.given(ScanWriteSerializer)
        if not given.is_valid():
            return Response({"code": "invalid", **given.errors}, status=400)
        values = dict(given.validated_data)
        try:
            checkpoint_id = values.pop("checkpoint")
            outcome = scan_record(
                by=api_user(request), checkpoint_id=checkpoint_id, data=ScanInput(**values)
            )
        except ValidationError as error:
            return _refused(error)
        except DutyRefused as refused:
            return Response(
                {"code": refused.error_code, "checkpoint": [refused.message]},
                status=400 if isinstance(refused, UnknownCheckpoint) else 403,
            )
        code = status.HTTP_201_CREATED if outcome.created else status.HTTP_200_OK
        return Response(ScanDecisionSerializer.of(outcome), status=code)

    @extend_schema(request=ScanResolveSerializer, responses=ScanDecisionSerializer)
    @action(detail=False, methods=["post"])
    def resolve(self, request: Request) -> Response:
        """Complete a scan that found nobody (register the visitor) or several (choose one)."""
        given = self.given(ScanResolveSerializer)
        if not given.is_valid():
            return Response({"code": "invalid", **given.errors}, status=400)
        values = given.validated_data
        scan = (
            Scan.objects.restrict(api_user(request), SCAN)
            .filter(client_id=values["client_id"])
            .first()
        )
        if scan is None:
            raise exceptions.NotFound()
        visitor = VisitorData(**values["visitor"]) if "visitor" in values else None
        try:
            outcome = scan_resolve(
                by=api_user(request),
                scan=scan,
                candidate=values.get("candidate", ""),
                visitor=visitor,
                origin=Origin.from_request(request),
            )
        except ValidationError as error:
            return _refused(error)
        return Response(ScanDecisionSerializer.of(outcome))


class PassViewSet(ScopedViewSet):
    """出入证 of the households in the caller's area."""

    model = Pass
    serializer_class = PassSerializer
    select_related = ("household__building__compound",)
    query_filters = (
        QueryFilter("household", ("household",), "户编号 / household id"),
        QueryFilter("building", ("household__building",), "楼栋编号 / building id"),
    )

    @extend_schema(request=PassIssueSerializer, responses={201: PassSerializer(many=True)})
    def create(self, request: Request) -> Response:
        """Issue passes with one rule to households that hold no valid one."""
        given = self.given(PassIssueSerializer)
        given.is_valid(raise_exception=True)
        values = dict(given.validated_data)
        ids = set(values.pop("households"))
        households = list(Household.objects.restrict(request.user, Action.VIEW).filter(pk__in=ids))
        if len(households) != len(ids):
            raise exceptions.ValidationError({"households": ["无此户 / no such household"]})
        cards = passes_issue(
            by=api_user(request),
            households=households,
            origin=Origin.from_request(request),
            **values,
        )
        return Response(PassSerializer(cards, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PassRevokeSerializer, responses=PassSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str | None = None) -> Response:
        given = self.given(PassRevokeSerializer)
        given.is_valid(raise_exception=True)
        card = pass_revoke(
            by=api_user(request), card=self.get_object(), reason=given.validated_data["reason"]
        )
        return Response(PassSerializer(card).data)


def _day(request: Request) -> date | None:
    raw = request.query_params.get("date", "")
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError as error:
        raise exceptions.ValidationError({"date": ["日期格式 YYYY-MM-DD"]}) from error


class ShiftViewSet(ScopedViewSet):
    """班次 at the checkpoints in the caller's area; `clock` is for whoever mans one."""

    model = Shift
    serializer_class = ShiftSerializer
    query_filters = (QueryFilter("checkpoint", ("checkpoint",), "卡点编号 / checkpoint id"),)

    def get_queryset(self) -> QuerySet:
        assignments = ShiftAssignment.objects.select_related("user", "volunteer")
        shifts = super().get_queryset().prefetch_related(Prefetch("assignments", assignments))
        day = _day(self.request)
        if day is not None:
            start, end = day_bounds(day)
            shifts = shifts.filter(starts_at__gte=start, starts_at__lt=end)
        return shifts.order_by("starts_at", "checkpoint")

    @extend_schema(
        parameters=[OpenApiParameter("date", str, description="某日的班次 / shifts of a day")]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=ShiftPlanSerializer, responses={201: ShiftSerializer(many=True)})
    def create(self, request: Request) -> Response:
        """Plan shifts over a checkpoint's hours for some days (existing shifts stay)."""
        given = self.given(ShiftPlanSerializer)
        given.is_valid(raise_exception=True)
        values = given.validated_data
        checkpoint = get_object_or_404(
            Checkpoint.objects.restrict(api_user(request), Action.VIEW), pk=values["checkpoint"]
        )
        shifts_plan(
            by=api_user(request),
            checkpoint=checkpoint,
            start=values["start"],
            days=values["days"],
            origin=Origin.from_request(request),
        )
        start, _ = day_bounds(values["start"])
        _, end = day_bounds(values["start"] + timedelta(days=values["days"] - 1))
        planned = self.get_queryset().filter(
            checkpoint=checkpoint, starts_at__gte=start, starts_at__lt=end
        )
        return Response(ShiftSerializer(planned, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ShiftAssignSerializer, responses={201: ShiftAssignmentSerializer})
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str | None = None) -> Response:
        shift = self.get_object()
        given = self.given(ShiftAssignSerializer)
        given.is_valid(raise_exception=True)
        values = given.validated_data
        user = volunteer = None
        if values.get("user"):
            user = User.objects.filter(pk=values["user"], is_active=True).first()
            if user is None:
                raise exceptions.ValidationError({"user": ["无此工作人员 / no such staff"]})
        if values.get("volunteer"):
            volunteer = (
                rosterable_members(shift.checkpoint.community)
                .filter(pk=values["volunteer"])
                .first()
            )
            if volunteer is None:
                raise exceptions.ValidationError(
                    {"volunteer": ["本社区无此已确认队员 / no such confirmed member here"]}
                )
        assignment = shift_assign(
            by=api_user(request),
            shift=shift,
            user=user,
            volunteer=volunteer,
            origin=Origin.from_request(request),
        )
        return Response(ShiftAssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ShiftAssignSerializer, responses={204: None})
    @action(detail=True, methods=["post"])
    def unassign(self, request: Request, pk: str | None = None) -> Response:
        shift = self.get_object()
        given = self.given(ShiftAssignSerializer)
        given.is_valid(raise_exception=True)
        values = given.validated_data
        member = (
            {"user": values["user"]}
            if values.get("user")
            else {"volunteer": values.get("volunteer")}
        )
        assignment = get_object_or_404(ShiftAssignment, shift=shift, **member)
        shift_unassign(
            by=api_user(request), assignment=assignment, origin=Origin.from_request(request)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=ShiftNoteSerializer, responses={201: None})
    @action(detail=True, methods=["post"])
    def notes(self, request: Request, pk: str | None = None) -> Response:
        shift = get_object_or_404(
            Shift.objects.filter(
                checkpoint__in=Checkpoint.objects.restrict(api_user(request), SCAN)
            ),
            pk=pk,
        )
        given = self.given(ShiftNoteSerializer)
        given.is_valid(raise_exception=True)
        shift_note_add(
            by=api_user(request),
            shift=shift,
            text=given.validated_data["text"],
            origin=Origin.from_request(request),
        )
        return Response(status=status.HTTP_201_CREATED)

    @extend_schema(request=ShiftClockSerializer, responses=ShiftAssignmentSerializer)
    @action(detail=False, methods=["post"])
    def clock(self, request: Request) -> Response:
        """Scan the checkpoint's own code: clock on (or off) one's shift there."""
        given = self.given(ShiftClockSerializer)
        given.is_valid(raise_exception=True)
        assignment, done = shift_clock(
            by=api_user(request),
            code=given.validated_data["code"],
            origin=Origin.from_request(request),
        )
        data = {**ShiftAssignmentSerializer(assignment).data, "action": done}
        return Response(data)
