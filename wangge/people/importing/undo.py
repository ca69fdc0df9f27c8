"""Undoing an import: its importer may, while none of its persons has changed since.

Undo deletes the persons the batch created, restores the ones it updated from their before-values,
puts back the landlords it changed, and removes the households, buildings, compounds, grids,
communities and street it created once they are empty again.
"""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from wangge.core.origin import Origin
from wangge.core.services import audit_record
from wangge.people.importing.writer import PHONE_FIELDS, STATE_FIELDS, chunks
from wangge.people.models import ImportBatch, ImportRecord, Person, Tag
from wangge.regions.choices import ColourReason
from wangge.regions.colours import household_colours_refresh
from wangge.regions.models import Building, Community, Compound, Grid, Household, Street

# Emptiest first: a household must go before its building, a building before its compound …
_AREAS: tuple[tuple[str, Any, str], ...] = (
    ("household", Household, "members"),
    ("building", Building, "households"),
    ("compound", Compound, "buildings"),
    ("grid", Grid, "households"),
    ("community", Community, "grids"),
    ("street", Street, "communities"),
)


def undo_refusal(batch: ImportBatch, by: Any) -> str | None:
    """Why `by` may not undo `batch` now, or None when they may."""
    if by is None or batch.created_by_id != by.pk:
        return "只有导入人可以撤销该批次 / only the importer may undo this import"
    if batch.status != ImportBatch.Status.DONE:
        return "只能撤销已完成的导入 / only a finished import can be undone"
    persons = ImportRecord.objects.filter(batch=batch).values("person_id")
    if Person.objects.filter(pk__in=persons, updated_at__gt=batch.finished_at).exists():
        return (
            "该批次导入的人员此后已被修改，不能撤销 / persons of this import have changed since, "
            "so it cannot be undone"
        )
    return None


@transaction.atomic
def roster_import_undo(
    *, batch: ImportBatch, by: Any, origin: Origin = Origin.SYSTEM
) -> ImportBatch:
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    refusal = undo_refusal(batch, by)
    if refusal:
        if batch.created_by_id != getattr(by, "pk", None):
            raise PermissionDenied(refusal)
        raise ValidationError(refusal)
    records = ImportRecord.objects.filter(batch=batch)
    created = list(records.filter(created=True).values_list("person_id", flat=True))
    updated = list(records.filter(created=False).values_list("person_id", "before"))
    homes = set(
        Person.objects.filter(pk__in=records.values("person_id")).values_list(
            "household_id", flat=True
        )
    ) | {before.get("household_id") for _, before in updated}
    _restore(updated)
    for part in chunks(created):
        Person.objects.filter(pk__in=part).delete()
    _restore_landlords(batch.undo_data.get("households", {}))
    created_areas = batch.undo_data.get("created", {})
    if batch.street_id in created_areas.get("street", []):
        batch.street = None  # the street goes too once empty; the batch keeps its name
    batch.save(update_fields=["street"])
    removed = _remove_empty_areas(created_areas)
    household_colours_refresh(household_ids=homes, reason=ColourReason.IMPORT, by=by)
    batch.status = ImportBatch.Status.UNDONE
    batch.undone_at = timezone.now()
    batch.save(update_fields=["status", "undone_at"])
    audit_record(
        actor=by,
        action="undo",
        target=batch,
        target_label=f"{batch.street_name} · {batch.original_name}",
        changes={"deleted": len(created), "restored": len(updated), "areas_removed": removed},
        origin=origin,
    )
    return batch


def _restore(updated: list[tuple[int, dict[str, Any]]]) -> None:
    through = Person.tags.through
    tag_ids = dict(Tag.objects.values_list("code", "pk"))
    now = timezone.now()
    for part in chunks(updated):
        plain, with_phone = [], []
        for pk, before in part:
            person = Person(pk=pk, updated_at=now)
            for name in STATE_FIELDS:
                setattr(person, name, before.get(name))
            person.birth_date = (
                date.fromisoformat(before["birth_date"]) if before.get("birth_date") else None
            )
            if "phone" in before:
                for name in PHONE_FIELDS:
                    setattr(person, name, before["phone"][name])
                with_phone.append(person)
            else:
                plain.append(person)
        fields = [*STATE_FIELDS, "updated_at"]
        Person.objects.bulk_update(plain, fields, batch_size=500)
        Person.objects.bulk_update(with_phone, fields + list(PHONE_FIELDS), batch_size=500)
        through.objects.filter(person_id__in=[pk for pk, _ in part]).delete()
        through.objects.bulk_create(
            [
                through(person_id=pk, tag_id=tag_ids[code])
                for pk, before in part
                for code in before.get("tags", [])
                if code in tag_ids
            ]
        )


def _restore_landlords(households: dict[str, list[Any]]) -> None:
    now = timezone.now()
    Household.objects.bulk_update(
        [
            Household(pk=int(pk), landlord_id=landlord_id, kind=kind, updated_at=now)
            for pk, (landlord_id, kind) in households.items()
        ],
        ["landlord_id", "kind", "updated_at"],
        batch_size=500,
    )


def _remove_empty_areas(created: dict[str, list[int]]) -> dict[str, int]:
    removed: dict[str, int] = {}
    for name, model, children in _AREAS:
        pks = created.get(name, [])
        empty = model.objects.filter(pk__in=pks, **{f"{children}__isnull": True})
        if name == "grid":
            empty = empty.filter(buildings__isnull=True, children__isnull=True)
        if name in {"grid", "community", "street"}:
            empty = empty.filter(roleassignment__isnull=True)
        count = 0
        for part in chunks(list(empty.values_list("pk", flat=True))):
            try:
                count += model.objects.filter(pk__in=part).delete()[1].get(model._meta.label, 0)
            except ProtectedError:
                continue
        removed[name] = count
    return removed
