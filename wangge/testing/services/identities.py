"""Reading an ID number or phone typed by staff or found in a spreadsheet, the way imports do."""

from datetime import date

from wangge.core.identity import IdentityError, IdType, normalise_text, parse_id_number, parse_phone


def clean(value: object) -> str:
    """normalise_text, quicker for plain ASCII (which NFKC leaves as it is): a million lab rows
    call this ten times each."""
    text = value if isinstance(value, str) else str(value or "")
    return text.strip() if text.isascii() else normalise_text(text)


def read_id_number(raw: object, today: date | None = None) -> tuple[str, bool]:
    """(normalised number, resident-style?) — a number of digits (the last may be X) is a resident
    ID, checked by length and check digit; one with letters is a passport or permit. IdentityError."""
    text = clean(raw).replace(" ", "").upper()
    resident = text[:-1].isdigit() or text.isdigit()
    kind = IdType.RESIDENT if resident else IdType.PASSPORT
    return parse_id_number(text, kind, today).number, resident


def read_phone(raw: object) -> str:
    """A normalised phone, "" for an empty cell; IdentityError when it cannot be a phone."""
    return parse_phone(raw) if clean(raw) else ""


__all__ = ["IdentityError", "clean", "read_id_number", "read_phone"]
