"""A candidate's evidence as a page shows it: what kind of contact, where, when the case and the
person were there (local time), how many minutes apart, and through whom for the second hop (the
first-hop person's name when the user sees that person)."""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from wangge.tracing.graph import KIND_LABELS


@dataclass(frozen=True)
class Piece:
    kind: str
    label: str
    place: str
    case_at: datetime | None
    person_at: datetime | None
    minutes: int | None
    through: str


def _when(text: str | None) -> datetime | None:
    moment = parse_datetime(text) if text else None
    return timezone.localtime(moment) if moment is not None else None


def readable(evidence: list[dict], names: dict[int, str]) -> list[Piece]:
    pieces = []
    for piece in evidence:
        kind = piece.get("kind", "")
        through = piece.get("through")
        pieces.append(
            Piece(
                kind=kind,
                label=str(KIND_LABELS.get(kind, kind)),
                place=piece.get("place") or "",
                case_at=_when(piece.get("case_at") or piece.get("at")),
                person_at=_when(piece.get("person_at")),
                minutes=piece.get("minutes"),
                through=(names.get(through) or _("不在您范围内的人员")) if through else "",
            )
        )
    return pieces
