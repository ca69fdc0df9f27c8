"""The sweeps API: campaigns (list, retrieve, create; start, assign, close), their visits (scoped
by grid: a grid worker sees their grids' visits, a sweeper the grids and buildings given), and the
sync of a phone's queue of attempts (per-item results: recorded, duplicate or rejected)."""

from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from wangge.accounts.http import api_user
from wangge.accounts.models import User
from wangge.core.api import ApiViewSet, IdField, QueryFilter, ScopedViewSet
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.regions.models import Building, Grid
from wangge.sweeps.models import Attempt, AttemptResult, Campaign, Visit, VisitStatus
from wangge.sweeps.services.campaigns import (
    campaign_assign,
    campaign_close,
    campaign_create,
    campaign_start,
)
from wangge.sweeps.services.visits import SYNC_MAX, attempts_sync

IDS_MAX = 500


class CampaignSerializer(serializers.ModelSerializer):
    class Meta:
        model = Campaign
        fields = [
            "id",
            "name",
            "street",
            "grids",
            "checks",
            "since",
            "deadline",
            "status",
            "started_at",
            "closed_at",
        ]
        read_only_fields = fields


class CampaignWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=80)
    grids = serializers.ListField(child=IdField(), min_length=1, max_length=IDS_MAX)
    checks = serializers.ListField(child=serializers.CharField(max_length=30), max_length=20)
    since = serializers.DateField(required=False, allow_null=True, default=None)
    deadline = serializers.DateTimeField()


class CampaignAssignSerializer(serializers.Serializer):
    sweeper = IdField()
    grids = serializers.ListField(child=IdField(), required=False, default=list, max_length=IDS_MAX)
    buildings = serializers.ListField(
        child=IdField(), required=False, default=list, max_length=IDS_MAX
    )


class CampaignStartedSerializer(serializers.Serializer):
    visits = serializers.IntegerField()


class CampaignAssignedSerializer(serializers.Serializer):
    assignments = serializers.IntegerField(help_text="新增的包保关系数 / assignments made")


def _rows(model: Any, user: User, ids: list[int], field: str) -> list[Any]:
    rows = list(model.objects.restrict(user, Action.VIEW).filter(pk__in=set(ids)))
    if len(rows) != len(set(ids)):
        raise exceptions.ValidationError({field: ["无此编号 / no such id"]})
    return rows


class CampaignViewSet(mixins.CreateModelMixin, ScopedViewSet):
    """扫楼行动 the caller sees: of their area, or assigned to them as a sweeper."""

    model = Campaign
    serializer_class = CampaignSerializer
    select_related = ("street",)

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().prefetch_related("grids")

    @extend_schema(request=CampaignWriteSerializer, responses={201: CampaignSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = self.given(CampaignWriteSerializer)
        given.is_valid(raise_exception=True)
        values = dict(given.validated_data)
        user = api_user(request)
        values["grids"] = _rows(Grid, user, values["grids"], "grids")
        campaign = campaign_create(by=user, origin=Origin.from_request(request), **values)
        return Response(CampaignSerializer(campaign).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=CampaignStartedSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk: str | None = None) -> Response:
        made = campaign_start(
            by=api_user(request), campaign=self.get_object(), origin=Origin.from_request(request)
        )
        return Response({"visits": made})

    @extend_schema(request=CampaignAssignSerializer, responses=CampaignAssignedSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str | None = None) -> Response:
        campaign = self.get_object()
        given = self.given(CampaignAssignSerializer)
        given.is_valid(raise_exception=True)
        values = given.validated_data
        user = api_user(request)
        sweeper = User.objects.filter(pk=values["sweeper"], is_active=True).first()
        if sweeper is None:
            raise exceptions.ValidationError({"sweeper": ["无此工作人员 / no such user"]})
        made = campaign_assign(
            by=user,
            campaign=campaign,
            sweeper=sweeper,
            grids=_rows(Grid, user, values["grids"], "grids"),
            buildings=_rows(Building, user, values["buildings"], "buildings"),
            origin=Origin.from_request(request),
        )
        return Response({"assignments": len(made)})

    @extend_schema(request=None, responses=CampaignSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        campaign = campaign_close(
            by=api_user(request), campaign=self.get_object(), origin=Origin.from_request(request)
        )
        return Response(CampaignSerializer(campaign).data)


class SweepAttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attempt
        fields = ["id", "client_id", "at", "result", "note", "by", "received_at"]
        read_only_fields = fields


class SweepVisitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Visit
        fields = [
            "id",
            "campaign",
            "household",
            "grid",
            "building",
            "status",
            "answers",
            "proxy_name",
            "proxy_relation",
            "closed_at",
        ]
        read_only_fields = fields


class SweepVisitDetailSerializer(SweepVisitSerializer):
    attempts = SweepAttemptSerializer(many=True, read_only=True)

    class Meta(SweepVisitSerializer.Meta):
        fields = [*SweepVisitSerializer.Meta.fields, "attempts"]
        read_only_fields = fields


class SweepVisitViewSet(ScopedViewSet):
    """入户走访 of the caller's grids (or the grids and buildings they sweep); one with its attempts."""

    model = Visit
    serializer_class = SweepVisitSerializer
    query_filters = (
        QueryFilter("campaign", ("campaign",), "扫楼行动编号 / campaign id"),
        QueryFilter("building", ("building",), "楼栋编号 / building id"),
        QueryFilter("status", ("status",), "状态 / status", str, VisitStatus.values),
    )

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return SweepVisitDetailSerializer if self.action == "retrieve" else SweepVisitSerializer

    def get_queryset(self) -> QuerySet:
        queryset = super().get_queryset()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                Prefetch("attempts", queryset=Attempt.objects.order_by("at", "pk"))
            )
        return queryset


class SweepAttemptItemSerializer(serializers.Serializer):
    visit = IdField()
    client_id = serializers.UUIDField()
    at = serializers.DateTimeField()
    result = serializers.ChoiceField(choices=AttemptResult.choices)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    answers = serializers.DictField(required=False, allow_null=True, default=None)
    proxy_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    proxy_relation = serializers.CharField(
        max_length=30, required=False, allow_blank=True, default=""
    )


@extend_schema_field(SweepAttemptItemSerializer(many=True))
class AttemptItemsField(serializers.ListField):
    """The queue's items, each read on its own: a malformed one is rejected, not the batch."""

    child = serializers.JSONField()


class SweepSyncSerializer(serializers.Serializer):
    attempts = AttemptItemsField(min_length=1, max_length=SYNC_MAX)


class SweepSyncResultSerializer(serializers.Serializer):
    client_id = serializers.CharField()
    status = serializers.CharField(help_text="recorded, duplicate or rejected")
    message = serializers.CharField(allow_blank=True)
    attempt = serializers.IntegerField(allow_null=True)


class SweepSyncAnswerSerializer(serializers.Serializer):
    results = SweepSyncResultSerializer(many=True)


def _item_errors(errors: dict[str, Any]) -> str:
    return "；".join(
        f"{field}: {' '.join(map(str, messages))}" for field, messages in errors.items()
    )


class SweepSyncViewSet(ApiViewSet):
    """POST a phone's queue of attempts (at most 200): each recorded once by its client_id."""

    serializer_class = SweepSyncSerializer

    @extend_schema(request=SweepSyncSerializer, responses={200: SweepSyncAnswerSerializer})
    def create(self, request: Request) -> Response:
        given = self.given(SweepSyncSerializer)
        given.is_valid(raise_exception=True)
        items, order = [], []
        answers: list[dict[str, Any] | None] = []
        for raw in given.validated_data["attempts"]:
            item = SweepAttemptItemSerializer(data=raw)
            if item.is_valid():
                order.append(len(answers))
                answers.append(None)
                items.append(item.validated_data)
                continue
            client_id = str(raw.get("client_id", "")) if isinstance(raw, dict) else ""
            errors = item.errors if isinstance(item.errors, dict) else {"attempt": item.errors}
            answers.append(
                {
                    "client_id": client_id,
                    "status": "rejected",
                    "message": _item_errors(errors),
                    "attempt": None,
                }
            )
        results = attempts_sync(
            by=api_user(request), items=items, origin=Origin.from_request(request)
        )
        for position, result in zip(order, results, strict=True):
            answers[position] = {
                "client_id": result.client_id,
                "status": result.status,
                "message": result.message,
                "attempt": result.attempt.pk if result.attempt else None,
            }
        return Response({"results": answers})
