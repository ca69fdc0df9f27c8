"""Checklists (read), inspections (create is idempotent per client_id, multipart with photos) and
cards, scoped like the register: a venue's rows reach whoever sees the venue (the register's VIEW
or the inspectors of its area)."""

import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from wangge.accounts.http import api_user
from wangge.core.api import ApiViewSet, IdField, QueryFilter, ScopedViewSet
from wangge.core.api_parsers import ObjectJSONParser
from wangge.core.origin import Origin
from wangge.venues.models import (
    INSPECT,
    Card,
    CardColour,
    ChecklistItem,
    Inspection,
    InspectionItem,
    InspectionPhoto,
    Venue,
    VenueKind,
)
from wangge.venues.services.inspections import (
    InspectionInput,
    ItemResult,
    inspection_record,
)


class ChecklistItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChecklistItem
        fields = ["id", "text", "order", "active"]


class KindChecklistSerializer(serializers.ModelSerializer):
    checklist = ChecklistItemSerializer(many=True, read_only=True)

    class Meta:
        model = VenueKind
        fields = ["id", "name", "synonyms", "order", "checklist"]


class InspectionItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = InspectionItem
        fields = ["text", "passed", "note"]


class InspectionPhotoSerializer(serializers.ModelSerializer):
    class Meta:
        model = InspectionPhoto
        fields = ["id", "content_type"]


class InspectionSerializer(serializers.ModelSerializer):
    items = InspectionItemSerializer(many=True, read_only=True)
    photos = InspectionPhotoSerializer(many=True, read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "venue",
            "client_id",
            "inspector",
            "second_inspector",
            "at",
            "recorded_at",
            "passed",
            "is_reinspection",
            "note",
            "items",
            "photos",
        ]


class ItemWriteSerializer(serializers.Serializer):
    item = IdField()
    passed = serializers.BooleanField()
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ItemsField(serializers.ListField):
    """The answered items: a JSON array in a JSON body, or its text in a multipart form field."""

    child = ItemWriteSerializer()

    def get_value(self, dictionary: Any) -> Any:
        if hasattr(dictionary, "getlist"):  # a form: the array is the text of one field
            return dictionary.get(self.field_name, serializers.empty)
        return super().get_value(dictionary)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str):
            try:
                data = json.loads(data)
            except ValueError as error:
                raise serializers.ValidationError(
                    "检查项应为JSON数组 / items must be a JSON array"
                ) from error
        if not isinstance(data, list):
            raise serializers.ValidationError("检查项应为数组 / items must be an array")
        return super().to_internal_value(data)


class InspectionWriteSerializer(serializers.Serializer):
    venue = IdField()
    client_id = serializers.CharField(max_length=64)
    items = ItemsField()
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    second_inspector = IdField(required=False, allow_null=True)
    at = serializers.DateTimeField(required=False, allow_null=True)
    photos = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class CardSerializer(serializers.ModelSerializer):
    venue_name = serializers.CharField(source="venue.name", read_only=True)
    is_open = serializers.BooleanField(read_only=True)

    class Meta:
        model = Card
        fields = [
            "id",
            "venue",
            "venue_name",
            "colour",
            "issued_at",
            "issued_by",
            "inspection",
            "reason",
            "deadline",
            "previous",
            "is_open",
            "closed_at",
            "closed_by",
            "closing_inspection",
            "close_reason",
        ]


class ChecklistViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """场所类别 with their checklists (the same for every street)."""

    serializer_class = KindChecklistSerializer
    queryset = VenueKind.objects.prefetch_related(
        Prefetch("checklist", queryset=ChecklistItem.objects.order_by("order", "pk"))
    )


class InspectionViewSet(ScopedViewSet):
    """检查记录 of the venues the caller sees. POST records one inspection, once per `client_id`:
    201 when new, 200 with the stored inspection when sent again (multipart: `items` as a JSON
    array in a field, `photos` as files; or a JSON body without photos)."""

    model = Inspection
    serializer_class = InspectionSerializer
    select_related = ("venue",)
    parser_classes = [ObjectJSONParser, MultiPartParser, FormParser]
    query_filters = (
        QueryFilter("venue", ("venue",), "场所编号 / venue id"),
        QueryFilter("inspector", ("inspector",), "检查人编号 / inspector id"),
    )

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().prefetch_related("items", "photos")

    @extend_schema(
        request={
            "multipart/form-data": InspectionWriteSerializer,
            "application/json": InspectionWriteSerializer,
        },
        responses={201: InspectionSerializer, 200: InspectionSerializer},
    )
    def create(self, request: Request) -> Response:
        given = self.given(InspectionWriteSerializer)
        if not given.is_valid():
            return Response({"code": "invalid", **given.errors}, status=400)
        values = given.validated_data
        user = api_user(request)
        venue = Venue.objects.restrict(user, INSPECT).filter(pk=values["venue"]).first()
        if venue is None:
            raise exceptions.ValidationError(
                {"venue": ["无此场所或无权检查 / no such venue to inspect"]}
            )
        data = InspectionInput(
            client_id=values["client_id"],
            items=[ItemResult(i["item"], i["passed"], i["note"]) for i in values["items"]],
            note=values["note"],
            second_inspector_id=values.get("second_inspector"),
            at=values.get("at"),
            photos=values["photos"],
        )
        try:
            inspection, created = inspection_record(
                by=user, venue=venue, data=data, origin=Origin.from_request(request)
            )
        except PermissionDenied as error:
            raise exceptions.PermissionDenied(str(error)) from error
        except ValidationError as error:
            detail = (
                error.message_dict
                if hasattr(error, "error_dict")
                else {"non_field_errors": error.messages}
            )
            code = getattr(error, "error_code", "invalid")
            return Response({"code": code, **detail}, status=400)
        answer = InspectionSerializer(self.get_queryset().get(pk=inspection.pk)).data
        return Response(answer, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


def _flag(raw: str) -> bool:
    return raw == "true"


class CardViewSet(ScopedViewSet):
    """红黄牌 of the venues the caller sees; `open=true` for the cards not closed."""

    model = Card
    serializer_class = CardSerializer
    select_related = ("venue",)
    query_filters = (
        QueryFilter("venue", ("venue",), "场所编号 / venue id"),
        QueryFilter("colour", ("colour",), "牌色 / colour", str, CardColour.values),
        QueryFilter("open", ("closed_at__isnull",), "未销牌 / open", _flag, ["true", "false"]),
    )
