"""疫苗接种: doses per person, outreach to the elderly without a complete course, and the group
transport that takes them to the site (seed 004: cadres drove 18 elderly in 3 trips)."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wangge.core.scoping import scoped_manager

_PERSON_PATHS = {
    "street_path": "person__household__grid__community__street",
    "community_path": "person__household__grid__community",
    "grid_path": "person__household__grid",
}


class VaccinationDose(models.Model):
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="vaccination_doses"
    )
    dose_number = models.PositiveSmallIntegerField(_("剂次"))
    vaccinated_on = models.DateField(_("接种日期"))
    vaccine = models.CharField(_("疫苗"), max_length=60)
    site = models.CharField(_("接种单位"), max_length=100, blank=True)
    completes_course = models.BooleanField(
        _("完成全程"), default=False, help_text=_("该剂次达到该疫苗的全程剂数")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager(**_PERSON_PATHS)

    class Meta:
        verbose_name = _("疫苗接种记录")
        verbose_name_plural = _("疫苗接种记录")
        ordering = ["person", "dose_number"]
        constraints = [
            models.UniqueConstraint(fields=["person", "dose_number"], name="dose_unique_number"),
            models.CheckConstraint(
                condition=models.Q(dose_number__gte=1), name="dose_number_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vaccine} {self.dose_number}"


class OutreachNote(models.Model):
    """What a worker learnt when they called or visited an elderly person about vaccination."""

    class Outcome(models.TextChoices):
        CONTACTED = "contacted", _("已联系")
        BOOKED = "booked", _("已预约")
        CONTRAINDICATED = "contraindicated", _("有禁忌症")
        DECLINED = "declined", _("暂不接种")
        OTHER = "other", _("其他")

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="outreach_notes"
    )
    outcome = models.CharField(_("结果"), max_length=16, choices=Outcome.choices)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager(**_PERSON_PATHS)

    class Meta:
        verbose_name = _("接种动员记录")
        verbose_name_plural = _("接种动员记录")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.outcome}"


class TransportSlot(models.Model):
    """集中接送: one trip to a vaccination site with a number of seats."""

    community = models.ForeignKey(
        "regions.Community", on_delete=models.PROTECT, related_name="+", verbose_name=_("社区/村")
    )
    departs_at = models.DateTimeField(_("出发时间"))
    destination = models.CharField(_("接种点"), max_length=100)
    seats = models.PositiveSmallIntegerField(_("座位数"))
    escort = models.CharField(_("带队人员"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    passengers: "models.ManyToManyField[Any, Any]" = models.ManyToManyField(
        "people.Person", through="TransportPassenger", related_name="+"
    )

    objects = scoped_manager(
        street_path="community__street", community_path="community", grid_path="community__grids"
    )

    class Meta:
        verbose_name = _("集中接送")
        verbose_name_plural = _("集中接送")
        ordering = ["departs_at", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(seats__gte=1), name="slot_seats_positive")
        ]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.departs_at):%m-%d %H:%M} {self.destination}"


class TransportPassenger(models.Model):
    slot = models.ForeignKey(TransportSlot, on_delete=models.CASCADE, related_name="bookings")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("接送人员")
        verbose_name_plural = _("接送人员")
        constraints = [
            models.UniqueConstraint(fields=["slot", "person"], name="slot_passenger_unique")
        ]

    def __str__(self) -> str:
        return f"{self.slot_id}: {self.person_id}"
