"""Pieces every app's REST API shares: the scoped viewset, query filters, pagination, the error format.

A viewset reads its rows from `Model.objects.restrict(request.user, "view")`, so whatever lies
outside the caller's scope does not exist for them (404). Writes go through services, which check
`edit` (403) and raise Django's ValidationError, answered as 400 with the messages per field.

Malformed input is refused here, once, before any view code runs: an id in the path that is not a
positive 64-bit integer is 404, an integer filter or body id that is not one is 400 naming the
parameter, a JSON body that is not an object is 400, and every body serializer gets the request in
its context (`ScopedViewSet.given`).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.urls import reverse
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import BaseFilterBackend
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from wangge.core.api_parsers import ObjectJSONParser
from wangge.core.exports import export_download
from wangge.core.jobs.models import Job
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.shortcuts import XLSX

__all__ = ["ObjectJSONParser"]

# The largest id a database column holds (PostgreSQL bigint, SQLite INTEGER).
MAX_ID = 2**63 - 1
NOT_AN_ID = "应为整数编号 / must be an integer id"
ID_OUT_OF_RANGE = f"编号应在 1 到 {MAX_ID} 之间 / id must be between 1 and {MAX_ID}"
NO_SUCH_ID = "无此编号：应为正整数 / no such id: it must be a positive integer"


def integer_id(raw: str) -> int:
    """An id as it comes in a query string: a positive integer a database column can hold.

    Raises ValueError with the bilingual message; `QueryFilter` answers it as 400 for its parameter.
    """
    try:
        value = int(raw)
    except ValueError as error:
        raise ValueError(NOT_AN_ID) from error
    if not 1 <= value <= MAX_ID:
        raise ValueError(ID_OUT_OF_RANGE)
    return value


class IdField(serializers.IntegerField):
    """An id in a request body: a positive integer a database column can hold (else 400)."""

    default_error_messages = {
        "invalid": NOT_AN_ID,
        "min_value": ID_OUT_OF_RANGE,
        "max_value": ID_OUT_OF_RANGE,
        "max_string_length": ID_OUT_OF_RANGE,
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=1, max_value=MAX_ID, **kwargs)


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
    parse: Callable[[str], Any] = integer_id
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
            message = str(error) if self.parse is integer_id else NOT_AN_ID
            raise exceptions.ValidationError({self.param: [message]}) from error
        condition = Q()
        for lookup in self.lookups:
            condition |= Q(**{lookup: value})
        return condition

    def schema(self) -> dict[str, Any]:
        kind: dict[str, Any] = (
            {"type": "integer", "minimum": 1, "maximum": MAX_ID}
            if self.parse is integer_id
            else {"type": "string"}
        )
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
            queryset = queryset.search(text)  # type: ignore[attr-defined]  # searchable views have a search()
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


class ApiViewSet(viewsets.GenericViewSet):
    """What every viewset of the API shares: path ids checked, bodies read with the request."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        """Refuse a path id that no row can have (`null,null`, `1.5`, beyond 64 bits) as 404."""
        super().initial(request, *args, **kwargs)
        raw = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field)
        if raw is not None and self.lookup_field == "pk":
            try:
                integer_id(raw)
            except ValueError as error:
                raise exceptions.NotFound(NO_SUCH_ID) from error

    def given(
        self,
        serializer_class: type[serializers.Serializer],
        instance: models.Model | None = None,
        *,
        partial: bool = False,
    ) -> serializers.Serializer:
        """The request body read by `serializer_class`, with the request in its context."""
        return serializer_class(
            instance, data=self.request.data, partial=partial, context=self.get_serializer_context()
        )


class ScopedViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """List and retrieve the rows of `model` that the caller may see; nothing else exists for them."""

    model: type[models.Model]
    select_related: tuple[str, ...] = ()
    query_filters: tuple[QueryFilter, ...] = ()
    searchable = False
    filter_backends = [QueryFilterBackend]
    pagination_class = Pagination

    def get_queryset(self) -> models.QuerySet:
        queryset = self.model.objects.restrict(self.request.user, Action.VIEW)  # type: ignore[attr-defined]  # a scoped model
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
        return super().get_queryset().restrict(request.user, Action.VIEW)  # type: ignore[union-attr]  # a ScopedQuerySet


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


# The errors any operation may answer with (docs/api.md, "Errors"), documented on each.
ERROR_RESPONSES = {
    "400": '输入有误 / invalid input: `{"field": ["message"]}` or `{"detail": "message"}`',
    "401": "未认证 / no credentials, or a bad, expired or revoked token",
    "403": "无权操作 / the caller may not do this",
    "404": "不存在或不在权限范围内 / no such row in the caller's scope",
}
# What an operation with a request body answers besides: a body in a format it does not read.
BODY_ERROR_RESPONSES = {
    "415": "不支持的请求格式 / the body's Content-Type is not one this operation reads",
}


class ApiSchema(AutoSchema):
    """drf-spectacular's schema, saying what the API answers: the error statuses of every
    operation (415 too where it takes a body), and "paginated" only where a response is (a POST that answers with several rows,
    such as passes issued or shifts planned, returns them as a plain array)."""

    def _get_paginator(self) -> Any:
        if self.method != "GET":
            return None
        return super()._get_paginator()

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        error = {"application/json": {"schema": {"type": "object"}}}
        errors = dict(ERROR_RESPONSES)
        if self.method in ("POST", "PUT", "PATCH"):
            errors.update(BODY_ERROR_RESPONSES)
        for code, description in errors.items():
            responses.setdefault(code, {"description": description, "content": error})
        return responses


def export_answer(job: Job, *, by: Any, origin: Origin) -> HttpResponse:
    """An export action's answer: 200 with the file when the job was written in the request (small
    enough for JOB_INLINE_MAX), else 202 with the job, whose page shows the progress and the
    download to its signed-in owner."""
    if job.status == job.Status.DONE:
        path = export_download(job=job, by=by, origin=origin)
        response = HttpResponse(path.read_bytes(), content_type=XLSX)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(path.name)}"
        return response
    return Response(
        {
            "job": job.pk,
            "status": job.status,
            "url": reverse("core:job", args=[job.pk]),
            "download": reverse("core:job_download", args=[job.pk]),
        },
        status=status.HTTP_202_ACCEPTED,
    )
