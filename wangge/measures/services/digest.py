"""The 07:30 digest (seed 001: 每天早晨7时30分 … 健康码预警通知): each responsible worker — the grid
workers of the person's grid, the community workers, the team of an active measure — gets one alert
summing up the health-code changes of their persons since the previous digest."""

from datetime import datetime, time, timedelta
from typing import Any

from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from wangge.accounts.selectors import users_by_id
from wangge.core.roles import Role
from wangge.core.services import post_alert
from wangge.measures.models import CodeColour, HealthCodeChange, HealthCodeDigest, PersonMeasure
from wangge.measures.services.common import rules


def _tables() -> dict[str, str]:
    model = apps.get_model
    return {
        "change": HealthCodeChange._meta.db_table,
        "person": model("people", "Person")._meta.db_table,
        "household": model("regions", "Household")._meta.db_table,
        "grid": model("regions", "Grid")._meta.db_table,
        "role": model("accounts", "RoleAssignment")._meta.db_table,
        "measure": PersonMeasure._meta.db_table,
    }


_IN_GRIDS = """
    SELECT r.user_id AS user_id, c.id AS change_id, c.person_id AS person_id, c.colour AS colour
      FROM {change} c
      JOIN {person} p ON p.id = c.person_id
      JOIN {household} h ON h.id = p.household_id
      JOIN {grid} g ON g.id = h.grid_id
      JOIN {role} r ON {role_match}
     WHERE c.changed_at >= %s AND c.changed_at < %s"""
_ON_TEAM = """
    SELECT m.{member}_id, c.id, c.person_id, c.colour
      FROM {change} c
      JOIN {measure} m ON m.person_id = c.person_id AND m.status = %s
     WHERE m.{member}_id IS NOT NULL AND c.changed_at >= %s AND c.changed_at < %s"""


def responsible_counts(
    since: datetime, until: datetime
) -> list[tuple[int, int, int, int, int, int]]:
    """(user id, changes, persons, red, yellow, green) for every worker responsible for a person
    whose code changed in [since, until): one query, grouped in the database."""
    tables = _tables()
    bounds = [connection.ops.adapt_datetimefield_value(v) for v in (since, until)]
    parts: list[str] = []
    params: list[Any] = []
    for role, match in (
        (Role.GRID_WORKER, "r.role = %s AND (r.grid_id = g.id OR r.grid_id = g.parent_id)"),
        (Role.COMMUNITY_WORKER, "r.role = %s AND r.community_id = g.community_id"),
    ):
        parts.append(_IN_GRIDS.format(role_match=match, **tables))
        params += [role, *bounds]
    for member in ("grid_worker", "doctor", "police"):
        parts.append(_ON_TEAM.format(member=member, **tables))
        params += [PersonMeasure.Status.ACTIVE, *bounds]
    sql = f"""
    SELECT pairs.user_id, COUNT(*), COUNT(DISTINCT pairs.person_id),
           SUM(CASE WHEN pairs.colour = %s THEN 1 ELSE 0 END),
           SUM(CASE WHEN pairs.colour = %s THEN 1 ELSE 0 END),
           SUM(CASE WHEN pairs.colour = %s THEN 1 ELSE 0 END)
      FROM ({" UNION ".join(parts)}) pairs
     GROUP BY pairs.user_id"""
    colours = [CodeColour.RED, CodeColour.YELLOW, CodeColour.GREEN]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*colours, *params])
        return [
            (int(a), int(b), int(c), int(d), int(e), int(f))
            for a, b, c, d, e, f in cursor.fetchall()
        ]


def digest_moment(now: datetime) -> datetime:
    """Today's digest time (settings.WANGGE["HEALTH_CODE_DIGEST_TIME"], local) for `now`."""
    at = time.fromisoformat(rules()["HEALTH_CODE_DIGEST_TIME"])
    return timezone.make_aware(datetime.combine(timezone.localdate(now), at))


def _text(moment: datetime, changes: int, persons: int, red: int, yellow: int, green: int) -> str:
    counts = "、".join(
        f"{label}{count}"
        for label, count in (("红码", red), ("黄码", yellow), ("绿码", green))
        if count
    )
    return (
        f"健康码日报（{moment:%m月%d日 %H:%M}）：您负责的 {persons} 人有 {changes} 次变码（{counts}）"
        f" / health-code digest: {changes} changes"
    )


@transaction.atomic
def health_code_send_digest(*, now: datetime | None = None) -> HealthCodeDigest | None:
    """Send today's digest once it is due: the changes since the previous digest (or since this
    time yesterday); None when it is not yet due or was sent already. Runs every few minutes; the
    unique day makes it once, and a worker that was down catches up at its next run."""
    now = now or timezone.now()
    moment = digest_moment(now)
    if now < moment:
        return None
    last = HealthCodeDigest.objects.order_by("-on").first()
    since = last.window_until if last is not None else moment - timedelta(days=1)
    try:
        with transaction.atomic():
            digest = HealthCodeDigest.objects.create(
                on=timezone.localdate(moment), window_from=since, window_until=moment
            )
    except IntegrityError:
        return None
    counts = responsible_counts(since, moment)
    users = users_by_id(row[0] for row in counts)
    local = timezone.localtime(moment)
    link = reverse("measures:health_codes") + f"?digest={digest.on:%Y-%m-%d}"
    sent = 0
    for user_id, changes, persons, red, yellow, green in counts:
        user = users.get(user_id)
        if user is not None:
            sent += len(
                post_alert(
                    [user],
                    "health_code_digest",
                    _text(local, changes, persons, red, yellow, green),
                    link,
                )
            )
    digest.changes = HealthCodeChange.objects.filter(
        changed_at__gte=since, changed_at__lt=moment
    ).count()
    digest.recipients = sent
    digest.save(update_fields=["changes", "recipients"])
    return digest
