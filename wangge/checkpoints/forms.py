"""Forms of the checkpoint pages. Choices of areas and people come from the user's own scope."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wangge.accounts.models import User
from wangge.checkpoints.config import config
from wangge.checkpoints.models import Checkpoint, DoorController
from wangge.checkpoints.models.checkpoints import SHIFT_HOURS
from wangge.checkpoints.rules import Direction
from wangge.checkpoints.services import CheckpointData, DoorData, VisitorData
from wangge.core.form_fields import choice_field, model_choice
from wangge.core.roles import Action
from wangge.regions.models import Building, Community, Compound, Grid

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CheckpointForm(forms.Form):
    name = forms.CharField(label=_("卡点名称"), max_length=80)
    kind = forms.ChoiceField(label=_("类型"), choices=Checkpoint.Kind.choices)
    community = forms.ModelChoiceField(label=_("社区/村"), queryset=Community.objects.none())
    grid = forms.ModelChoiceField(label=_("网格"), queryset=Grid.objects.none(), required=False)
    compound = forms.ModelChoiceField(
        label=_("小区/楼院"), queryset=Compound.objects.none(), required=False
    )
    building = forms.ModelChoiceField(
        label=_("楼栋"), queryset=Building.objects.none(), required=False
    )
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    opens_at = forms.TimeField(label=_("开放时间"), widget=TIME, initial="00:00")
    closes_at = forms.TimeField(
        label=_("关闭时间"), widget=TIME, initial="00:00", help_text=_("与开放时间相同即24小时值守")
    )
    shift_hours = forms.TypedChoiceField(
        label=_("每班时长（小时）"),
        coerce=int,
        choices=[(hours, f"{hours}") for hours in SHIFT_HOURS],
        initial=8,
    )
    staff_per_shift = forms.IntegerField(
        label=_("每班所需人数"), min_value=1, max_value=50, initial=2
    )
    passes_required = forms.BooleanField(label=_("外出查验出入证"), required=False)
    active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "community").queryset = Community.objects.restrict(user, Action.EDIT)
        model_choice(self, "grid").queryset = Grid.objects.restrict(
            user, Action.VIEW
        ).select_related("community")
        model_choice(self, "compound").queryset = Compound.objects.restrict(user, Action.VIEW)
        model_choice(self, "building").queryset = Building.objects.restrict(
            user, Action.VIEW
        ).select_related("compound")

    @staticmethod
    def initial_for(checkpoint: Checkpoint) -> dict[str, Any]:
        return {name: getattr(checkpoint, name) for name in CheckpointForm.base_fields}

    def data_object(self) -> CheckpointData:
        return CheckpointData(**self.cleaned_data)


class ScanForm(forms.Form):
    """The page's form: what the script sends as JSON, and what a browser without it posts."""

    client_id = forms.CharField(widget=forms.HiddenInput, max_length=64)
    direction = forms.ChoiceField(
        label=_("方向"), choices=Direction.choices, widget=forms.RadioSelect, initial=Direction.IN
    )
    temperature = forms.CharField(label=_("体温（°C）"), required=False, max_length=8)
    id_number = forms.CharField(label=_("证件号码"), required=False, max_length=40)
    phone_tail = forms.CharField(label=_("手机尾号（4位）"), required=False, max_length=8)
    code = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200)


class VisitorForm(forms.Form):
    client_id = forms.CharField(widget=forms.HiddenInput, max_length=64)
    name = forms.CharField(label=_("访客姓名"), max_length=50)
    id_number = forms.CharField(label=_("证件号码"), required=False, max_length=40)
    phone = forms.CharField(label=_("联系电话"), required=False, max_length=30)
    purpose = forms.CharField(label=_("来访事由"), max_length=200)
    host_address = forms.CharField(
        label=_("被访地址"), required=False, max_length=200, help_text=_("如 3幢2单元301")
    )
    code_colour = forms.ChoiceField(
        label=_("访客出示的健康码"),
        choices=[("green", _("绿码")), ("yellow", _("黄码")), ("red", _("红码"))],
        widget=forms.RadioSelect,
    )

    def visitor(self) -> VisitorData:
        values = dict(self.cleaned_data)
        values.pop("client_id")
        return VisitorData(**values)


class DayForm(forms.Form):
    day = forms.DateField(label=_("日期"), required=False, widget=DATE)

    def day_or_today(self) -> Any:
        if self.is_valid() and self.cleaned_data["day"]:
            return self.cleaned_data["day"]
        return timezone.localdate()


class PlanForm(forms.Form):
    start = forms.DateField(
        label=_("自"),
        widget=forms.DateInput(attrs={"type": "date", "class": "input"}, format="%Y-%m-%d"),
    )
    days = forms.IntegerField(
        label=_("天数"),
        min_value=1,
        max_value=31,
        initial=7,
        widget=forms.NumberInput(attrs={"class": "input", "style": "max-width: 5rem"}),
    )


class AssignForm(forms.Form):
    member = forms.ChoiceField(label=_("人员"))

    def __init__(self, *args: Any, staff: Any, volunteers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "member").choices = [
            (_("工作人员"), [(f"u{user.pk}", str(user)) for user in staff]),
            (
                _("队伍志愿者"),
                [(f"v{m.pk}", f"{m.name}（{m.team.name}）{m.phone_masked}") for m in volunteers],
            ),
        ]


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("交接内容"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class PassIssueForm(forms.Form):
    building = forms.ModelChoiceField(label=_("楼栋"), queryset=Building.objects.none())
    valid_from = forms.DateField(label=_("生效日期"), widget=DATE)
    valid_until = forms.DateField(label=_("截止日期"), widget=DATE, required=False)
    exits_per_period = forms.IntegerField(label=_("每期外出人次"), min_value=1, max_value=50)
    period_days = forms.IntegerField(label=_("每期天数"), min_value=1, max_value=31)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "valid_from": timezone.localdate(),
                "exits_per_period": config()["PASS_EXITS_PER_PERIOD"],
                "period_days": config()["PASS_PERIOD_DAYS"],
            },
        )
        super().__init__(*args, **kwargs)
        model_choice(self, "building").queryset = Building.objects.restrict(
            user, Action.EDIT
        ).select_related("compound")


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=200)


class DoorForm(forms.Form):
    """A gate's access controller. The password is never shown again: blank keeps it."""

    kind = forms.ChoiceField(label=_("类型"), choices=DoorController.Kind.choices)
    name = forms.CharField(label=_("名称"), max_length=80, help_text=_("如 南门人行门"))
    address = forms.CharField(
        label=_("地址或主题"),
        max_length=200,
        help_text=_("海康设备：http://192.168.1.20；MQTT 继电器：主题，如 zigbee2mqtt/南门门禁"),
    )
    door_no = forms.IntegerField(label=_("门编号"), min_value=1, max_value=255, initial=1)
    directions = forms.ChoiceField(
        label=_("开门方向"), choices=DoorController.Directions.choices, required=False
    )
    username = forms.CharField(label=_("用户名"), max_length=64, required=False)
    password = forms.CharField(
        label=_("密码"),
        max_length=128,
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("保存后不再显示；修改时留空则不变"),
    )
    enabled = forms.BooleanField(label=_("启用"), required=False, initial=True)

    @staticmethod
    def initial_for(controller: DoorController) -> dict[str, Any]:
        names = [name for name in DoorForm.base_fields if name != "password"]
        return {name: getattr(controller, name) for name in names}

    def data_object(self) -> DoorData:
        return DoorData(**self.cleaned_data)
