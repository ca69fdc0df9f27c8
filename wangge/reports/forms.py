"""The forms of the upstream tables: a template's upload and its mapping (JSON, docs/reports.md)."""

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

MAPPING_HELP = _(
    '单元格对应，JSON 格式，例如 {"sheet": "日报", "cells": {"B2": "@street", "F2": "@day"}, '
    '"rows": {"name_column": "A", "first": 5, "last": 12, "columns": {"C": "measures.active"}}}'
)


class MappingField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 8, "class": "textarea is-family-monospace"})

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        if not text:
            return None
        try:
            return json.loads(text)
        except ValueError as error:
            raise forms.ValidationError(
                _("不是有效的 JSON：%(error)s / not valid JSON: %(error)s") % {"error": error}
            ) from error

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, (dict, list)):
            return json.dumps(value, ensure_ascii=False, indent=2)
        return value


class TemplateForm(forms.Form):
    name = forms.CharField(label=_("报表名称"), max_length=120)
    recipient = forms.CharField(label=_("报送单位"), max_length=120)
    file = forms.FileField(label=_("模板文件（.xlsx）"))
    mapping = MappingField(label=_("单元格对应"), help_text=MAPPING_HELP)


class MappingForm(forms.Form):
    mapping = MappingField(label=_("单元格对应"), help_text=MAPPING_HELP)
    active = forms.BooleanField(label=_("启用"), required=False)


class FillForm(forms.Form):
    day = forms.DateField(
        label=_("数据日期"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
