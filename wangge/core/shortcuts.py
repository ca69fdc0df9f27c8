"""Lookups for views: an object through the scoping mechanism, or 404; a date parameter."""

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
