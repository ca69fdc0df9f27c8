"""Forms of the roster pages: the upload and the export."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wangge.accounts.authority import holds
from wangge.core.roles import Action
from wangge.people.exporting import EXPORT_REASONS, OTHER_REASON
from wangge.people.importing.reader import ACCEPTED_SUFFIXES
from wangge.regions.models import Building, Community, Grid, Street


class RosterUploadForm(forms.Form):
    street = forms.CharField(label=_("街道"), max_length=50)
    file = forms.FileField(
        label=_("花名册文件"),
        help_text=_("Excel（.xlsx、.xls）或 CSV（UTF-8 或 GB18030）"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(sorted(ACCEPTED_SUFFIXES))}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        streets = list(Street.objects.restrict(user, Action.IMPORT).values_list("name", flat=True))
        self.may_name_new_street = holds(user, Action.IMPORT, None)
        if streets and not self.may_name_new_street:
            self.fields["street"] = forms.ChoiceField(
                label=_("街道"), choices=[(name, name) for name in streets]
            )
        elif self.may_name_new_street:
            self.fields["street"].help_text = _("可填写新街道的名称，导入时新建")
        if streets:
            self.fields["street"].initial = streets[0]


class RosterExportForm(forms.Form):
    reason = forms.ChoiceField(label=_("导出用途"), choices=EXPORT_REASONS)
    reason_text = forms.CharField(
        label=_("用途说明"),
        max_length=200,
        required=False,
        help_text=_("写明谁要这份名单、做什么用；选“其他”时必填"),
    )
    community = forms.ModelChoiceField(
        label=_("社区/村"), queryset=Community.objects.none(), required=False
    )
    grid = forms.ModelChoiceField(label=_("网格"), queryset=Grid.objects.none(), required=False)
    building = forms.ModelChoiceField(
        label=_("楼栋"), queryset=Building.objects.none(), required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = Community.objects.restrict(user, Action.EXPORT)
        self.fields["grid"].queryset = Grid.objects.restrict(user, Action.EXPORT).select_related(
            "community"
        )
        self.fields["building"].queryset = Building.objects.restrict(
            user, Action.EXPORT
        ).select_related("compound")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("reason") == OTHER_REASON and not data.get("reason_text", "").strip():
            self.add_error(
                "reason_text", _("选“其他”时请写明用途 / describe the purpose when choosing 其他")
            )
        return data
