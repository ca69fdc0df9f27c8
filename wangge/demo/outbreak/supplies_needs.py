"""Who the demo's supplies go to (the first community's checkpoints and teams, the demo grid's
households; elsewhere a community's teams or a label), and the demo's needs: requests of the first
community's checkpoints, its volunteer team and the demo grid's households, in every status, from
the first community's store. An open need's current step began a while ago — past its time limit
for the late ones — and its earlier steps forty minutes apart before it; a picked need's ISSUE
moves name it, at the time it was picked."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings

from wangge.checkpoints.models import Checkpoint
from wangge.demo.outbreak.cast import Cast
from wangge.demo.outbreak.supplies_ledger import Ledger, Street
from wangge.regions.models import Household
from wangge.supplies.models import Handover, Need, NeedKind, NeedLine, NeedStatus, RecipientKind
from wangge.teams.models import Member, Team, TeamKind

S, A, P, G, D = (
    NeedStatus.SUBMITTED,
    NeedStatus.APPROVED,
    NeedStatus.PICKED,
    NeedStatus.DELIVERING,
    NeedStatus.DELIVERED,
)
H, C, T = NeedKind.HOUSEHOLD, NeedKind.CHECKPOINT, NeedKind.TEAM
# status, kind, late (open) or hours ago it was made (closed), how it was handed over
SPECS: list[tuple[str, str, Any, str]] = [
    (S, H, False, ""),
    (S, C, True, ""),
    (S, H, True, ""),
    (A, T, False, ""),
    (A, H, True, ""),
    (P, H, False, ""),
    (P, C, True, ""),
    (G, H, False, ""),
    (G, H, True, ""),
    (D, H, 20, Handover.CODE),
    (D, T, 30, Handover.CODE),
    (D, H, 26, Handover.PHOTO),
    (D, C, 44, Handover.PHOTO),
    (D, H, 50, Handover.CODE),
    (NeedStatus.REJECTED, H, 28, ""),
    (NeedStatus.REJECTED, T, 10, ""),
    (NeedStatus.CANCELLED, H, 12, ""),
    (NeedStatus.CANCELLED, C, 4, ""),
]
STEPS: list[str] = [S, A, P, G, D]
LINES: dict[str, list[tuple[str, int]]] = {
    H: [("保供蔬菜包", 1), ("退烧药", 1), ("米面粮油包", 1), ("血压药", 2), ("酒精湿巾", 2)],
    C: [("医用外科口罩", 300), ("防护服", 10)],
    T: [("医用手套", 100), ("84消毒液", 6)],
}
WISHES = ["酱油一瓶\n鸡蛋一盒", "婴儿奶粉（一段）一罐", "", "降压药需按处方：硝苯地平缓释片"]
GAP = timedelta(minutes=40)


@dataclass
class Recipients:
    checkpoints: list[Checkpoint]
    teams: dict[int, list[Team]]
    households: list[Household]
    volunteers: Team | None
    member: Member | None


def recipients_of(cast: Cast) -> Recipients:
    teams: dict[int, list[Team]] = {}
    for team in Team.objects.filter(street=cast.street, community__isnull=False).order_by("pk"):
        teams.setdefault(team.community_id, []).append(team)
    volunteers = next(
        (t for t in teams.get(cast.community.pk, []) if t.kind == TeamKind.VOLUNTEER), None
    )
    return Recipients(
        checkpoints=list(
            Checkpoint.objects.filter(community=cast.community)
            .exclude(kind=Checkpoint.Kind.SERVICE_POINT)
            .order_by("pk")
        ),
        teams=teams,
        households=list(
            Household.objects.filter(grid=cast.grid)
            .select_related("building__compound")
            .order_by("pk")[:40]
        ),
        volunteers=volunteers,
        member=Member.objects.filter(team=volunteers).order_by("pk").first(),
    )


def recipient_for(
    street: Street, recipients: Recipients, community_id: int, kind: str
) -> dict[str, Any]:
    rng = street.rng
    first = community_id == street.cast.community.pk
    if kind == "checkpoint" and first and recipients.checkpoints:
        checkpoint = rng.choice(recipients.checkpoints)
        return {
            "recipient_kind": RecipientKind.CHECKPOINT,
            "recipient_label": checkpoint.name,
            "checkpoint": checkpoint,
        }
    if kind == "household" and first and recipients.households:
        household = rng.choice(recipients.households)
        return {
            "recipient_kind": RecipientKind.HOUSEHOLD,
            "recipient_label": str(household)[:100],
            "household": household,
        }
    teams = recipients.teams.get(community_id, [])
    if teams and kind != "household":
        team = rng.choice(teams)
        return {"recipient_kind": RecipientKind.TEAM, "recipient_label": team.name, "team": team}
    label = {"checkpoint": "小区门岗", "team": "社区志愿者", "household": "居家隔离户"}[kind]
    return {"recipient_kind": RecipientKind.OTHER, "recipient_label": label}


def _times(street: Street, status: str, when: Any) -> tuple[list[datetime], datetime | None]:
    """The times of the steps done (made, approved, picked, dispatched, delivered) and, for an
    open need, when its current step is due."""
    limits = settings.WANGGE["NEED_STEP_MINUTES"]
    if status in limits:
        limit = timedelta(minutes=limits[status])
        last = street.now - (limit + timedelta(minutes=25) if when else limit * 0.4)
        done = STEPS.index(status) + 1
        return [last - GAP * (done - 1 - i) for i in range(done)], last + limit
    start = street.now - timedelta(hours=when)
    done = 5 if status == D else 2 if status == NeedStatus.CANCELLED else 1
    return [start + GAP * i for i in range(done)], None


def needs_seed(street: Street, ledger: Ledger, recipients: Recipients) -> list[NeedLine]:
    """The needs (saved) and their lines (to save); their picks are put on the street's events."""
    cast = street.cast
    store = street.stores[cast.community.pk]
    needs, lines, picks = [], [], []
    for index, (status, kind, when, handover) in enumerate(SPECS):
        times, due = _times(street, status, when)
        need = Need(
            kind=kind,
            street=cast.street,
            community=cast.community,
            status=status,
            created_at=times[0],
            due_at=due,
            place=store,
        )
        if kind == H and recipients.households:
            household = recipients.households[index % len(recipients.households)]
            need.household, need.grid = household, household.grid
            need.requested_label = "居家隔离户（小区码申领）"
            need.wishes = WISHES[index % len(WISHES)]
        elif kind == C and recipients.checkpoints:
            need.checkpoint = recipients.checkpoints[index % len(recipients.checkpoints)]
            need.grid_id = need.checkpoint.grid_id
            need.requested_by = cast.checkpoint
        elif recipients.volunteers is not None:
            need.kind, need.team = T, recipients.volunteers
            need.requested_by = cast.community_worker
        else:
            need.kind, need.requested_label = NeedKind.TEAM, "志愿者服务队"
        _steps(street, need, times, handover, index, recipients.member)
        needs.append(need)
        chosen = LINES[kind][index % 3 : index % 3 + 2] if kind == H else LINES[kind]
        for name, quantity in chosen:
            line = NeedLine(need=need, item=street.items[name], quantity=quantity)
            lines.append(line)
            if need.picked_at is not None:
                picks.append(line)
    Need.objects.bulk_create(needs)
    for line in picks:
        at: datetime = line.need.picked_at  # type: ignore[assignment]
        street.on(at, partial(_pick, street, ledger, store, line))
    return lines


def _steps(
    street: Street, need: Need, times: list[datetime], handover: str, index: int, member: Any
) -> None:
    cast = street.cast
    worker = cast.community_worker
    if need.status == NeedStatus.REJECTED:
        need.closed_at, need.close_reason = times[0] + GAP, "非本辖区居民，已转所在社区"
        return
    if need.status == NeedStatus.CANCELLED:
        need.approved_at, need.approved_by = times[1], worker
        need.closed_at, need.close_reason = times[1] + GAP, "家属已送来，申请人取消"
        return
    steps = ["approved_at", "picked_at", "dispatched_at", "delivered_at"]
    for name, at in zip(steps, times[1:], strict=False):
        setattr(need, name, at)
    if need.approved_at:
        need.approved_by = worker
    if need.picked_at:
        need.picked_by = worker
    if need.dispatched_at:
        need.deliverer_user = cast.grid_worker if index % 2 else None
        need.deliverer_member = None if index % 2 else member
    if need.status == NeedStatus.DELIVERED:
        need.handover, need.closed_at = handover, need.delivered_at
        if handover == Handover.PHOTO:
            need.note = "无人应门，放置门口，已电话告知"


def _pick(street: Street, ledger: Ledger, store: Any, line: NeedLine) -> None:
    need = line.need
    recipient: dict[str, Any] = {"recipient_kind": RecipientKind.OTHER}
    if need.household is not None:
        recipient = {"recipient_kind": RecipientKind.HOUSEHOLD, "household": need.household}
    elif need.checkpoint is not None:
        recipient = {"recipient_kind": RecipientKind.CHECKPOINT, "checkpoint": need.checkpoint}
    elif need.team is not None:
        recipient = {"recipient_kind": RecipientKind.TEAM, "team": need.team}
    recipient["recipient_label"] = str(need.household or need.checkpoint or need.team or "")[:100]
    moves = ledger.issue(
        store,
        line.item,
        line.quantity,
        need.picked_at,  # type: ignore[arg-type]
        need=need,
        by=street.cast.community_worker,
        **recipient,
    )
    line.picked = -sum(move.change for move in moves)
