"""Helpers of the card tests: Beijing times, an inspector of a community, and an inspection made
through the service as a phone sends it."""

import uuid
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from wangge.accounts.models import RoleAssignment, User
from wangge.core.roles import Role
from wangge.venues.models import Inspection, Venue
from wangge.venues.services.inspections import (
    InspectionInput,
    ItemResult,
    checklist_of,
    inspection_record,
)

BEIJING = ZoneInfo("Asia/Shanghai")


def beijing(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BEIJING)


@dataclass
class Site:
    venue: Venue
    ian: User
    ivy: User


def inspector(username: str, community) -> User:
    user = User.objects.create_user(
        username=username, full_name=username.title(), must_change_password=False
    )
    RoleAssignment.objects.create(user=user, role=Role.INSPECTOR, community=community)
    return user


def inspect(
    by: User, venue: Venue, passed: bool = True, *, second: User | None = None, photos=()
) -> Inspection:
    items = [
        ItemResult(item.pk, passed or index > 0, "" if passed else "未测温")
        for index, item in enumerate(checklist_of(venue))
    ]
    data = InspectionInput(
        client_id=str(uuid.uuid4()),
        items=items,
        second_inspector_id=second.pk if second else None,
        photos=photos,
    )
    inspection, _ = inspection_record(by=by, venue=venue, data=data)
    return inspection
