"""The registration form shared by the resident's page and the grid worker's on-behalf page: its
rows from the register (or from what was posted, after a refusal), and the post read into the
service's input. No JavaScript: the household's members, three empty rows for new members and
two for plates; more are added by submitting again."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, QueryDict

from wangge.core.api import integer_id
from wangge.core.identity import IdType
from wangge.people.models import Person
from wangge.regions.models import Building, Household
from wangge.residents.registration_selectors import vehicles_of
from wangge.residents.services import MemberEntry, RegistrationInput

NEW_ROWS, PLATE_ROWS, MAX_ROWS = 3, 2, 40


def _id(raw: str, field: str) -> int | None:
    if not raw.strip():
        return None
    try:
        return integer_id(raw.strip())
    except ValueError as error:
        raise ValidationError({field: [str(error)]}) from error


def _rows(post: QueryDict) -> list[dict[str, Any]]:
    rows = []
    for index in range(MAX_ROWS):
        prefix = f"m{index}-"
        if prefix + "name" not in post:
            break
        rows.append(
            {
                "person": post.get(prefix + "person", ""),
                "name": post.get(prefix + "name", ""),
                "relation": post.get(prefix + "relation", "other"),
                "id_type": post.get(prefix + "id_type", IdType.RESIDENT),
                "id_number": post.get(prefix + "id_number", ""),
                "phone": post.get(prefix + "phone", ""),
                "remove": post.get(prefix + "remove") == "1",
            }
        )
    return rows


def posted_input(request: HttpRequest, *, household_id: int | None = None) -> RegistrationInput:
    post = request.POST
    members = [
        MemberEntry(
            name=row["name"],
            relation=row["relation"],
            id_type=row["id_type"],
            id_number=row["id_number"],
            phone=row["phone"],
            person_id=_id(row["person"], "members"),
            remove=row["remove"],
        )
        for row in _rows(post)
    ]
    return RegistrationInput(
        residence_type=post.get("residence_type", ""),
        members=members,
        household_id=household_id,
        building_id=_id(post.get("building", ""), "building"),
        compound_id=_id(post.get("compound", ""), "compound"),
        unit=post.get("unit", ""),
        room=post.get("room", ""),
        landlord_phone=post.get("landlord_phone", ""),
        residence_for_all=post.get("residence_type", "") != post.get("residence_was", ""),
        plates_add=[plate for plate in post.getlist("plate") if plate.strip()],
        vehicles_remove=[
            vehicle for raw in post.getlist("vehicle_remove") if (vehicle := _id(raw, "vehicles"))
        ],
        note=post.get("note", ""),
    )


def _register_rows(household: Household | None) -> list[dict[str, Any]]:
    persons = (
        Person.objects.filter(household=household).exclude(status=Person.Status.MOVED_OUT)
        if household is not None
        else Person.objects.none()
    )
    return [
        {
            "person": person.pk,
            "name": person.name,
            "relation": person.relation,
            "id_type": person.id_type,
            "id_number": "",
            "phone": "",
            "id_masked": person.id_number_masked,
            "phone_masked": person.phone_masked,
            "remove": False,
        }
        for person in persons.order_by("pk")
    ]


def _blank() -> dict[str, Any]:
    return {"person": "", "name": "", "relation": "other", "id_type": IdType.RESIDENT}


def prevailing_residence(household: Household | None) -> str:
    """The residence type the form shows: the household's first present member's."""
    if household is None:
        return ""
    first = (
        Person.objects.filter(household=household)
        .exclude(status=Person.Status.MOVED_OUT)
        .order_by("pk")
        .first()
    )
    return first.residence_type if first else ""


def buildings_for(compound_id: int | None, rows: Any = None) -> list[Building]:
    """The buildings a new resident chooses from (the compound's only, from its QR code)."""
    rows = rows if rows is not None else Building.objects.all()
    if compound_id:
        rows = rows.filter(compound_id=compound_id)
    return list(rows.select_related("compound__community").order_by("compound", "sort_key")[:500])


def form_context(
    request: HttpRequest, household: Household | None, *, errors: list[str] | None = None
) -> dict[str, Any]:
    posted = request.method == "POST"
    if posted:
        rows = _rows(request.POST)
        masked = {row["person"]: row for row in _register_rows(household)}
        for row in rows:
            row.update(
                {k: v for k, v in masked.get(_safe(row["person"]), {}).items() if "mask" in k}
            )
    else:
        rows = _register_rows(household) + [_blank() for _ in range(NEW_ROWS)]
    compound = request.GET.get("compound") or request.POST.get("compound", "")
    shown = prevailing_residence(household)
    residence = request.POST.get("residence_type", "") if posted else shown
    return {
        "household": household,
        "rows": [{**row, "index": index} for index, row in enumerate(rows)],
        "relations": Person.Relation.choices,
        "residences": Person.ResidenceType.choices,
        "residence": residence or Person.ResidenceType.REGISTERED,
        "residence_was": request.POST.get("residence_was", shown) if posted else shown,
        "id_types": IdType.choices,
        "vehicles": vehicles_of(household.pk if household else None),
        "plate_rows": range(PLATE_ROWS),
        "compound": compound if compound.isdigit() else "",
        "values": request.POST if posted else {},
        "errors": errors or [],
    }


def _safe(raw: Any) -> int | None:
    try:
        return integer_id(str(raw)) if raw else None
    except ValueError:
        return None


def error_messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [str(message) for messages in error.message_dict.values() for message in messages]
    return [str(message) for message in error.messages]
