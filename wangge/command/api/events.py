"""Events and playbooks over the API: raise, respond/resolve/close, hand on, start a playbook."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from wangge.accounts.http import api_user
from wangge.command.models import (
    Department,
    Event,
    EventKind,
    Playbook,
    PlaybookRun,
    PlaybookStep,
    Task,
    TaskKind,
)
from wangge.command.services.events import (
    EVENT_TRANSITIONS,
    event_hand_over,
    event_raise,
    event_transition,
)
from wangge.command.services.playbooks import playbook_instantiate
from wangge.core.api import ApiViewSet, IdField, QueryFilter, ScopedPrimaryKeyField, ScopedViewSet
from wangge.core.origin import Origin
from wangge.people.models import Person
from wangge.regions.models import Community, Grid, Household, Street


class EventSerializer(serializers.ModelSerializer):
    kind: "serializers.SlugRelatedField[EventKind]" = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    owner = serializers.CharField(read_only=True)
    tasks: "serializers.PrimaryKeyRelatedField[Task]" = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )

    class Meta:
        model = Event
        fields = [
            "id",
            "kind",
            "title",
            "description",
            "source",
            "street",
            "community",
            "grid",
            "building",
            "household",
            "persons",
            "status",
            "owner",
            "owner_street",
            "owner_community",
            "owner_grid",
            "owner_department",
            "reporter_name",
            "reporter_phone_masked",
            "satisfaction",
            "raised_by",
            "raised_at",
            "responded_at",
            "resolved_at",
            "closed_at",
            "tasks",
        ]


class EventCreateSerializer(serializers.Serializer):
    kind = serializers.SlugRelatedField(slug_field="code", queryset=EventKind.objects.all())
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(allow_blank=True, default="")
    source = serializers.CharField(max_length=200, allow_blank=True, default="")  # type: ignore[assignment]  # a declared field, not Field.source
    household = ScopedPrimaryKeyField(
        queryset=Household.objects.all(), allow_null=True, default=None
    )
    grid = ScopedPrimaryKeyField(queryset=Grid.objects.all(), allow_null=True, default=None)
    persons = ScopedPrimaryKeyField(queryset=Person.objects.all(), many=True, required=False)
    reporter_name = serializers.CharField(max_length=50, allow_blank=True, default="")
    reporter_phone = serializers.CharField(max_length=20, allow_blank=True, default="")


class EventTransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=list(EVENT_TRANSITIONS))
    note = serializers.CharField(max_length=500, allow_blank=True, default="")
    satisfaction = serializers.ChoiceField(
        choices=Event.Satisfaction.choices, allow_blank=True, default=""
    )


UNIT_MODELS = {"street": Street, "community": Community, "grid": Grid, "department": Department}


class EventHandOverSerializer(serializers.Serializer):
    to_type = serializers.ChoiceField(choices=list(UNIT_MODELS))
    to_id = IdField()
    note = serializers.CharField(max_length=500, allow_blank=True, default="")

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        unit = UNIT_MODELS[data["to_type"]]._default_manager.filter(pk=data["to_id"]).first()
        if unit is None:
            raise serializers.ValidationError({"to_id": "单位不存在 / no such unit"})
        data["to"] = unit
        return data


class PlaybookStepSerializer(serializers.ModelSerializer):
    task_kind: "serializers.SlugRelatedField[TaskKind]" = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = PlaybookStep
        fields = [
            "position",
            "title",
            "description",
            "task_kind",
            "priority",
            "assignee",
            "department",
        ]


class PlaybookSerializer(serializers.ModelSerializer):
    event_kind: "serializers.SlugRelatedField[EventKind]" = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    steps = PlaybookStepSerializer(many=True, read_only=True)

    class Meta:
        model = Playbook
        fields = ["id", "code", "name", "description", "event_kind", "steps"]


class PlaybookRunSerializer(serializers.ModelSerializer):
    tasks: "serializers.PrimaryKeyRelatedField[Task]" = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )

    class Meta:
        model = PlaybookRun
        fields = ["id", "playbook", "event", "started_by", "started_at", "tasks"]


class PlaybookInstantiateSerializer(serializers.Serializer):
    event = ScopedPrimaryKeyField(queryset=Event.objects.all())


class EventViewSet(mixins.CreateModelMixin, ScopedViewSet):
    """事件 the caller may see: place, people, owner, status, and the tasks they spawned."""

    model = Event
    serializer_class = EventSerializer
    select_related = ("kind", "owner_street", "owner_community", "owner_grid", "owner_department")
    query_filters = (
        QueryFilter("status", ("status",), "状态 / status", str, Event.Status.values),
        QueryFilter("kind", ("kind__code",), "事件类型代码 / kind code", str),
        QueryFilter("grid", ("grid",), "网格编号 / grid id"),
        QueryFilter("community", ("community",), "社区编号 / community id"),
    )

    @extend_schema(request=EventCreateSerializer, responses={201: EventSerializer})
    def create(self, request: Request) -> Response:
        given = self.given(EventCreateSerializer)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        event = event_raise(
            kind=data["kind"].code,
            title=data["title"],
            description=data["description"],
            source=data["source"],
            household=data["household"],
            grid=data["grid"],
            persons=data.get("persons", []),
            reporter_name=data["reporter_name"],
            reporter_phone=data["reporter_phone"],
            by=api_user(request),
            origin=Origin.from_request(request),
        )
        return Response(EventSerializer(event).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=EventTransitionSerializer, responses=EventSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: str | None = None) -> Response:
        """respond, resolve, close (closing an event with a reporter needs `satisfaction`)."""
        given = self.given(EventTransitionSerializer)
        given.is_valid(raise_exception=True)
        event = event_transition(
            event=self.get_object(),
            by=api_user(request),
            origin=Origin.from_request(request),
            **given.validated_data,
        )
        return Response(EventSerializer(event).data)

    @extend_schema(request=EventHandOverSerializer, responses=EventSerializer)
    @action(detail=True, methods=["post"], url_path="hand-over")
    def hand_over(self, request: Request, pk: str | None = None) -> Response:
        """Hand the event on to another unit, which owns it from then on."""
        given = self.given(EventHandOverSerializer)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        event = event_hand_over(
            event=self.get_object(),
            to=data["to"],
            by=api_user(request),
            note=data["note"],
            origin=Origin.from_request(request),
        )
        return Response(EventSerializer(event).data)


class PlaybookViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """应急预案 (configuration): per event kind, steps with their assignee rules."""

    queryset = (
        Playbook.objects.filter(active=True)
        .select_related("event_kind")
        .prefetch_related("steps__task_kind")
    )
    serializer_class = PlaybookSerializer
    pagination_class = None

    @extend_schema(request=PlaybookInstantiateSerializer, responses={201: PlaybookRunSerializer})
    @action(detail=True, methods=["post"])
    def instantiate(self, request: Request, pk: str | None = None) -> Response:
        """One click: the playbook's tasks for this event, in one bundle."""
        given = self.given(PlaybookInstantiateSerializer)
        given.is_valid(raise_exception=True)
        run = playbook_instantiate(
            playbook=self.get_object(),
            event=given.validated_data["event"],
            by=api_user(request),
            origin=Origin.from_request(request),
        )
        return Response(PlaybookRunSerializer(run).data, status=status.HTTP_201_CREATED)


class PlaybookRunViewSet(ScopedViewSet):
    """预案任务包 of the events the caller may see, with their tasks."""

    model = PlaybookRun
    serializer_class = PlaybookRunSerializer
