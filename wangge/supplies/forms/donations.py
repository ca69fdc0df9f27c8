"""The donation form: the donor and the place, and a formset of lines (item, quantity, lot,
expiry); blank lines are left out."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wangge.core.roles import Action
from wangge.supplies.models import DonorKind, Item, Place


class DonationForm(forms.Form):
    place = forms.ModelChoiceField(label=_("入库库点"), queryset=Place.objects.none())
    receipt_no = forms.CharField(label=_("收据编号"), max_length=40)
    donor_name = forms.CharField(label=_("捐赠方"), max_length=80)
    donor_kind = forms.ChoiceField(label=_("捐赠方类型"), choices=DonorKind.choices)
    phone = forms.CharField(label=_("联系电话"), max_length=40, required=False)
    public = forms.BooleanField(label=_("在感谢名单中公开"), required=False, initial=True)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        places = Place.objects.restrict(user, Action.EDIT).filter(active=True)
        self.fields["place"].queryset = places  # type: ignore[attr-defined]


class LineForm(forms.Form):
    item = forms.ModelChoiceField(label=_("物资"), queryset=Item.objects.none())
    quantity = forms.IntegerField(label=_("数量"), min_value=1, max_value=10_000_000)
    lot = forms.CharField(label=_("批号"), max_length=40, required=False)
    expiry = forms.DateField(
        label=_("有效期至"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, items: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if items is not None:
            self.fields["item"].queryset = items  # type: ignore[attr-defined]


LineFormSet = forms.formset_factory(LineForm, extra=4, max_num=50, min_num=1, validate_min=True)


def lines_of(formset: forms.BaseFormSet) -> list[tuple[Any, int, str, Any]]:
    return [
        (data["item"], data["quantity"], data["lot"], data["expiry"])
        for form in formset.forms
        if form.has_changed() and (data := form.cleaned_data)
    ]
