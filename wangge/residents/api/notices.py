"""信息发布 over the API. Residents (`/api/my/notices/`): the notices of their household's areas,
newest first with `is_read`; `{id}/read/` records the read receipt (once). Staff
(`/api/residents/notices/`): the notices of their area with read counts and reach, POST one,
`{id}/unread/` the households of their area not yet reached."""

from typing import Any

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from wangge.accounts.http import api_user
from wangge.core.api import IdField, ScopedViewSet
from wangge.core.origin import Origin
from wangge.regions.models import Household
from wangge.residents import report_selectors, services
from wangge.residents.api.base import ResidentViewSet
from wangge.residents.models import Notice

BASE_FIELDS = ["id", "level", "area", "title", "text", "urgent", "expires_at", "published_at"]


class MyNoticeSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area_label", read_only=True)
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notice
        fields = [*BASE_FIELDS, "is_read"]
        read_only_fields = fields


class ReadSerializer(serializers.Serializer):
    notice = serializers.IntegerField(source="notice_id")
    read_at = serializers.DateTimeField()
    created = serializers.BooleanField()


class MyNoticeViewSet(ResidentViewSet):
    """通知公告 of the resident's household."""

    pagination_class = None  # the household's own rows: a plain array
    queryset = Notice.objects.none()  # the path id's type, for OpenAPI; rows come from the account
    serializer_class = MyNoticeSerializer

    @extend_schema(responses=MyNoticeSerializer(many=True))
    def list(self, request: Request) -> Response:
        rows = report_selectors.notices_for(self.account).select_related(
            "street", "community", "grid", "compound"
        )
        return Response(MyNoticeSerializer(rows[:100], many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        notice = report_selectors.notice_or_404(self.account, int(pk))
        return Response(MyNoticeSerializer(notice).data)

    @extend_schema(request=None, responses={201: ReadSerializer, 200: ReadSerializer})
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str) -> Response:
        notice = report_selectors.notice_or_404(self.account, int(pk))
        receipt, created = services.notice_read(account=self.account, notice=notice)
        body = {"notice_id": notice.pk, "read_at": receipt.read_at, "created": created}
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(ReadSerializer(body).data, status=code)


class NoticeSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area_label", read_only=True)
    reads = serializers.SerializerMethodField()
    households = serializers.SerializerMethodField()
    households_read = serializers.SerializerMethodField()
    share = serializers.SerializerMethodField(help_text="已读户数占该范围户数的百分比")

    class Meta:
        model = Notice
        fields = [
            *BASE_FIELDS,
            "message",
            "published_by",
            "reads",
            "households",
            "households_read",
            "share",
        ]
        read_only_fields = fields

    def _reach(self, notice: Notice) -> report_selectors.Reach:
        if not hasattr(notice, "_reach"):
            user = self.context["request"].user
            notice._reach = report_selectors.notice_reach(notice, user)  # type: ignore[attr-defined]
        return notice._reach  # type: ignore[attr-defined]

    def get_reads(self, notice: Notice) -> int:
        return self._reach(notice).reads

    def get_households(self, notice: Notice) -> int:
        return self._reach(notice).households

    def get_households_read(self, notice: Notice) -> int:
        return self._reach(notice).reached

    def get_share(self, notice: Notice) -> float:
        return self._reach(notice).share


class NoticeWriteSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=Notice.Level.choices)
    area = IdField(help_text="该范围（小区、网格、社区或街道）的编号 / the area's id")
    title = serializers.CharField(max_length=80)
    text = serializers.CharField(max_length=2000)
    urgent = serializers.BooleanField(default=False, help_text="紧急：同时以短信发送")
    expires_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class UnreadHouseholdSerializer(serializers.ModelSerializer):
    address = serializers.CharField(source="__str__")

    class Meta:
        model = Household
        fields = ["id", "address", "grid"]
        read_only_fields = fields


class NoticeViewSet(mixins.CreateModelMixin, ScopedViewSet):
    """信息发布 of the staff member's area."""

    model = Notice
    serializer_class = NoticeSerializer
    select_related = ("street", "community", "grid", "compound")

    @extend_schema(request=NoticeWriteSerializer, responses={201: NoticeSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = self.given(NoticeWriteSerializer)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        try:
            notice = services.notice_publish(
                by=api_user(request),
                data=services.NoticeInput(area_id=data.pop("area"), **data),
                origin=Origin.from_request(request),
            )
        except PermissionDenied as error:
            raise exceptions.PermissionDenied(str(error)) from error
        body = NoticeSerializer(notice, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(responses=UnreadHouseholdSerializer(many=True))
    @action(detail=True, methods=["get"])
    def unread(self, request: Request, pk: str) -> Response:
        notice = self.get_object()
        households = report_selectors.households_unread(notice, api_user(request))
        page = self.paginate_queryset(households.order_by("pk"))
        return self.get_paginated_response(UnreadHouseholdSerializer(page, many=True).data)
