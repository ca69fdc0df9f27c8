"""Helpers shared by the command centre's pages."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError


def form_error(form: forms.Form, error: ValidationError | PermissionDenied) -> None:
    """Show a service's refusal on the form: per field when it names fields, else on top."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    elif isinstance(error, ValidationError):
        form.add_error(None, error.messages)
    else:
        form.add_error(None, str(error))


def error_text(error: ValidationError | PermissionDenied) -> str:
    if isinstance(error, ValidationError):
        return "；".join(error.messages)
    return str(error)
