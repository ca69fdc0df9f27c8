"""到访记录: a visitor's scan of a venue code. Kept for tracing for
WANGGE_RETENTION_VISITS_DAYS days, then deleted by a daily task that leaves a tombstone audit entry
(on PostgreSQL the table is partitioned by day and whole past days are dropped, not deleted).

A visit names its visitor by their personal code (the person) when the browser held one, otherwise
by the phone number typed once (sealed, hashed the way the register hashes phones, masked).
A visit that looks impossible (too many in an hour, two venues too far apart too quickly) is
flagged, never refused.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wangge.core.fields import LocalDayField
from wangge.core.scoping import scoped_manager
from wangge.venues.models.register import Venue, VenueQuerySet


class Visit(models.Model):
    venue = models.ForeignKey(
        Venue, on_delete=models.CASCADE, related_name="visits", verbose_name=_("场所")
    )
    at = models.DateTimeField(_("到访时间"), db_index=True)
    # The partition key on PostgreSQL (`core.partitions`): the database's key is (id, day).
    day = LocalDayField(_("到访日期"), of="at")
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="venue_visits",
        verbose_name=_("人员"),
    )
    phone_sealed = models.TextField(blank=True, editable=False)
    phone_hash = models.CharField(max_length=40, blank=True, editable=False)
    phone_masked = models.CharField(_("电话"), max_length=20, blank=True, editable=False)
    address_hash = models.CharField(max_length=40, blank=True, editable=False)
    flag = models.CharField(_("异常"), max_length=200, blank=True)

    objects = scoped_manager(
        VenueQuerySet,
        street_path="venue__grid__community__street",
        community_path="venue__grid__community",
        grid_path="venue__grid",
    )

    class Meta:
        verbose_name = _("到访记录")
        verbose_name_plural = _("到访记录")
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["venue", "at"], name="visit_venue_time"),
            models.Index(fields=["phone_hash", "at"], name="visit_phone_time"),
            models.Index(fields=["person", "at"], name="visit_person_time"),
        ]

    def __str__(self) -> str:
        return f"{self.venue_id} {self.at:%Y-%m-%d %H:%M}"
