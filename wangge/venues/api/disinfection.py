"""消杀记录 over the API: list the logs of one's area (`?day=`, `?building=`, `?venue=`), record
one (JSON, or multipart with the photo as the file `photo`: accepted by its content, EXIF
stripped, like the phone page's). POST answers 201 when stored, 200 when the same
client id was already stored by the caller (the first log again), 409 `client_id_conflict` when it
names someone else's."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from wangge.accounts.http import api_user
from wangge.core.api import IdField, QueryFilter, ScopedViewSet
from wangge.core.api_parsers import ObjectJSONParser
from wangge.core.origin import Origin
from wangge.core.photos import photo_clean
from wangge.core.roles import Action
from wangge.regions.models import Building
from wangge.venues.models import DisinfectionLog, PlaceKind, Venue
from wangge.venues.services.disinfection import ClientIdConflict, LogData, log_record
from wangge.venues.services.disinfection_rules import day_bounds


class DisinfectionLogSerializer(serializers.ModelSerializer):
    has_photo = serializers.SerializerMethodField()

    class Meta:
        model = DisinfectionLog
        fields = [
            "id",
            "client_id",
            "place",
            "building",
            "venue",
            "location",
            "agent",
            "done_at",
            "done_by",
            "done_by_name",
            "has_photo",
        ]
        read_only_fields = fields

    def get_has_photo(self, log: DisinfectionLog) -> bool:
        return bool(log.photo)


class DisinfectionLogWriteSerializer(serializers.Serializer):
    client_id = serializers.CharField(
        max_length=64, help_text="客户端生成的唯一编号；重发同一编号只存一次"
    )
    place = serializers.ChoiceField(choices=PlaceKind.choices)
    building = IdField(required=False, help_text="楼栋编号（与场所二选一）")
    venue = IdField(required=False, help_text="场所编号（与楼栋二选一）")
    location = serializers.CharField(max_length=100, allow_blank=True, default="")
    agent = serializers.CharField(max_length=100)
    done_at = serializers.DateTimeField(required=False, help_text="消杀时间，缺省为接收时间")
    done_by_name = serializers.CharField(max_length=50, allow_blank=True, default="")
    photo = serializers.FileField(
        required=False, help_text="照片（JPEG/PNG/HEIC，按内容识别；仅 multipart）"
    )


DAY = OpenApiParameter(
    "day", OpenApiTypes.DATE, description="北京时间的日期 / the Beijing day, YYYY-MM-DD"
)


def _row(queryset: QuerySet, pk: int | None, field: str, label: str) -> Any:
    if pk is None:
        return None
    row = queryset.filter(pk=pk).first()
    if row is None:
        raise exceptions.ValidationError({field: [f"无此{label} / no such {field}"]})
    return row


class DisinfectionLogViewSet(mixins.CreateModelMixin, ScopedViewSet):
    model = DisinfectionLog
    serializer_class = DisinfectionLogSerializer
    parser_classes = [ObjectJSONParser, MultiPartParser, FormParser]
    query_filters = (
        QueryFilter("building", ("building",), "楼栋编号 / building id"),
        QueryFilter("venue", ("venue",), "场所编号 / venue id"),
    )

    def get_queryset(self) -> QuerySet:
        logs = super().get_queryset()
        raw = self.request.query_params.get("day", "").strip() if self.request else ""
        if raw:
            try:
                start, end = day_bounds(date.fromisoformat(raw))
            except ValueError as error:
                raise exceptions.ValidationError(
                    {"day": ["应为日期 YYYY-MM-DD / must be a date, YYYY-MM-DD"]}
                ) from error
            logs = logs.filter(done_at__gte=start, done_at__lt=end)
        return logs

    @extend_schema(parameters=[DAY])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request={
            "multipart/form-data": DisinfectionLogWriteSerializer,
            "application/json": DisinfectionLogWriteSerializer,
        },
        responses={
            201: DisinfectionLogSerializer,
            200: DisinfectionLogSerializer,
            409: inline_serializer(
                "DisinfectionLogConflict",
                {
                    "code": serializers.CharField(),
                    "client_id": serializers.ListField(child=serializers.CharField()),
                },
            ),
        },
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = self.given(DisinfectionLogWriteSerializer)
        given.is_valid(raise_exception=True)
        values = dict(given.validated_data)
        user = api_user(request)
        building = _row(
            Building.objects.restrict(user, Action.VIEW),
            values.pop("building", None),
            "building",
            "楼栋",
        )
        venue = _row(
            Venue.objects.restrict(user, Action.VIEW), values.pop("venue", None), "venue", "场所"
        )
        client_id = values.pop("client_id")
        upload = values.pop("photo", None)
        try:
            photo = photo_clean(upload) if upload else None
        except ValidationError as error:
            raise exceptions.ValidationError({"photo": error.messages}) from error
        try:
            log, created = log_record(
                by=user,
                data=LogData(building=building, venue=venue, **values),
                client_id=client_id,
                photo=photo,
                origin=Origin.from_request(request),
            )
        except ClientIdConflict as conflict:
            body = {"code": conflict.error_code, **conflict.message_dict}
            return Response(body, status=status.HTTP_409_CONFLICT)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(DisinfectionLogSerializer(log).data, status=code)
