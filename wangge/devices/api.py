"""Devices and their alerts in the caller's area. POST registers a device and answers its token
once (`token`); `revoke` takes it out of service. Readings do not come in here: door sensors publish
over MQTT and cameras post to /devices/hook/<serial>/<token>/ (docs/devices.md)."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from wangge.accounts.http import api_user
from wangge.core.api import QueryFilter, ScopedPrimaryKeyField, ScopedViewSet
from wangge.core.origin import Origin
from wangge.devices.models import Device, DeviceAlert
from wangge.devices.services import DeviceData, device_register, device_revoke
from wangge.measures.models import PersonMeasure


class DeviceSerializer(serializers.ModelSerializer):
    in_service = serializers.BooleanField(read_only=True)

    class Meta:
        model = Device
        fields = [
            "id",
            "household",
            "measure",
            "kind",
            "vendor",
            "serial",
            "token_prefix",
            "registered_at",
            "revoked_at",
            "in_service",
            "last_seen_at",
            "battery",
        ]


class DeviceWriteSerializer(serializers.Serializer):
    measure = ScopedPrimaryKeyField(queryset=PersonMeasure.objects.all())
    kind = serializers.ChoiceField(choices=Device.Kind.choices)
    vendor = serializers.CharField(max_length=60)
    serial = serializers.CharField(max_length=64)


class DeviceCreatedSerializer(DeviceSerializer):
    token = serializers.CharField(read_only=True)

    class Meta(DeviceSerializer.Meta):
        fields = [*DeviceSerializer.Meta.fields, "token"]


class DeviceAlertSerializer(serializers.ModelSerializer):
    delay_seconds = serializers.SerializerMethodField()

    class Meta:
        model = DeviceAlert
        fields = [
            "id",
            "household",
            "device",
            "measure",
            "kind",
            "first_event_at",
            "last_event_at",
            "raised_at",
            "delay_seconds",
            "event_count",
            "event",
        ]

    def get_delay_seconds(self, alert: DeviceAlert) -> float | None:
        return alert.delay.total_seconds() if alert.delay is not None else None


class DeviceViewSet(ScopedViewSet):
    """居家设备 (door sensors, cameras) in the caller's area."""

    model = Device
    serializer_class = DeviceSerializer
    query_filters = (
        QueryFilter("household", ("household",), "住户编号 / household id"),
        QueryFilter("grid", ("household__grid",), "网格编号 / grid id"),
        QueryFilter("kind", ("kind",), "类型 / kind", str, Device.Kind.values),
    )

    @extend_schema(request=DeviceWriteSerializer, responses={201: DeviceCreatedSerializer})
    def create(self, request: Request) -> Response:
        given = DeviceWriteSerializer(data=request.data, context={"request": request})
        given.is_valid(raise_exception=True)
        device, token = device_register(
            by=api_user(request),
            data=DeviceData(**given.validated_data),
            origin=Origin.from_request(request),
        )
        data = {**DeviceSerializer(device).data, "token": token}
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: DeviceSerializer})
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: Any = None) -> Response:
        device = self.get_object()
        device_revoke(by=api_user(request), device=device, origin=Origin.from_request(request))
        return Response(DeviceSerializer(device).data)


class DeviceAlertViewSet(ScopedViewSet):
    """设备报警: intrusions (merged events) and maintenance alerts, newest first."""

    model = DeviceAlert
    serializer_class = DeviceAlertSerializer
    query_filters = (
        QueryFilter("household", ("household",), "住户编号 / household id"),
        QueryFilter("kind", ("kind",), "类别 / kind", str, DeviceAlert.Kind.values),
    )
