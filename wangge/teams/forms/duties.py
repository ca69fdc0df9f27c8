"""Forms of the duty list and party post pages; the services hold the rules."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _


class PositionForm(forms.Form):
    name = forms.CharField(label=_("岗位"), max_length=60)
    is_party_post = forms.BooleanField(label=_("党员先锋岗"), required=False)
    place = forms.CharField(label=_("地点"), max_length=100, required=False)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class DutyForm(forms.Form):
    text = forms.CharField(label=_("职责"), max_length=300)


class HolderForm(forms.Form):
    holder = forms.RegexField(label=_("人员"), regex=r"^(user|member)-\d{1,18}$")


class ServiceForm(forms.Form):
    member = forms.IntegerField(label=_("党员"), min_value=1, max_value=2**62)
    day = forms.DateField(label=_("日期"))
    hours = forms.DecimalField(
        label=_("时长（小时）"), max_digits=5, decimal_places=1, min_value=Decimal("0.1")
    )
    activity = forms.CharField(label=_("内容"), max_length=200, required=False)
