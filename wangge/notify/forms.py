"""The staff forms of notify: compose a message, record an opt-out, keep a template, register a
grid's robot, import a phone list."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wangge.notify.audience import KINDS
from wangge.notify.models import Channel, MessageKind, Robot
from wangge.regions.models import Grid

SENDABLE_KINDS = [
    (MessageKind.EMERGENCY.value, MessageKind.EMERGENCY.label),
    (MessageKind.NOTICE.value, MessageKind.NOTICE.label),
    (MessageKind.REMINDER.value, MessageKind.REMINDER.label),
]
OPTIONAL_KIND_CHOICES = SENDABLE_KINDS[1:]

AUDIENCE_LABELS = {
    "street": _("全街道"),
    "community": _("社区"),
    "grid": _("网格"),
    "compound": _("小区"),
    "building": _("楼栋"),
    "unit": _("单元"),
    "colour": _("某色户（每户一人）"),
    "tag": _("有某标签的人"),
    "measure": _("某类管控对象"),
    "list": _("保存的名单"),
    "phones": _("导入的手机号名单"),
    "role": _("某角色的工作人员"),
}

# The variables a text may hold (notify.rendering), offered as insert buttons.
VARIABLES = [
    ("{称呼}", _("称呼（姓+先生/女士）")),
    ("{姓名}", _("姓名（打码）")),
    ("{户}", _("户地址")),
    ("{日期}", _("日期")),
    ("{链接}", _("“已收到”链接")),
]


class ComposeForm(forms.Form):
    audience_kind = forms.ChoiceField(
        label=_("发给"), choices=[(kind, AUDIENCE_LABELS[kind]) for kind in KINDS]
    )
    audience_value = forms.CharField(
        label=_("范围"),
        max_length=300,
        required=False,
        help_text=_("区域从街道往下用 / 分隔，如 东社区/第一网格；颜色、标签可加 @区域。"),
    )
    channels = forms.MultipleChoiceField(
        label=_("渠道"),
        choices=Channel.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[Channel.SMS],
    )
    kind = forms.ChoiceField(label=_("类别"), choices=SENDABLE_KINDS, initial=MessageKind.NOTICE)
    title = forms.CharField(label=_("标题"), max_length=80, required=False)
    text = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 5}))
    ack = forms.BooleanField(label=_("请居民点“已收到”"), required=False)
    escalate = forms.BooleanField(label=_("未达升级（群内提醒网格员，再转电话）"), required=False)
    mention_after_minutes = forms.IntegerField(
        label=_("群内提醒（分钟）"), min_value=1, max_value=1440, initial=5
    )
    call_after_minutes = forms.IntegerField(
        label=_("转电话（分钟）"), min_value=2, max_value=2880, initial=10
    )
    send_at = forms.DateTimeField(
        label=_("定时发送"),
        required=False,
        help_text=_("留空即立即发送"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    def audience_fields(self) -> list[Any]:
        return [self[name] for name in ("audience_kind", "audience_value")]

    def option_fields(self) -> list[Any]:
        return [
            self[name]
            for name in (
                "ack",
                "escalate",
                "mention_after_minutes",
                "call_after_minutes",
                "send_at",
            )
        ]


class OptOutForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=OPTIONAL_KIND_CHOICES)
    on = forms.TypedChoiceField(
        label=_("退订"),
        choices=[("1", _("退订")), ("0", _("恢复接收"))],
        coerce=lambda value: value == "1",
    )


class TemplateForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=80)
    kind = forms.ChoiceField(label=_("类别"), choices=SENDABLE_KINDS)
    text = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 5}))


class RobotForm(forms.Form):
    grid: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("网格"), queryset=Grid.objects.none()
    )
    kind = forms.ChoiceField(label=_("类型"), choices=Robot.Kind.choices)
    name = forms.CharField(label=_("群名称"), max_length=80)
    token = forms.CharField(
        label=_("Webhook 令牌"),
        max_length=200,
        widget=forms.PasswordInput,
        help_text=_("钉钉 access_token 或企业微信 key；保存后不再显示"),
    )
    secret = forms.CharField(
        label=_("加签密钥"),
        max_length=200,
        required=False,
        widget=forms.PasswordInput,
        help_text=_("钉钉“加签”时填写"),
    )


class PhoneListForm(forms.Form):
    name = forms.CharField(label=_("名单名称"), max_length=80)
    file = forms.FileField(label=_("表格文件（.xlsx/.csv）"))
