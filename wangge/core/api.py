"""Pieces every app's REST API shares: the scoped viewset, query filters, pagination, the error format.

A viewset reads its rows from `Model.objects.restrict(request.user, "view")`, so whatever lies
outside the caller's scope does not exist for them (404). Writes go through services, which check
`edit` (403) and raise Django's ValidationError, answered as 400 with the messages per field.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.db.models import Q
from django.http import Http404
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.filters import BaseFilterBackend
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from wangge.core.roles import Action


class Pagination(PageNumberPagination):
    """`?page=2&page_size=100`; the default size is settings.REST_FRAMEWORK["PAGE_SIZE"]."""

    page_size_query_param = "page_size"
    max_page_size = 500


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's error format, also for Django's ValidationError raised by services.

    400 `{"field": ["message", ...]}` (or `non_field_errors`); others `{"detail": "message"}`.
    """
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        if isinstance(detail, list):
            detail = {"non_field_errors": detail}
        exc = exceptions.ValidationError(detail=detail)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)


@dataclass(frozen=True)
class QueryFilter:
    """One `?param=value` list filter; several lookups are alternatives (OR)."""

    param: str
    lookups: tuple[str, ...]
    description: str
    parse: Callable[[str], Any] = int
    choices: Sequence[str] = ()

    def condition(self, raw: str) -> Q:
        if self.choices and raw not in self.choices:
            allowed = ", ".join(self.choices)
            raise exceptions.ValidationError(
                {self.param: [f"取值应为：{allowed} / must be one of: {allowed}"]}
            )
        try:
            value = self.parse(raw)
        except ValueError as error:
            raise exceptions.ValidationError(
                {self.param: ["应为整数编号 / must be an integer id"]}
            ) from error
        condition = Q()
        for lookup in self.lookups:
            condition |= Q(**{lookup: value})
        return condition

    def schema(self) -> dict[str, Any]:
        kind: dict[str, Any] = {"type": "integer" if self.parse is int else "string"}
        if self.choices:
            kind["enum"] = list(self.choices)
        return {
            "name": self.param,
            "in": "query",
            "required": False,
            "description": self.description,
            "schema": kind,
        }


class QueryFilterBackend(BaseFilterBackend):
    """Applies the viewset's `query_filters` and, when it declares `searchable`, `?q=` search."""

    search_param = "q"

    def filter_queryset(
        self, request: Request, queryset: models.QuerySet, view: Any
    ) -> models.QuerySet:
        for query_filter in getattr(view, "query_filters", ()):
            raw = request.query_params.get(query_filter.param, "").strip()
            if raw:
                queryset = queryset.filter(query_filter.condition(raw))
        text = request.query_params.get(self.search_param, "").strip()
        if getattr(view, "searchable", False) and text:
            queryset = queryset.search(text)
        return queryset

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = [query_filter.schema() for query_filter in getattr(view, "query_filters", ())]
        if getattr(view, "searchable", False):
            parameters.append(
                {
                    "name": self.search_param,
                    "in": "query",
                    "required": False,
                    "description": "姓名、拼音或首字母、证件号或电话末4/6位、地址 / name, pinyin "
                    "or initials, last digits of ID or phone, address",
                    "schema": {"type": "string"},
                }
            )
        return parameters


class ScopedViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """List and retrieve the rows of `model` that the caller may see; nothing else exists for them."""

    model: type[models.Model]
    select_related: tuple[str, ...] = ()
    query_filters: tuple[QueryFilter, ...] = ()
    searchable = False
    filter_backends = [QueryFilterBackend]
    pagination_class = Pagination

    def get_queryset(self) -> models.QuerySet:
        queryset = self.model.objects.restrict(self.request.user, Action.VIEW)
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        return queryset


def import_action() -> Callable[[Callable[..., Response]], Callable[..., Response]]:
    """A list route's `import/`: POST of a multipart upload."""
    return action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[MultiPartParser, FormParser],
    )


class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """A reference by id to a row the caller can see; any other id reads as "does not exist"."""

    def get_queryset(self) -> models.QuerySet:
        request = self.context["request"]
        return super().get_queryset().restrict(request.user, Action.VIEW)


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """How the schema describes `Authorization: Token <key>` (accounts.api_auth)."""

    target_class = "wangge.accounts.api_auth.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>`; 令牌由管理员签发 / issued by an administrator "
            "(manage.py create_api_token)",
        }
