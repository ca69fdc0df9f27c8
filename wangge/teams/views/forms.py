"""The forms of the 包保 and care pages."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from wangge.teams.models import CallOutcome, CareReason
from wangge.teams.selectors.baobao import BAOBAO_DUTIES
from wangge.teams.views.holders import HolderForm

TARGETS = (("household", _("本户")), ("building", _("本楼栋")), ("grid", _("本网格")))


class AssignForm(HolderForm):
    target = forms.ChoiceField(label=_("包保对象"), choices=TARGETS)
    duty = forms.ChoiceField(
        label=_("职责"), choices=[(duty.value, duty.label) for duty in BAOBAO_DUTIES]
    )


class CarePlanForm(HolderForm):
    reason = forms.ChoiceField(label=_("关爱原因"), choices=CareReason.choices)
    interval_hours = forms.IntegerField(
        label=_("回访间隔（小时）"), min_value=1, max_value=720, initial=24
    )
    note = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea({"rows": 2}))


class CallForm(forms.Form):
    outcome = forms.ChoiceField(label=_("结果"), choices=CallOutcome.choices)
    note = forms.CharField(label=_("情况"), required=False, max_length=500)
    follow_up = forms.CharField(label=_("需要的帮助"), required=False, max_length=500)
    client_id = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)


class EndForm(forms.Form):
    reason = forms.CharField(label=_("原因"), required=False, max_length=200)
