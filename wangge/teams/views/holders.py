"""The holder fields of the 包保 and care forms: one staff user or one serving person."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wangge.accounts.models import User
from wangge.people.models import Person
from wangge.teams.selectors.holders import serving_persons, staff_of_area


class StaffChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.full_name or obj.username


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.name}（{obj.household}）" if obj.household_id else obj.name


class HolderForm(forms.Form):
    """A holder: a staff user or a serving person, exactly one."""

    holder_user = StaffChoice(queryset=User.objects.none(), required=False, label=_("工作人员"))
    holder_person = PersonChoice(
        queryset=Person.objects.none(), required=False, label=_("或居民（楼栋长、党员）")
    )

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["holder_user"].queryset = staff_of_area(user)  # type: ignore[attr-defined]
        self.fields["holder_person"].queryset = serving_persons(user).select_related(  # type: ignore[attr-defined]
            "household__building__compound"
        )

    def clean(self) -> dict:
        data = super().clean() or {}
        if bool(data.get("holder_user")) == bool(data.get("holder_person")):
            raise forms.ValidationError(
                _("请选择一位工作人员或一位居民 / choose one staff user or one person")
            )
        data["holder"] = data.get("holder_user") or data.get("holder_person")
        return data
