"""重点人群定期检测: key groups (construction sites, cold chain, couriers, drivers) tested every N days.

A member may live in the register (then `person` is set) or elsewhere: a worker on a construction
site is registered here by ID number, phone and employer, and lab results find them by ID.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wangge.core import crypto
from wangge.core.fields import SealedIdNumber, optional_fk
from wangge.core.masking import mask_phone
from wangge.core.scoping import scoped_manager


class KeyGroup(models.Model):
    class Kind(models.TextChoices):
        CONSTRUCTION = "construction", _("建筑工地")
        COLD_CHAIN = "cold_chain", _("冷链从业")
        COURIER = "courier", _("快递外卖")
        DRIVER = "driver", _("司机")
        OTHER = "other", _("其他")

    street = models.ForeignKey(
        "regions.Street",
        on_delete=models.PROTECT,
        related_name="key_groups",
        verbose_name=_("街道"),
    )
    community = optional_fk("regions.Community", _("社区/村"))
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类别"), max_length=12, choices=Kind.choices)
    interval_days = models.PositiveSmallIntegerField(_("检测周期（天）"))
    venue = models.CharField(_("场所"), max_length=100, blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager(street_path="street", community_path="community")

    class Meta:
        verbose_name = _("重点人群")
        verbose_name_plural = _("重点人群")
        ordering = ["street", "name"]
        constraints = [
            models.UniqueConstraint(fields=["street", "name"], name="key_group_unique_name"),
            models.CheckConstraint(
                condition=models.Q(interval_days__gte=1), name="key_group_interval"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class KeyGroupMember(SealedIdNumber, models.Model):
    group = models.ForeignKey(
        KeyGroup, on_delete=models.CASCADE, related_name="members", verbose_name=_("重点人群")
    )
    person = optional_fk(
        "people.Person",
        _("在册人员"),
        on_delete=models.SET_NULL,
        related_name="key_group_memberships",
    )
    name = models.CharField(_("姓名"), max_length=50)
    id_number_sealed = models.TextField(editable=False)
    id_number_hash = models.CharField(max_length=40, db_index=True, editable=False)
    id_number_masked = models.CharField(_("证件号码"), max_length=40, editable=False)
    phone_sealed = models.TextField(blank=True, editable=False)
    phone_hash = models.CharField(max_length=40, blank=True, db_index=True, editable=False)
    phone_masked = models.CharField(_("联系电话"), max_length=20, blank=True, editable=False)
    employer = models.CharField(_("工作单位"), max_length=100, blank=True)
    venue = models.CharField(_("场所/工地"), max_length=100, blank=True)
    joined_on = models.DateField(_("加入日期"))
    left_on = models.DateField(_("离开日期"), null=True, blank=True)

    objects = scoped_manager(street_path="group__street", community_path="group__community")

    class Meta:
        verbose_name = _("重点人群成员")
        verbose_name_plural = _("重点人群成员")
        ordering = ["group", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "id_number_hash"], name="key_group_member_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def set_phone(self, phone: str) -> None:
        self.phone_sealed = crypto.seal(phone)
        self.phone_hash = crypto.blind_index(phone)
        self.phone_masked = mask_phone(phone)

    @property
    def phone(self) -> str:
        """The full phone: only the audited overdue export reads it."""
        return crypto.unseal(self.phone_sealed)
