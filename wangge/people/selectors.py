"""Reads over persons that are more than a filter."""

import re

from django.db.models import Q

from wangge.core.identity import normalise_text

_DIGITS = re.compile(r"^(\d{4,6}|\d{3,5}X)$", re.IGNORECASE)
_LATIN = re.compile(r"^[a-z]+$")
_ADDRESS_HINT = re.compile(r"[幢栋号楼单元室]")


def person_search_condition(text: str) -> Q:
    """The condition behind the search box: what a Chinese user expects to type.

    "zs" → pinyin initials; "zhangsan" → full pinyin (prefix); "1234" → last digits of an ID or a
    phone; "3幢2单元" → address; anything else → name contains.
    """
    query = normalise_text(text).replace(" ", "")
    if not query:
        return Q(pk__in=[])
    if _DIGITS.match(query):
        tail = query.upper()
        if len(tail) == 4:
            return Q(id_last4=tail) | Q(phone_last4=tail)
        return Q(id_last4=tail[-4:], id_last6__endswith=tail)
    lower = query.lower()
    if _LATIN.match(lower):
        return _prefix("name_initials", lower) | _prefix("name_pinyin", lower)
    condition = Q(name__contains=query)
    if _ADDRESS_HINT.search(query):
        condition |= _address_condition(query)
    return condition


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
