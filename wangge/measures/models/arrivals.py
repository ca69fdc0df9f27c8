"""返乡报备 and the risk-area list it is matched against."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wangge.accounts.models import User
from wangge.core.fields import optional_fk
from wangge.core.scoping import Scope, ScopedQuerySet, scoped_manager


class RiskLevel(models.TextChoices):
    HIGH = "high", _("高风险")
    MEDIUM = "medium", _("中风险")
    LOW = "low", _("低风险")


RISK_RANK: dict[str, int] = {RiskLevel.HIGH: 3, RiskLevel.MEDIUM: 2, RiskLevel.LOW: 1}


class RiskArea(models.Model):
    """One designation: a region at some level was high/medium/low risk from one date until another."""

    province = models.CharField(_("省"), max_length=30)
    city = models.CharField(_("市"), max_length=30, blank=True)
    district = models.CharField(_("区县"), max_length=30, blank=True)
    street = models.CharField(_("街道/乡镇"), max_length=50, blank=True)
    detail = models.CharField(_("具体范围"), max_length=200, blank=True)
    division_code = models.CharField(_("区划代码"), max_length=12, blank=True, db_index=True)
    level = models.CharField(_("风险等级"), max_length=8, choices=RiskLevel.choices)
    effective_from = models.DateField(_("生效日期"))
    effective_until = models.DateField(
        _("解除日期"), null=True, blank=True, help_text=_("当日起不再是该等级；留空为仍有效")
    )
    source_note = models.CharField(_("来源"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("风险地区")
        verbose_name_plural = _("风险地区")
        ordering = ["-effective_from", "province", "city", "district", "street"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_until__isnull=True)
                | Q(effective_until__gt=models.F("effective_from")),
                name="risk_area_dates_in_order",
            )
        ]
        indexes = [models.Index(fields=["effective_from", "effective_until"])]

    def __str__(self) -> str:
        return f"{self.region_label} · {self.get_level_display()}"

    @property
    def region_label(self) -> str:
        return "".join(
            part
            for part in (self.province, self.city, self.district, self.street, self.detail)
            if part
        )


class RiskAreaChange(models.Model):
    """History of the list: what each import or edit did to an area, and who did it."""

    class Action(models.TextChoices):
        CREATE = "create", _("新增")
        UPDATE = "update", _("修改")
        IMPORT = "import", _("导入")

    area = models.ForeignKey(RiskArea, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(_("动作"), max_length=10, choices=Action.choices)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("风险地区变更")
        verbose_name_plural = _("风险地区变更")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.area_id} {self.action}"


class ArrivalReportQuerySet(ScopedQuerySet):
    def extra_condition(self, user: User, scope: Scope) -> Q:
        return Q(reported_by=user) if getattr(user, "pk", None) else Q()


class ArrivalReport(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("待确认")
        CONFIRMED = "confirmed", _("已落实管控")
        NO_MEASURE = "no_measure", _("无需管控")

    class Transport(models.TextChoices):
        CAR = "car", _("自驾")
        TRAIN = "train", _("火车")
        PLANE = "plane", _("飞机")
        BUS = "bus", _("客车")
        OTHER = "other", _("其他")

    class TestResult(models.TextChoices):
        NEGATIVE = "negative", _("阴性")
        POSITIVE = "positive", _("阳性")
        NONE = "none", _("未检测")

    class Source(models.TextChoices):
        STAFF = "staff", _("卡点/工作人员登记")
        RESIDENT = "resident", _("居民自报")

    street = models.ForeignKey(
        "regions.Street", on_delete=models.PROTECT, related_name="+", verbose_name=_("街道")
    )
    community = optional_fk("regions.Community", _("目的社区"))
    host_household = optional_fk("regions.Household", _("落脚户"))
    host_address = models.CharField(_("落脚地址"), max_length=200, blank=True)
    person = optional_fk(
        "people.Person", _("人员"), on_delete=models.SET_NULL, related_name="arrival_reports"
    )
    name = models.CharField(_("姓名"), max_length=50)
    id_type = models.CharField(_("证件类型"), max_length=20)
    id_number_sealed = models.TextField(editable=False)
    id_number_hash = models.CharField(max_length=40, db_index=True, editable=False)
    id_number_masked = models.CharField(_("证件号码"), max_length=40, editable=False)
    phone_sealed = models.TextField(blank=True, editable=False)
    phone_masked = models.CharField(_("联系电话"), max_length=20, blank=True, editable=False)
    origin_province = models.CharField(_("出发地省"), max_length=30)
    origin_city = models.CharField(_("出发地市"), max_length=30, blank=True)
    origin_district = models.CharField(_("出发地区县"), max_length=30, blank=True)
    origin_street = models.CharField(_("出发地街道/乡镇"), max_length=50, blank=True)
    origin_code = models.CharField(_("出发地区划代码"), max_length=12, blank=True)
    route = models.CharField(_("途经"), max_length=300, blank=True)
    departed_on = models.DateField(_("离开出发地日期"))
    arrived_at = models.DateTimeField(_("抵达时间"))
    transport = models.CharField(_("交通方式"), max_length=10, choices=Transport.choices)
    transport_detail = models.CharField(_("车次/航班/车牌"), max_length=50, blank=True)
    test_result = models.CharField(
        _("最近核酸结果"), max_length=16, choices=TestResult.choices, blank=True
    )
    test_on = models.DateField(_("最近核酸日期"), null=True, blank=True)
    matched_area = optional_fk(RiskArea, _("命中风险地区"), on_delete=models.SET_NULL)
    proposed_type = optional_fk("measures.MeasureType", _("建议措施"))
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    measure = optional_fk("measures.PersonMeasure", _("落实的措施"), on_delete=models.SET_NULL)
    decision_reason = models.CharField(_("确认说明"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    reported_by = optional_fk(settings.AUTH_USER_MODEL, _("登记人"), on_delete=models.SET_NULL)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = scoped_manager(
        ArrivalReportQuerySet,
        street_path="street",
        community_path="community",
        grid_path="host_household__grid",
    )

    class Meta:
        verbose_name = _("返乡报备")
        verbose_name_plural = _("返乡报备")
        ordering = ["-arrived_at", "-id"]
        indexes = [models.Index(fields=["status", "arrived_at"])]

    def __str__(self) -> str:
        return f"{self.name} {self.origin_label}"

    @property
    def origin_label(self) -> str:
        parts = (self.origin_province, self.origin_city, self.origin_district, self.origin_street)
        return "".join(part for part in parts if part)
