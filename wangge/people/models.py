"""户进人: persons, their tags, status history and the staff assigned to them.

ID numbers and phones are stored sealed with a blind index and a tail (core/crypto.py), and a masked
copy for lists; see docs/adr/0003-personal-identifiers.md.
"""

from datetime import date
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wangge.accounts.models import User
from wangge.core import crypto
from wangge.core.fields import SealedIdNumber
from wangge.core.identity import IdType, Sex, phone_digits
from wangge.core.masking import mask_phone
from wangge.core.scoping import Scope, ScopedQuerySet, scoped_manager
from wangge.people.search import person_search_condition


class Tag(models.Model):
    """党员, 楼栋长, 低保 … Built-in tags have a fixed code that other capabilities rely on."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=40, unique=True)
    builtin = models.BooleanField(_("内置"), default=False)
    sensitive = models.BooleanField(
        _("敏感"), default=False, help_text=_("低保、残疾、重病等：不在公开材料中出现")
    )

    class Meta:
        verbose_name = _("人员标签")
        verbose_name_plural = _("人员标签")
        ordering = ["-builtin", "id"]

    def __str__(self) -> str:
        return self.name


class PersonQuerySet(ScopedQuerySet):
    def extra_condition(self, user: User, scope: Scope) -> Q:
        condition = Q()
        if scope.assigned_persons:
            held = Assignment.objects.held_by(user).filter(person__isnull=False)
            condition |= Q(pk__in=held.values("person"))
        if not scope.empty:
            # 三包: a measure's team sees its person even outside their own grid. Read as a list:
            # an OR with a subquery would turn the household join into an outer join.
            on_team = list(
                Assignment.objects.held_by(user)
                .filter(source=Assignment.Source.MEASURE, person__isnull=False)
                .values_list("person", flat=True)
            )
            if on_team:
                condition |= Q(pk__in=on_team)
        return condition

    def search(self, text: str) -> "PersonQuerySet":
        """Name, pinyin initials or full pinyin, last digits of ID or phone, or address."""
        return self.filter(person_search_condition(text))


class Person(SealedIdNumber, models.Model):
    class ResidenceType(models.TextChoices):
        REGISTERED = "registered", _("户籍")
        PERMANENT = "permanent", _("常住")
        RENTING = "renting", _("租住")
        FLOATING = "floating", _("流动")

    class Relation(models.TextChoices):
        HEAD = "head", _("户主")
        SPOUSE = "spouse", _("配偶")
        CHILD = "child", _("子女")
        PARENT = "parent", _("父母")
        RELATIVE = "relative", _("其他亲属")
        TENANT = "tenant", _("租客")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        PRESENT = "present", _("在住")
        AWAY = "away", _("外出")
        MOVED_OUT = "moved_out", _("迁出")
        DECEASED = "deceased", _("死亡")

    name = models.CharField(_("姓名"), max_length=50)
    name_pinyin = models.CharField(max_length=120, db_index=True, editable=False)
    name_initials = models.CharField(max_length=40, db_index=True, editable=False)
    id_type = models.CharField(
        _("证件类型"), max_length=20, choices=IdType.choices, default=IdType.RESIDENT
    )
    id_number_sealed = models.TextField(editable=False)
    id_number_hash = models.CharField(max_length=40, editable=False)
    id_number_masked = models.CharField(_("证件号码"), max_length=40, editable=False)
    id_last4 = models.CharField(max_length=4, db_index=True, editable=False)
    id_last6 = models.CharField(max_length=6, editable=False)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices, blank=True)
    ethnicity = models.CharField(_("民族"), max_length=20, blank=True)
    phone_sealed = models.TextField(blank=True, editable=False)
    phone_hash = models.CharField(max_length=40, blank=True, db_index=True, editable=False)
    phone_masked = models.CharField(_("联系电话"), max_length=20, blank=True, editable=False)
    phone_last4 = models.CharField(max_length=4, blank=True, db_index=True, editable=False)
    phone_last6 = models.CharField(max_length=6, blank=True, editable=False)
    # A second number, when a roster cell or a form carried two (13812345678/13987654321).
    second_phone_sealed = models.TextField(blank=True, editable=False)
    second_phone_hash = models.CharField(max_length=40, blank=True, db_index=True, editable=False)
    second_phone_masked = models.CharField(_("备用电话"), max_length=20, blank=True, editable=False)
    residence_type = models.CharField(
        _("居住类型"),
        max_length=12,
        choices=ResidenceType.choices,
        default=ResidenceType.REGISTERED,
    )
    household = models.ForeignKey(
        "regions.Household",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("户"),
    )
    relation = models.CharField(
        _("与户主关系"), max_length=10, choices=Relation.choices, default=Relation.HEAD
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PRESENT
    )
    native_place = models.CharField(_("户籍地"), max_length=200, blank=True)
    note = models.CharField(_("备注"), max_length=500, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="persons", verbose_name=_("标签"))
    residence_verified_at = models.DateTimeField(_("居住核实时间"), null=True, blank=True)
    residence_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("核实人"),
    )
    import_batch = models.ForeignKey(
        "people.ImportBatch",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="created_persons",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = scoped_manager(
        PersonQuerySet,
        street_path="household__grid__community__street",
        community_path="household__grid__community",
        grid_path="household__grid",
    )

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["household_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_type", "id_number_hash"], name="person_unique_id_number"
            )
        ]

    # A person's standing in the register, shown alike by the admin and the API.
    STANDING_FIELDS = (
        "relation",
        "status",
        "native_place",
        "note",
        "tags",
        "residence_verified_at",
    )

    def __str__(self) -> str:
        return self.name

    def set_id_number(self, number: str) -> None:
        SealedIdNumber.set_id_number(self, number)
        self.id_last4 = number[-4:]
        self.id_last6 = number[-6:]

    def set_phone(self, phone: str) -> None:
        digits = phone_digits(phone)
        self.phone_sealed = crypto.seal(phone)
        self.phone_hash = crypto.blind_index(phone)
        self.phone_masked = mask_phone(phone)
        self.phone_last4 = digits[-4:]
        self.phone_last6 = digits[-6:]

    def set_second_phone(self, phone: str) -> None:
        self.second_phone_sealed = crypto.seal(phone) if phone else ""
        self.second_phone_hash = crypto.blind_index(phone) if phone else ""
        self.second_phone_masked = mask_phone(phone) if phone else ""

    def set_name(self, name: str) -> None:
        from wangge.people.pinyin import pinyin_keys

        self.name = name
        self.name_pinyin, self.name_initials = pinyin_keys(name)

    @property
    def id_number(self) -> str:
        """The full ID number. Only reveal/export services call this; they write the audit entry."""
        return crypto.unseal(self.id_number_sealed)

    @property
    def phone(self) -> str:
        return crypto.unseal(self.phone_sealed)

    @property
    def second_phone(self) -> str:
        return crypto.unseal(self.second_phone_sealed) if self.second_phone_sealed else ""


class PersonStatusChange(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(_("状态"), max_length=10, choices=Person.Status.choices)
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("状态变更")
        verbose_name_plural = _("状态变更")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.status}"


class Duty(models.TextChoices):
    """What an assignment holds its holder to: 三包 (a measure's team), 四级包保 (one level each),
    五包一 / 六包一 (the cadres and units who together answer for one household or building)."""

    GRID_WORKER = "grid_worker", _("网格员")
    DOCTOR = "doctor", _("片医")
    POLICE = "police", _("片警")
    DISTRICT_LEVEL = "district_level", _("区级包保")
    STREET_LEVEL = "street_level", _("街道包保")
    COMMUNITY_LEVEL = "community_level", _("社区包保")
    GRID_LEVEL = "grid_level", _("网格包保")
    DISTRICT_LEADER = "district_leader", _("区级领导")
    DISTRICT_UNIT = "district_unit", _("区直单位人员")
    STREET_CADRE = "street_cadre", _("街道干部")
    COMMUNITY_SECRETARY = "community_secretary", _("社区党组织书记")
    BUILDING_LEADER = "building_leader", _("楼栋长")
    CARE_GIVER = "care_giver", _("一对一关爱")
    COBUILDING = "cobuilding", _("共建单位包保")
    SWEEPER = "sweeper", _("扫楼")


class AssignmentQuerySet(models.QuerySet):
    def active(self, on: date | None = None) -> Self:
        """Assignments in force on `on` (today by default): started, and not ended by that day."""
        on = on or timezone.localdate()
        return self.filter(Q(ended__isnull=True) | Q(ended__gt=on), started__lte=on)

    def held_by(self, user: Any) -> Self:
        """Active assignments whose holder is `user`: the only ones that grant a user anything."""
        return self.active().filter(holder_user=user) if getattr(user, "pk", None) else self.none()

    def restrict(self, user: Any, action: str = "view") -> Self:
        """Assignments whose target (person, household, building or grid) `user` may see or, for
        "edit", change: the one scope rule of the rows, through the targets' own scoped managers."""
        from wangge.regions.models import Building, Grid, Household

        return self.filter(
            Q(person__in=Person.objects.restrict(user, action).values("pk"))
            | Q(household__in=Household.objects.restrict(user, action).values("pk"))
            | Q(building__in=Building.objects.restrict(user, action).values("pk"))
            | Q(grid__in=Grid.objects.restrict(user, action).values("pk"))
        )


class Assignment(models.Model):
    """包保: one holder answering for one target with one duty, from a start to an end.

    The target is exactly one of a person, a household, a building or a grid; the holder is a staff
    user, or a person without an account (a volunteer, a building leader). A measure's team (三包)
    writes its rows with source "measure" and the measure's id, and ends them when the measure ends;
    the id is a plain number, so that people, below measures, names nothing above it.
    """

    class Source(models.TextChoices):
        MEASURE = "measure", _("管控措施")
        SWEEP = "sweep", _("扫楼")
        CARE = "care", _("关爱对象")
        UNIT = "unit", _("共建单位")
        MANUAL = "manual", _("手工指派")

    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("人员"),
    )
    household = models.ForeignKey(
        "regions.Household",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("户"),
    )
    building = models.ForeignKey(
        "regions.Building",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("楼栋"),
    )
    grid = models.ForeignKey(
        "regions.Grid",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("网格"),
    )
    holder_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="held_assignments",
        verbose_name=_("包保人（工作人员）"),
    )
    holder_person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="held_assignments",
        verbose_name=_("包保人（居民）"),
    )
    duty = models.CharField(_("职责"), max_length=20, choices=Duty.choices)
    source = models.CharField(
        _("来源"), max_length=10, choices=Source.choices, default=Source.MANUAL
    )
    source_id = models.PositiveBigIntegerField(_("来源编号"), null=True, blank=True)
    started = models.DateField(_("开始日期"), default=timezone.localdate)
    ended = models.DateField(_("结束日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("包保关系")
        verbose_name_plural = _("包保关系")
        indexes = [
            models.Index(fields=["holder_user", "ended"], name="assignment_holder_user"),
            models.Index(fields=["source", "source_id"], name="assignment_source"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(person__isnull=False, household=None, building=None, grid=None)
                    | Q(person=None, household__isnull=False, building=None, grid=None)
                    | Q(person=None, household=None, building__isnull=False, grid=None)
                    | Q(person=None, household=None, building=None, grid__isnull=False)
                ),
                name="assignment_one_target",
            ),
            models.CheckConstraint(
                condition=Q(holder_user__isnull=False, holder_person=None)
                | Q(holder_user=None, holder_person__isnull=False),
                name="assignment_one_holder",
            ),
            models.CheckConstraint(
                condition=Q(source="manual", source_id=None)
                | (~Q(source="manual") & Q(source_id__isnull=False)),
                name="assignment_source_id",
            ),
            models.CheckConstraint(
                condition=Q(ended=None) | Q(ended__gte=F("started")),
                name="assignment_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        holder = self.holder_user_id or f"p{self.holder_person_id}"
        target = self.person_id or self.household_id or self.building_id or self.grid_id
        return f"{holder} → {target} ({self.duty})"

    @property
    def holder_name(self) -> str:
        """The holder as people read it: a staff user's full name, or the person's name."""
        if self.holder_user is not None:
            return self.holder_user.full_name or self.holder_user.username
        return self.holder_person.name if self.holder_person is not None else ""


class ImportBatch(models.Model):
    """One roster import: its file, its counts, its progress, and what undo needs."""

    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        PREVIEWING = "previewing", _("校验中")
        PREVIEWED = "previewed", _("待确认")
        IMPORTING = "importing", _("导入中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")
        UNDONE = "undone", _("已撤销")

    street = models.ForeignKey(
        "regions.Street", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    street_name = models.CharField(_("街道"), max_length=50, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    file = models.FileField(_("文件"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("文件名"), max_length=200)
    # The job now running or last run on the batch: its preview, then its import.
    job = models.OneToOneField(
        "core.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="roster_batch"
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    # The file's data rows (estimated at upload, counted by the preview): the size by which the
    # service runs a job at once or hands it to a worker. Progress is the job's own.
    rows_total = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)
    first_errors = models.JSONField(default=list, blank=True)
    error_report = models.CharField(max_length=300, blank=True)
    message = models.CharField(max_length=500, blank=True)
    # What undo needs besides the records: {"created": {model: [pk, …]}, "households": {pk: [landlord, kind]}}
    undo_data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def progress_percent(self) -> int:
        """The job's progress: the batch keeps none of its own."""
        return self.job.progress_percent if self.job else 0


class ImportRecord(models.Model):
    """What one import did to one person: created it, or updated it from `before`."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="records")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    created = models.BooleanField()
    before = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("导入明细")
        verbose_name_plural = _("导入明细")

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.person_id}"
