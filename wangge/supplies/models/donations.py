"""捐赠: who gave what (the batches received with the donation), under which receipt number. A
public thank-you list per street names the donors who agreed to it; each donation has a link the
donor can open to see what their gift was issued to (counts per kind of recipient, never names)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wangge.core import crypto
from wangge.core.fields import optional_fk
from wangge.core.masking import mask_phone
from wangge.core.scoping import scoped_manager


class DonorKind(models.TextChoices):
    PERSON = "person", _("个人")
    COMPANY = "company", _("企业")
    ORGANISATION = "organisation", _("社会组织")


class Donation(models.Model):
    street = models.ForeignKey(
        "regions.Street", on_delete=models.PROTECT, related_name="+", verbose_name=_("街道")
    )
    community = optional_fk("regions.Community", _("社区/村"))
    place = models.ForeignKey(
        "supplies.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("入库库点")
    )
    receipt_no = models.CharField(_("收据编号"), max_length=40)
    donor_name = models.CharField(_("捐赠方"), max_length=80)
    donor_kind = models.CharField(_("捐赠方类型"), max_length=16, choices=DonorKind.choices)
    phone_sealed = models.TextField(blank=True, editable=False)
    phone_masked = models.CharField(_("联系电话"), max_length=20, blank=True, editable=False)
    public = models.BooleanField(_("在感谢名单中公开"), default=True)
    received_at = models.DateTimeField(_("接收时间"))
    note = models.CharField(_("备注"), max_length=200, blank=True)
    by = optional_fk(settings.AUTH_USER_MODEL, _("登记人"), on_delete=models.SET_NULL)

    objects = scoped_manager(street_path="street", community_path="community")

    class Meta:
        verbose_name = _("捐赠")
        verbose_name_plural = _("捐赠")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["street", "receipt_no"], name="supplies_donation_receipt_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.receipt_no} {self.donor_name}"

    def set_phone(self, phone: str) -> None:
        """Store the phone (already parsed) sealed and masked."""
        self.phone_sealed = crypto.seal(phone) if phone else ""
        self.phone_masked = mask_phone(phone) if phone else ""

    @property
    def phone(self) -> str:
        return crypto.unseal(self.phone_sealed) if self.phone_sealed else ""
