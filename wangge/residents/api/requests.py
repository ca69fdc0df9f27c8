"""诉求 in the API. The resident's `/api/my/requests/` (list, retrieve, create with photos,
withdraw, rate) reads through the account's household, so another household's request is 404; the
staff's `/api/residents/requests/` lists what `restrict()` lets them see, acts on what they may
edit (take, done, decline) and gives the summary per grid."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from wangge.accounts.http import api_user
from wangge.core.api import IdField, Pagination, QueryFilter, ScopedViewSet
from wangge.core.api_parsers import ObjectJSONParser
from wangge.core.origin import Origin
from wangge.residents import request_selectors, selectors, services
from wangge.residents.api.base import ResidentViewSet
from wangge.residents.models import (
    HelpRequest,
    RequestEvent,
    RequestKind,
    RequestPhoto,
    RequestStatus,
)


class RequestEventSerializer(serializers.ModelSerializer):
    who = serializers.CharField(read_only=True)

    class Meta:
        model = RequestEvent
        fields = ["step", "at", "who", "note"]
        read_only_fields = fields


class PhotoSerializer(serializers.ModelSerializer):
    class Meta:
        model = RequestPhoto
        fields = ["id", "content_type"]
        read_only_fields = fields


class MyRequestSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    events = RequestEventSerializer(many=True, read_only=True)
    photos = PhotoSerializer(many=True, read_only=True)

    class Meta:
        model = HelpRequest
        fields = [
            "id",
            "kind",
            "text",
            "person",
            "person_name",
            "on_behalf",
            "status",
            "created_at",
            "taken_at",
            "closed_at",
            "reply",
            "rating",
            "rating_comment",
            "events",
            "photos",
        ]
        read_only_fields = fields


class RequestSerializer(MyRequestSerializer):
    class Meta(MyRequestSerializer.Meta):
        fields = [
            *MyRequestSerializer.Meta.fields,
            "household",
            "grid",
            "level",
            "escalated_at",
            "taken_by",
            "task",
        ]
        read_only_fields = fields


class SubmitSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=RequestKind.choices)
    text = serializers.CharField(max_length=1000)
    person = IdField(required=False, help_text="家庭成员编号，默认本人 / member id, default self")
    photos = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class RateSerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class TextSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=1000, help_text="答复或原因 / reply or reason")


def _valid(serializer: serializers.Serializer) -> dict[str, Any]:
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class MyRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ResidentViewSet):
    """我的诉求: the requests of the resident's own household."""

    serializer_class = MyRequestSerializer
    pagination_class = Pagination
    parser_classes = [ObjectJSONParser, MultiPartParser, FormParser]

    def get_queryset(self) -> QuerySet[HelpRequest]:
        return request_selectors.own_requests(self.account).prefetch_related(
            "events__by_user", "photos"
        )

    def _answer(self, row: HelpRequest, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=row.pk)).data, status=code)

    @extend_schema(
        request={"multipart/form-data": SubmitSerializer, "application/json": SubmitSerializer},
        responses={201: MyRequestSerializer},
    )
    def create(self, request: Request) -> Response:
        values = _valid(self.given(SubmitSerializer))
        account = self.account
        if account.household_id is None:
            raise exceptions.ValidationError(
                {"person": ["账号尚未关联家庭 / the account has no household yet"]}
            )
        person_id = values.get("person") or account.person_id
        if person_id is None:
            raise exceptions.ValidationError({"person": ["请指定家庭成员 / name the member"]})
        row = services.request_submit(
            account=account,
            person=selectors.member_or_404(account, person_id),
            kind=values["kind"],
            text=values["text"],
            photos=values["photos"],
            origin=Origin.from_request(request),
        )
        return self._answer(row, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=MyRequestSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        row = services.request_withdraw(
            account=self.account,
            help_request=self.get_object(),
            origin=Origin.from_request(request),
        )
        return self._answer(row)

    @extend_schema(request=RateSerializer, responses=MyRequestSerializer)
    @action(detail=True, methods=["post"])
    def rate(self, request: Request, pk: str) -> Response:
        target = self.get_object()
        values = _valid(self.given(RateSerializer))
        row = services.request_rate(
            account=self.account,
            help_request=target,
            rating=values["rating"],
            comment=values["comment"],
            origin=Origin.from_request(request),
        )
        return self._answer(row)


class GridSummarySerializer(serializers.Serializer):
    grid = serializers.IntegerField(allow_null=True)
    grid_name = serializers.CharField()
    community = serializers.CharField()
    total = serializers.IntegerField()
    by_status = serializers.DictField(child=serializers.IntegerField())
    escalated = serializers.IntegerField()
    overdue = serializers.IntegerField()
    closed = serializers.IntegerField()
    median_hours_to_close = serializers.FloatField(allow_null=True)
    mean_hours_to_close = serializers.FloatField(allow_null=True)
    mean_rating = serializers.FloatField(allow_null=True)


class SummarySerializer(serializers.Serializer):
    take_minutes = serializers.IntegerField()
    done_hours = serializers.IntegerField()
    total = GridSummarySerializer()
    grids = GridSummarySerializer(many=True)


def _flag(raw: str) -> bool:
    return raw == "true"


class RequestViewSet(ScopedViewSet):
    """居民诉求 in the caller's area (a grid worker: their grid's)."""

    model = HelpRequest
    serializer_class = RequestSerializer
    select_related = ("person",)
    query_filters = (
        QueryFilter("status", ("status",), "状态 / status", str, RequestStatus.values),
        QueryFilter("kind", ("kind",), "类别 / kind", str, RequestKind.values),
        QueryFilter(
            "grid",
            ("grid", "grid__parent"),
            "网格编号（含其小网格） / grid id (with its small grids)",
        ),
        QueryFilter(
            "escalated", ("escalated_at__isnull",), "已上报 / escalated", _flag, ["true", "false"]
        ),
    )

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().prefetch_related("events__by_user", "photos")

    def _act(self, step: Any, text: str = "") -> Response:
        target = self.get_object()
        values = {text: _valid(self.given(TextSerializer))["text"]} if text else {}
        try:
            row = step(
                by=api_user(self.request),
                help_request=target,
                origin=Origin.from_request(self.request),
                **values,
            )
        except PermissionDenied as error:
            raise exceptions.PermissionDenied(str(error)) from error
        return Response(self.get_serializer(self.get_queryset().get(pk=row.pk)).data)

    @extend_schema(request=None, responses=RequestSerializer)
    @action(detail=True, methods=["post"])
    def take(self, request: Request, pk: str) -> Response:
        return self._act(services.request_take)

    @extend_schema(request=TextSerializer, responses=RequestSerializer)
    @action(detail=True, methods=["post"])
    def done(self, request: Request, pk: str) -> Response:
        return self._act(services.request_done, "reply")

    @extend_schema(request=TextSerializer, responses=RequestSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str) -> Response:
        return self._act(services.request_decline, "reason")

    @extend_schema(responses=SummarySerializer, filters=False)
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def summary(self, request: Request) -> Response:
        return Response(request_selectors.summary(api_user(request)))
