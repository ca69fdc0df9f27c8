"""门禁 of the gates the caller may edit: list, detail, and POST to add one. The password is
written, never read back (`password_set` says whether one is stored). Opening a door is the scan's
business (POST /api/checkpoints/scans/); testing one is a button on the checkpoint's page."""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from wangge.accounts.http import api_user
from wangge.checkpoints.models import Checkpoint, DoorController
from wangge.checkpoints.services import DoorData, door_controller_create
from wangge.core.api import QueryFilter, ScopedPrimaryKeyField, ScopedViewSet
from wangge.core.origin import Origin
from wangge.core.roles import Action


class DoorSerializer(serializers.ModelSerializer):
    password_set = serializers.SerializerMethodField()

    class Meta:
        model = DoorController
        fields = [
            "id",
            "checkpoint",
            "kind",
            "name",
            "address",
            "door_no",
            "directions",
            "username",
            "password_set",
            "enabled",
            "created_at",
        ]

    def get_password_set(self, controller: DoorController) -> bool:
        return bool(controller.password_sealed)


class DoorWriteSerializer(serializers.Serializer):
    checkpoint = ScopedPrimaryKeyField(queryset=Checkpoint.objects.all())
    kind = serializers.ChoiceField(choices=DoorController.Kind.choices)
    name = serializers.CharField(max_length=80)
    address = serializers.CharField(max_length=200)
    door_no = serializers.IntegerField(min_value=1, max_value=255, default=1)
    directions = serializers.ChoiceField(
        choices=DoorController.Directions.choices, required=False, allow_blank=True, default=""
    )
    username = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    password = serializers.CharField(
        max_length=128, required=False, allow_blank=True, default="", write_only=True
    )
    enabled = serializers.BooleanField(required=False, default=True)


class DoorViewSet(ScopedViewSet):
    """门禁: the access controllers of the checkpoints the caller may edit."""

    model = DoorController
    serializer_class = DoorSerializer
    query_filters = (QueryFilter("checkpoint", ("checkpoint",), "卡点编号 / checkpoint id"),)

    def get_queryset(self) -> QuerySet:
        """Only the gates the caller may change: a controller's address is not for every eye."""
        user = self.request.user
        return DoorController.objects.restrict(user, Action.EDIT)  # type: ignore[arg-type]  # signed in: IsAuthenticated

    @extend_schema(request=DoorWriteSerializer, responses={201: DoorSerializer})
    def create(self, request: Request) -> Response:
        given = self.given(DoorWriteSerializer)
        given.is_valid(raise_exception=True)
        values = dict(given.validated_data)
        checkpoint = values.pop("checkpoint")
        controller = door_controller_create(
            by=api_user(request),
            checkpoint=checkpoint,
            data=DoorData(**values),
            origin=Origin.from_request(request),
        )
        return Response(DoorSerializer(controller).data, status=status.HTTP_201_CREATED)
