"""打卡/回访: temperature and symptoms, by the team on a phone or by the resident through a link."""

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wangge.core.scoping import scoped_manager
from wangge.measures.models.measures import (
    CHILD_PATHS,
    CheckInSlot,
    MeasureChildQuerySet,
    PersonMeasure,
)

TEMPERATURE_MIN = Decimal("34.0")
TEMPERATURE_MAX = Decimal("43.0")


def parse_temperature(value: object) -> Decimal:
    """34.0–43.0 °C with at most one decimal; the message says what is wrong."""
    try:
        temperature = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as error:
        raise ValidationError(
            {"temperature": "请填写体温，如 36.5 / enter a temperature such as 36.5"}
        ) from error
    if not temperature.is_finite() or temperature != temperature.quantize(Decimal("0.1")):
        raise ValidationError(
            {"temperature": "体温保留一位小数，如 36.5 / one decimal place, such as 36.5"}
        )
    if not TEMPERATURE_MIN <= temperature <= TEMPERATURE_MAX:
        raise ValidationError(
            {
                "temperature": f"体温应在{TEMPERATURE_MIN}–{TEMPERATURE_MAX}°C之间 / "
                f"temperature must be between {TEMPERATURE_MIN} and {TEMPERATURE_MAX} °C"
            }
        )
    return temperature.quantize(Decimal("0.1"))


class Symptom(models.TextChoices):
    FEVER = "fever", _("发热")
    COUGH = "cough", _("咳嗽")
    SORE_THROAT = "sore_throat", _("咽痛")
    FATIGUE = "fatigue", _("乏力")
    SMELL_TASTE = "smell_taste", _("嗅觉味觉减退")
    DIARRHOEA = "diarrhoea", _("腹泻")


class CheckIn(models.Model):
    class Source(models.TextChoices):
        TEAM = "team", _("包保人员")
        RESIDENT = "resident", _("居民自报")
        API = "api", _("接口")

    measure = models.ForeignKey(PersonMeasure, on_delete=models.CASCADE, related_name="checkins")
    slot = models.OneToOneField(
        CheckInSlot,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="checkin",
        verbose_name=_("打卡时段"),
    )
    client_id = models.CharField(_("客户端编号"), max_length=64)
    temperature = models.DecimalField(
        _("体温(°C)"),
        max_digits=3,
        decimal_places=1,
        validators=[MinValueValidator(TEMPERATURE_MIN), MaxValueValidator(TEMPERATURE_MAX)],
    )
    symptoms = models.JSONField(_("症状"), default=list, blank=True)
    symptoms_other = models.CharField(_("其他症状"), max_length=200, blank=True)
    flagged = models.BooleanField(_("异常"), default=False)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("记录人"),
    )
    at = models.DateTimeField(_("测量时间"), default=timezone.now)
    received_at = models.DateTimeField(_("接收时间"), auto_now_add=True)

    objects = scoped_manager(MeasureChildQuerySet, **CHILD_PATHS)

    class Meta:
        verbose_name = _("打卡记录")
        verbose_name_plural = _("打卡记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["flagged", "at"])]
        constraints = [
            # Once per measure: a phone's replay is the same (measure, client id). The client id
            # leads so that the same index answers "is this id used on another measure?".
            models.UniqueConstraint(fields=["client_id", "measure"], name="checkin_client_id_once")
        ]

    def __str__(self) -> str:
        return f"{self.measure_id} {self.temperature}°C"

    @property
    def symptom_labels(self) -> list[str]:
        labels = [str(Symptom(code).label) for code in self.symptoms if code in Symptom.values]
        if self.symptoms_other:
            labels.append(self.symptoms_other)
        return labels
