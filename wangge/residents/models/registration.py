"""防疫登记: a resident's (or a grid worker's, on a resident's behalf) submission that confirms or
changes a household — its members, residence type and vehicles — or names a place for a new one.

Nothing reaches the register until a grid worker confirms (services/registration_decide.py): a
registration waits, is confirmed or rejected with a reason the resident reads. A tenant's
registration of a rented home waits first for the landlord it names (by phone). Each member entry
records whether the account acted for someone else (代办); a registration made by staff records
the staff user and `on_behalf`. ID numbers and phones are sealed as the register seals them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wangge.core import crypto
from wangge.core.fields import SealedIdNumber, optional_fk
from wangge.core.identity import IdType
from wangge.core.masking import mask_phone
from wangge.core.scoping import scoped_manager
from wangge.people.models import Person
from wangge.regions.models.areas import dwelling_label


class SealedPhone(models.Model):
    """A phone kept sealed, found by its blind index, shown masked (blank: none given)."""

    phone_sealed = models.TextField(blank=True, editable=False)
    phone_hash = models.CharField(max_length=40, blank=True, db_index=True, editable=False)
    phone_masked = models.CharField(_("电话"), max_length=20, blank=True, editable=False)

    class Meta:
        abstract = True

    def set_phone(self, phone: str) -> None:
        self.phone_sealed = crypto.seal(phone) if phone else ""
        self.phone_hash = crypto.blind_index(phone) if phone else ""
        self.phone_masked = mask_phone(phone) if phone else ""

    @property
    def phone(self) -> str:
        return crypto.unseal(self.phone_sealed) if self.phone_sealed else ""


class Registration(models.Model):
    class Status(models.TextChoices):
        LANDLORD = "landlord", _("待房东确认")
        PENDING = "pending", _("待网格员确认")
        CONFIRMED = "confirmed", _("已确认")
        REJECTED = "rejected", _("未通过")
        WITHDRAWN = "withdrawn", _("已撤回")

    OPEN = (Status.LANDLORD, Status.PENDING)

    account = optional_fk(
        "residents.Account",
        _("居民账号"),
        on_delete=models.SET_NULL,
        related_name="registrations",
    )
    by = optional_fk(settings.AUTH_USER_MODEL, _("代登记人员"), on_delete=models.SET_NULL)
    on_behalf = models.BooleanField(_("网格员代登记"), default=False)
    household = optional_fk(
        "regions.Household", _("户"), on_delete=models.SET_NULL, related_name="registrations"
    )
    building = optional_fk("regions.Building", _("楼栋"), on_delete=models.PROTECT)
    unit = models.CharField(_("单元"), max_length=20, blank=True)
    room = models.CharField(_("房号"), max_length=30, blank=True)
    grid = models.ForeignKey(
        "regions.Grid", on_delete=models.PROTECT, related_name="+", verbose_name=_("网格")
    )
    residence_type = models.CharField(
        _("居住类型"), max_length=12, choices=Person.ResidenceType.choices
    )
    # The residence type is the added members'; the others' too only when the whole household's
    # changed (自住 → 租住), else a member changed for another reason keeps their own.
    residence_for_all = models.BooleanField(_("全户居住类型变更"), default=False)
    landlord_phone_sealed = models.TextField(blank=True, editable=False)
    landlord_phone_hash = models.CharField(max_length=40, blank=True, db_index=True, editable=False)
    landlord_phone_masked = models.CharField(
        _("房东电话"), max_length=20, blank=True, editable=False
    )
    landlord_account = optional_fk("residents.Account", _("确认的房东"), on_delete=models.SET_NULL)
    landlord_answered_at = models.DateTimeField(_("房东确认时间"), null=True, blank=True)
    landlord_skipped = models.BooleanField(_("未经房东确认"), default=False)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    reason = models.CharField(_("未通过原因"), max_length=300, blank=True)
    decided_by = optional_fk(settings.AUTH_USER_MODEL, _("处理人"), on_delete=models.SET_NULL)
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decision_note = models.CharField(_("处理说明"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    objects = scoped_manager(
        street_path="grid__community__street", community_path="grid__community", grid_path="grid"
    )

    class Meta:
        verbose_name = _("防疫登记")
        verbose_name_plural = _("防疫登记")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"防疫登记 #{self.pk} {self.place}"

    @property
    def place(self) -> str:
        if self.household_id:
            return str(self.household)
        return f"{self.building}{dwelling_label(self.unit, self.room)}" if self.building_id else ""

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    def set_landlord_phone(self, phone: str) -> None:
        self.landlord_phone_sealed = crypto.seal(phone) if phone else ""
        self.landlord_phone_hash = crypto.blind_index(phone) if phone else ""
        self.landlord_phone_masked = mask_phone(phone) if phone else ""


class RegistrationMember(SealedIdNumber, SealedPhone):
    """One member's change: added, changed or removed. On a change, an empty ID or phone keeps
    the register's value. `proxied` (代办): the account entered it for another member."""

    class Change(models.TextChoices):
        ADD = "add", _("新增")
        EDIT = "edit", _("修改")
        REMOVE = "remove", _("迁出")

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="members", verbose_name=_("登记")
    )
    change = models.CharField(_("变更"), max_length=6, choices=Change.choices)
    person = optional_fk("people.Person", _("登记册人员"), on_delete=models.SET_NULL)
    name = models.CharField(_("姓名"), max_length=50)
    id_type = models.CharField(
        _("证件类型"), max_length=20, choices=IdType.choices, default=IdType.RESIDENT
    )
    id_number_sealed = models.TextField(blank=True, editable=False)
    id_number_hash = models.CharField(max_length=40, blank=True, editable=False)
    id_number_masked = models.CharField(_("证件号码"), max_length=40, blank=True, editable=False)
    relation = models.CharField(_("与户主关系"), max_length=10, choices=Person.Relation.choices)
    proxied = models.BooleanField(_("代办"), default=False)

    class Meta:
        verbose_name = _("登记成员")
        verbose_name_plural = _("登记成员")
        ordering = ["registration", "id"]

    def __str__(self) -> str:
        return f"{self.get_change_display()} {self.name}"

    @property
    def id_number(self) -> str:
        return crypto.unseal(self.id_number_sealed) if self.id_number_sealed else ""


class RegistrationVehicle(models.Model):
    class Change(models.TextChoices):
        ADD = "add", _("新增")
        REMOVE = "remove", _("删除")

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="vehicles", verbose_name=_("登记")
    )
    change = models.CharField(_("变更"), max_length=6, choices=Change.choices)
    plate = models.CharField(_("车牌号"), max_length=10)

    class Meta:
        verbose_name = _("登记车辆")
        verbose_name_plural = _("登记车辆")
        ordering = ["registration", "id"]

    def __str__(self) -> str:
        return f"{self.get_change_display()} {self.plate}"


class Vehicle(models.Model):
    """A household's vehicle, written only by a confirmed registration (the register has none)."""

    household = models.ForeignKey(
        "regions.Household",
        on_delete=models.CASCADE,
        related_name="vehicles",
        verbose_name=_("户"),
    )
    plate = models.CharField(_("车牌号"), max_length=10, unique=True)
    registration = optional_fk(Registration, _("来自登记"), on_delete=models.SET_NULL)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = scoped_manager(
        street_path="household__grid__community__street",
        community_path="household__grid__community",
        grid_path="household__grid",
    )

    class Meta:
        verbose_name = _("车辆")
        verbose_name_plural = _("车辆")
        ordering = ["household", "plate"]

    def __str__(self) -> str:
        return self.plate
