"""Forms of the co-building unit pages; the services hold the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wangge.teams.models import UnitKind


class UnitForm(forms.Form):
    name = forms.CharField(label=_("单位名称"), max_length=100)
    kind = forms.ChoiceField(label=_("单位类别"), choices=UnitKind.choices)
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=30, required=False)
    contact_name = forms.CharField(label=_("联系人"), max_length=50, required=False)
    contact_phone = forms.CharField(
        label=_("联系电话"), max_length=30, required=False, help_text=_("修改时留空则保留原号码")
    )
    contact_user: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("联系人账号"), queryset=None, required=False, help_text=_("包保楼栋记在此账号名下")
    )
    team: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("单位队伍"),
        queryset=None,
        required=False,
        help_text=_("共建单位类的队伍，记录单位下沉人员"),
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args: object, staff: object, teams: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["contact_user"].queryset = staff  # type: ignore[attr-defined]
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]


class LetterForm(forms.Form):
    signed_on = forms.DateField(label=_("签订日期"))
    valid_until = forms.DateField(label=_("有效期至"), required=False)
    commitments = forms.CharField(
        label=_("责任内容"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("留空则使用组织领导、人员追踪等六方面标准条款"),
    )
    scan = forms.FileField(label=_("签字盖章扫描件（PDF或图片）"), required=False)


class BuildingForm(forms.Form):
    building = forms.IntegerField(label=_("楼栋"), min_value=1, max_value=2**62)
