"""Model pieces several apps declare alike: an optional foreign key, the states of an import, and
the three columns a sealed ID number is kept in."""

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wangge.core import crypto
from wangge.core.masking import mask_id_number

OnDelete = Callable[..., Any]


def optional_fk(
    to: Any,
    verbose_name: Any = None,
    *,
    on_delete: OnDelete = models.PROTECT,
    related_name: str = "+",
    **options: Any,
) -> Any:
    """A foreign key that may stay empty (null in the table, blank in forms). Typed Any: the
    Django stubs type a foreign key only where `models.ForeignKey(...)` is written out."""
    return models.ForeignKey(
        to,
        on_delete=on_delete,
        null=True,
        blank=True,
        related_name=related_name,
        verbose_name=verbose_name,
        **options,
    )


class ImportStatus(models.TextChoices):
    """Where a queued import stands."""

    PENDING = "pending", _("排队中")
    RUNNING = "running", _("导入中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class SealedIdNumber:
    """For models with `id_number_sealed`, `id_number_hash` and `id_number_masked`: the number is
    kept sealed, found by its blind index and shown masked."""

    id_number_sealed: str
    id_number_hash: str
    id_number_masked: str

    def set_id_number(self, number: str) -> None:
        self.id_number_sealed = crypto.seal(number)
        self.id_number_hash = crypto.blind_index(number)
        self.id_number_masked = mask_id_number(number)


def local_day(moment: datetime) -> date:
    """The day of `moment` on the street's clock (settings.TIME_ZONE), whatever zone is active."""
    return timezone.localdate(moment, timezone.get_default_timezone())


class LocalDayField(models.DateField):
    """The local day (settings.TIME_ZONE) of another field of the row, set on every insert and
    save, bulk_create included: the partition key of a table partitioned by day
    (`core.partitions`). `of` names a datetime field, or `relation.day` to copy the day of the
    row a foreign key points at (empty when the key is)."""

    def __init__(self, *args: Any, of: str, **kwargs: Any) -> None:
        self.of = of
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["of"] = self.of
        kwargs.pop("editable", None)
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value: Any = model_instance
        for part in self.of.split("."):
            value = getattr(value, part) if value is not None else None
        if isinstance(value, datetime):
            value = local_day(value)
        setattr(model_instance, self.attname, value)
        return value
