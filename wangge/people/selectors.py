"""Reads over persons that are more than a filter."""

import re

from django.db.models import Q

from wangge.core.identity import normalise_text

_DIGITS = re.compile(r"^\d{4,6}[\dX]?$", re.IGNORECASE)
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
        return Q(name_initials__startswith=lower) | Q(name_pinyin__startswith=lower)
    condition = Q(name__contains=query)
    if _ADDRESS_HINT.search(query):
        condition |= _address_condition(query)
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
