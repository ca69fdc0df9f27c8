"""Forms for the registry's dwellings. They parse; `people.services` decides and writes."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wangge.core import crypto
from wangge.core.identity import IdentityError, parse_id_number
from wangge.people.models import Person
from wangge.regions.models import Household


class HouseholdForm(forms.Form):
    """Kind, landlord and note of a household. The landlord is named by their ID number, matched
    through the blind index among the persons the editor may see."""

    kind = forms.ChoiceField(label=_("类型"), choices=Household.Kind.choices)
    landlord_id_number = forms.CharField(
        label=_("房东证件号码"),
        required=False,
        max_length=40,
        help_text=_("更换房东时填写；留空则保持不变"),
    )
    clear_landlord = forms.BooleanField(label=_("清除房东"), required=False)
    note = forms.CharField(
        label=_("备注"), required=False, max_length=200, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, user: Any, household: Household, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"kind": household.kind, "note": household.note})
        super().__init__(*args, **kwargs)
        self.user = user
        self.household = household

    def clean_landlord_id_number(self) -> Person | None:
        raw = self.cleaned_data["landlord_id_number"]
        if not raw.strip():
            return None
        try:
            number = parse_id_number(raw).number
        except IdentityError as error:
            raise ValidationError(str(error)) from error
        landlord = (
            Person.objects.restrict(self.user)
            .filter(id_number_hash=crypto.blind_index(number))
            .first()
        )
        if landlord is None:
            raise ValidationError(
                _("您的辖区内没有该证件号码的人员 / no person with this ID number in your area")
            )
        return landlord

    def landlord(self) -> Person | None:
        """The landlord after this edit: the one named, none if cleared, else the current one."""
        if self.cleaned_data.get("clear_landlord"):
            return None
        return self.cleaned_data.get("landlord_id_number") or self.household.landlord
