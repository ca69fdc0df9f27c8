"""Forms of the catalogue pages: an item of the street, a place of the street or a community."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wangge.supplies.models import ItemCategory, PickingMode, PlaceKind


class ItemForm(forms.Form):
    street: forms.ModelChoiceField = forms.ModelChoiceField(label=_("街道"), queryset=None)
    name = forms.CharField(label=_("物资名称"), max_length=60)
    category = forms.ChoiceField(label=_("类别"), choices=ItemCategory.choices)
    unit = forms.CharField(label=_("计量单位"), max_length=8, help_text=_("如：个、套、瓶、盒、份"))
    pack_size = forms.IntegerField(
        label=_("每件数量"),
        min_value=1,
        max_value=10**6,
        initial=1,
        help_text=_("一件（箱、包）含多少个计量单位"),
    )
    pack_unit = forms.CharField(label=_("包装单位"), max_length=8, required=False)
    has_expiry = forms.BooleanField(label=_("有有效期"), required=False, initial=True)
    picking = forms.ChoiceField(label=_("先到期先出"), choices=PickingMode.choices)
    household_orderable = forms.BooleanField(label=_("居民可申领"), required=False)
    active = forms.BooleanField(label=_("在用"), required=False, initial=True)

    def __init__(self, *args: Any, streets: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if streets is None:
            del self.fields["street"]
        else:
            self.fields["street"].queryset = streets  # type: ignore[attr-defined]


class PlaceForm(forms.Form):
    area = forms.ChoiceField(label=_("所属街道/社区"), choices=())
    name = forms.CharField(label=_("库点名称"), max_length=60)
    kind = forms.ChoiceField(label=_("类型"), choices=PlaceKind.choices)
    address = forms.CharField(label=_("地址"), max_length=120, required=False)
    checkpoint: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("卡点"), queryset=None, required=False, help_text=_("类型为卡点时必选")
    )
    keeper: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("保管人"), queryset=None, required=False
    )
    active = forms.BooleanField(label=_("在用"), required=False, initial=True)

    def __init__(
        self,
        *args: Any,
        areas: list[tuple[str, str]] | None,
        checkpoints: Any,
        keepers: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if areas is None:
            del self.fields["area"]
        else:
            self.fields["area"].choices = areas  # type: ignore[attr-defined]
        self.fields["checkpoint"].queryset = checkpoints  # type: ignore[attr-defined]
        self.fields["keeper"].queryset = keepers  # type: ignore[attr-defined]
