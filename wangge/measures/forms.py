"""Forms of the measures pages. They parse; the services decide."""

from datetime import date
from typing import Any, cast

from django import forms
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wangge.accounts.models import User
from wangge.core.form_fields import choice_field, model_choice
from wangge.core.roles import Role
from wangge.measures.models import ArrivalReport, Case, MeasureType, RiskLevel, Symptom
from wangge.measures.services import ClientIdConflict, Team, new_client_id


def add_refusal(form: forms.Form, error: ValidationError | PermissionDenied) -> None:
    """Show why a service refused, at the top of the form."""
    form.add_error(None, error.messages if isinstance(error, ValidationError) else str(error))


class CheckInForm(forms.Form):
    temperature = forms.CharField(
        label=_("体温(°C)"),
        max_length=5,
        widget=forms.TextInput(
            attrs={"inputmode": "decimal", "placeholder": "36.5", "autocomplete": "off"}
        ),
    )
    symptoms = forms.MultipleChoiceField(
        label=_("症状"),
        choices=Symptom.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    symptoms_other = forms.CharField(label=_("其他症状"), max_length=200, required=False)
    client_id = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def refuse_client_id(self, conflict: ClientIdConflict) -> None:
        """The client id names another measure's check-in: say so above the form, and carry a
        fresh client id so that sending the form again records this check-in."""
        self.add_error(None, conflict.messages)
        data = cast(QueryDict, self.data).copy()
        data["client_id"] = new_client_id()
        self.data = data


def _type_choices(on: date) -> list[tuple[Any, str]]:
    types = (
        MeasureType.objects.in_force(on)
        .select_related("rule_set")
        .order_by("rule_set__kind", "rule_set__name", "pk")
    )
    return [("", "—")] + [(t.pk, f"{t.name}（{t.rule_set.name}）") for t in types]


def _staff(role: str) -> Any:
    users = apps.get_model("accounts", "User").objects.filter(is_active=True)
    return users.filter(role_assignments__role=role).distinct().order_by("username")


class TeamFields(forms.Form):
    """三包: pick the team, or leave it to the default (the person's grid's staff)."""

    grid_worker: "forms.ModelChoiceField[User]" = forms.ModelChoiceField(
        label=_("网格员"), queryset=None, required=False
    )
    doctor: "forms.ModelChoiceField[User]" = forms.ModelChoiceField(
        label=_("片医"), queryset=None, required=False
    )
    police: "forms.ModelChoiceField[User]" = forms.ModelChoiceField(
        label=_("片警"), queryset=None, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, role in (
            ("grid_worker", Role.GRID_WORKER),
            ("doctor", Role.DOCTOR),
            ("police", Role.POLICE),
        ):
            model_choice(self, name).queryset = _staff(role)
        self.fields["grid_worker"].help_text = _("留空则按所在网格自动安排包保人员")

    def team(self) -> Team | None:
        members = [self.cleaned_data.get(name) for name in ("grid_worker", "doctor", "police")]
        return Team(*members) if any(members) else None


class AssignForm(TeamFields):
    measure_type = forms.ChoiceField(label=_("措施类型"))
    start = forms.DateField(
        label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reason = forms.CharField(
        label=_("管控原因"),
        max_length=300,
        widget=forms.TextInput(
            attrs={"placeholder": _("如：自某地返回、某病例的密接、所在小区封控")}
        ),
    )
    plan = forms.CharField(
        label=_("管控方案（一人一方案）"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    field_order = ["measure_type", "start", "reason", "plan", "grid_worker", "doctor", "police"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        start = self.data.get("start") if self.is_bound else None
        try:
            on = date.fromisoformat(start) if start else timezone.localdate()
        except ValueError:
            on = timezone.localdate()
        choice_field(self, "measure_type").choices = _type_choices(on)

    def clean_measure_type(self) -> MeasureType:
        return MeasureType.objects.select_related("rule_set").get(
            pk=self.cleaned_data["measure_type"]
        )


class EndForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=300)


class TransferForm(forms.Form):
    destination = forms.CharField(
        label=_("转运去向"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("如：某集中隔离点、某定点医院")}),
    )
    reason = forms.CharField(label=_("转运原因"), max_length=300)
    measure_type = forms.ChoiceField(
        label=_("转运后措施"), required=False, help_text=_("转往医院可留空")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "measure_type").choices = _type_choices(timezone.localdate())

    def clean_measure_type(self) -> MeasureType | None:
        pk = self.cleaned_data.get("measure_type")
        return MeasureType.objects.select_related("rule_set").get(pk=pk) if pk else None


class RiskAreaForm(forms.Form):
    province = forms.CharField(label=_("省"), max_length=30)
    city = forms.CharField(label=_("市"), max_length=30, required=False)
    district = forms.CharField(label=_("区县"), max_length=30, required=False)
    street = forms.CharField(label=_("街道/乡镇"), max_length=50, required=False)
    detail = forms.CharField(label=_("具体范围"), max_length=200, required=False)
    division_code = forms.CharField(label=_("区划代码"), max_length=12, required=False)
    level = forms.ChoiceField(label=_("风险等级"), choices=RiskLevel.choices)
    effective_from = forms.DateField(
        label=_("生效日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    effective_until = forms.DateField(
        label=_("解除日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    source_note = forms.CharField(label=_("来源"), max_length=300, required=False)
    note = forms.CharField(label=_("修改说明"), max_length=200, required=False)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("文件（.xlsx / .xls / .csv）"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.csv"}),
    )


class ArrivalForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    id_number = forms.CharField(label=_("身份证号"), max_length=30)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    origin_province = forms.CharField(label=_("出发地：省"), max_length=30)
    origin_city = forms.CharField(label=_("市"), max_length=30, required=False)
    origin_district = forms.CharField(label=_("区县"), max_length=30, required=False)
    origin_street = forms.CharField(label=_("街道/乡镇"), max_length=50, required=False)
    route = forms.CharField(label=_("途经"), max_length=300, required=False)
    departed_on = forms.DateField(
        label=_("离开出发地日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    arrived_at = forms.DateTimeField(
        label=_("抵达时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    transport = forms.ChoiceField(label=_("交通方式"), choices=ArrivalReport.Transport.choices)
    transport_detail = forms.CharField(label=_("车次/航班/车牌"), max_length=50, required=False)
    test_result = forms.ChoiceField(
        label=_("最近核酸"),
        required=False,
        choices=[
            ("", "—"),
            ("negative", _("阴性")),
            ("positive", _("阳性")),
            ("none", _("未检测")),
        ],
    )
    test_on = forms.DateField(
        label=_("核酸日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    community = forms.ModelChoiceField(
        label=_("目的社区"), queryset=apps.get_model("regions", "Community").objects.none()
    )
    host_address = forms.CharField(label=_("落脚地址"), max_length=200)

    def __init__(self, *args: Any, communities: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        community = apps.get_model("regions", "Community")
        model_choice(self, "community").queryset = communities or community.objects.all()


class ArrivalDecisionForm(TeamFields):
    measure_type = forms.ChoiceField(label=_("落实措施"), required=False)
    reason = forms.CharField(
        label=_("说明"), max_length=300, required=False, help_text=_("未采用建议措施时必填")
    )
    household = forms.ModelChoiceField(
        label=_("落脚户（未登记人员）"),
        queryset=apps.get_model("regions", "Household").objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, on: date, households: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = _type_choices(on)
        choice_field(self, "measure_type").choices = [("", _("无需管控")), *choices[1:]]
        if households is not None:
            model_choice(self, "household").queryset = households

    def clean_measure_type(self) -> MeasureType | None:
        pk = self.cleaned_data.get("measure_type")
        return MeasureType.objects.select_related("rule_set").get(pk=pk) if pk else None


class RuleSetForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=80)
    effective_from = forms.DateField(
        label=_("生效日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    effective_until = forms.DateField(
        label=_("失效日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    source = forms.CharField(label=_("依据"), max_length=300, required=False)


def _numbers(text: str) -> list[int]:
    parts = [part for part in text.replace("，", ",").replace("、", ",").split(",") if part.strip()]
    if not all(part.strip().isdigit() for part in parts):
        raise forms.ValidationError(_("用逗号分隔的天数，如 1,4,7"))
    return [int(part) for part in parts]


class MeasureTypeForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=80)
    category = forms.ChoiceField(label=_("类别"), choices=MeasureType.Category.choices)
    household_colour = forms.ChoiceField(label=_("户色"), choices=MeasureType.Colour.choices)
    applies_to = forms.ChoiceField(
        label=_("适用情形"), choices=MeasureType.AppliesTo.choices, required=False
    )
    duration_days = forms.IntegerField(label=_("天数"), min_value=1, max_value=90)
    test_days = forms.CharField(label=_("核酸检测日"), required=False, help_text=_("如 1,4,7"))
    checkin_times = forms.CharField(
        label=_("打卡时间"), required=False, initial="08:00,16:00", help_text=_("如 08:00,16:00")
    )
    follow_on = forms.ModelChoiceField(
        label=_("期满后接续措施"), queryset=MeasureType.objects.none(), required=False
    )
    release_needs_negative = forms.BooleanField(
        label=_("解除须末次核酸阴性"), required=False, initial=True
    )
    note = forms.CharField(label=_("说明"), max_length=300, required=False)

    def __init__(self, *args: Any, rule_set: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "follow_on").queryset = MeasureType.objects.filter(rule_set=rule_set)

    def clean_test_days(self) -> list[int]:
        return _numbers(self.cleaned_data["test_days"])

    def clean_checkin_times(self) -> list[str]:
        text = self.cleaned_data["checkin_times"].replace("，", ",").replace("、", ",")
        return [part.strip() for part in text.split(",") if part.strip()]


class CaseForm(forms.Form):
    kind = forms.ChoiceField(label=_("病例类别"), choices=Case.Kind.choices)
    reported_on = forms.DateField(
        label=_("报告日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        label=_("说明"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("如：混管阳性后单管复核阳性")}),
    )
