"""Who hears of a scan's decision: a fever alerts the community and raises an event for the
command centre; a person who should stay home (a measure, a lockdown zone) trying to go out alerts
the grid worker and the measure's team. Each reason alerts once per scan."""

from collections.abc import Iterable
from typing import Any

from django.urls import reverse

from wangge.accounts.selectors import community_workers_of, grid_workers_of, users_by_id
from wangge.checkpoints.models import Scan
from wangge.checkpoints.rules import Reason
from wangge.core.services import post_alert
from wangge.measures.models import PersonMeasure


def _who(scan: Scan) -> str:
    if scan.person is not None:
        return scan.person.name
    if scan.visitor is not None:
        return f"访客{scan.visitor.name}"
    return "未登记人员"


def _grid_workers(scan: Scan) -> list[Any]:
    if scan.household is None:
        return []
    grid_id = scan.household.grid_id
    return list(users_by_id(grid_workers_of([grid_id]).get(grid_id, ())).values())


def _community_workers(scan: Scan) -> list[Any]:
    community_id = (
        scan.household.grid.community_id if scan.household else scan.checkpoint.community_id
    )
    return list(users_by_id(community_workers_of([community_id]).get(community_id, ())).values())


def _raise_fever_event(scan: Scan, text: str) -> None:
    from wangge.command.services.events import event_raise

    checkpoint = scan.checkpoint
    place: dict[str, Any] = {"household": scan.household}
    if scan.household is None:
        place = {
            "building": checkpoint.building,
            "grid": checkpoint.grid,
            "street": checkpoint.community.street,
        }
    event_raise(
        kind="checkpoint_fever",
        title=text,
        persons=[scan.person] if scan.person is not None else [],
        source="checkpoint",
        by=scan.by,
        description=f"{checkpoint.name}（{checkpoint.place}）{scan.scanned_at:%Y-%m-%d %H:%M}",
        **place,
    )


def scan_alert(scan: Scan, reasons: Iterable[str], *, stay_home_measure: int | None) -> None:
    """Alert for the reasons newly found on this scan."""
    reasons = set(reasons)
    if not reasons & {Reason.FEVER, Reason.STAY_HOME_OUT, Reason.LOCKDOWN_OUT}:
        return
    link = reverse("checkpoints:scan_detail", args=[scan.pk])
    place = scan.checkpoint.name
    if Reason.FEVER in reasons:
        text = f"卡点体温异常：{_who(scan)} {scan.temperature}°C（{place}）"
        post_alert(_community_workers(scan), "checkpoint_fever", text, link)
        _raise_fever_event(scan, text)
    if Reason.STAY_HOME_OUT in reasons:
        team: list[Any] = []
        if stay_home_measure is not None:
            measure = PersonMeasure.objects.filter(pk=stay_home_measure).first()
            team = measure.team if measure is not None else []
        text = f"居家管控人员外出被劝返：{_who(scan)}（{place}）"
        post_alert([*_grid_workers(scan), *team], "checkpoint_stay_home", text, link)
    if Reason.LOCKDOWN_OUT in reasons:
        text = f"封控区人员外出被劝返：{_who(scan)}（{place}）"
        post_alert(_grid_workers(scan), "checkpoint_lockdown", text, link)
