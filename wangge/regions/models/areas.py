"""村(社)进格、格进楼、楼进户: District → Street → Community → Grid → Compound → Building → Household.

A compound belongs to a community and may span several grids (seed 004: one compound with 6 big
and 39 small grids), so the grid is recorded on each building and each household; a household's grid
is what scoping uses. Persons live in people.Person.
"""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from wangge.core.natural import KEY_CHARS_PER_CHAR, NaturalKeyField, NaturalKeysMixin
from wangge.core.scoping import scoped_manager
from wangge.regions.choices import HouseholdColour


class District(models.Model):
    name = models.CharField(_("区县"), max_length=50, unique=True)
    code = models.CharField(
        _("区划代码"),
        max_length=6,
        blank=True,
        validators=[RegexValidator(r"^\d{6}$", _("区县代码应为6位数字"))],
    )

    class Meta:
        verbose_name = _("区县")
        verbose_name_plural = _("区县")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Street(models.Model):
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="streets",
        verbose_name=_("区县"),
    )
    name = models.CharField(_("街道"), max_length=50, unique=True)
    code = models.CharField(
        _("区划代码"),
        max_length=9,
        blank=True,
        validators=[RegexValidator(r"^\d{9}$", _("街道区划代码应为9位数字"))],
    )
    area_code = models.CharField(
        _("电话区号"),
        max_length=4,
        blank=True,
        help_text=_("如0571；没写区号的固定电话按此补全"),
        validators=[RegexValidator(r"^0\d{2,3}$", _("电话区号应为0开头的3或4位数字，如0571"))],
    )

    objects = scoped_manager(
        street_path="id",
        community_path="communities",
        grid_path="communities__grids",
        multi_valued=True,
    )

    class Meta:
        verbose_name = _("街道")
        verbose_name_plural = _("街道")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~models.Q(code=""), name="street_code_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Community(models.Model):
    class Kind(models.TextChoices):
        COMMUNITY = "community", _("社区")
        VILLAGE = "village", _("村")

    street = models.ForeignKey(
        Street, on_delete=models.PROTECT, related_name="communities", verbose_name=_("街道")
    )
    name = models.CharField(_("社区/村"), max_length=50)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.COMMUNITY)
    code = models.CharField(
        _("统计区划代码"),
        max_length=12,
        blank=True,
        validators=[RegexValidator(r"^\d{12}$", _("社区统计区划代码应为12位数字"))],
    )

    objects = scoped_manager(
        street_path="street", community_path="id", grid_path="grids", multi_valued=True
    )

    class Meta:
        verbose_name = _("社区/村")
        verbose_name_plural = _("社区/村")
        ordering = ["street", "name"]
        constraints = [
            models.UniqueConstraint(fields=["street", "name"], name="community_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Grid(models.Model):
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="grids", verbose_name=_("社区/村")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上级网格"),
    )
    name = models.CharField(_("网格"), max_length=50)

    objects = scoped_manager(
        street_path="community__street", community_path="community", grid_path="id"
    )

    class Meta:
        verbose_name = _("网格")
        verbose_name_plural = _("网格")
        ordering = ["community", "name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="grid_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.community.name}·{self.name}"


class Compound(models.Model):
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="compounds", verbose_name=_("社区/村")
    )
    name = models.CharField(_("小区/楼院"), max_length=80)
    address = models.CharField(_("地址"), max_length=200, blank=True)

    objects = scoped_manager(
        street_path="community__street",
        community_path="community",
        grid_path="buildings__grid",
        multi_valued=True,
    )

    class Meta:
        verbose_name = _("小区/楼院")
        verbose_name_plural = _("小区/楼院")
        ordering = ["community", "name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="compound_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Building(NaturalKeysMixin, models.Model):
    compound = models.ForeignKey(
        Compound, on_delete=models.PROTECT, related_name="buildings", verbose_name=_("小区/楼院")
    )
    grid = models.ForeignKey(
        Grid, on_delete=models.PROTECT, related_name="buildings", verbose_name=_("网格")
    )
    name = models.CharField(_("楼栋"), max_length=50)
    # 2幢 before 10幢 (core.natural): lists, selects, plans and exports order by it.
    sort_key = NaturalKeyField(max_length=50 * KEY_CHARS_PER_CHAR, source="name")
    units = models.PositiveSmallIntegerField(_("单元数"), default=1)
    floors = models.PositiveSmallIntegerField(_("层数"), default=1)

    objects = scoped_manager(
        street_path="grid__community__street", community_path="grid__community", grid_path="grid"
    )

    class Meta:
        verbose_name = _("楼栋")
        verbose_name_plural = _("楼栋")
        ordering = ["compound", "sort_key", "name"]
        constraints = [
            models.UniqueConstraint(fields=["compound", "name"], name="building_unique_name")
        ]
        indexes = [models.Index(fields=["compound", "sort_key"], name="building_natural_order")]

    def __str__(self) -> str:
        return f"{self.compound.name}{self.name}"


# Rows that hang off a household (persons) in the natural order of their dwellings.
DWELLING_ORDER = (
    "household__building__compound__name",
    "household__building__sort_key",
    "household__unit_key",
    "household__room_key",
)


class Household(NaturalKeysMixin, models.Model):
    class Kind(models.TextChoices):
        OWNER = "owner", _("自住")
        RENTAL = "rental", _("出租")
        VACANT = "vacant", _("空置")
        SHOPFRONT = "shopfront", _("商铺")

    building = models.ForeignKey(
        Building, on_delete=models.PROTECT, related_name="households", verbose_name=_("楼栋")
    )
    grid = models.ForeignKey(
        Grid, on_delete=models.PROTECT, related_name="households", verbose_name=_("网格")
    )
    unit = models.CharField(_("单元"), max_length=20, blank=True)
    floor = models.SmallIntegerField(_("楼层"), null=True, blank=True)
    room = models.CharField(_("房号"), max_length=30)
    # 2单元 before 10单元, 302 before 1101 (core.natural).
    unit_key = NaturalKeyField(max_length=20 * KEY_CHARS_PER_CHAR, source="unit")
    room_key = NaturalKeyField(max_length=30 * KEY_CHARS_PER_CHAR, source="room")
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.OWNER)
    landlord = models.ForeignKey(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rented_households",
        verbose_name=_("房东"),
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    # 五色, kept current by regions.colours.household_colours_refresh (docs/colours.md).
    colour = models.CharField(
        _("户色"),
        max_length=6,
        choices=HouseholdColour.choices,
        default=HouseholdColour.WHITE,
        editable=False,
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = scoped_manager(
        street_path="grid__community__street", community_path="grid__community", grid_path="grid"
    )

    class Meta:
        verbose_name = _("户")
        verbose_name_plural = _("户")
        ordering = ["building", "unit_key", "room_key", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["building", "unit", "room"], name="household_unique_room"
            )
        ]
        indexes = [
            models.Index(
                fields=["building", "unit_key", "room_key"], name="household_natural_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.building}{self.dwelling_label}"

    @property
    def dwelling_label(self) -> str:
        return dwelling_label(self.unit, self.room)


def dwelling_label(unit: str, room: str) -> str:
    """2单元302室 from a household's unit and room, for lists that read them as plain values."""
    unit = f"{unit}单元" if unit and not unit.endswith("单元") else unit
    room = room if not room.isdigit() else f"{room}室"
    return f"{unit}{room}"
