"""队伍与队员: the street's teams (红马甲 party members, 蓝衣领 community staff, 绿迷彩 militia,
volunteers, the people of co-building units) and their members, with skills, availability and the
hours they have served.

A team belongs to a street and, usually, to one community; a street-wide team has no community.
A member is a person of the register, a staff user, or neither (a volunteer from outside the
street): the name and phone are kept on the member either way, the phone sealed like every phone.
A member who signed up (public page, residents' channel) waits as PENDING until the community
confirms them; only CONFIRMED members are called, rostered or assigned.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from wangge.core import crypto
from wangge.core.masking import mask_phone
from wangge.core.scoping import ScopedQuerySet, scoped_manager


class TeamKind(models.TextChoices):
    PARTY = "party", _("红马甲（党员）")
    STAFF = "staff", _("蓝衣领（社区工作者）")
    MILITIA = "militia", _("绿迷彩（民兵）")
    VOLUNTEER = "volunteer", _("志愿者")
    COBUILDING = "cobuilding", _("共建单位")


class TeamColour(models.TextChoices):
    RED = "red", _("红")
    BLUE = "blue", _("蓝")
    GREEN = "green", _("绿")
    ORANGE = "orange", _("橙")
    GREY = "grey", _("灰")


KIND_COLOURS = {
    TeamKind.PARTY: TeamColour.RED,
    TeamKind.STAFF: TeamColour.BLUE,
    TeamKind.MILITIA: TeamColour.GREEN,
    TeamKind.VOLUNTEER: TeamColour.ORANGE,
    TeamKind.COBUILDING: TeamColour.GREY,
}


class Skill(models.TextChoices):
    MEDICAL = "medical", _("医护")
    DRIVING = "driving", _("驾驶")
    CARRYING = "carrying", _("搬运配送")
    DATA_ENTRY = "data_entry", _("信息录入")
    ORDER = "order", _("秩序维护")
    PSYCHOLOGY = "psychology", _("心理疏导")
    LANGUAGE = "language", _("外语/方言")
    ELECTRICIAN = "electrician", _("水电维修")
    ELDERLY_CARE = "elderly_care", _("助老服务")


class Team(models.Model):
    name = models.CharField(_("队伍名称"), max_length=60)
    kind = models.CharField(_("类别"), max_length=12, choices=TeamKind.choices)
    colour = models.CharField(_("颜色"), max_length=8, choices=TeamColour.choices)
    street = models.ForeignKey(
        "regions.Street", on_delete=models.PROTECT, related_name="teams", verbose_name=_("街道")
    )
    community = models.ForeignKey(
        "regions.Community",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="teams",
        verbose_name=_("社区/村"),
        help_text=_("留空为街道队伍"),
    )
    description = models.CharField(_("说明"), max_length=200, blank=True)
    open_signup = models.BooleanField(
        _("接受报名"), default=False, help_text=_("居民可通过公开页面或小区码报名加入")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager(street_path="street", community_path="community")

    class Meta:
        verbose_name = _("队伍")
        verbose_name_plural = _("队伍")
        ordering = ["street", "community", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["street", "community", "name"], name="team_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class MemberStatus(models.TextChoices):
    PENDING = "pending", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    DECLINED = "declined", _("未通过")
    LEFT = "left", _("已退出")


class MemberSource(models.TextChoices):
    STAFF = "staff", _("工作人员录入")
    PUBLIC = "public", _("公开报名")
    RESIDENT = "resident", _("小区码报名")
    MIGRATED = "migrated", _("原卡点志愿者")


class MemberQuerySet(ScopedQuerySet):
    def confirmed(self) -> "MemberQuerySet":
        return self.filter(status=MemberStatus.CONFIRMED)


class Member(models.Model):
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="members", verbose_name=_("队伍")
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="team_memberships",
        verbose_name=_("登记人员"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="team_memberships",
        verbose_name=_("工作人员账号"),
    )
    name = models.CharField(_("姓名"), max_length=50)
    phone_sealed = models.TextField(blank=True, editable=False)
    phone_hash = models.CharField(max_length=40, blank=True, editable=False, db_index=True)
    phone_masked = models.CharField(_("联系电话"), max_length=20, blank=True, editable=False)
    skills = models.JSONField(_("技能"), default=list, blank=True)
    availability = models.CharField(
        _("可服务时间"), max_length=100, blank=True, help_text=_("如“工作日晚上、周末全天”")
    )
    party_member = models.BooleanField(_("党员"), default=False)
    status = models.CharField(
        _("状态"), max_length=10, choices=MemberStatus.choices, default=MemberStatus.PENDING
    )
    source = models.CharField(
        _("来源"), max_length=10, choices=MemberSource.choices, default=MemberSource.STAFF
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    joined_at = models.DateTimeField(_("报名时间"), auto_now_add=True)
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = scoped_manager(
        MemberQuerySet, street_path="team__street", community_path="team__community"
    )

    class Meta:
        verbose_name = _("队员")
        verbose_name_plural = _("队员")
        ordering = ["team", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "phone_hash"], condition=~Q(phone_hash=""), name="member_one_phone"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def set_phone(self, phone: str) -> None:
        """Store the phone (already parsed) sealed, hashed and masked."""
        self.phone_sealed = crypto.seal(phone) if phone else ""
        self.phone_hash = crypto.blind_index(phone) if phone else ""
        self.phone_masked = mask_phone(phone) if phone else ""

    @property
    def phone(self) -> str:
        return crypto.unseal(self.phone_sealed) if self.phone_sealed else ""

    @property
    def skill_labels(self) -> list[str]:
        return [str(Skill(code).label) for code in self.skills if code in Skill.values]

    @property
    def hours_served(self) -> float:
        total = self.service_records.aggregate(total=Sum("hours"))["total"]
        return float(total or 0)


class ServiceRecord(models.Model):
    """One stretch of service (服务记录): a shift at a checkpoint, a call answered, a party post's
    duty, a sweep; the member's hours served are their sum."""

    class Kind(models.TextChoices):
        CALL = "call", _("响应召集")
        SHIFT = "shift", _("卡点值守")
        PARTY_POST = "party_post", _("党员先锋岗")
        SWEEP = "sweep", _("扫楼")
        OTHER = "other", _("其他")

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="service_records", verbose_name=_("队员")
    )
    kind = models.CharField(_("类别"), max_length=12, choices=Kind.choices)
    day = models.DateField(_("日期"))
    hours = models.DecimalField(_("时长（小时）"), max_digits=5, decimal_places=1)
    activity = models.CharField(_("内容"), max_length=200)
    source_id = models.PositiveBigIntegerField(_("来源编号"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager(
        street_path="member__team__street", community_path="member__team__community"
    )

    class Meta:
        verbose_name = _("服务记录")
        verbose_name_plural = _("服务记录")
        ordering = ["-day", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="service_hours_positive"),
            models.UniqueConstraint(
                fields=["member", "kind", "source_id"],
                condition=Q(source_id__isnull=False),
                name="service_once_per_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.day} {self.hours}h"
