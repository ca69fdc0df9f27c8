"""Forms of the five-colour pages. They parse; the services in overrides.py, zones.py and
area_colours.py decide and write."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wangge.core.form_fields import model_choice
from wangge.core.roles import Action
from wangge.regions.choices import AreaRiskColour, HouseholdColour, ZoneKind
from wangge.regions.models import Building, Compound, Grid, Street

DATETIME = forms.DateTimeInput(format="%Y-%m-%dT%H:%M", attrs={"type": "datetime-local"})
DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: per field where the field exists."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            for message in messages:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _reason(label: str = "理由") -> forms.CharField:
    return forms.CharField(label=_(label), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class OverrideForm(forms.Form):
    colour = forms.ChoiceField(label=_("户色"), choices=HouseholdColour.choices)
    reason = _reason()
    expires_at = forms.DateTimeField(label=_("到期时间"), widget=DATETIME)


class LiftForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=300, required=False)


class RequiredLiftForm(forms.Form):
    reason = _reason("解除理由")


class PublicPlanSwitchForm(forms.Form):
    reason = _reason()
    expires_at = forms.DateTimeField(label=_("到期时间"), widget=DATETIME)


class PrintForm(forms.Form):
    version = forms.ChoiceField(
        choices=[("internal", _("内部版")), ("public", _("张贴版"))], required=False
    )
    paper = forms.ChoiceField(choices=[("a4", "A4"), ("a3", "A3")], required=False)


class ZoneForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=ZoneKind.choices)
    name = forms.CharField(label=_("名称"), max_length=80)
    compounds = forms.ModelMultipleChoiceField(
        label=_("小区/楼院"),
        queryset=Compound.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    buildings = forms.ModelMultipleChoiceField(
        label=_("楼栋"),
        queryset=Building.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("整个小区划入时选小区；只划入部分楼栋时选楼栋"),
    )
    starts_at = forms.DateTimeField(
        label=_("开始时间"), required=False, widget=DATETIME, help_text=_("留空为现在")
    )
    planned_end = forms.DateTimeField(label=_("计划解除时间"), required=False, widget=DATETIME)
    reason = forms.CharField(
        label=_("划定依据"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: Any, street: Street, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "compounds").queryset = Compound.objects.restrict(
            user, Action.EDIT
        ).filter(community__street=street)
        model_choice(self, "buildings").queryset = (
            Building.objects.restrict(user, Action.EDIT)
            .filter(compound__community__street=street)
            .select_related("compound")
        )


class AreaColourForm(forms.Form):
    grid = forms.ModelChoiceField(label=_("网格"), queryset=Grid.objects.none(), required=False)
    compound = forms.ModelChoiceField(
        label=_("小区/楼院"), queryset=Compound.objects.none(), required=False
    )
    colour = forms.ChoiceField(label=_("风险颜色"), choices=AreaRiskColour.choices)
    criteria = forms.CharField(
        label=_("判定依据"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    set_on = forms.DateField(label=_("判定日期"), required=False, widget=DATE)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "grid").queryset = Grid.objects.restrict(
            user, Action.EDIT
        ).select_related("community")
        model_choice(self, "compound").queryset = Compound.objects.restrict(user, Action.EDIT)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if bool(data.get("grid")) == bool(data.get("compound")):
            raise forms.ValidationError(
                _("请选择一个网格或一个小区（二选一）/ choose one grid or one compound")
            )
        return data
