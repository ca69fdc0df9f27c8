"""Model pieces several apps declare alike: an optional foreign key, the states of an import, and
the three columns a sealed ID number is kept in."""

from collections.abc import Callable
from typing import Any

from django.db import models
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
