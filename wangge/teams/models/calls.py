"""召集令 and 招募令: a mobilisation call to the confirmed members of some teams in an area (and with a
skill), its posts (卡点值守, 核酸采样秩序, 物资配送: a place, a time and how many people), and one
invite per member asked, answered through a personal link until the deadline.

The link's token is made from the invite's id and the project's key (`services/calls.py`); the
invite stores only the token's SHA-256, by which the answer page finds it.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from wangge.core.fields import optional_fk
from wangge.core.scoping import scoped_manager
from wangge.teams.models.areas import shared_down_manager
from wangge.teams.models.teams import Member, Skill, Team


class CallKind(models.TextChoices):
    MUSTER = "muster", _("召集令")
    RECRUIT = "recruit", _("招募令")


class CallStatus(models.TextChoices):
    OPEN = "open", _("征集中")
    CLOSED = "closed", _("已结束")


class Call(models.Model):
    kind = models.CharField(_("类别"), max_length=8, choices=CallKind.choices)
    title = models.CharField(_("标题"), max_length=80)
    text = models.TextField(_("召集内容"), max_length=1000)
    street = models.ForeignKey(
        "regions.Street", on_delete=models.PROTECT, related_name="+", verbose_name=_("街道")
    )
    community = models.ForeignKey(
        "regions.Community",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("社区/村"),
        help_text=_("留空为全街道"),
    )
    teams = models.ManyToManyField(Team, blank=True, related_name="calls", verbose_name=_("队伍"))
    team_kinds = models.JSONField(_("队伍类别"), default=list, blank=True)
    skill = models.CharField(_("所需技能"), max_length=16, choices=Skill.choices, blank=True)
    deadline = models.DateTimeField(_("响应截止"))
    status = models.CharField(
        _("状态"), max_length=8, choices=CallStatus.choices, default=CallStatus.OPEN
    )
    message = optional_fk("notify.Message", _("通知"), on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField(_("发出时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    # A street-wide call is read in every community of its street (their members are asked); it is
    # changed by the street. Who was asked is read through the members the reader sees.
    objects = shared_down_manager()

    class Meta:
        verbose_name = _("召集令")
        verbose_name_plural = _("召集令")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class CallPost(models.Model):
    """A post of a call (岗位): where, when and how many."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="posts")
    name = models.CharField(_("岗位"), max_length=60)
    place = models.CharField(_("地点"), max_length=100)
    starts_at = models.DateTimeField(_("开始"))
    ends_at = models.DateTimeField(_("结束"))
    needed = models.PositiveIntegerField(_("需要人数"))
    skill = models.CharField(_("所需技能"), max_length=16, choices=Skill.choices, blank=True)

    objects = scoped_manager(street_path="call__street", community_path="call__community")

    class Meta:
        verbose_name = _("岗位")
        verbose_name_plural = _("岗位")
        ordering = ["call", "starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="post_ends_late"),
            models.CheckConstraint(condition=Q(needed__gte=1), name="post_needs_someone"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def hours(self) -> float:
        return max(round((self.ends_at - self.starts_at).total_seconds() / 3600, 1), 0.1)


class Answer(models.TextChoices):
    PENDING = "pending", _("未回复")
    ACCEPTED = "accepted", _("接受")
    DECLINED = "declined", _("婉拒")


class AnswerChannel(models.TextChoices):
    LINK = "link", _("短信链接")
    API = "api", _("接口")


class CallInvite(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="invites")
    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="call_invites", verbose_name=_("队员")
    )
    asked_at = models.DateTimeField(_("通知时间"))
    answer = models.CharField(
        _("回复"), max_length=10, choices=Answer.choices, default=Answer.PENDING
    )
    answered_at = models.DateTimeField(_("回复时间"), null=True, blank=True)
    channel = models.CharField(
        _("回复方式"), max_length=8, choices=AnswerChannel.choices, blank=True
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    message = optional_fk("notify.Message", _("通知"), on_delete=models.SET_NULL, related_name="+")
    post = optional_fk(CallPost, _("岗位"), on_delete=models.SET_NULL, related_name="invites")
    assigned_at = models.DateTimeField(_("分配时间"), null=True, blank=True)

    objects = scoped_manager(street_path="call__street", community_path="call__community")

    class Meta:
        verbose_name = _("召集对象")
        verbose_name_plural = _("召集对象")
        ordering = ["call", "member__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["call", "member"], name="invite_once_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.call} · {self.member}"
