"""Small template helpers: the role-aware menu, ages, readable audit changes."""

import json
from datetime import date
from typing import Any

from django import template
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.urls import reverse
from django.utils import timezone

from wangge.core.navigation import menu_for
from wangge.core.scoping import scope_of

register = template.Library()


@register.inclusion_tag("core/_menu.html", takes_context=True)
def main_menu(context: template.Context) -> dict[str, Any]:
    """The role-aware main menu (core/navigation.py)."""
    request = context["request"]
    return {
        "home": reverse("front:home"),
        "path": request.path,
        "groups": menu_for(request.user, request.path),
    }


@register.simple_tag(takes_context=True)
def can(context: template.Context, action: str, obj: Any = None) -> bool:
    """`{% can "edit" person as can_edit %}`: whether the signed-in user may do `action`."""
    request = context.get("request")
    if request is None:
        return False
    if obj is None:
        return not scope_of(request.user, action).empty
    return type(obj)._default_manager.restrict(request.user, action).filter(pk=obj.pk).exists()


_WIDGET_CLASSES = {
    "textarea": "textarea",
    "select": "",
    "selectmultiple": "",
    "checkbox": "",
    "checkboxselectmultiple": "",
    "radioselect": "",
}


@register.filter
def bulma(field: Any) -> str:
    """Render a bound field's widget with Bulma's class for it (input, textarea), red on error."""
    css = _WIDGET_CLASSES.get(field.widget_type, "input")
    if css and field.errors:
        css += " is-danger"
    attrs = {"class": css} if css else {}
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.filter
def age(born: date | None) -> int | str:
    """Full years at today's date in Asia/Shanghai."""
    if not born:
        return ""
    today = timezone.localdate()
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _show(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _field_label(target_type: str, key: str) -> str:
    """The verbose name of `key` on the audited model ("note" → "备注"), else the key itself."""
    try:
        meta = apps.get_model(target_type)._meta
    except (LookupError, ValueError):
        return key
    for name in (key, f"{key}_masked"):
        try:
            field = meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if getattr(field, "verbose_name", None) and not key.endswith("_hash"):
            return str(field.verbose_name)
    return key


@register.filter
def change_rows(entry: Any) -> list[tuple[str, str, str | None]]:
    """An audit entry's changes as (field, value, new value or None) rows.

    An update stores {"field": [old, new]}; every other action stores {"field": value}.
    """
    changes = entry.changes
    if not isinstance(changes, dict):
        return [("", _show(changes), None)]
    pairs = entry.action == "update"
    rows: list[tuple[str, str, str | None]] = []
    for key, value in changes.items():
        label = _field_label(entry.target_type, key)
        if pairs and isinstance(value, list) and len(value) == 2:
            rows.append((label, _show(value[0]), _show(value[1])))
        else:
            rows.append((label, _show(value), None))
    return rows
