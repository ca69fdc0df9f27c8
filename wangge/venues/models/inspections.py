"""巡查检查: checklists per kind of venue, inspections made on a phone (one per client id), their
items and photos; and the red and yellow cards (红黄牌) that failed inspections give.

The card rules live in one service (venues/services/cards.py) and read the street's dated
`CardRules`; every change of a card is on the venue's timeline.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wangge.core.scoping import scoped_manager
from wangge.venues.models.register import Venue, VenueKind, VenueQuerySet

_AT_VENUE = {
    "street_path": "venue__grid__community__street",
    "community_path": "venue__grid__community",
    "grid_path": "venue__grid",
}


class ChecklistItem(models.Model):
    """进门测温, 扫码/亮码 …: one thing an inspector checks at venues of a kind."""

    kind = models.ForeignKey(
        VenueKind, on_delete=models.CASCADE, related_name="checklist", verbose_name=_("类别")
    )
    text = models.CharField(_("检查项"), max_length=100)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("检查项")
        verbose_name_plural = _("检查项")
        ordering = ["kind", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "text"], name="checklist_unique_text")
        ]

    def __str__(self) -> str:
        return self.text


class CardRules(models.Model):
    """A street's card rules from a date on: the rules in force on a day are the latest row whose
    `valid_from` is not after it."""

    street = models.ForeignKey(
        "regions.Street",
        on_delete=models.CASCADE,
        related_name="card_rules",
        verbose_name=_("街道"),
    )
    valid_from = models.DateField(_("生效日期"))
    yellow_days = models.PositiveSmallIntegerField(_("黄牌整改期限（天）"), default=3)
    repeat_days = models.PositiveSmallIntegerField(_("再次不合格即红牌的期间（天）"), default=30)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = scoped_manager(street_path="street")

    class Meta:
        verbose_name = _("红黄牌规则")
        verbose_name_plural = _("红黄牌规则")
        ordering = ["street", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["street", "valid_from"], name="card_rules_unique_day")
        ]

    def __str__(self) -> str:
        return f"{self.street_id} {self.valid_from}"


class Inspection(models.Model):
    venue = models.ForeignKey(
        Venue, on_delete=models.CASCADE, related_name="inspections", verbose_name=_("场所")
    )
    client_id = models.CharField(max_length=64, unique=True)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="venue_inspections",
        verbose_name=_("检查人"),
    )
    second_inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("同行检查人"),
    )
    at = models.DateTimeField(_("检查时间"), db_index=True)
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    passed = models.BooleanField(_("合格"))
    is_reinspection = models.BooleanField(_("复查"), default=False)
    note = models.CharField(_("备注"), max_length=500, blank=True)

    objects = scoped_manager(VenueQuerySet, **_AT_VENUE)

    class Meta:
        verbose_name = _("检查记录")
        verbose_name_plural = _("检查记录")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["venue", "-at"], name="inspection_venue_time")]

    def __str__(self) -> str:
        return f"{self.venue_id} {self.at:%Y-%m-%d}"


class InspectionItem(models.Model):
    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="items", verbose_name=_("检查记录")
    )
    text = models.CharField(_("检查项"), max_length=100)
    passed = models.BooleanField(_("合格"))
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("检查项结果")
        verbose_name_plural = _("检查项结果")
        ordering = ["inspection", "pk"]

    def __str__(self) -> str:
        return self.text


class InspectionPhoto(models.Model):
    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="photos", verbose_name=_("检查记录")
    )
    file = models.FileField(_("照片"), upload_to="venues/inspections/%Y/%m/")
    content_type = models.CharField(max_length=40)

    class Meta:
        verbose_name = _("检查照片")
        verbose_name_plural = _("检查照片")

    def __str__(self) -> str:
        return self.file.name


class CardColour(models.TextChoices):
    YELLOW = "yellow", _("黄牌")
    RED = "red", _("红牌")


class Card(models.Model):
    """A yellow card (整改 by `deadline`) or a red card (停业整顿 until a passed re-inspection).
    Open while `closed_at` is empty; a yellow card that turns red is closed by its red card."""

    venue = models.ForeignKey(
        Venue, on_delete=models.CASCADE, related_name="cards", verbose_name=_("场所")
    )
    colour = models.CharField(_("牌色"), max_length=6, choices=CardColour.choices)
    issued_at = models.DateTimeField(_("发牌时间"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发牌人"),
    )
    inspection = models.ForeignKey(
        Inspection,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cards",
        verbose_name=_("依据检查"),
    )
    reason = models.CharField(_("原因"), max_length=300)
    deadline = models.DateField(_("整改期限"), null=True, blank=True)
    previous = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next",
        verbose_name=_("由此升级"),
    )
    closed_at = models.DateTimeField(_("销牌时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("销牌人"),
    )
    closing_inspection = models.ForeignKey(
        Inspection,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="closed_cards",
        verbose_name=_("复查"),
    )
    close_reason = models.CharField(_("销牌原因"), max_length=300, blank=True)

    objects = scoped_manager(VenueQuerySet, **_AT_VENUE)

    class Meta:
        verbose_name = _("红黄牌")
        verbose_name_plural = _("红黄牌")
        ordering = ["-issued_at", "-pk"]
        indexes = [
            models.Index(fields=["venue", "closed_at"], name="card_venue_open"),
            models.Index(fields=["colour", "closed_at", "deadline"], name="card_open_due"),
        ]

    def __str__(self) -> str:
        return f"{self.venue_id} {self.colour}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None
