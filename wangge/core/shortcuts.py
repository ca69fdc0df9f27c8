"""Lookups for views: an object through the scoping mechanism, or 404; a date parameter; the rows
of a model a floor above, reached through a foreign key."""

from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Model
from django.shortcuts import get_object_or_404
from django.utils.dateparse import parse_date


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
