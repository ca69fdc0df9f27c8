"""健康码: the colour feed (file or API), each person's history, the alert when a code turns
yellow or red, and the 07:30 digest of the night's changes."""

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from wangge.accounts.authority import user_can
from wangge.accounts.models import User
from wangge.accounts.selectors import grid_workers_of, users_by_id
from wangge.core import crypto
from wangge.core.identity import IdentityError, IdType, normalise_text, parse_id_number
from wangge.core.masking import mask_id_number
from wangge.core.roles import Action
from wangge.core.services import audit_record, post_alert
from wangge.core.spreadsheets import TableError, read_table
from wangge.measures.models import (
    ALERT_COLOURS,
    CodeColour,
    HealthCodeBatch,
    HealthCodeChange,
    PersonMeasure,
)

COLOURS = {
    **dict.fromkeys(["绿", "绿码", "green", "g"], CodeColour.GREEN),
    **dict.fromkeys(["黄", "黄码", "yellow", "y"], CodeColour.YELLOW),
    **dict.fromkeys(["红", "红码", "red", "r"], CodeColour.RED),
}
HEADERS = {
    **dict.fromkeys(
        ["证件号码", "身份证号", "身份证号码", "公民身份号码", "id_number"], "id_number"
    ),
    **dict.fromkeys(["健康码", "健康码颜色", "码色", "颜色", "colour", "color"], "colour"),
    **dict.fromkeys(["变码时间", "变更时间", "赋码时间", "时间", "changed_at"], "changed_at"),
    **dict.fromkeys(["姓名", "name"], "name"),
}
_TIME = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?")


@dataclass(frozen=True)
class CodeRow:
    number: int  # the row (file) or the item's position (API), as the sender counts
    id_number: str
    colour: str
    changed_at: Any  # an aware datetime, or text as a spreadsheet gives it


def parse_changed_at(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    match = _TIME.match(normalise_text(value))
    if not match:
        raise ValueError(value)
    year, month, day, hour, minute, second = (int(part or 0) for part in match.groups())
    return datetime(year, month, day, hour, minute, second, tzinfo=timezone.get_current_timezone())


def _problem(row: CodeRow, number: str, why: str) -> dict[str, Any]:
    return {"row": row.number, "id_number": mask_id_number(number), "error": why}


@dataclass
class _Item:
    row: CodeRow
    number_hash: str
    colour: str
    changed_at: datetime


def _parse(rows: list[CodeRow]) -> tuple[list[_Item], list[dict[str, Any]]]:
    items, problems = [], []
    for row in rows:
        raw = normalise_text(row.id_number).upper()
        try:
            number = parse_id_number(raw, IdType.RESIDENT).number
        except IdentityError as error:
            problems.append(_problem(row, raw, str(error)))
            continue
        colour = COLOURS.get(normalise_text(row.colour).lower())
        if colour is None:
            problems.append(
                _problem(row, number, "健康码应为绿、黄、红 / colour must be green, yellow or red")
            )
            continue
        try:
            changed_at = parse_changed_at(row.changed_at)
        except (ValueError, TypeError):
            problems.append(
                _problem(row, number, "无法识别变码时间 / cannot read the time of change")
            )
            continue
        items.append(_Item(row, crypto.blind_index(number), colour, changed_at))
    return items, problems


@transaction.atomic
def health_code_record(
    *, by: User, rows: list[CodeRow], source: str, original_name: str = ""
) -> HealthCodeBatch:
    """Store a delivery of colour changes. Every usable row is stored — a red code must not wait
    for a typo elsewhere in the file — and every other row is reported: bad values, and ID numbers
    not registered in the sender's area (unmatched). A change already stored is skipped. A resident
    whose latest colour turns yellow or red alerts their grid worker and team at once."""
    if not user_can(by, Action.IMPORT):
        raise PermissionDenied("您无权导入健康码 / you may not feed health codes")
    items, problems = _parse(rows)
    persons = dict(
        apps.get_model("people", "Person")
        .objects.restrict(by, Action.IMPORT)
        .filter(id_type=IdType.RESIDENT, id_number_hash__in={item.number_hash for item in items})
        .values_list("id_number_hash", "pk")
    )
    matched = []
    for item in items:
        if item.number_hash in persons:
            matched.append(item)
        else:
            problems.append(
                {
                    "row": item.row.number,
                    "id_number": mask_id_number(normalise_text(item.row.id_number).upper()),
                    "error": "本辖区未登记该证件号码 / ID number not registered in your area",
                }
            )
    batch = HealthCodeBatch.objects.create(source=source, original_name=original_name, by=by)
    created = _store(batch, matched, persons)
    batch.counts = {
        "rows": len(rows),
        "stored": len(created),
        "duplicates": len(matched) - len(created),
        "problems": len(problems),
    }
    batch.problems = sorted(problems, key=lambda problem: problem["row"])
    batch.save(update_fields=["counts", "problems"])
    audit_record(
        actor=by,
        action="import",
        target=batch,
        changes=batch.counts,
    )
    _alert_turned(created)
    return batch


def _store(
    batch: HealthCodeBatch, items: list[_Item], persons: dict[str, int]
) -> list[HealthCodeChange]:
    """Insert the new changes with the colour each replaced; returns those inserted."""
    person_ids = {persons[item.number_hash] for item in items}
    known = set(
        HealthCodeChange.objects.filter(person__in=person_ids).values_list("person", "changed_at")
    )
    fresh: dict[tuple[int, datetime], HealthCodeChange] = {}
    for item in sorted(items, key=lambda item: item.changed_at):
        key = (persons[item.number_hash], item.changed_at)
        if key in known or key in fresh:
            continue
        fresh[key] = HealthCodeChange(
            person_id=key[0], colour=item.colour, changed_at=item.changed_at, batch=batch
        )
    HealthCodeChange.objects.bulk_create(list(fresh.values()), ignore_conflicts=True)
    created = list(HealthCodeChange.objects.filter(batch=batch).select_related("person__household"))
    previous = (
        HealthCodeChange.objects.filter(
            person=OuterRef("person"), changed_at__lt=OuterRef("changed_at")
        )
        .order_by("-changed_at")
        .values("colour")[:1]
    )
    colours = dict(
        HealthCodeChange.objects.filter(batch=batch)
        .annotate(before=Subquery(previous))
        .values_list("pk", "before")
    )
    for change in created:
        change.previous_colour = colours.get(change.pk) or ""
    HealthCodeChange.objects.bulk_update(created, ["previous_colour"])
    return created


def _alert_turned(changes: list[HealthCodeChange]) -> None:
    """Alert for each person whose newest colour is yellow or red and differs from the one before."""
    newest: dict[int, HealthCodeChange] = {}
    for change in changes:
        if (
            change.person_id not in newest
            or change.changed_at > newest[change.person_id].changed_at
        ):
            newest[change.person_id] = change
    latest = dict(
        HealthCodeChange.objects.filter(person__in=newest)
        .values("person")
        .annotate(at=Max("changed_at"))
        .values_list("person", "at")
    )
    turned = [
        change
        for change in newest.values()
        if change.colour in ALERT_COLOURS
        and change.colour != change.previous_colour
        and latest.get(change.person_id) == change.changed_at
    ]
    if not turned:
        return
    grids = grid_workers_of(
        {c.person.household.grid_id for c in turned if c.person.household is not None}
    )
    teams: dict[int, set[int]] = defaultdict(set)
    for person_id, *members in (
        PersonMeasure.objects.active()
        .filter(person__in=[c.person_id for c in turned])
        .values_list("person", "grid_worker", "doctor", "police")
    ):
        teams[person_id] |= {member for member in members if member}
    per_user: dict[int, list[HealthCodeChange]] = defaultdict(list)
    for change in turned:
        household = change.person.household
        responsible = teams[change.person_id] | (
            set(grids.get(household.grid_id, ())) if household else set()
        )
        for user_id in responsible:
            per_user[user_id].append(change)
    users = users_by_id(per_user)
    link = reverse("measures:health_codes")
    for user_id, mine in per_user.items():
        if user_id not in users:
            continue
        first = mine[0]
        label = CodeColour(first.colour).label
        text = (
            f"健康码转{label}：{first.person.name}"
            if len(mine) == 1
            else f"健康码转黄/红：{first.person.name} 等 {len(mine)} 人"
        )
        post_alert([users[user_id]], "health_code", text, link)


def health_code_import(*, by: User, path: Path | str, original_name: str = "") -> HealthCodeBatch:
    """A colour list from a file (.xlsx/.xls/.csv) with 证件号码, 健康码 and 变码时间 columns."""
    table = read_table(path, HEADERS, original_name=original_name)
    missing = [name for name in ("id_number", "colour", "changed_at") if not table.has(name)]
    if missing:
        raise TableError(f"缺少必填列 / required columns missing: {', '.join(missing)}")
    rows = [
        CodeRow(row.number, row.values["id_number"], row.values["colour"], row.values["changed_at"])
        for row in table.rows
    ]
    return health_code_record(
        by=by, rows=rows, source=HealthCodeBatch.Source.IMPORT, original_name=original_name
    )
