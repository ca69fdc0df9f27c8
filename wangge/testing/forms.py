"""Forms of the testing pages. They parse input; the services validate rules and write."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wangge.accounts.models import User
from wangge.core.form_fields import model_choice
from wangge.regions.models import Community, Grid, Street
from wangge.testing.models import KeyGroup, NucleicRound, OutreachNote, RoundMark, TransportSlot

_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
_DATE = forms.DateInput(attrs={"type": "date"})


class RoundForm(forms.Form):
    name = forms.CharField(label=_("轮次名称"), max_length=100)
    street = forms.ModelChoiceField(label=_("街道"), queryset=Street.objects.none())
    scope = forms.ChoiceField(label=_("范围"), choices=NucleicRound.Scope.choices)
    communities = forms.ModelMultipleChoiceField(
        label=_("社区/村"),
        queryset=Community.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    grids = forms.ModelMultipleChoiceField(
        label=_("网格"), queryset=Grid.objects.none(), required=False
    )
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=_DATETIME)
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=_DATETIME)
    min_age = forms.IntegerField(
        label=_("最低年龄"), required=False, min_value=0, max_value=120, help_text=_("空表示不限")
    )
    note = forms.CharField(label=_("备注"), required=False, max_length=300)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "street").queryset = Street.objects.restrict(user, "edit")
        model_choice(self, "communities").queryset = Community.objects.restrict(user, "edit")
        model_choice(self, "grids").queryset = Grid.objects.restrict(user, "edit").select_related(
            "community"
        )


class SiteForm(forms.Form):
    name = forms.CharField(label=_("采样点"), max_length=80)
    address = forms.CharField(label=_("地址"), required=False, max_length=200)
    capacity_per_hour = forms.IntegerField(label=_("每小时采样能力"), min_value=0)


class MarkForm(forms.Form):
    kind = forms.ChoiceField(label=_("标记"), choices=RoundMark.Kind.choices)
    note = forms.CharField(label=_("说明"), required=False, max_length=200)


class ResultImportForm(forms.Form):
    file = forms.FileField(label=_("检测结果文件"), help_text=_(".xlsx、.xls 或 .csv"))
    round = forms.ModelChoiceField(
        label=_("轮次"),
        queryset=NucleicRound.objects.none(),
        required=False,
        empty_label=_("按采样时间和住址自动归入"),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "round").queryset = NucleicRound.objects.restrict(user, "import")


class DismissForm(forms.Form):
    note = forms.CharField(label=_("说明"), required=False, max_length=200)


class KeyGroupForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    street = forms.ModelChoiceField(label=_("街道"), queryset=Street.objects.none())
    community = forms.ModelChoiceField(
        label=_("社区/村"), queryset=Community.objects.none(), required=False
    )
    kind = forms.ChoiceField(label=_("类别"), choices=KeyGroup.Kind.choices)
    interval_days = forms.IntegerField(label=_("检测周期（天）"), min_value=1, max_value=90)
    venue = forms.CharField(label=_("场所"), required=False, max_length=100)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "street").queryset = Street.objects.restrict(user, "view")
        model_choice(self, "community").queryset = Community.objects.restrict(user, "edit")


class MemberForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    id_number = forms.CharField(
        label=_("证件号码"), max_length=40, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    phone = forms.CharField(
        label=_("手机号"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    employer = forms.CharField(label=_("工作单位"), required=False, max_length=100)
    venue = forms.CharField(label=_("场所/工地"), required=False, max_length=100)
    joined_on = forms.DateField(label=_("加入日期"), required=False, widget=_DATE)


class SpreadsheetForm(forms.Form):
    file = forms.FileField(label=_("表格文件"), help_text=_(".xlsx、.xls 或 .csv"))


class OutreachNoteForm(forms.Form):
    outcome = forms.ChoiceField(label=_("结果"), choices=OutreachNote.Outcome.choices)
    note = forms.CharField(label=_("说明"), required=False, max_length=300)


class SlotForm(forms.Form):
    community = forms.ModelChoiceField(label=_("社区/村"), queryset=Community.objects.none())
    departs_at = forms.DateTimeField(label=_("出发时间"), widget=_DATETIME)
    destination = forms.CharField(label=_("接种点"), max_length=100)
    seats = forms.IntegerField(label=_("座位数"), min_value=1, max_value=60)
    escort = forms.CharField(label=_("带队人员"), required=False, max_length=100)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "community").queryset = Community.objects.restrict(user, "edit")


class BookForm(forms.Form):
    slot = forms.ModelChoiceField(label=_("车次"), queryset=TransportSlot.objects.none())

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "slot").queryset = TransportSlot.objects.restrict(user, "view").order_by(
            "departs_at"
        )
