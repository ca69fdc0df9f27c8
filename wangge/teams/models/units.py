"""共建单位: the organisations (机关, 企业, 学校 …) that signed a responsibility letter (防控责任书)
with the street or a community and took buildings to answer for (六包一). Their people are the
members of a COBUILDING team (`team`); the buildings they took are people.Assignment rows (duty
COBUILDING, source UNIT, the unit's id), held by the unit's contact as a staff user or a person of
the register. One unit answers for a building at a time."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from wangge.core import crypto
from wangge.core.fields import optional_fk
from wangge.core.masking import mask_phone
from wangge.teams.models.areas import shared_down_manager


class UnitKind(models.TextChoices):
    AGENCY = "agency", _("机关")
    INSTITUTION = "institution", _("事业单位")
    ENTERPRISE = "enterprise", _("企业")
    SCHOOL = "school", _("学校")
    HOSPITAL = "hospital", _("医院")
    ORGANISATION = "organisation", _("社会组织")
    OTHER = "other", _("其他")


class CobuildingUnit(models.Model):
    street = models.ForeignKey(
        "regions.Street",
        on_delete=models.PROTECT,
        related_name="cobuilding_units",
        verbose_name=_("街道"),
    )
    community = optional_fk(
        "regions.Community",
        _("社区/村"),
        related_name="cobuilding_units",
        help_text=_("留空为街道共建单位"),
    )
    name = models.CharField(_("单位名称"), max_length=100)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    kind = models.CharField(_("单位类别"), max_length=12, choices=UnitKind.choices)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone_sealed = models.TextField(blank=True, editable=False)
    contact_phone_masked = models.CharField(
        _("联系电话"), max_length=20, blank=True, editable=False
    )
    contact_user = optional_fk(
        settings.AUTH_USER_MODEL,
        _("联系人账号"),
        related_name="cobuilding_units",
        on_delete=models.SET_NULL,
        help_text=_("包保楼栋记在联系人名下：工作人员账号或登记人员，二选一"),
    )
    contact_person = optional_fk(
        "people.Person",
        _("联系人（登记人员）"),
        related_name="cobuilding_units",
        on_delete=models.SET_NULL,
    )
    team = optional_fk(
        "teams.Team",
        _("单位队伍"),
        related_name="cobuilding_units",
        on_delete=models.SET_NULL,
        help_text=_("共建单位类的队伍，记录单位下沉人员"),
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = shared_down_manager()

    class Meta:
        verbose_name = _("共建单位")
        verbose_name_plural = _("共建单位")
        ordering = ["street", "community", "name"]
        constraints = [
            models.UniqueConstraint(fields=["street", "name"], name="cobuilding_unit_unique_name"),
            models.CheckConstraint(
                condition=Q(contact_user=None) | Q(contact_person=None),
                name="cobuilding_unit_one_contact",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def set_contact_phone(self, phone: str) -> None:
        """Store the phone (already parsed) sealed and masked."""
        self.contact_phone_sealed = crypto.seal(phone) if phone else ""
        self.contact_phone_masked = mask_phone(phone) if phone else ""

    @property
    def contact_phone(self) -> str:
        return crypto.unseal(self.contact_phone_sealed) if self.contact_phone_sealed else ""


class ResponsibilityLetter(models.Model):
    """防控责任书: what the unit committed to, when it signed, until when, and the signed scan."""

    unit = models.ForeignKey(
        CobuildingUnit, on_delete=models.CASCADE, related_name="letters", verbose_name=_("共建单位")
    )
    signed_on = models.DateField(_("签订日期"))
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    commitments = models.TextField(_("责任内容"))
    scan = models.FileField(_("签字盖章扫描件"), upload_to="teams/letters/%Y/%m/", blank=True)
    scan_type = models.CharField(max_length=40, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("防控责任书")
        verbose_name_plural = _("防控责任书")
        ordering = ["unit", "-signed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until=None) | Q(valid_until__gte=F("signed_on")),
                name="letter_valid_after_signed",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.signed_on}"
