"""Messages in the caller's area: compose a draft (POST), preview its audience, send, cancel,
follow its delivery, its acknowledgements and its call list. The SMS provider's receipts come in
at /notify/receipts/<token>/, not here (docs/notify.md)."""

from dataclasses import asdict
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from wangge.accounts.http import api_user
from wangge.core.api import QueryFilter, ScopedViewSet
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.notify.audience import Audience, AudienceError, audience_parse
from wangge.notify.models import Channel, Message, MessageKind, Recipient
from wangge.notify.preview import preview
from wangge.notify.selectors import message_status
from wangge.notify.services import NotifyError, message_cancel, message_create, message_send

SENDABLE_KINDS = [MessageKind.EMERGENCY, MessageKind.NOTICE, MessageKind.REMINDER]


class MessageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Message
        fields = [
            "id",
            "kind",
            "title",
            "text",
            "channels",
            "audience_kind",
            "audience_value",
            "audience_label",
            "status",
            "ack",
            "escalate",
            "mention_after_minutes",
            "call_after_minutes",
            "send_at",
            "created_at",
            "frozen_at",
            "all_sent_at",
            "cancelled_at",
            "recipients_count",
            "unreachable_count",
        ]


class MessageWriteSerializer(serializers.Serializer):
    audience_kind = serializers.CharField(max_length=20)
    audience_value = serializers.CharField(max_length=300, allow_blank=True)
    channels = serializers.ListField(
        child=serializers.ChoiceField(choices=Channel.choices), min_length=1
    )
    text = serializers.CharField()
    kind = serializers.ChoiceField(choices=SENDABLE_KINDS, default=MessageKind.NOTICE)
    title = serializers.CharField(max_length=80, required=False, default="", allow_blank=True)
    ack = serializers.BooleanField(default=False)
    escalate = serializers.BooleanField(default=False)
    mention_after_minutes = serializers.IntegerField(min_value=1, max_value=1440, default=5)
    call_after_minutes = serializers.IntegerField(min_value=2, max_value=2880, default=10)
    send_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class StatusSerializer(serializers.Serializer):
    recipients = serializers.IntegerField()
    sent = serializers.IntegerField()
    delivered = serializers.IntegerField()
    failed = serializers.IntegerField()
    acknowledged = serializers.IntegerField()
    pending = serializers.IntegerField()


class RecipientSerializer(serializers.ModelSerializer):
    class Meta:
        model = Recipient
        fields = [
            "id",
            "person",
            "household",
            "grid",
            "label",
            "phone_masked",
            "unreachable",
            "acknowledged_at",
            "mentioned_at",
            "call_listed_at",
            "called_at",
            "reached_by_phone",
            "call_note",
        ]


def parsed_audience(request: Request, data: dict[str, Any]) -> Audience:
    try:
        return audience_parse(data["audience_kind"], data["audience_value"], by=api_user(request))
    except AudienceError as error:
        raise exceptions.ValidationError(
            {"audience_value": [str(error), *error.candidates]}
        ) from error


class MessageViewSet(ScopedViewSet):
    """通知: messages whose audience lies in the caller's area, newest first."""

    model = Message
    serializer_class = MessageSerializer
    query_filters = (
        QueryFilter("status", ("status",), "状态 / status", str, Message.Status.values),
        QueryFilter("kind", ("kind",), "类别 / kind", str, MessageKind.values),
    )

    def recipients(self, message: Message) -> QuerySet[Recipient]:
        return Recipient.objects.restrict(self.request.user, Action.VIEW).filter(message=message)

    @extend_schema(request=MessageWriteSerializer, responses={201: MessageSerializer})
    def create(self, request: Request) -> Response:
        given = self.given(MessageWriteSerializer)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        audience = parsed_audience(request, data)
        try:
            message = message_create(
                by=api_user(request),
                origin=Origin.from_request(request),
                audience=audience,
                **{k: v for k, v in data.items() if not k.startswith("audience_")},
            )
        except NotifyError as error:
            raise exceptions.ValidationError({"non_field_errors": [str(error)]}) from error
        return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=MessageWriteSerializer,
        responses={200: inline_serializer("Preview", {"counts": serializers.DictField()})},
    )
    @action(detail=False, methods=["post"])
    def preview(self, request: Request) -> Response:
        """Who would get it: recipients per channel, those without a phone, the SMS length and
        parts, those past the per-number daily cap. Nothing is stored."""
        given = self.given(MessageWriteSerializer)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        audience = parsed_audience(request, data)
        result = preview(audience, data["channels"], data["kind"], data["text"])
        return Response(asdict(result))

    @extend_schema(request=None, responses={200: MessageSerializer})
    @action(detail=True, methods=["post"])
    def send(self, request: Request, pk: Any = None) -> Response:
        """Send now; a message with a later `send_at` is scheduled instead."""
        message = self.get_object()
        try:
            message = message_send(
                message, by=api_user(request), origin=Origin.from_request(request)
            )
        except NotifyError as error:
            raise exceptions.ValidationError({"non_field_errors": [str(error)]}) from error
        return Response(MessageSerializer(message).data)

    @extend_schema(request=None, responses={200: MessageSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: Any = None) -> Response:
        message = self.get_object()
        try:
            message = message_cancel(
                message, by=api_user(request), origin=Origin.from_request(request)
            )
        except NotifyError as error:
            raise exceptions.ValidationError({"non_field_errors": [str(error)]}) from error
        return Response(MessageSerializer(message).data)

    @extend_schema(responses={200: StatusSerializer})
    @action(detail=True, methods=["get"], url_path="status")
    def delivery_status(self, request: Request, pk: Any = None) -> Response:
        """Each recipient once, by its best delivery state (see `notify_status`)."""
        return Response(message_status(self.get_object()).as_dict())

    @extend_schema(responses={200: RecipientSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def acknowledgements(self, request: Request, pk: Any = None) -> Response:
        rows = self.recipients(self.get_object()).exclude(acknowledged_at=None)
        page = self.paginate_queryset(rows.order_by("acknowledged_at", "id"))
        return self.get_paginated_response(RecipientSerializer(page, many=True).data)

    @extend_schema(responses={200: RecipientSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def calls(self, request: Request, pk: Any = None) -> Response:
        """The households on the grid workers' call list (not reached after the ladder's time)."""
        rows = self.recipients(self.get_object()).exclude(call_listed_at=None)
        page = self.paginate_queryset(rows.order_by("grid", "household", "id"))
        return self.get_paginated_response(RecipientSerializer(page, many=True).data)
