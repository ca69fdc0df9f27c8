"""需求闭环 over the API (`/api/supplies/needs/`): the needs the caller may see (`?status=`,
`?kind=`), a new one (a checkpoint's, a team's or a household's: lines and/or wishes), and the
steps `{id}/approve/`, `{id}/reject/`, `{id}/pick/`, `{id}/dispatch/`, `{id}/handover/` (the
recipient's code, or a photo as multipart) and `{id}/cancel/`. A step that does not apply to the
need's status answers 400; one the caller may not take, 403."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from wangge.accounts.http import api_user
from wangge.core.api import IdField, QueryFilter, ScopedViewSet
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.regions.models import Household
from wangge.supplies.models import Item, Need, NeedKind, NeedLine, NeedStatus, Place
from wangge.supplies.selectors import needs as reads
from wangge.supplies.services import need_handover, needs
from wangge.teams.models import Team

NO_SUCH = "无此编号 / no such id in your area"


class NeedLineSerializer(serializers.ModelSerializer):
    item_name = serializers.CharField(source="item.name", read_only=True)

    class Meta:
        model = NeedLine
        fields = ["item", "item_name", "quantity", "picked"]
        read_only_fields = fields


class NeedSerializer(serializers.ModelSerializer):
    lines = NeedLineSerializer(many=True, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    deliverer = serializers.SerializerMethodField(help_text="配送人 / the deliverer's name")
    handover_code = serializers.SerializerMethodField(
        help_text="交接码，仅提出人可见 / the hand-over code, shown to the requester only"
    )

    class Meta:
        model = Need
        fields = [
            "id",
            "kind",
            "street",
            "community",
            "grid",
            "checkpoint",
            "team",
            "household",
            "lines",
            "wishes",
            "note",
            "status",
            "status_label",
            "created_at",
            "requested_label",
            "approved_at",
            "place",
            "picked_at",
            "dispatched_at",
            "deliverer",
            "delivered_at",
            "handover",
            "handover_code",
            "closed_at",
            "close_reason",
            "due_at",
        ]
        read_only_fields = fields

    def get_deliverer(self, need: Need) -> str:
        deliverer = need.deliverer_member or need.deliverer_user
        return str(deliverer) if deliverer is not None else ""

    def get_handover_code(self, need: Need) -> str:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        mine = user is not None and need.requested_by_id == user.pk
        return need.handover_code if mine and need.is_open else ""


class LineWriteSerializer(serializers.Serializer):
    item = IdField()
    quantity = serializers.IntegerField(min_value=1, max_value=100000)


class NeedWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=NeedKind.choices)
    checkpoint = IdField(required=False)
    team = IdField(required=False)
    household = IdField(required=False)
    lines = LineWriteSerializer(many=True, required=False, default=list)
    wishes = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


class PlaceSerializer(serializers.Serializer):
    place = IdField(required=False, help_text="库点编号 / place id")
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=200, default="", help_text="代购情况"
    )


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, allow_blank=True, default="")


class DispatchSerializer(serializers.Serializer):
    member = IdField(required=False, help_text="志愿者（队员编号）")
    user = IdField(required=False, help_text="工作人员编号")

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if ("member" in data) == ("user" in data):
            raise serializers.ValidationError("请给出一位配送人 / give one of member, user")
        return data


class HandoverSerializer(serializers.Serializer):
    code = serializers.RegexField(r"^\d{6}$", required=False, help_text="收件人交接码")
    photo = serializers.ImageField(required=False, help_text="门口照片")

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if ("code" in data) == ("photo" in data):
            raise serializers.ValidationError("请给出交接码或照片 / give a code or a photo")
        return data


def _row(queryset: QuerySet, pk: int | None, field: str) -> Any:
    row = queryset.filter(pk=pk).first() if pk is not None else None
    if row is None:
        raise exceptions.ValidationError({field: [NO_SUCH]})
    return row


class NeedViewSet(mixins.CreateModelMixin, ScopedViewSet):
    model = Need
    serializer_class = NeedSerializer
    query_filters = (
        QueryFilter("status", ("status",), "状态 / status", str, tuple(NeedStatus.values)),
        QueryFilter("kind", ("kind",), "类型 / kind", str, tuple(NeedKind.values)),
    )

    def get_queryset(self) -> QuerySet:
        return reads.needs_for(self.request.user).prefetch_related("lines__item")

    def _answer(self, need: Need, code: int = status.HTTP_200_OK) -> Response:
        row = self.get_queryset().get(pk=need.pk)
        return Response(NeedSerializer(row, context={"request": self.request}).data, status=code)

    @extend_schema(request=NeedWriteSerializer, responses={201: NeedSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = self.given(NeedWriteSerializer)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        user = api_user(request)
        kind = data["kind"]
        target: dict[str, Any] = {}
        if kind == NeedKind.CHECKPOINT:
            target["checkpoint"] = _row(
                reads.checkpoints_for(user), data.get("checkpoint"), "checkpoint"
            )
        elif kind == NeedKind.TEAM:
            teams = Team.objects.restrict(user, Action.VIEW)
            target["team"] = _row(teams, data.get("team"), "team")
        else:
            households = Household.objects.restrict(user, Action.VIEW)
            target["household"] = _row(households, data.get("household"), "household")
        items = Item.objects.in_bulk([line["item"] for line in data["lines"]])
        lines = [
            needs.LineInput(_row_of(items, line["item"]), line["quantity"])
            for line in data["lines"]
        ]
        need = needs.need_create(
            by=user,
            kind=kind,
            lines=lines,
            wishes=data["wishes"],
            note=data["note"],
            origin=Origin.from_request(request),
            **target,
        )
        return self._answer(need, status.HTTP_201_CREATED)

    def _place(self, data: dict[str, Any]) -> Place | None:
        if "place" not in data:
            return None
        return _row(Place.objects.restrict(self.request.user, Action.VIEW), data["place"], "place")

    @extend_schema(request=PlaceSerializer, responses=NeedSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        """Approve a submitted need; `place` names where it will be picked."""
        need = self.get_object()
        given = self.given(PlaceSerializer)
        given.is_valid(raise_exception=True)
        place = self._place(given.validated_data)
        origin = Origin.from_request(request)
        need = needs.need_approve(by=api_user(request), need=need, place=place, origin=origin)
        return self._answer(need)

    @extend_schema(request=ReasonSerializer, responses=NeedSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        """Turn a submitted need down with a reason."""
        need = self.get_object()
        given = self.given(ReasonSerializer)
        given.is_valid(raise_exception=True)
        reason = given.validated_data["reason"]
        origin = Origin.from_request(request)
        need = needs.need_reject(by=api_user(request), need=need, reason=reason, origin=origin)
        return self._answer(need)

    @extend_schema(request=PlaceSerializer, responses=NeedSerializer)
    @action(detail=True, methods=["post"])
    def pick(self, request: Request, pk: str | None = None) -> Response:
        """Issue every line from the place (FEFO; short stock refuses all), or mark wishes bought."""
        need = self.get_object()
        given = self.given(PlaceSerializer)
        given.is_valid(raise_exception=True)
        need = needs.need_pick(
            by=api_user(request),
            need=need,
            place=self._place(given.validated_data),
            note=given.validated_data["note"],
            origin=Origin.from_request(request),
        )
        return self._answer(need)

    @extend_schema(request=DispatchSerializer, responses=NeedSerializer)
    @action(detail=True, methods=["post"], url_path="dispatch", url_name="dispatch")
    def send_out(self, request: Request, pk: str | None = None) -> Response:
        """Give the picked need to a volunteer (`member`) or a staff user (`user`)."""
        need = self.get_object()
        given = self.given(DispatchSerializer)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        member = user = None
        if "member" in data:
            member = _row(reads.member_deliverers(need), data["member"], "member")
        else:
            user = _row(reads.staff_deliverers(need), data["user"], "user")
        need = needs.need_dispatch(
            by=api_user(request),
            need=need,
            member=member,
            user=user,
            origin=Origin.from_request(request),
        )
        return self._answer(need)

    @extend_schema(
        request={"application/json": HandoverSerializer, "multipart/form-data": HandoverSerializer},
        responses=NeedSerializer,
    )
    @action(detail=True, methods=["post"], parser_classes=[JSONParser, MultiPartParser, FormParser])
    def handover(self, request: Request, pk: str | None = None) -> Response:
        """Hand over by the recipient's `code` (wrong codes are limited) or by a `photo`."""
        need = self.get_object()
        given = self.given(HandoverSerializer)
        given.is_valid(raise_exception=True)
        data, by, origin = given.validated_data, api_user(request), Origin.from_request(request)
        if "code" in data:
            need = need_handover.need_handover_code(
                by=by, need=need, code=data["code"], origin=origin
            )
        else:
            need = need_handover.need_handover_photo(
                by=by, need=need, photo=data["photo"], origin=origin
            )
        return self._answer(need)

    @extend_schema(request=ReasonSerializer, responses=NeedSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        """Cancel: the requester before picking, staff of the area while open."""
        need = self.get_object()
        given = self.given(ReasonSerializer)
        given.is_valid(raise_exception=True)
        reason = given.validated_data["reason"]
        origin = Origin.from_request(request)
        need = needs.need_cancel(by=api_user(request), need=need, reason=reason, origin=origin)
        return self._answer(need)


def _row_of(items: dict[int, Item], pk: int) -> Item:
    if pk not in items:
        raise exceptions.ValidationError({"lines": [NO_SUCH]})
    return items[pk]
