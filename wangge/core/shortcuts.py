"""Lookups for views: an object through the scoping mechanism, or 404; a date parameter; the rows
of a model a floor above, reached through a foreign key; an import's error report and a workbook
held in memory as downloads."""

from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Model
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.dateparse import parse_date
from django.utils.http import content_disposition_header

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def get_visible_or_404(
    model: type[Model], user: AbstractBaseUser | AnonymousUser, pk: int, action: str = "view"
) -> Any:
    """The object if `user` may perform `action` on it; else 404, so that an id outside the user's
    scope cannot be told apart from one that does not exist."""
    manager: Any = model._default_manager  # a scoped manager
    return get_object_or_404(manager.restrict(user, action), pk=pk)


def date_param(text: str) -> date | None:
    """A YYYY-MM-DD query parameter, or None when it is absent or no date."""
    try:
        return parse_date(text)
    except ValueError:
        return None


def related_rows(model: type[Model], field: str) -> Any:
    """The default manager of the model that `model.field` points to: a floor above names a model
    it may not import through its foreign key (the stubs cannot tell which model that is)."""
    related = model._meta.get_field(field).related_model
    if related is None or isinstance(related, str):
        raise TypeError(f"{model.__name__}.{field} points to no model")
    return related._default_manager


def error_report_download(relative: str, original_name: str) -> FileResponse:
    """An import's error report (stored below MEDIA_ROOT at `relative`), named after the uploaded
    file and never cached; 404 when there is none."""
    path = Path(settings.MEDIA_ROOT) / relative if relative else None
    if path is None or not path.is_file():
        raise Http404
    response = FileResponse(path.open("rb"), as_attachment=True, content_type=XLSX)
    stem = Path(original_name).stem
    response["Content-Disposition"] = (
        content_disposition_header(True, f"{stem}-错误报告.xlsx") or "attachment"
    )
    response["Cache-Control"] = "no-store"
    return response


def xlsx_response(content: bytes, name: str) -> HttpResponse:
    """A workbook held in memory (a template, a filled table) as a download named `name`."""
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, name) or "attachment"
    return response
