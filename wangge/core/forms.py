"""Forms of the shared pages: the audit log's filter and the alert inbox."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wangge.core.exports import EXPORT_REASONS, OTHER_REASON
from wangge.core.models import AuditEntry


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("操作人"), required=False, max_length=150)
    action = forms.ChoiceField(
        label=_("动作"),
        required=False,
        choices=[("", _("全部"))] + list(AuditEntry.Action.choices),
    )
    since = forms.DateField(
        label=_("起始日期"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    until = forms.DateField(
        label=_("截止日期"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    target = forms.CharField(
        label=_("对象"),
        required=False,
        max_length=200,
        help_text=_("名称，或 类型:编号，如 people.person:12"),
    )

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError(
                _("起始日期晚于截止日期 / the start date is after the end date")
            )
        return data


class AlertReadForm(forms.Form):
    """Mark one alert read (alert given) or all unread alerts (no alert)."""

    alert = forms.IntegerField(required=False, min_value=1)


class ExportReasonForm(forms.Form):
    """The purpose every export is asked with (core.exports.EXPORT_REASONS)."""

    reason = forms.ChoiceField(label=_("导出用途"), choices=EXPORT_REASONS)
    reason_text = forms.CharField(label=_("用途说明"), max_length=200, required=False)

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("reason") == OTHER_REASON and not data.get("reason_text", "").strip():
            self.add_error(
                "reason_text", _("选“其他”时请写明用途 / describe the purpose when choosing 其他")
            )
        return data
