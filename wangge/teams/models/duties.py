"""职责清单 and 党员先锋岗: the positions of a street's (or one community's) duty list, each with its
numbered duties and the people who hold it; a party post is a position flagged 党员先锋岗, held
only by party members or staff, whose members' service (ServiceRecord of kind PARTY_POST) is
recorded against it through `PostService`."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wangge.core.fields import optional_fk
from wangge.teams.models.areas import shared_down_manager
from wangge.teams.models.teams import Member, ServiceRecord


class Position(models.Model):
    street = models.ForeignKey(
        "regions.Street", on_delete=models.PROTECT, related_name="positions", verbose_name=_("街道")
    )
    community = optional_fk(
        "regions.Community", _("社区/村"), related_name="positions", help_text=_("留空为街道岗位")
    )
    name = models.CharField(_("岗位"), max_length=60)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    is_party_post = models.BooleanField(_("党员先锋岗"), default=False)
    place = models.CharField(_("地点"), max_length=100, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = shared_down_manager()

    class Meta:
        verbose_name = _("岗位")
        verbose_name_plural = _("岗位")
        ordering = ["street", "community", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["street", "community", "name"], name="position_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class PositionDuty(models.Model):
    position = models.ForeignKey(
        Position, on_delete=models.CASCADE, related_name="duties", verbose_name=_("岗位")
    )
    text = models.CharField(_("职责"), max_length=300)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("岗位职责")
        verbose_name_plural = _("岗位职责")
        ordering = ["position", "order", "id"]

    def __str__(self) -> str:
        return self.text


class PositionHolderQuerySet(models.QuerySet):
    def active(self) -> "PositionHolderQuerySet":
        today = timezone.localdate()
        return self.filter(Q(ended=None) | Q(ended__gt=today), started__lte=today)


class PositionHolder(models.Model):
    """Who holds a position from a start to an end: a staff user or a team member."""

    position = models.ForeignKey(
        Position, on_delete=models.CASCADE, related_name="holders", verbose_name=_("岗位")
    )
    user = optional_fk(
        settings.AUTH_USER_MODEL,
        _("工作人员"),
        on_delete=models.CASCADE,
        related_name="positions_held",
    )
    member = optional_fk(Member, _("队员"), on_delete=models.CASCADE, related_name="positions_held")
    started = models.DateField(_("开始日期"), default=timezone.localdate)
    ended = models.DateField(_("结束日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PositionHolderQuerySet.as_manager()

    class Meta:
        verbose_name = _("在岗人员")
        verbose_name_plural = _("在岗人员")
        ordering = ["position", "started", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, member=None) | Q(user=None, member__isnull=False),
                name="position_holder_one",
            ),
            models.CheckConstraint(
                condition=Q(ended=None) | Q(ended__gte=F("started")),
                name="position_holder_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["position", "user"],
                condition=Q(ended=None, user__isnull=False),
                name="position_holder_user_once",
            ),
            models.UniqueConstraint(
                fields=["position", "member"],
                condition=Q(ended=None, member__isnull=False),
                name="position_holder_member_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}: {self.name}"

    @property
    def name(self) -> str:
        if self.member_id:
            return self.member.name
        return self.user.full_name or self.user.username


class PostService(models.Model):
    """A party member's service record (服务记录) made at a party post."""

    position = models.ForeignKey(
        Position, on_delete=models.PROTECT, related_name="services", verbose_name=_("党员先锋岗")
    )
    record = models.OneToOneField(
        ServiceRecord,
        on_delete=models.CASCADE,
        related_name="post_service",
        verbose_name=_("服务记录"),
    )

    class Meta:
        verbose_name = _("先锋岗服务记录")
        verbose_name_plural = _("先锋岗服务记录")

    def __str__(self) -> str:
        return f"{self.position}: {self.record}"
