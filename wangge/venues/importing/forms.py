"""Forms of the venue pages: the upload and the register's export."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wangge.core.exports import EXPORT_REASONS, OTHER_REASON
from wangge.core.form_fields import model_choice
from wangge.core.roles import Action
from wangge.regions.models import Community, Grid, Street
from wangge.venues.importing.reader import ACCEPTED_SUFFIXES


class VenueUploadForm(forms.Form):
    street = forms.ModelChoiceField(label=_("街道"), queryset=Street.objects.none())
    file = forms.FileField(
        label=_("场所文件"),
        help_text=_("Excel（.xlsx、.xls）或 CSV（UTF-8 或 GB18030）"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(sorted(ACCEPTED_SUFFIXES))}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        streets = model_choice(self, "street")
        streets.queryset = Street.objects.restrict(user, Action.IMPORT)
        first = streets.queryset.first()
        if first is not None:
            streets.initial = first.pk


class VenueExportForm(forms.Form):
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

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "community").queryset = Community.objects.restrict(user, Action.EXPORT)
        model_choice(self, "grid").queryset = Grid.objects.restrict(
            user, Action.EXPORT
        ).select_related("community")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("reason") == OTHER_REASON and not data.get("reason_text", "").strip():
            self.add_error(
                "reason_text", _("选“其他”时请写明用途 / describe the purpose when choosing 其他")
            )
        return data
