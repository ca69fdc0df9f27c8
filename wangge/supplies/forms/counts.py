"""The forms of a stock count: the filled sheet's upload and the rejection's note."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wangge.core.roles import Action
from wangge.supplies.models import Place


class CountUploadForm(forms.Form):
    place = forms.ModelChoiceField(label=_("库点"), queryset=Place.objects.none())
    file = forms.FileField(
        label=_("填好的盘点表（.xlsx / .csv）"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        places = Place.objects.restrict(user, Action.EDIT).filter(active=True)
        self.fields["place"].queryset = places  # type: ignore[attr-defined]


class RejectForm(forms.Form):
    note = forms.CharField(label=_("驳回原因"), max_length=200)
