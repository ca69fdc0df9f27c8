"""Deciding what each row does — created, updated, unchanged or rejected — before anything is
written (issue 15, decided because scripts depend on it):

- every data row counts exactly once in created, updated, unchanged or rejected; `warnings`
  counts the rows imported with at least one warning (a USCC or a phone left out);
- a row is the same venue as a stored one when its USCC matches; without a USCC (none given, or
  one left out for failing its check), when name and grid match. A row whose USCC the register
  does not know matches a venue of the same name and grid that has none yet (and gives it the
  USCC); a row without a USCC that names a grid holding several venues of its name is rejected;
- a row with a missing name, an unknown kind, or a community or grid not in the street (or not in
  the importer's area) is rejected; so is a USCC registered to a venue in another street;
- rows of one file that are the same venue and repeat each other exactly: the first counts, the
  others are unchanged; rows that are the same venue but differ are all rejected;
- a blank cell keeps the stored value, and a left-out USCC never clears a stored one, so
  importing the same file again gives only unchanged (and the same rejected).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from wangge.core import crypto
from wangge.venues.importing.register import Register, Stored, VenueState
from wangge.venues.importing.rows import Rejection, VenueRow

CREATED, UPDATED, UNCHANGED, REJECTED, WARNINGS = (
    "created",
    "updated",
    "unchanged",
    "rejected",
    "warnings",
)
Target = tuple[Any, ...]  # ("id", pk) | ("uscc", uscc) | ("name", grid_id, name)


@dataclass(slots=True)
class Change:
    """A venue to create (pk None) or update: the state the row leaves, and its phone in plain
    (None keeps the stored phone)."""

    pk: int | None
    row: int
    after: VenueState
    phone: str | None
    before: VenueState | None = None


@dataclass
class Plan:
    register: Register
    counts: dict[str, int]
    rejections: list[Rejection]
    warned: list[VenueRow] = field(default_factory=list)  # rows imported with a warning
    creates: list[Change] = field(default_factory=list)
    updates: list[Change] = field(default_factory=list)

    @property
    def digest(self) -> str:
        return self.register.digest


def merged(row: VenueRow, grid_id: int, before: VenueState | None) -> VenueState:
    """The state after the row: blank cells keep what is stored, defaults for a new venue."""
    kept = before or VenueState("", 0, 0, "", "", "", "", 0, None, None)
    located = row.latitude is not None
    return VenueState(
        name=row.name,
        kind_id=row.kind_id,
        grid_id=grid_id,
        address=kept.address if row.address is None else row.address,
        uscc=row.uscc or kept.uscc,
        responsible_name=kept.responsible_name
        if row.responsible_name is None
        else row.responsible_name,
        phone_hash=kept.phone_hash if row.phone is None else crypto.blind_index(row.phone),
        staff_count=kept.staff_count if row.staff_count is None else row.staff_count,
        latitude=row.latitude if located else kept.latitude,
        longitude=row.longitude if located else kept.longitude,
    )


def plan_import(
    *, rows: list[VenueRow], rejections: list[Rejection], register: Register, labels: Any
) -> Plan:
    """The outcome of every row. `labels(field)` gives a column's header as the file writes it."""
    plan = Plan(register, dict.fromkeys((CREATED, UPDATED, UNCHANGED, REJECTED), 0), rejections)
    targets = _targets(rows, plan, labels)
    groups: dict[Target, list[tuple[VenueRow, int]]] = defaultdict(list)
    for row, grid_id, target in targets:
        groups[target].append((row, grid_id))
    for target, group in groups.items():
        if len({row.values for row, _ in group}) > 1:
            listed = "、".join(str(row.row) for row, _ in group)
            for row, _ in group:
                _reject(
                    plan,
                    row,
                    labels("name"),
                    f"同一场所在文件中出现多次且内容不同（第{listed}行），均未导入 / the same "
                    f"venue twice in the file with different values (rows {listed}); none was "
                    "imported",
                )
            continue
        first, grid_id = group[0]
        _count(plan, first, grid_id, target)
        plan.counts[UNCHANGED] += len(group) - 1
        plan.warned += [row for row, _ in group if row.warnings]
    plan.counts[REJECTED] = len(plan.rejections)
    plan.counts[WARNINGS] = len(plan.warned)
    plan.rejections.sort(key=lambda rejection: rejection.row)
    plan.warned.sort(key=lambda row: row.row)
    return plan


def _reject(plan: Plan, row: VenueRow, column: str, reason: str) -> None:
    plan.rejections.append(Rejection(row.row, [(column, reason)], row.cells))


def _targets(rows: list[VenueRow], plan: Plan, labels: Any) -> list[tuple[VenueRow, int, Target]]:
    """Each row's venue: a stored one, or one the file creates (by USCC, else name and grid)."""
    register = plan.register
    found: list[tuple[VenueRow, int, Target]] = []
    new_usccs: dict[tuple[int, str], set[str]] = defaultdict(set)
    for row in rows:
        refusal = register.refusal(row.community, row.grid)
        if refusal:
            _reject(plan, row, labels("grid"), refusal)
            continue
        grid_id = register.grids[(row.community, row.grid)]
        same_name = register.by_name.get((grid_id, row.name), [])
        if row.uscc:
            stored = register.by_uscc.get(row.uscc)
            if stored is not None:
                refusal = _elsewhere(stored, register)
                if refusal:
                    _reject(plan, row, labels("uscc"), refusal)
                    continue
                found.append((row, grid_id, ("id", stored.pk)))
                continue
            without = [venue for venue in same_name if not venue.state.uscc]
            if len(without) == 1:
                found.append((row, grid_id, ("id", without[0].pk)))
            else:
                new_usccs[(grid_id, row.name)].add(row.uscc)
                found.append((row, grid_id, ("uscc", row.uscc)))
            continue
        if len(same_name) > 1:
            _reject(
                plan,
                row,
                labels("name"),
                f"网格中有{len(same_name)}个名为“{row.name}”的场所，请填写统一社会信用代码 / the "
                f"grid holds {len(same_name)} venues named '{row.name}': give the USCC",
            )
            continue
        target = ("id", same_name[0].pk) if same_name else ("name", grid_id, row.name)
        found.append((row, grid_id, target))
    return _joined(found, new_usccs, plan, labels)


def _joined(
    found: list[tuple[VenueRow, int, Target]],
    new_usccs: dict[tuple[int, str], set[str]],
    plan: Plan,
    labels: Any,
) -> list[tuple[VenueRow, int, Target]]:
    """A row without a USCC naming a venue the file creates with one is that venue (and is
    rejected when the file creates several of that name in the grid)."""
    joined: list[tuple[VenueRow, int, Target]] = []
    for row, grid_id, target in found:
        if target[0] == "name":
            usccs = new_usccs.get((grid_id, row.name), set())
            if len(usccs) > 1:
                _reject(
                    plan,
                    row,
                    labels("name"),
                    f"文件中有多个名为“{row.name}”的场所，请填写统一社会信用代码 / the file holds "
                    f"several venues named '{row.name}' in this grid: give the USCC",
                )
                continue
            if usccs:
                target = ("uscc", next(iter(usccs)))
        joined.append((row, grid_id, target))
    return joined


def _elsewhere(stored: Stored, register: Register) -> str | None:
    if stored.street_id != register.street.pk:
        return (
            f"该统一社会信用代码已登记给{stored.street_name}的场所 / this USCC belongs to a venue "
            f"in another street ({stored.street_name})"
        )
    if stored.state.grid_id not in register.allowed:
        return (
            "该统一社会信用代码已登记给您管辖范围以外的场所 / this USCC belongs to a venue outside "
            "your area"
        )
    return None


def _count(plan: Plan, row: VenueRow, grid_id: int, target: Target) -> None:
    stored = plan.register.by_pk[target[1]] if target[0] == "id" else None
    before = stored.state if stored else None
    after = merged(row, grid_id, before)
    if stored is None:
        plan.counts[CREATED] += 1
        plan.creates.append(Change(None, row.row, after, row.phone))
    elif after == before:
        plan.counts[UNCHANGED] += 1
    else:
        plan.counts[UPDATED] += 1
        plan.updates.append(Change(stored.pk, row.row, after, row.phone, before))
