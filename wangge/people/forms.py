"""Forms for persons. They parse input into `PersonData`; `people.services` validates and writes, and
its bilingual ValidationError messages are shown next to the fields they name."""

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wangge.core.exports import EXPORT_REASONS, OTHER_REASON
from wangge.core.form_fields import model_choice
from wangge.core.identity import IdentityError, IdType, Sex, parse_id_number, parse_phone
from wangge.core.roles import Action
from wangge.people.models import Person, Tag
from wangge.people.services import PersonData
from wangge.regions.models import Building, Community, Grid


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError next to the fields it names (else at the top of the form)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


class PersonForm(forms.Form):
    """Create a person, or edit one: on edit, a blank ID number or phone keeps the current one, so
    the form never has to show them unmasked."""

    name = forms.CharField(label=_("姓名"), required=False, max_length=50)
    id_type = forms.ChoiceField(
        label=_("证件类型"), choices=IdType.choices, initial=IdType.RESIDENT
    )
    id_number = forms.CharField(
        label=_("证件号码"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label=_("联系电话"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    clear_phone = forms.BooleanField(label=_("删除电话"), required=False)
    sex = forms.ChoiceField(
        label=_("性别"),
        required=False,
        choices=[("", _("按证件号码"))] + list(Sex.choices),
        help_text=_("居民身份证由证件号码推出"),
    )
    birth_date = forms.DateField(
        label=_("出生日期"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        help_text=_("居民身份证由证件号码推出"),
    )
    ethnicity = forms.CharField(label=_("民族"), required=False, max_length=20)
    residence_type = forms.ChoiceField(label=_("居住类型"), choices=Person.ResidenceType.choices)
    relation = forms.ChoiceField(label=_("与户主关系"), choices=Person.Relation.choices)
    native_place = forms.CharField(label=_("户籍地"), required=False, max_length=200)
    tags = forms.ModelMultipleChoiceField(
        label=_("标签"),
        queryset=Tag.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("备注"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, person: Person | None = None, **kwargs: Any) -> None:
        self.person = person
        if person is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": person.name,
                    "id_type": person.id_type,
                    "sex": person.sex,
                    "birth_date": person.birth_date,
                    "ethnicity": person.ethnicity,
                    "residence_type": person.residence_type,
                    "relation": person.relation,
                    "native_place": person.native_place,
                    "tags": list(person.tags.all()),
                    "note": person.note,
                },
            )
        super().__init__(*args, **kwargs)
        if person is None:
            del self.fields["clear_phone"]
            return
        keep = _("不修改请留空")
        self.fields["id_number"].widget.attrs["placeholder"] = person.id_number_masked
        self.fields["id_number"].help_text = keep
        if person.phone_masked:
            self.fields["phone"].widget.attrs["placeholder"] = person.phone_masked
            self.fields["phone"].help_text = keep
        else:
            del self.fields["clear_phone"]

    def clean(self) -> dict[str, Any]:
        """Report a bad ID number and a bad phone together (the service stops at the first); the
        service validates again and adds what needs the database (an ID already registered)."""
        super().clean()
        data = self.cleaned_data
        checks = (
            (
                "id_number",
                lambda value: parse_id_number(value, data.get("id_type") or IdType.RESIDENT),
            ),
            ("phone", parse_phone),
        )
        for field, parse in checks:
            value = (data.get(field) or "").strip()
            if value:
                try:
                    parse(value)
                except IdentityError as error:
                    self.add_error(field, str(error))
        return data

    def person_arguments(self) -> dict[str, Any]:
        """The facts and tags, as person_create and person_update take them."""
        return {"data": self.person_data(), "tags": list(self.cleaned_data["tags"])}

    def person_data(self) -> PersonData:
        """The facts to hand to person_create/person_update; on edit, a blank ID number or phone
        is None, which keeps the stored value without reading it back."""
        data = self.cleaned_data
        id_number: str | None = data["id_number"].strip()
        phone: str | None = data["phone"].strip()
        if self.person is not None:
            id_number = id_number or None
            if data.get("clear_phone"):
                phone = ""
            elif not phone:
                phone = None
        return PersonData(
            name=data["name"],
            id_type=data["id_type"],
            id_number=id_number,
            phone=phone,
            ethnicity=data["ethnicity"],
            residence_type=data["residence_type"],
            relation=data["relation"],
            native_place=data["native_place"],
            note=data["note"],
            birth_date=data["birth_date"],
            sex=data["sex"],
        )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=Person.Status.choices)
    note = forms.CharField(label=_("说明"), required=False, max_length=200)


REVEAL_REASONS = [
    ("入户核查", _("入户核查")),
    ("联系本人", _("联系本人")),
    ("协查核实", _("协查核实")),
    ("信息更正", _("信息更正")),
]


class RevealForm(forms.Form):
    """Why the full value is needed; every reveal is audited with this reason."""

    reason = forms.ChoiceField(
        label=_("查看理由"), choices=[("", _("选择理由"))] + REVEAL_REASONS, required=False
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"]
        if not reason and settings.WANGGE["REVEAL_REASON_REQUIRED"]:
            raise ValidationError(_("请选择查看理由 / choose a reason"))
        return reason


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
        model_choice(self, "community").queryset = Community.objects.restrict(user, Action.EXPORT)
        model_choice(self, "grid").queryset = Grid.objects.restrict(
            user, Action.EXPORT
        ).select_related("community")
        model_choice(self, "building").queryset = Building.objects.restrict(
            user, Action.EXPORT
        ).select_related("compound")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("reason") == OTHER_REASON and not data.get("reason_text", "").strip():
            self.add_error(
                "reason_text", _("选“其他”时请写明用途 / describe the purpose when choosing 其他")
            )
        return data
