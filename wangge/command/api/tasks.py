"""Tasks over the API: issue (or drill), each assignee's transitions and feedback, drill results."""

import json
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from wangge.accounts.http import api_user
from wangge.accounts.models import User
from wangge.command.lifecycle import TRANSITIONS
from wangge.command.models import Department, Task, TaskAssignment, TaskKind
from wangge.command.selectors import drill_result
from wangge.command.services.progress import task_cancel, task_feedback_submit, task_transition
from wangge.command.services.tasks import task_issue
from wangge.core.api import (
    ApiViewSet,
    IdField,
    ObjectJSONParser,
    QueryFilter,
    ScopedPrimaryKeyField,
    ScopedViewSet,
)
from wangge.core.origin import Origin
from wangge.regions.models import Community, Grid


class TaskKindSerializer(serializers.ModelSerializer):
    class Meta:
        model = TaskKind
        fields = list(TaskKind.SUMMARY_FIELDS)


class TaskAssignmentSerializer(serializers.ModelSerializer):
    assignee = serializers.CharField(read_only=True)
    assignee_type = serializers.SerializerMethodField()

    class Meta:
        model = TaskAssignment
        fields = [
            "id",
            "assignee_type",
            "assignee",
            "community",
            "grid",
            "department",
            "user",
            "state",
            "ack_due_at",
            "start_due_at",
            "feedback_due_at",
            "due_at",
            "acknowledged_at",
            "started_at",
            "feedback_at",
            "completed_at",
            "cancelled_at",
        ]

    def get_assignee_type(self, assignment: TaskAssignment) -> str:
        for kind in ("community", "grid", "department", "user"):
            if getattr(assignment, f"{kind}_id"):
                return kind
        return ""


class TaskSerializer(serializers.ModelSerializer):
    kind: "serializers.SlugRelatedField[TaskKind]" = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    direction = serializers.CharField(read_only=True, help_text="down 交办 / up 吹哨")
    assignments = TaskAssignmentSerializer(many=True, read_only=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "title",
            "kind",
            "description",
            "priority",
            "direction",
            "drill",
            "street",
            "origin_community",
            "issuer",
            "issued_at",
            "due_at",
            "status",
            "closed_at",
            "event",
            "bundle",
            "assignments",
        ]


class TaskCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    kind = serializers.SlugRelatedField(slug_field="code", queryset=TaskKind.objects.all())
    description = serializers.CharField(allow_blank=True, default="")
    priority = serializers.ChoiceField(choices=Task.Priority.choices, default=Task.Priority.NORMAL)
    due_at = serializers.DateTimeField(allow_null=True, default=None)
    drill = serializers.BooleanField(default=False)
    communities = ScopedPrimaryKeyField(queryset=Community.objects.all(), many=True, required=False)
    grids = ScopedPrimaryKeyField(queryset=Grid.objects.all(), many=True, required=False)
    departments = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), many=True, required=False
    )
    users = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), many=True, required=False
    )


class TaskCancelSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, allow_blank=True, default="")


class TaskTransitionSerializer(serializers.Serializer):
    assignment = IdField()
    action = serializers.ChoiceField(choices=[a for a in TRANSITIONS if a != "feedback"])
    note = serializers.CharField(max_length=500, allow_blank=True, default="")


class TaskFeedbackSerializer(serializers.Serializer):
    assignment = IdField()
    text = serializers.CharField(allow_blank=True, default="")
    figures = serializers.JSONField(default=dict, help_text='{"已排查户数": 120}')
    client_id = serializers.CharField(
        max_length=64,
        allow_blank=True,
        default="",
        help_text="发送两次只记一次 / sent twice, stored once",
    )

    def validate_figures(self, value: Any) -> dict:
        if isinstance(value, str):
            value = json.loads(value or "{}")
        if not isinstance(value, dict):
            raise serializers.ValidationError("应为对象 / must be an object")
        return value


class TaskFeedbackUploadSerializer(TaskFeedbackSerializer):
    """The multipart form of a feedback: the same fields and any number of `files` (photos)."""

    files = serializers.ListField(child=serializers.FileField(), required=False)


class TaskDrillSerializer(serializers.Serializer):
    thresholds = serializers.ListField(child=serializers.IntegerField())
    shares = serializers.DictField(child=serializers.FloatField())
    lines = serializers.ListField(child=serializers.DictField())


class TaskKindViewSet(mixins.ListModelMixin, ApiViewSet):
    """交办类型: stage deadlines in seconds (1510 = 60/300/600). Configuration, not register data."""

    queryset = TaskKind.objects.all()
    serializer_class = TaskKindSerializer
    pagination_class = None


class TaskViewSet(mixins.CreateModelMixin, ScopedViewSet):
    """交办单 the caller may see; each assignee's own progress in `assignments`."""

    model = Task
    serializer_class = TaskSerializer
    select_related = ("kind",)
    parser_classes = [ObjectJSONParser, MultiPartParser, FormParser]
    query_filters = (
        QueryFilter("status", ("status",), "状态 / status", str, Task.Status.values),
        QueryFilter(
            "direction", ("direction",), "交办或吹哨 / down or up", str, Task.Direction.values
        ),
        QueryFilter("event", ("event",), "事件编号 / event id"),
        QueryFilter("bundle", ("bundle",), "预案任务包编号 / playbook run id"),
    )

    def get_queryset(self) -> QuerySet:
        return (
            super()
            .get_queryset()
            .prefetch_related(
                "assignments__community",
                "assignments__grid",
                "assignments__department",
                "assignments__user",
            )
        )

    def _assignment(self, task: Task, pk: int) -> TaskAssignment:
        return get_object_or_404(task.assignments.select_related("task"), pk=pk)

    @extend_schema(request=TaskCreateSerializer, responses={201: TaskSerializer})
    def create(self, request: Request) -> Response:
        given = self.given(TaskCreateSerializer)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        assignees = [
            *data.get("communities", []),
            *data.get("grids", []),
            *data.get("departments", []),
            *data.get("users", []),
        ]
        task = task_issue(
            by=api_user(request),
            kind=data["kind"],
            title=data["title"],
            assignees=assignees,
            description=data["description"],
            priority=data["priority"],
            due_at=data["due_at"],
            drill=data["drill"],
            origin=Origin.from_request(request),
        )
        return Response(TaskSerializer(task).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TaskTransitionSerializer, responses=TaskSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: str | None = None) -> Response:
        """acknowledge, start (assignee); complete, return, cancel (issuer). Illegal moves: 400."""
        task = self.get_object()
        given = self.given(TaskTransitionSerializer)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        task_transition(
            assignment=self._assignment(task, data["assignment"]),
            action=data["action"],
            by=api_user(request),
            note=data["note"],
            origin=Origin.from_request(request),
        )
        return Response(TaskSerializer(self.get_object()).data)

    @extend_schema(
        request={
            "multipart/form-data": TaskFeedbackUploadSerializer,
            "application/json": TaskFeedbackSerializer,
        },
        responses={201: TaskSerializer},
    )
    @action(detail=True, methods=["post"])
    def feedback(self, request: Request, pk: str | None = None) -> Response:
        """A report with text, figures and photos; a repeated client_id is stored once."""
        task = self.get_object()
        given = self.given(TaskFeedbackSerializer)
        given.is_valid(raise_exception=True)
        values = given.validated_data
        task_feedback_submit(
            assignment=self._assignment(task, values["assignment"]),
            by=api_user(request),
            text=values["text"],
            figures=values["figures"],
            files=request.FILES.getlist("files"),
            client_id=values["client_id"],
            origin=Origin.from_request(request),
        )
        return Response(TaskSerializer(self.get_object()).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TaskCancelSerializer, responses=TaskSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        task = self.get_object()
        given = self.given(TaskCancelSerializer)
        given.is_valid(raise_exception=True)
        task_cancel(
            task=task,
            by=api_user(request),
            note=given.validated_data["note"],
            origin=Origin.from_request(request),
        )
        return Response(TaskSerializer(self.get_object()).data)

    @extend_schema(responses=TaskDrillSerializer)
    @action(detail=True, methods=["get"])
    def drill(self, request: Request, pk: str | None = None) -> Response:
        """Seconds to acknowledge, start and report per assignee; the share within 1/5/10 minutes."""
        result = drill_result(self.get_object())
        return Response(
            {
                "thresholds": list(result.thresholds),
                "shares": result.shares,
                "lines": [
                    {
                        "assignment": line.assignment.pk,
                        "assignee": str(line.assignment.assignee),
                        "ack": line.ack,
                        "start": line.start,
                        "feedback": line.feedback,
                    }
                    for line in result.lines
                ],
            }
        )
