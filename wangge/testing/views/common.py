"""Helpers shared by the testing pages: scoped lookups (404 outside scope) and paging."""

from typing import Any, TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest

M = TypeVar("M", bound=Model)
PAGE_SIZE = 100


def visible(model: type[M], request: HttpRequest, pk: int, action: str = "view") -> M:
    """The object if the user may `action` it, else 404: out of scope does not exist."""
    manager: Any = model._default_manager  # a scoped manager
    found = manager.restrict(request.user, action).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def page_of(request: HttpRequest, rows: QuerySet[Any] | list[Any], size: int = PAGE_SIZE) -> Page:
    return Paginator(rows, size).get_page(request.GET.get("page"))
