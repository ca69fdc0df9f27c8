"""When a venue visit looks impossible, and why: pure rules over the visitor's recent visits, no ORM.

A visit is flagged (never refused) when its phone or person has recorded more than
VISIT_FLAG_PER_HOUR visits within the hour, or visited another venue within VISIT_TRAVEL_MINUTES
that lies farther than VISIT_TRAVEL_KM away; when either venue has no coordinates, another venue of
a different community within those minutes is flagged instead.

The distance is the haversine great-circle distance, in a few lines of the standard library's
`math`: at a street's scale (a few kilometres) its error against the ellipsoid is far below what
the rule cares about, and a geodesy library (geopy, pyproj) would be a dependency for one formula.
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings

EARTH_RADIUS_KM = 6371.0088  # the mean radius (IUGG)
HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class Place:
    venue_id: int
    community_id: int
    latitude: Decimal | float | None = None
    longitude: Decimal | float | None = None


@dataclass(frozen=True)
class Earlier:
    """One of the visitor's earlier visits: when, and where."""

    at: datetime
    place: Place


@dataclass(frozen=True)
class FlagRules:
    per_hour: int
    travel_km: float
    travel_window: timedelta

    @classmethod
    def from_settings(cls) -> "FlagRules":
        wangge: dict[str, Any] = settings.WANGGE
        return cls(
            per_hour=int(wangge["VISIT_FLAG_PER_HOUR"]),
            travel_km=float(wangge["VISIT_TRAVEL_KM"]),
            travel_window=timedelta(minutes=int(wangge["VISIT_TRAVEL_MINUTES"])),
        )

    @property
    def lookback(self) -> timedelta:
        """How far back the rules read the visitor's visits."""
        return max(HOUR, self.travel_window)


def distance_km(a: Place, b: Place) -> float | None:
    """The great-circle distance between two located places (haversine); None without coordinates."""
    if a.latitude is None or a.longitude is None or b.latitude is None or b.longitude is None:
        return None
    lat1, lon1, lat2, lon2 = (
        math.radians(float(value)) for value in (a.latitude, a.longitude, b.latitude, b.longitude)
    )
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))


def flag_reasons(place: Place, at: datetime, earlier: list[Earlier], rules: FlagRules) -> list[str]:
    """The reasons, "中文 / English", to flag a visit at `place` at `at`; none for a plain visit."""
    reasons: list[str] = []
    in_hour = sum(1 for visit in earlier if at - visit.at < HOUR) + 1
    if in_hour > rules.per_hour:
        reasons.append(
            f"1小时内到访{in_hour}次（超过{rules.per_hour}次）/ "
            f"{in_hour} visits within an hour (more than {rules.per_hour})"
        )
    minutes = int(rules.travel_window.total_seconds() // 60)
    farthest = 0.0
    other_community = False
    for visit in earlier:
        if visit.place.venue_id == place.venue_id or at - visit.at > rules.travel_window:
            continue
        km = distance_km(place, visit.place)
        if km is None:
            other_community = other_community or visit.place.community_id != place.community_id
        elif km > rules.travel_km:
            farthest = max(farthest, km)
    if farthest:
        reasons.append(
            f"{minutes}分钟内到访相距{farthest:.1f}公里的两处场所 / "
            f"two venues {farthest:.1f} km apart within {minutes} minutes"
        )
    if other_community:
        reasons.append(
            f"{minutes}分钟内到访不同社区的场所 / venues of two communities within {minutes} minutes"
        )
    return reasons
