"""The tracing pages' forms: running a trace, dismissing a candidate, naming a contact, taking
the persons of a 协查 list as named."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wangge.tracing.services.trace import MAX_WINDOW_MINUTES


class TraceRunForm(forms.Form):
    window_minutes = forms.IntegerField(
        label=_("时间窗口（分钟）"),
        min_value=1,
        max_value=MAX_WINDOW_MINUTES,
        required=False,
        widget=forms.NumberInput(attrs={"class": "input is-small", "placeholder": _("按场所类别")}),
    )
    hops = forms.TypedChoiceField(
        label=_("追踪层数"),
        choices=[(1, _("仅第一层")), (2, _("两层（含次密接）"))],
        coerce=int,
        initial=2,
    )


class DismissForm(forms.Form):
    reason = forms.CharField(label=_("排除理由"), max_length=200)


class NamedContactForm(forms.Form):
    person = forms.IntegerField(label=_("人员"), error_messages={"required": _("请先选择人员")})
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class NamedListForm(forms.Form):
    vlist = forms.IntegerField(
        label=_("协查名单"), error_messages={"required": _("请选择协查名单")}
    )
