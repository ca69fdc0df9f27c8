"""Forms of the roster pages: the upload and the export."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wangge.accounts.authority import holds
from wangge.core.roles import Action
from wangge.people.importing.reader import ACCEPTED_SUFFIXES
from wangge.regions.models import Street


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
