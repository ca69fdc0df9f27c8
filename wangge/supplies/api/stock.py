"""/api/supplies/…: the street's items, its places, the batches they hold and the ledger.

Lists are scoped (a community worker sees its own stores, batches and moves; the street's
commander sees the whole street; the item catalogue is shown to everyone of the street). Writes
go through the catalogue's and the stock's services: an id outside the caller's scope is 400 on
its field, a row they may see but not change 403. A move refused for lack of stock is 409
`{"code": "not_enough_stock", "quantity": [message]}`; an expired batch or one that is not the
earliest to expire is 400 with `code` `expired_batch` / `not_earliest_batch` on the `batch` field.
"""

from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from wangge.accounts.http import api_user
from wangge.checkpoints.models import Checkpoint
from wangge.core.api import QueryFilter, ScopedViewSet
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.regions.models import Community, Household, Street
from wangge.supplies.api.serializers import (
    MOVE_KINDS,
    SupplyBatchSerializer,
    SupplyIssueSerializer,
    SupplyItemSerializer,
    SupplyItemWriteSerializer,
    SupplyMoveSerializer,
    SupplyPlaceSerializer,
    SupplyPlaceWriteSerializer,
    SupplyReceiveSerializer,
    SupplyReverseSerializer,
    SupplyStockConflictSerializer,
    SupplyTransferSerializer,
    SupplyWriteOffSerializer,
)
from wangge.supplies.models import Batch, Donation, Item, ItemCategory, Place, PlaceKind, StockMove
from wangge.supplies.models import RecipientKind as Kind
from wangge.supplies.services import catalogue, stock
from wangge.teams.models import Team
from wangge.teams.selectors.holders import staff_of_area

FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(9999, 12, 30)
CONFLICT = {409: SupplyStockConflictSerializer}


def _row(rows: QuerySet, pk: int | None, field: str) -> Any:
    """The row of `rows` with id `pk` (None for no id), or 400 naming the field."""
    if pk is None:
        return None
    row = rows.filter(pk=pk).first()
    if row is None:
        raise exceptions.ValidationError({field: ["不存在或无权使用 / no such row you may use"]})
    return row


def _visible(model: type[Model], user: Any, pk: int | None, field: str) -> Any:
    return _row(model.objects.restrict(user, Action.VIEW), pk, field)  # type: ignore[attr-defined]  # a scoped model


def _body(request: Request, current: dict[str, Any]) -> dict[str, Any]:
    """The request body over the row's current values (a PATCH names only what changes)."""
    data = request.data.dict() if hasattr(request.data, "dict") else dict(request.data)
    return {**current, **data}


def _day(raw: str, param: str) -> date:
    try:
        day = date.fromisoformat(raw)
    except ValueError as error:
        raise exceptions.ValidationError(
            {param: ["应为日期 YYYY-MM-DD / must be a date, YYYY-MM-DD"]}
        ) from error
    if not FIRST_DAY <= day <= LAST_DAY:  # a local midnight beyond these is no UTC datetime
        raise exceptions.ValidationError({param: ["日期超出范围 / the date is out of range"]})
    return day


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _moved(call: Callable[[], Any]) -> Any:
    """Run a stock service; its refusals for stock reasons answered as documented above."""
    try:
        return call()
    except stock.NotEnoughStock as refused:
        body = {"code": "not_enough_stock", "quantity": refused.messages}
        raise Conflict(body) from refused
    except (stock.ExpiredBatch, stock.NotEarliestBatch) as refused:
        code = "expired_batch" if isinstance(refused, stock.ExpiredBatch) else "not_earliest_batch"
        raise exceptions.ValidationError({"code": code, "batch": refused.messages}) from refused


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "not_enough_stock"


class ItemViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ScopedViewSet):
    """物资目录 of the caller's street; POST, PUT and PATCH for the street's staff (EDIT)."""

    model = Item
    serializer_class = SupplyItemSerializer
    query_filters = (
        QueryFilter("category", ("category",), "类别 / category", str, ItemCategory.values),
        QueryFilter("street", ("street",), "街道编号 / street id"),
    )

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().order_by("category", "name", "pk")

    @extend_schema(request=SupplyItemWriteSerializer, responses={201: SupplyItemSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._save(request.data, None, status.HTTP_201_CREATED)

    @extend_schema(request=SupplyItemWriteSerializer, responses={200: SupplyItemSerializer})
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        item = self.get_object()
        current = SupplyItemSerializer(item).data if kwargs.get("partial") else {}
        return self._save(_body(request, current), item, status.HTTP_200_OK)

    def _save(self, data: Any, item: Item | None, code: int) -> Response:
        given = SupplyItemWriteSerializer(data=data, context=self.get_serializer_context())
        given.is_valid(raise_exception=True)
        values = dict(given.validated_data)
        user = api_user(self.request)
        street: Any = None
        if item is None:  # an item never changes its street
            street = _visible(Street, user, values.get("street"), "street")
            if street is None:
                raise exceptions.ValidationError(
                    {"street": ["请指定街道 / the street is required"]}
                )
        values.pop("street", None)
        saved = catalogue.item_save(
            by=user,
            street=item.street if item else street,
            values=values,
            item=item,
            origin=Origin.from_request(self.request),
        )
        return Response(SupplyItemSerializer(saved).data, status=code)


class PlaceViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ScopedViewSet):
    """库点: a community's to that community, all of them to the street. POST, PUT and PATCH need
    EDIT on the place's community (or the street, for a street place); its area never changes."""

    model = Place
    serializer_class = SupplyPlaceSerializer
    select_related = ("community", "keeper")
    query_filters = (
        QueryFilter("community", ("community",), "社区编号 / community id"),
        QueryFilter("kind", ("kind",), "类型 / kind", str, PlaceKind.values),
    )

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().order_by("community", "kind", "name", "pk")

    @extend_schema(request=SupplyPlaceWriteSerializer, responses={201: SupplyPlaceSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._save(request.data, None, status.HTTP_201_CREATED)

    @extend_schema(request=SupplyPlaceWriteSerializer, responses={200: SupplyPlaceSerializer})
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        place = self.get_object()
        current = SupplyPlaceSerializer(place).data if kwargs.get("partial") else {}
        return self._save(_body(request, current), place, status.HTTP_200_OK)

    def _save(self, data: Any, place: Place | None, code: int) -> Response:
        given = SupplyPlaceWriteSerializer(data=data, context=self.get_serializer_context())
        given.is_valid(raise_exception=True)
        values = dict(given.validated_data)
        user = api_user(self.request)
        community: Any = None
        street: Any = None
        if place is None:
            community = _visible(Community, user, values.get("community"), "community")
            street = community.street if community else None
            street = street or _visible(Street, user, values.get("street"), "street")
            if street is None:
                raise exceptions.ValidationError(
                    {"street": ["请指定街道或社区 / give the street or the community"]}
                )
        values["checkpoint"] = _visible(Checkpoint, user, values.get("checkpoint"), "checkpoint")
        values["keeper"] = _row(staff_of_area(user), values.get("keeper"), "keeper")
        saved = catalogue.place_save(
            by=user,
            street=place.street if place else street,
            community=community,
            values=values,
            place=place,
            origin=Origin.from_request(self.request),
        )
        return Response(SupplyPlaceSerializer(saved).data, status=code)


EXPIRES_BEFORE = OpenApiParameter(
    "expires_before", OpenApiTypes.DATE, description="有效期早于该日 / expiring before this day"
)


class BatchViewSet(ScopedViewSet):
    """批次 at the places the caller sees, first to expire first; `?in_stock=true` leaves out the
    empty ones."""

    model = Batch
    serializer_class = SupplyBatchSerializer
    select_related = ("item", "place")
    query_filters = (
        QueryFilter("place", ("place",), "库点编号 / place id"),
        QueryFilter("item", ("item",), "物资编号 / item id"),
        QueryFilter(
            "in_stock",
            ("quantity__gt",),
            "仅有库存的批次 / only batches holding stock",
            lambda raw: 0 if raw == "true" else -1,
            ("true", "false"),
        ),
    )

    def get_queryset(self) -> QuerySet:
        batches = super().get_queryset()
        raw = self.request.query_params.get("expires_before", "").strip()
        if raw:
            batches = batches.filter(expiry__lt=_day(raw, "expires_before"))
        return batches.order_by("item", "expiry", "received_at", "pk")

    @extend_schema(parameters=[EXPIRES_BEFORE])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)


DAYS = [
    OpenApiParameter("from", OpenApiTypes.DATE, description="自该日（含）/ from this day"),
    OpenApiParameter("to", OpenApiTypes.DATE, description="至该日（含）/ up to this day"),
]


class MoveViewSet(ScopedViewSet):
    """出入库台账 of the places the caller sees, newest first, and the moves themselves."""

    model = StockMove
    serializer_class = SupplyMoveSerializer
    select_related = ("batch", "by")
    query_filters = (
        QueryFilter("place", ("place",), "库点编号 / place id"),
        QueryFilter("item", ("item",), "物资编号 / item id"),
        QueryFilter("batch", ("batch",), "批次编号 / batch id"),
        QueryFilter("kind", ("kind",), "类型 / kind", str, MOVE_KINDS),
    )

    def get_queryset(self) -> QuerySet:
        moves = super().get_queryset()
        params = self.request.query_params
        if raw := params.get("from", "").strip():
            moves = moves.filter(at__gte=_local_midnight(_day(raw, "from")))
        if raw := params.get("to", "").strip():
            moves = moves.filter(at__lt=_local_midnight(_day(raw, "to") + timedelta(days=1)))
        return moves.order_by("-at", "-pk")

    @extend_schema(parameters=DAYS)
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def _given(self, serializer_class: type) -> tuple[dict[str, Any], Any, Origin]:
        given = self.given(serializer_class)
        given.is_valid(raise_exception=True)
        return dict(given.validated_data), api_user(self.request), Origin.from_request(self.request)

    def _answer(self, moves: Sequence[StockMove]) -> Response:
        return Response(SupplyMoveSerializer(moves, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=SupplyReceiveSerializer, responses={201: SupplyMoveSerializer(many=True)}
    )
    @action(detail=False, methods=["post"])
    def receive(self, request: Request) -> Response:
        """入库: a new batch at the place (a purchase, or a donation naming its registration)."""
        values, user, origin = self._given(SupplyReceiveSerializer)
        place = _visible(Place, user, values.pop("place"), "place")
        values["item"] = _visible(Item, user, values["item"], "item")
        values["donation"] = _visible(Donation, user, values.get("donation"), "donation")
        move = stock.receive(by=user, place=place, origin=origin, **values)
        return self._answer([move])

    def _picked(self, values: dict[str, Any], user: Any) -> tuple[Place, Item, Batch | None]:
        place = _visible(Place, user, values.pop("place"), "place")
        item = _visible(Item, user, values.pop("item"), "item")
        batches = Batch.objects.filter(place=place, item=item)
        return place, item, _row(batches, values.pop("batch", None), "batch")

    @extend_schema(
        request=SupplyIssueSerializer, responses={201: SupplyMoveSerializer(many=True), **CONFLICT}
    )
    @action(detail=False, methods=["post"])
    def issue(self, request: Request) -> Response:
        """发放: to a checkpoint, a team, a household or someone named, first expiry first out."""
        values, user, origin = self._given(SupplyIssueSerializer)
        place, item, batch = self._picked(values, user)
        kind, pk = values.pop("recipient_kind"), values.pop("recipient", None)
        model = {Kind.CHECKPOINT: Checkpoint, Kind.TEAM: Team, Kind.HOUSEHOLD: Household}
        target = _visible(model[kind], user, pk, "recipient") if kind in model else None
        recipient = stock.Recipient(
            kind, values.pop("recipient_label").strip(), **({kind: target} if target else {})
        )
        moves = _moved(
            lambda: stock.issue(
                by=user,
                place=place,
                item=item,
                batch=batch,
                recipient=recipient,
                origin=origin,
                **values,
            )
        )
        return self._answer(moves)

    @extend_schema(
        request=SupplyTransferSerializer,
        responses={201: SupplyMoveSerializer(many=True), **CONFLICT},
    )
    @action(detail=False, methods=["post"])
    def transfer(self, request: Request) -> Response:
        """调拨 to another place of the same street (it need not be one the caller runs)."""
        values, user, origin = self._given(SupplyTransferSerializer)
        place, item, batch = self._picked(values, user)
        others = Place.objects.filter(Q(street=place.street_id) & ~Q(pk=place.pk))
        destination = _row(others, values.pop("destination"), "destination")
        moves = _moved(
            lambda: stock.transfer(
                by=user,
                source=place,
                destination=destination,
                item=item,
                batch=batch,
                origin=origin,
                **values,
            )
        )
        return self._answer(moves)

    @extend_schema(
        request=SupplyWriteOffSerializer,
        responses={201: SupplyMoveSerializer(many=True), **CONFLICT},
    )
    @action(detail=False, methods=["post"], url_path="write-off")
    def write_off(self, request: Request) -> Response:
        """报损: expired, damaged or lost units of one batch."""
        values, user, origin = self._given(SupplyWriteOffSerializer)
        values["batch"] = _visible(Batch, user, values["batch"], "batch")
        move = _moved(lambda: stock.write_off(by=user, origin=origin, **values))
        return self._answer([move])

    @extend_schema(
        request=SupplyReverseSerializer,
        responses={201: SupplyMoveSerializer(many=True), **CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def reverse(self, request: Request, pk: str | None = None) -> Response:
        """冲正: the move undone by moves of the opposite sign (both halves of a transfer)."""
        move = self.get_object()
        values, user, origin = self._given(SupplyReverseSerializer)
        moves = _moved(
            lambda: stock.reverse(by=user, move=move, reason=values["reason"], origin=origin)
        )
        return self._answer(moves)
