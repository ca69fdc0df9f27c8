"""Reads over persons that are more than a filter."""

import re

from django.db.models import Q, QuerySet

from wangge.accounts.models import User
from wangge.core import crypto
from wangge.core.identity import IdentityError, normalise_text, parse_phone
from wangge.people.models import Person

_DIGITS = re.compile(r"^(\d{4,6}|\d{3,5}X)$", re.IGNORECASE)
_FULL_ID = re.compile(r"^\d{17}[\dX]$", re.IGNORECASE)
_PHONE_LIKE = re.compile(r"^\+?[\d\-()]{7,20}$")
_LATIN = re.compile(r"^[a-z]+$")
_ADDRESS_HINT = re.compile(r"[幢栋号楼单元室]")


def person_search_condition(text: str) -> Q:
    """The condition behind the search box: what a Chinese user expects to type.

    "zs" → pinyin initials; "zhangsan" → full pinyin (prefix); "1234" → last digits of an ID or a
    phone (4 to 6); a whole ID number or phone → that one, by its blind index; "3幢2单元" →
    address; "春江里" → name contains, or the compound of that name; anything else → name contains.
    """
    query = normalise_text(text).replace(" ", "")
    if not query:
        return Q(pk__in=[])
    if _FULL_ID.match(query):
        return Q(id_number_hash=crypto.blind_index(query.upper()))
    if _DIGITS.match(query):
        tail = query.upper()
        if len(tail) == 4:
            return Q(id_last4=tail) | Q(phone_last4=tail)
        condition = Q(id_last4=tail[-4:], id_last6__endswith=tail)
        if tail.isdigit():
            condition |= Q(phone_last4=tail[-4:], phone_last6__endswith=tail)
        return condition
    if _PHONE_LIKE.match(query):
        try:
            phone_hash = crypto.blind_index(parse_phone(query))
        except IdentityError:
            return Q(pk__in=[])
        return Q(phone_hash=phone_hash) | Q(second_phone_hash=phone_hash)
    lower = query.lower()
    if _LATIN.match(lower):
        return _prefix("name_initials", lower) | _prefix("name_pinyin", lower)
    condition = Q(name__contains=query)
    if _ADDRESS_HINT.search(query):
        condition |= _address_condition(query)
    else:
        condition |= _compound_condition(query)
    return condition


def _compound_condition(query: str) -> Q:
    """Persons living in a compound whose name holds `query` (compounds are few: look them up first)."""
    from wangge.regions.models import Compound

    compounds = list(
        Compound.objects.filter(name__contains=query).values_list("pk", flat=True)[:50]
    )
    return Q(household__building__compound__in=compounds) if compounds else Q(pk__in=[])


def _prefix(field: str, text: str) -> Q:
    """`field` starts with `text`, as a range so that an ordinary index serves it on SQLite too
    (SQLite's LIKE is case-insensitive and cannot use the index)."""
    condition = Q(**{f"{field}__gte": text})
    stem = text.rstrip("z")
    if stem:
        condition &= Q(**{f"{field}__lt": stem[:-1] + chr(ord(stem[-1]) + 1)})
    return condition


def _address_condition(query: str) -> Q:
    from wangge.people.addresses import parse_address

    parsed = parse_address(query)
    if parsed is None:
        return Q(household__building__compound__name__contains=query)
    condition = Q(household__building__name=parsed.building)
    if parsed.unit:
        condition &= Q(household__unit=parsed.unit)
    if parsed.room:
        condition &= Q(household__room=parsed.room)
    return condition


def assigned_persons(user: User) -> QuerySet[Person]:
    """Persons a doctor or police officer is responsible for (包保), as far as scope allows."""
    return (
        Person.objects.restrict(user)
        .filter(pk__in=user.person_assignments.values("person"))
        .select_related("household__building__compound", "household__grid")
        .order_by("name_pinyin", "pk")
    )
