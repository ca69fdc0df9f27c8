"""召集令 over the API: list and read the calls of one's area (with posts, counts and fill),
create one with its posts, `send/` and `close/` it, and `invites/` (who was asked and how they
answered, `?answer=`). The member's answer by token is `call-answers/`: no account, throttled
per client address."""

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from wangge.accounts.http import api_user
from wangge.core import crypto
from wangge.core.api import ApiViewSet, IdField, Pagination, ScopedViewSet
from wangge.core.origin import Origin, client_address
from wangge.core.roles import Action
from wangge.notify import ratelimit
from wangge.regions.models import Community, Street
from wangge.teams.models import (
    Answer,
    AnswerChannel,
    Call,
    CallInvite,
    CallKind,
    CallPost,
    Skill,
    Team,
    TeamKind,
)
from wangge.teams.selectors.calls import call_fill, call_invites, calls_with_counts
from wangge.teams.services.calls import (
    CallInput,
    PostInput,
    call_answer,
    call_close,
    call_create,
    call_send,
)

ANSWER_BUCKET = "call-answer:"


SKILL_HELP = "所需技能代码，空为不限 / the skill's code, empty for any"


class CallPostSerializer(serializers.ModelSerializer):
    skill = serializers.CharField(read_only=True, help_text=SKILL_HELP)
    assigned = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = CallPost
        fields = ["id", "name", "place", "starts_at", "ends_at", "needed", "skill", "assigned"]
        read_only_fields = fields


class CallSerializer(serializers.ModelSerializer):
    skill = serializers.CharField(read_only=True, help_text=SKILL_HELP)
    team_kinds = serializers.ListField(child=serializers.CharField(), read_only=True)
    asked = serializers.IntegerField(read_only=True)
    accepted = serializers.IntegerField(read_only=True)
    declined = serializers.IntegerField(read_only=True)
    pending = serializers.IntegerField(read_only=True)
    fill_rate = serializers.SerializerMethodField(help_text="到岗率 0–1 / share of the need filled")
    posts = serializers.SerializerMethodField()

    class Meta:
        model = Call
        fields = [
            "id", "kind", "title", "text", "street", "community", "teams", "team_kinds",
            "skill", "deadline", "status", "message", "sent_at", "closed_at", "created_at",
            "asked", "accepted", "declined", "pending", "fill_rate", "posts",
        ]  # fmt: skip
        read_only_fields = fields

    def _fill(self, call: Call) -> Any:
        cache = self.context.setdefault("fills", {})
        if call.pk not in cache:
            cache[call.pk] = call_fill(call)
        return cache[call.pk]

    def get_fill_rate(self, call: Call) -> float:
        return round(self._fill(call).rate, 3)

    @extend_schema_field(CallPostSerializer(many=True))
    def get_posts(self, call: Call) -> list[dict[str, Any]]:
        rows = self._fill(call).posts
        return [CallPostSerializer(row.post).data | {"assigned": row.assigned} for row in rows]


class CallPostWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=60)
    place = serializers.CharField(max_length=100)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    needed = serializers.IntegerField(min_value=1, max_value=10000)
    skill = serializers.ChoiceField(choices=Skill.choices, allow_blank=True, default="")


class CallWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CallKind.choices)
    title = serializers.CharField(max_length=80)
    text = serializers.CharField(max_length=1000)
    street = IdField(help_text="街道编号 / street id")
    community = IdField(required=False, allow_null=True, help_text="社区编号；缺省为全街道")
    teams = serializers.ListField(child=IdField(), required=False, default=list, max_length=200)
    team_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=TeamKind.choices), required=False, default=list
    )
    skill = serializers.ChoiceField(choices=Skill.choices, allow_blank=True, default="")
    deadline = serializers.DateTimeField()
    posts = CallPostWriteSerializer(many=True, allow_empty=False, max_length=30)  # type: ignore[call-arg]


class CallInviteSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="member.name", read_only=True)
    phone = serializers.CharField(source="member.phone_masked", read_only=True)
    team = serializers.IntegerField(source="member.team_id", read_only=True)
    channel = serializers.CharField(
        read_only=True, help_text="回复方式 link 或 api，未回复为空 / how it was answered"
    )

    class Meta:
        model = CallInvite
        fields = [
            "id", "member", "name", "phone", "team", "asked_at", "answer", "answered_at",
            "channel", "post", "assigned_at",
        ]  # fmt: skip
        read_only_fields = fields


class SendResultSerializer(serializers.Serializer):
    asked = serializers.IntegerField()
    sms = serializers.IntegerField()
    inapp = serializers.IntegerField()
    unreachable = serializers.IntegerField()


ANSWER = OpenApiParameter(
    "answer", OpenApiTypes.STR, enum=Answer.values, description="回复 / answer filter"
)


def _visible(rows: QuerySet, pk: int | None, field: str) -> Any:
    if pk is None:
        return None
    row = rows.filter(pk=pk).first()
    if row is None:
        raise exceptions.ValidationError({field: ["不存在或无权使用 / no such row you may use"]})
    return row


class CallViewSet(mixins.CreateModelMixin, ScopedViewSet):
    model = Call
    serializer_class = CallSerializer
    select_related = ("street", "community")

    def get_queryset(self) -> QuerySet:
        return (
            calls_with_counts(super().get_queryset())
            .prefetch_related("teams")
            .order_by("-created_at", "-id")
        )

    @extend_schema(request=CallWriteSerializer, responses={201: CallSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = self.given(CallWriteSerializer)
        given.is_valid(raise_exception=True)
        values = given.validated_data
        user = api_user(request)
        street = _visible(Street.objects.all(), values["street"], "street")
        community = _visible(
            Community.objects.filter(street=street), values.get("community"), "community"
        )
        teams = Team.objects.restrict(user, Action.VIEW).filter(pk__in=values["teams"])
        if teams.count() != len(set(values["teams"])):
            raise exceptions.ValidationError({"teams": ["队伍不存在或无权使用 / unknown team"]})
        data = CallInput(
            kind=values["kind"],
            title=values["title"],
            text=values["text"],
            deadline=values["deadline"],
            posts=[PostInput(**post) for post in values["posts"]],
            street=street,
            community=community,
            teams=list(teams),
            team_kinds=values["team_kinds"],
            skill=values["skill"],
        )
        call = call_create(by=user, data=data, origin=Origin.from_request(request))
        return Response(
            self.get_serializer(self.get_queryset().get(pk=call.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=None, responses={200: SendResultSerializer})
    @action(detail=True, methods=["post"])
    def send(self, request: Request, pk: str) -> Response:
        sent = call_send(
            by=api_user(request), call=self.get_object(), origin=Origin.from_request(request)
        )
        return Response(SendResultSerializer(sent).data)

    @extend_schema(request=None, responses={200: CallSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        call = call_close(
            by=api_user(request), call=self.get_object(), origin=Origin.from_request(request)
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=call.pk)).data)

    @extend_schema(parameters=[ANSWER], responses={200: CallInviteSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=Pagination)
    def invites(self, request: Request, pk: str) -> Response:
        answer = request.query_params.get("answer", "")
        if answer and answer not in Answer.values:
            raise exceptions.ValidationError({"answer": [f"应为 {', '.join(Answer.values)}"]})
        invites = call_invites(self.get_object(), api_user(request), answer)
        page = self.paginate_queryset(invites)
        return self.get_paginated_response(CallInviteSerializer(page, many=True).data)


class CallAnswerSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=64, help_text="短信链接中的令牌 / the link's token")
    answer = serializers.ChoiceField(choices=[Answer.ACCEPTED, Answer.DECLINED])


class CallAnswerResultSerializer(serializers.Serializer):
    call = serializers.CharField(help_text="召集标题 / the call's title")
    answer = serializers.CharField()
    answered_at = serializers.DateTimeField()


class CallAnswerViewSet(ApiViewSet):
    """A member's answer by the token of their link (no account)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    serializer_class = CallAnswerSerializer

    @extend_schema(
        request=CallAnswerSerializer,
        responses={200: CallAnswerResultSerializer, 429: OpenApiResponse(description="太频繁")},
    )
    def create(self, request: Request) -> Response:
        per_minute = int(settings.WANGGE["CALL_ANSWERS_PER_ADDRESS_PER_MINUTE"])
        address = crypto.blind_index(client_address(request._request) or "-")
        if per_minute > 0 and ratelimit.take(ANSWER_BUCKET + address, 1, per_minute) != 1:
            return Response(
                {"detail": "请求太频繁，请稍后再试 / too many requests"},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        given = self.given(CallAnswerSerializer)
        given.is_valid(raise_exception=True)
        invite = call_answer(
            token=given.validated_data["token"],
            answer=given.validated_data["answer"],
            channel=AnswerChannel.API,
            origin=Origin.from_request(request),
        )
        return Response(
            {"call": invite.call.title, "answer": invite.answer, "answered_at": invite.answered_at}
        )
