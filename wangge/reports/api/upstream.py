"""The upstream tables over the API: `/api/reports/templates/` (the street's command: list, upload
as multipart, change the mapping, `{id}/file/` the template, `{id}/fill/` a day's table from the
approved communities), `/api/reports/fills/` the tables sent (`{id}/file/` the file), and
`/api/reports/received/` what upstream received about the caller's communities ("back down")."""

from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from wangge.accounts.authority import areas_held
from wangge.accounts.http import api_user
from wangge.core.api import ApiViewSet, Pagination
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.shortcuts import XLSX, xlsx_response
from wangge.regions.models import Street
from wangge.reports.api.serializers import (
    FillAskSerializer,
    FillSerializer,
    ReceivedSerializer,
    TemplateSerializer,
    TemplateUpdateSerializer,
    TemplateUploadSerializer,
)
from wangge.reports.models import UpstreamFill
from wangge.reports.selectors.upstream import received_for, templates_for
from wangge.reports.services.upstream import template_create, template_update, upstream_fill


class TemplateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """上报模板 of the streets whose command the caller is part of."""

    serializer_class = TemplateSerializer
    pagination_class = Pagination

    def get_queryset(self) -> QuerySet:
        return templates_for(self.request.user)  # type: ignore[arg-type]

    @extend_schema(request=TemplateUploadSerializer, responses={201: TemplateSerializer})
    def create(self, request: Request) -> Response:
        """Upload a template (multipart: name, recipient, file, mapping as JSON text), checked
        in a child process and against its mapping; 400 names every problem."""
        given = self.given(TemplateUploadSerializer)
        given.is_valid(raise_exception=True)
        user = api_user(request)
        data = given.validated_data
        street = areas_held(user, Action.EDIT, Street).order_by("pk").first()
        if street is None:
            self.permission_denied(request)
        template = template_create(
            by=user,
            street=street,
            name=data["name"],
            recipient=data["recipient"],
            file_name=data["file"].name,
            content=data["file"].read(),
            mapping=data["mapping"],
            origin=Origin.from_request(request),
        )
        return Response(TemplateSerializer(template).data, status=status.HTTP_201_CREATED)

    create.parser_classes = [MultiPartParser, FormParser]  # type: ignore[attr-defined]

    @extend_schema(request=TemplateUpdateSerializer, responses=TemplateSerializer)
    def update(self, request: Request, pk: str | None = None) -> Response:
        """A new mapping and whether the template is in use."""
        template = self.get_object()
        given = self.given(TemplateUpdateSerializer)
        given.is_valid(raise_exception=True)
        template = template_update(
            by=api_user(request),
            template=template,
            origin=Origin.from_request(request),
            **given.validated_data,
        )
        return Response(TemplateSerializer(template).data)

    @extend_schema(responses={(200, XLSX): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def file(self, request: Request, pk: str | None = None) -> HttpResponse:
        """The template file as uploaded."""
        template = self.get_object()
        return xlsx_response(bytes(template.content), template.file_name)

    @extend_schema(request=FillAskSerializer, responses={201: FillSerializer})
    @action(detail=True, methods=["post"])
    def fill(self, request: Request, pk: str | None = None) -> Response:
        """Fill the template with a day's approved figures and keep it as sent upward."""
        template = self.get_object()
        given = self.given(FillAskSerializer)
        given.is_valid(raise_exception=True)
        made = upstream_fill(
            by=api_user(request),
            template=template,
            day=given.validated_data["day"],
            origin=Origin.from_request(request),
        )
        return Response(FillSerializer(made).data, status=status.HTTP_201_CREATED)


class FillViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """上报记录 of the caller's templates, newest first."""

    serializer_class = FillSerializer
    pagination_class = Pagination

    def get_queryset(self) -> QuerySet:
        templates = templates_for(self.request.user)  # type: ignore[arg-type]
        return (
            UpstreamFill.objects.filter(template__in=templates)
            .select_related("made_by")
            .prefetch_related("areas")
            .defer("content")
        )

    @extend_schema(responses={(200, XLSX): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def file(self, request: Request, pk: str | None = None) -> HttpResponse:
        """The filled table as it was sent."""
        fill = self.get_object()
        return xlsx_response(bytes(UpstreamFill.objects.get(pk=fill.pk).content), fill.file_name)


class ReceivedViewSet(ApiViewSet):
    """上报回看: what upstream received about the communities the caller sees, newest first."""

    queryset = UpstreamFill.objects.none()
    serializer_class = ReceivedSerializer
    pagination_class = None

    @extend_schema(responses=ReceivedSerializer(many=True))
    def list(self, request: Request) -> Response:
        return Response(ReceivedSerializer(received_for(api_user(request)), many=True).data)
