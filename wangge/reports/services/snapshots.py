"""Building the daily snapshot (docs/reports.md): by the nightly task, the report_daily command and
the street command's button alike. A day already snapshotted is returned as it is; a rebuild
replaces it and is audited, and is refused while a community's approval of the day locks it."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.models import User
from wangge.core.origin import Origin
from wangge.core.services import audit_record
from wangge.regions.models import Street
from wangge.reports.figures import compute
from wangge.reports.models import AreaFigures, Snapshot
from wangge.reports.services.approvals import approved_names

CATCH_UP_DAYS = 14


@transaction.atomic
def report_build(
    *,
    street: Street,
    on: date,
    by: User | None = None,
    rebuild: bool = False,
    origin: Origin = Origin.SYSTEM,
) -> Snapshot:
    """The snapshot of `street` on `on`, built now unless one exists (or `rebuild`)."""
    Street.objects.select_for_update().filter(pk=street.pk).exists()  # one build at a time
    existing = Snapshot.objects.filter(street=street, day=on).first()
    if existing is not None and not rebuild:
        return existing
    if existing is not None:
        locked = approved_names(street.pk, on)
        if locked:
            raise ValidationError(
                _(
                    "%(names)s 已审批 %(day)s 的日报，数据已锁定；请先撤销审批再重新生成 / approved by "
                    "%(names)s: the figures are locked until the approval is undone"
                )
                % {"names": "、".join(locked), "day": on.isoformat()}
            )
        existing.delete()
    now = timezone.now()
    tree, totals = compute(street, on, now)
    snapshot = Snapshot.objects.create(street=street, day=on, built_at=now, built_by=by)
    AreaFigures.objects.bulk_create(
        AreaFigures(
            snapshot=snapshot,
            day=on,
            level=area.level,
            area_id=area.pk,
            name=area.name,
            figures=totals.get((area.level, area.pk), {}),
        )
        for area in tree.areas()
    )
    changes = {"day": on.isoformat(), "areas": len(tree.areas())}
    if existing is not None:
        audit_record(
            actor=by, action="report_rebuild", target=snapshot, changes=changes, origin=origin
        )
    elif by is not None or rebuild:
        audit_record(
            actor=by, action="report_build", target=snapshot, changes=changes, origin=origin
        )
    return snapshot


def report_catch_up(*, today: date | None = None) -> dict[str, int]:
    """The nightly run: for every street, each of the last CATCH_UP_DAYS days before `today`
    without a snapshot (yesterday, and any night a stopped worker missed)."""
    today = today or timezone.localdate()
    days = [today - timedelta(days=back) for back in range(1, CATCH_UP_DAYS + 1)]
    built = 0
    for street in Street.objects.order_by("pk"):
        done = set(
            Snapshot.objects.filter(street=street, day__in=days).values_list("day", flat=True)
        )
        for day in sorted(set(days) - done):
            report_build(street=street, on=day)
            built += 1
    return {"built": built}
