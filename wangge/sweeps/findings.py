"""What a household's answers found, as proposals for the register and for action, and the answers
as they are kept. Pure: no ORM; services/visits.py writes the Proposal rows.

- a member's new phone differing from the register → PERSON_FIELD {field, masked, sealed}
- a member no longer living here → MOVED_OUT
- a newcomer line "姓名 电话" → NEW_PERSON {name, masked, sealed}
- a member who went to a medium- or high-risk area → RETURNEE {places, returned_on}
- a member aged 60 or more not vaccinated → UNVACCINATED {age}
- a need of the elderly → NEED {kind, detail}

Phones never stay in the clear: the kept answers hold the masked phone, the proposal the sealed one
beside it, for whoever confirms it.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError

from wangge.core import crypto
from wangge.core.identity import IdentityError, parse_phone
from wangge.core.masking import mask_phone

ELDER_AGE = 60
NAME_MAX = 50


@dataclass(frozen=True)
class Member:
    pk: int
    phone_hash: str
    birth_date: date | None


@dataclass(frozen=True)
class Finding:
    kind: str
    person_id: int | None = None
    details: dict[str, Any] = field(default_factory=dict)


def _age(birth: date | None, on: date) -> int | None:
    if birth is None:
        return None
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _newcomers(text: str) -> list[tuple[str, str]]:
    """The newcomer lines, each "姓名" or "姓名 电话"."""
    people = []
    for number, line in enumerate(text.splitlines(), 1):
        words = line.split()
        if not words:
            continue
        name, rest = words[0], " ".join(words[1:])
        if len(name) > NAME_MAX:
            raise ValidationError(
                {"residents.newcomers": f"第{number}行姓名过长 / line {number}: name too long"}
            )
        try:
            phone = parse_phone(rest) if rest else ""
        except IdentityError as error:
            raise ValidationError(
                {"residents.newcomers": f"第{number}行：{error} / line {number}"}
            ) from error
        people.append((name, phone))
    return people


def _phone_details(phone: str) -> dict[str, str]:
    return {"masked": mask_phone(phone), "sealed": crypto.seal(phone)} if phone else {}


def findings_of(
    answers: dict[str, Any], members: list[Member], on: date
) -> tuple[list[Finding], dict[str, Any]]:
    """(findings, answers to keep) from answers already cleaned by checks.answers_clean."""
    kept = dict(answers)
    found: list[Finding] = []
    by_id = {str(member.pk): member for member in members}
    for key, present in answers.get("residents.present", {}).items():
        if present is False:
            found.append(Finding("moved_out", by_id[key].pk))
    phones = answers.get("residents.phone", {})
    for key, phone in phones.items():
        if crypto.blind_index(phone) != by_id[key].phone_hash:
            found.append(
                Finding("person_field", by_id[key].pk, {"field": "phone"} | _phone_details(phone))
            )
    if phones:
        kept["residents.phone"] = {key: mask_phone(phone) for key, phone in phones.items()}
    newcomers = _newcomers(answers.get("residents.newcomers", ""))
    for name, phone in newcomers:
        found.append(Finding("new_person", None, {"name": name} | _phone_details(phone)))
    if newcomers:
        kept["residents.newcomers"] = "\n".join(
            f"{name} {mask_phone(phone) if phone else ''}".strip() for name, phone in newcomers
        )
    places = answers.get("travel.places", {})
    returned = answers.get("travel.returned_on", {})
    for key, risky in answers.get("travel.risk_area", {}).items():
        if risky:
            details = {"places": places.get(key, ""), "returned_on": returned.get(key, "")}
            found.append(Finding("returnee", by_id[key].pk, details))
    for key, doses in answers.get("vaccination.doses", {}).items():
        age = _age(by_id[key].birth_date, on)
        if doses == "none" and age is not None and age >= ELDER_AGE:
            found.append(Finding("unvaccinated", by_id[key].pk, {"age": age}))
    if answers.get("elderly.need"):
        details = {
            "kind": answers.get("elderly.kind", ""),
            "detail": answers.get("elderly.detail", ""),
        }
        found.append(Finding("need", None, details))
    return found, kept
