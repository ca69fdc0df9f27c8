"""What the teams pages share: objects looked up in the user's scope (404 outside it) and a
service's refusal shown on its form."""

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404

from wangge.accounts.models import User
from wangge.core.roles import Action
from wangge.teams.models import Member, Team


def team_or_404(user: User, pk: int, action: str = Action.VIEW) -> Team:
    return get_object_or_404(
        Team.objects.restrict(user, action).select_related("street", "community"), pk=pk
    )


def member_or_404(user: User, pk: int, action: str = Action.VIEW) -> Member:
    return get_object_or_404(
        Member.objects.restrict(user, action).select_related("team__community", "person", "user"),
        pk=pk,
    )


def refusal_add(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal shown on the form: by field where the form has it, else above it."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)
