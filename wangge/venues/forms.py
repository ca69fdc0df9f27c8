"""Forms of the register pages. Grids offered are those the user may edit."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wangge.core.form_fields import model_choice
from wangge.core.roles import Action
from wangge.regions.models import Grid
from wangge.venues.models import PlaceKind, Requirement, Venue, VenueKind, VenueStatus
from wangge.venues.services.register import VenueData


class VenueForm(forms.Form):
    name = forms.CharField(label=_("场所名称"), max_length=100)
    kind = forms.ModelChoiceField(label=_("类别"), queryset=VenueKind.objects.all())
    grid = forms.ModelChoiceField(label=_("网格"), queryset=Grid.objects.none())
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    uscc = forms.CharField(
        label=_("统一社会信用代码"), max_length=40, required=False, help_text=_("18位，可留空")
    )
    responsible_name = forms.CharField(label=_("负责人"), max_length=50, required=False)
    responsible_phone = forms.CharField(label=_("负责人电话"), max_length=40, required=False)
    staff_count = forms.IntegerField(label=_("从业人数"), min_value=0, initial=0)
    latitude = forms.DecimalField(
        label=_("纬度"),
        required=False,
        min_value=Decimal(-90),
        max_value=Decimal(90),
        decimal_places=6,
    )
    longitude = forms.DecimalField(
        label=_("经度"),
        required=False,
        min_value=Decimal(-180),
        max_value=Decimal(180),
        decimal_places=6,
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "grid").queryset = Grid.objects.restrict(
            user, Action.EDIT
        ).select_related("community")

    @staticmethod
    def initial_for(venue: Venue) -> dict[str, Any]:
        initial = {name: getattr(venue, name) for name in VenueForm.base_fields}
        initial["responsible_phone"] = venue.responsible_phone
        return initial

    def data_object(self) -> VenueData:
        return VenueData(**self.cleaned_data)


class VenueFilterForm(forms.Form):
    q = forms.CharField(label=_("搜索"), required=False, max_length=100)
    kind = forms.ModelChoiceField(
        label=_("类别"), queryset=VenueKind.objects.all(), required=False, empty_label=_("全部类别")
    )
    status = forms.ChoiceField(
        label=_("状态"), choices=[("", _("全部"))] + VenueStatus.choices, required=False
    )
    grid = forms.ModelChoiceField(
        label=_("网格"), queryset=Grid.objects.none(), required=False, empty_label=_("全部网格")
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "grid").queryset = Grid.objects.restrict(
            user, Action.VIEW
        ).select_related("community")


class StaffForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    role = forms.CharField(label=_("岗位"), max_length=50, required=False)
    phone = forms.CharField(
        label=_("电话"),
        max_length=40,
        required=False,
        help_text=_("与居民登记的电话相同时自动关联该居民"),
    )


def _street_field(streets: list) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=_("街道"), coerce=int, choices=[(s.pk, s.name) for s in streets]
    )


class CardRulesForm(forms.Form):
    valid_from = forms.DateField(
        label=_("生效日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    yellow_days = forms.IntegerField(label=_("黄牌整改期限（天）"), min_value=1, max_value=30)
    repeat_days = forms.IntegerField(
        label=_("再次不合格即红牌的期间（天）"), min_value=1, max_value=365
    )

    def __init__(self, *args: Any, streets: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {"street": _street_field(streets), **self.fields}


class DisinfectionRuleForm(forms.Form):
    requirement = forms.ChoiceField(label=_("适用"), choices=Requirement.choices)
    place = forms.ChoiceField(label=_("消杀部位"), choices=PlaceKind.choices)
    times_per_day = forms.IntegerField(label=_("每日次数"), min_value=1, max_value=12)
    alert_hour = forms.IntegerField(label=_("提醒时间（时）"), min_value=0, max_value=23)
    active = forms.BooleanField(label=_("启用"), required=False)

    def __init__(self, *args: Any, streets: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {"street": _street_field(streets), **self.fields}
