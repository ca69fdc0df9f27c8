"""Reads over the upstream tables: the templates a user keeps (the street's command), and what
upstream received about the communities a user sees ("back down"), each beside the community's
figures of that day as they stand now, so that a change since is visible."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from wangge.accounts.authority import areas_held
from wangge.accounts.models import User
from wangge.core.roles import Action
from wangge.regions.models import Community, Street
from wangge.reports.catalogue import figure_groups
from wangge.reports.models import AreaFigures, Level, UpstreamFillArea, UpstreamTemplate


def templates_for(user: User) -> QuerySet:
    """The templates of the streets whose command `user` is part of."""
    streets = areas_held(user, Action.EDIT, Street)
    return UpstreamTemplate.objects.filter(street__in=streets).select_related("street")


@dataclass(frozen=True)
class SentFigure:
    label: str
    sent: int  # as upstream received it
    now: int | None  # as the community's snapshot of that day says now (None: no snapshot)


@dataclass
class Received:
    """One table sent upward, as it spoke of one community."""

    template: str
    recipient: str
    community: str
    day: str
    made_at: datetime
    made_by: str
    figures: list[SentFigure]

    @property
    def changed(self) -> bool:
        return any(f.now is not None and f.now != f.sent for f in self.figures)


def received_for(user: User, limit: int = 100) -> list[Received]:
    """What upstream received about the communities `user` sees, newest first."""
    communities = areas_held(user, Action.VIEW, Community)
    rows = list(
        UpstreamFillArea.objects.filter(community__in=communities)
        .select_related("fill__template", "fill__made_by", "community")
        .order_by("-fill__made_at", "community_id")[:limit]
    )
    current = {
        (pk, day): figures
        for pk, day, figures in AreaFigures.objects.filter(
            level=Level.COMMUNITY,
            area_id__in={row.community_id for row in rows},
            day__in={row.fill.day for row in rows},
        ).values_list("area_id", "day", "figures")
    }
    labels = {key: str(name) for _group, items in figure_groups() for key, name in items}
    found = []
    for row in rows:
        now = current.get((row.community_id, row.fill.day))
        found.append(
            Received(
                template=row.fill.template.name,
                recipient=row.fill.template.recipient,
                community=row.community.name,
                day=row.fill.day.isoformat(),
                made_at=row.fill.made_at,
                made_by=str(row.fill.made_by or "—"),
                figures=[
                    SentFigure(labels.get(key, key), sent, None if now is None else now.get(key, 0))
                    for key, sent in row.figures.items()
                ],
            )
        )
    return found


@dataclass
class ReceivedTable:
    """What one kind of table told upstream about one community, a row per table sent."""

    template: str
    recipient: str
    community: str
    labels: list[str]
    rows: list[Received]


def received_tables(items: list[Received]) -> list[ReceivedTable]:
    """`items` grouped by table and community, in the order they come (newest first)."""
    tables: dict[tuple[str, str], ReceivedTable] = {}
    for item in items:
        key = (item.template, item.community)
        if key not in tables:
            labels = [figure.label for figure in item.figures]
            tables[key] = ReceivedTable(item.template, item.recipient, item.community, labels, [])
        tables[key].rows.append(item)
    return list(tables.values())
