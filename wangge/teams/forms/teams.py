"""Forms of the teams pages; they parse, the services decide."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wangge.accounts.models import User
from wangge.core.form_fields import model_choice
from wangge.core.roles import Action
from wangge.regions.models import Community
from wangge.teams.models import ServiceRecord, Skill, Team, TeamColour, TeamKind

DATE = forms.DateInput(attrs={"type": "date"})
SKILLS = forms.CheckboxSelectMultiple


class TeamChoice(forms.ModelChoiceField):
    """A team named with its community (or street, for a street-wide team)."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.community.name if obj.community else obj.street.name} · {obj.name}"


class TeamForm(forms.Form):
    name = forms.CharField(label=_("队伍名称"), max_length=60)
    kind = forms.ChoiceField(label=_("类别"), choices=TeamKind.choices)
    community = forms.ModelChoiceField(
        label=_("社区/村"), queryset=Community.objects.none(), required=False
    )
    colour = forms.ChoiceField(
        label=_("颜色"),
        choices=[("", _("按类别"))] + list(TeamColour.choices),
        required=False,
        help_text=_("红马甲为红、蓝衣领为蓝、绿迷彩为绿"),
    )
    description = forms.CharField(label=_("说明"), max_length=200, required=False)
    open_signup = forms.BooleanField(label=_("接受报名"), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "community").queryset = Community.objects.restrict(user, Action.EDIT)


class MemberAddForm(forms.Form):
    person = forms.IntegerField(
        label=_("登记人员编号"), required=False, min_value=1, help_text=_("底册中的人员，可留空")
    )
    user = forms.ModelChoiceField(label=_("工作人员"), queryset=User.objects.none(), required=False)
    name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    skills = forms.MultipleChoiceField(
        label=_("技能"), choices=Skill.choices, required=False, widget=SKILLS
    )
    availability = forms.CharField(label=_("可服务时间"), max_length=100, required=False)
    party_member = forms.BooleanField(label=_("党员"), required=False)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "user").queryset = staff


class MemberEditForm(forms.Form):
    skills = forms.MultipleChoiceField(
        label=_("技能"), choices=Skill.choices, required=False, widget=SKILLS
    )
    availability = forms.CharField(label=_("可服务时间"), max_length=100, required=False)
    party_member = forms.BooleanField(label=_("党员"), required=False)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class DecideForm(forms.Form):
    decision = forms.ChoiceField(choices=[("confirm", _("确认")), ("decline", _("不通过"))])
    reason = forms.CharField(label=_("原因"), max_length=300, required=False)


class ServiceRecordForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=ServiceRecord.Kind.choices)
    day = forms.DateField(label=_("日期"), widget=DATE)
    hours = forms.DecimalField(
        label=_("时长（小时）"), max_digits=4, decimal_places=1, min_value=0.5, max_value=24
    )
    activity = forms.CharField(label=_("内容"), max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"day": timezone.localdate(), "kind": "other"})
        super().__init__(*args, **kwargs)


class SignupForm(forms.Form):
    """The volunteer's sign-up (public page); the residents' portal adds who signs up."""

    team = TeamChoice(label=_("报名队伍"), queryset=Team.objects.none())
    name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.CharField(
        label=_("手机号"), max_length=30, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    skills = forms.MultipleChoiceField(
        label=_("特长"), choices=Skill.choices, required=False, widget=SKILLS
    )
    availability = forms.CharField(
        label=_("可服务时间"),
        max_length=100,
        required=False,
        help_text=_("如“工作日晚上、周末全天”"),
    )
    note = forms.CharField(
        label=_("备注"), max_length=200, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "team").queryset = teams
