"""What the supplies pages share: a place looked up in the user's scope (404 outside it) and a
service's refusal shown on its form."""

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404

from wangge.accounts.models import User
from wangge.core.roles import Action
from wangge.supplies.models import Place
from wangge.supplies.selectors.stock import places_for


def place_or_404(user: User, pk: int, action: str = Action.VIEW) -> Place:
    return get_object_or_404(places_for(user, action), pk=pk)


def refusal_add(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal shown on the form: by field where the form has it, else above it."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)
