"""The forms of the sign-in, the residents' reports and the staff's notices. Members are chosen
among the account's own household only; areas among those the staff member may publish to."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wangge.core.identity import IdentityError, parse_phone
from wangge.measures.models import ArrivalReport
from wangge.notify.channels.sms import mobile
from wangge.people.models import Person
from wangge.residents.models import SelfTest
from wangge.teams.forms import TeamChoice
from wangge.teams.models import Skill, Team

NOT_MOBILE = _("请输入能接收短信的手机号码 / enter a mobile number that receives SMS")


class PhoneForm(forms.Form):
    phone = forms.CharField(label=_("手机号码"), max_length=40)

    def clean_phone(self) -> str:
        try:
            phone = mobile(parse_phone(self.cleaned_data["phone"]))
        except IdentityError as error:
            raise ValidationError(NOT_MOBILE) from error
        if not phone:
            raise ValidationError(NOT_MOBILE)
        return phone


class CodeForm(forms.Form):
    code = forms.CharField(label=_("验证码"), max_length=20)


class MemberChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class MemberForm(forms.Form):
    person = MemberChoice(label=_("为谁填报"), queryset=Person.objects.none(), empty_label=None)

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = members  # type: ignore[attr-defined]


DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ArrivalForm(MemberForm):
    origin_province = forms.CharField(label=_("出发地省份"), max_length=30)
    origin_city = forms.CharField(label=_("出发地城市"), max_length=30, required=False)
    origin_district = forms.CharField(label=_("出发地区县"), max_length=30, required=False)
    origin_street = forms.CharField(label=_("出发地街道/乡镇"), max_length=50, required=False)
    departed_on = forms.DateField(label=_("离开出发地日期"), widget=DATE)
    arrived_at = forms.DateTimeField(label=_("抵达时间"), widget=DATETIME)
    transport = forms.ChoiceField(label=_("交通方式"), choices=ArrivalReport.Transport.choices)
    transport_detail = forms.CharField(label=_("车次/航班/车牌"), max_length=50, required=False)
    test_result = forms.ChoiceField(
        label=_("最近核酸结果"),
        choices=[("", "—"), *ArrivalReport.TestResult.choices],
        required=False,
    )
    test_on = forms.DateField(label=_("最近核酸日期"), widget=DATE, required=False)


class SelfTestForm(MemberForm):
    result = forms.ChoiceField(
        label=_("检测结果"), choices=SelfTest.Result.choices, widget=forms.RadioSelect
    )
    tested_at = forms.DateTimeField(label=_("检测时间"), widget=DATETIME, required=False)
    photo = forms.FileField(
        label=_("检测卡照片"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
        required=False,
    )
    client_id = forms.CharField(widget=forms.HiddenInput, max_length=64)


class NoticeForm(forms.Form):
    area = forms.ChoiceField(label=_("发布范围"))
    title = forms.CharField(label=_("标题"), max_length=80)
    text = forms.CharField(
        label=_("内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 6})
    )
    urgent = forms.BooleanField(label=_("紧急（同时以短信发送给该范围的居民）"), required=False)
    expires_at = forms.DateTimeField(label=_("有效期至"), widget=DATETIME, required=False)

    def __init__(self, *args: Any, areas: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = areas  # type: ignore[attr-defined]

    def level_and_area(self) -> tuple[str, int]:
        level, _sep, pk = self.cleaned_data["area"].partition(":")
        return level, int(pk)


def form_errors_add(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal shown on the form: by field where the form has it, else above it."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


class VolunteerForm(MemberForm):
    """报名志愿者 for oneself or a member of the household, to a team of the household's street."""

    team = TeamChoice(label=_("报名队伍"), queryset=Team.objects.none())
    phone = forms.CharField(
        label=_("联系手机号"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
        help_text=_("留空则用登记的手机号"),
    )
    skills = forms.MultipleChoiceField(
        label=_("特长"), choices=Skill.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    availability = forms.CharField(label=_("可服务时间"), max_length=100, required=False)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args: Any, members: Any, teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, members=members, **kwargs)
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]
