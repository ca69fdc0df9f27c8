"""What a resident reports for a member of their household: an arrival (返乡报备), a check-in under
a measure (打卡) and a self-test (抗原自测).

An arrival and a check-in are the measures capability's own records (`measures.ArrivalReport`,
`measures.CheckIn`), made through its services; the filing beside each says which account made it
for which member, and whether it was for someone else (代办). A self-test has no home in another
capability, so it is kept here whole."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wangge.core.fields import optional_fk
from wangge.core.scoping import scoped_manager

# Staff see the filings of the persons of their area, as they see the persons.
MEMBER_PATHS = {
    "street_path": "person__household__grid__community__street",
    "community_path": "person__household__grid__community",
    "grid_path": "person__household__grid",
}


class Filing(models.Model):
    """Who made a resident's record, for whom, and whether for someone else (代办)."""

    account = models.ForeignKey(
        "residents.Account", on_delete=models.PROTECT, related_name="+", verbose_name=_("居民账号")
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("人员")
    )
    proxy = models.BooleanField(_("代办"), default=False)
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.person_id} {self.created_at:%Y-%m-%d %H:%M}"


class ArrivalFiling(Filing):
    report = models.OneToOneField(
        "measures.ArrivalReport",
        on_delete=models.CASCADE,
        related_name="resident_filing",
        verbose_name=_("返乡报备"),
    )

    objects = scoped_manager(**MEMBER_PATHS)

    class Meta(Filing.Meta):
        verbose_name = _("居民返乡报备")
        verbose_name_plural = _("居民返乡报备")


class CheckInFiling(Filing):
    checkin = models.OneToOneField(
        "measures.CheckIn",
        on_delete=models.CASCADE,
        related_name="resident_filing",
        verbose_name=_("打卡记录"),
    )

    objects = scoped_manager(**MEMBER_PATHS)

    class Meta(Filing.Meta):
        verbose_name = _("居民打卡")
        verbose_name_plural = _("居民打卡")


class SelfTest(Filing):
    class Result(models.TextChoices):
        NEGATIVE = "negative", _("阴性")
        POSITIVE = "positive", _("阳性")
        INVALID = "invalid", _("无效")

    result = models.CharField(_("结果"), max_length=10, choices=Result.choices)
    tested_at = models.DateTimeField(_("检测时间"))
    photo = models.FileField(_("照片"), upload_to="residents/selftests/%Y/%m/")
    content_type = models.CharField(max_length=20, editable=False)
    client_id = models.CharField(_("客户端编号"), max_length=64, unique=True)
    event = optional_fk("command.Event", _("事件"), on_delete=models.SET_NULL)

    objects = scoped_manager(**MEMBER_PATHS)

    class Meta(Filing.Meta):
        verbose_name = _("抗原自测")
        verbose_name_plural = _("抗原自测")
        ordering = ["-tested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.person_id} {self.get_result_display()} {self.tested_at:%Y-%m-%d %H:%M}"
