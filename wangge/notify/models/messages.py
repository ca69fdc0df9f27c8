"""A message, the audience it was meant for (frozen at send time as recipients), and what residents
and staff keep between messages: templates, saved lists, opt-outs."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wangge.core import crypto
from wangge.core.scoping import scoped_manager


class Channel(models.TextChoices):
    INAPP = "inapp", _("站内")
    SMS = "sms", _("短信")
    DINGTALK = "dingtalk", _("钉钉群")
    WECOM = "wecom", _("企业微信群")
    EMAIL = "email", _("电子邮件")


# Channels whose recipient is a grid's robot group rather than a person.
GROUP_CHANNELS = frozenset({Channel.DINGTALK, Channel.WECOM})


class MessageKind(models.TextChoices):
    EMERGENCY = "emergency", _("紧急通知")
    NOTICE = "notice", _("一般通知")
    REMINDER = "reminder", _("提醒")
    # Made by the escalation ladder: a grid group told which households are not reached.
    ESCALATION = "escalation", _("未达提醒")


# Kinds a resident may opt out of; never an emergency notice.
OPTIONAL_KINDS = frozenset({MessageKind.NOTICE, MessageKind.REMINDER})


class Template(models.Model):
    """A text with variables ({称呼} {户} {日期} {链接}; notify.rendering), kept by a street."""

    street = models.ForeignKey(
        "regions.Street", on_delete=models.CASCADE, related_name="+", verbose_name=_("街道")
    )
    name = models.CharField(_("名称"), max_length=80)
    kind = models.CharField(_("类别"), max_length=12, choices=MessageKind.choices)
    text = models.TextField(_("内容"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager(street_path="street")

    class Meta:
        verbose_name = _("通知模板")
        verbose_name_plural = _("通知模板")
        ordering = ["street", "name"]
        constraints = [
            models.UniqueConstraint(fields=["street", "name"], name="template_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class SavedList(models.Model):
    """Recipients kept under a name: chosen persons, or phones imported from a sheet."""

    street = models.ForeignKey(
        "regions.Street", on_delete=models.CASCADE, related_name="+", verbose_name=_("街道")
    )
    community = models.ForeignKey(
        "regions.Community", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    grid = models.ForeignKey(
        "regions.Grid", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("名称"), max_length=80)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager(street_path="street", community_path="community", grid_path="grid")

    class Meta:
        verbose_name = _("名单")
        verbose_name_plural = _("名单")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class SavedListEntry(models.Model):
    saved_list = models.ForeignKey(SavedList, on_delete=models.CASCADE, related_name="entries")
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    label = models.CharField(max_length=50, blank=True)
    phone_sealed = models.TextField(blank=True)
    phone_hash = models.CharField(max_length=40, blank=True)
    phone_masked = models.CharField(max_length=20, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(person=None) | ~models.Q(phone_sealed=""),
                name="saved_list_entry_person_or_phone",
            )
        ]

    def __str__(self) -> str:
        return self.label or self.phone_masked


class Message(models.Model):
    """What to say, to whom, over which channels. The audience is resolved and frozen into
    `Recipient` rows when the message is sent, so a later change of the register does not change
    who was meant. Scoped by the narrowest area that holds the audience."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SCHEDULED = "scheduled", _("定时")
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已发出")
        CANCELLED = "cancelled", _("已取消")

    street = models.ForeignKey(
        "regions.Street", on_delete=models.PROTECT, related_name="+", verbose_name=_("街道")
    )
    community = models.ForeignKey(
        "regions.Community", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    grid = models.ForeignKey(
        "regions.Grid", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(
        _("类别"), max_length=12, choices=MessageKind.choices, default=MessageKind.NOTICE
    )
    title = models.CharField(_("标题"), max_length=80, blank=True)
    text = models.TextField(_("内容"))
    channels = models.JSONField(_("渠道"), default=list)
    # The audience as asked (notify.audience): a kind and a value, and its label for lists.
    audience_kind = models.CharField(_("对象类型"), max_length=20)
    audience_value = models.CharField(_("对象"), max_length=300, blank=True)
    audience_label = models.CharField(_("对象"), max_length=300, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # Acknowledgement asked of residents ("已收到" link), and the escalation ladder's steps.
    ack = models.BooleanField(_("需回执"), default=False)
    escalate = models.BooleanField(_("未达升级"), default=False)
    mention_after_minutes = models.PositiveSmallIntegerField(_("群内提醒(分钟)"), default=5)
    call_after_minutes = models.PositiveSmallIntegerField(_("转电话(分钟)"), default=10)
    send_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("发送人"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # When the audience was frozen, and when every delivery had left (None until then).
    frozen_at = models.DateTimeField(null=True, blank=True)
    all_sent_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    recipients_count = models.PositiveIntegerField(default=0)
    unreachable_count = models.PositiveIntegerField(default=0)

    objects = scoped_manager(street_path="street", community_path="community", grid_path="grid")

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "send_at"], name="message_due")]

    def __str__(self) -> str:
        return self.title or self.text[:30]


class Recipient(models.Model):
    """One addressee of a message, frozen at send time: a person (their phone as it was then),
    a staff user, or a grid's robot group. `unreachable` when the channel has no address for them.
    Acknowledgement and the escalation ladder are kept here, per recipient."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="recipients")
    person = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    household = models.ForeignKey(
        "regions.Household", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    robot = models.ForeignKey(
        "notify.Robot", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The grid the recipient lives in (or the robot serves): scoping and the escalation ladder.
    grid = models.ForeignKey(
        "regions.Grid", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    label = models.CharField(max_length=80, blank=True)
    phone_sealed = models.TextField(blank=True)
    phone_hash = models.CharField(max_length=40, blank=True)
    phone_masked = models.CharField(max_length=20, blank=True)
    email = models.EmailField(blank=True)
    # Template variables as frozen at send time ({称呼} {户} ...); the link is made per delivery.
    variables = models.JSONField(default=dict, blank=True)
    unreachable = models.BooleanField(default=False)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    mentioned_at = models.DateTimeField(null=True, blank=True)
    call_listed_at = models.DateTimeField(null=True, blank=True)
    called_at = models.DateTimeField(null=True, blank=True)
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reached_by_phone = models.BooleanField(default=False)
    call_note = models.CharField(max_length=200, blank=True)

    objects = scoped_manager(
        street_path="message__street", community_path="grid__community", grid_path="grid"
    )

    class Meta:
        verbose_name = _("接收人")
        verbose_name_plural = _("接收人")
        ordering = ["message", "id"]
        indexes = [
            models.Index(fields=["person"], name="recipient_person"),
            models.Index(fields=["household"], name="recipient_household"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def phone(self) -> str:
        return crypto.unseal(self.phone_sealed) if self.phone_sealed else ""


class OptOut(models.Model):
    """A resident who asked not to get messages of one optional kind (never emergencies)."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=MessageKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("退订")
        verbose_name_plural = _("退订")
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="optout_once_per_kind"),
            models.CheckConstraint(
                condition=~models.Q(kind=MessageKind.EMERGENCY), name="optout_never_emergency"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind}"
