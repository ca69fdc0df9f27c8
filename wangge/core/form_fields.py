"""A form's field as the class it is, for forms that narrow their choices to the user's scope."""

from typing import TypeVar

from django import forms

_Field = TypeVar("_Field", bound=forms.Field)


def field_of(form: forms.BaseForm, name: str, kind: type[_Field]) -> _Field:
    """`form.fields[name]`, refused unless it is a `kind`."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"{name} is a {type(field).__name__}, not a {kind.__name__}")
    return field


def model_choice(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """The form's model choice field `name` (a multiple choice one too), to set its queryset."""
    return field_of(form, name, forms.ModelChoiceField)


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The form's choice field `name`, to set its choices."""
    return field_of(form, name, forms.ChoiceField)
