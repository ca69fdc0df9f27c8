"""协查名单: import a list pushed down from above, match and route every row, collect the answers.

Counting, decided: every non-blank data row is one row, and rows = matched + unmatched + rejected.
A row with neither an ID, a phone nor a name is rejected with the reason; duplicate rows stay rows
(the answer goes back row for row); the same file (same SHA-256) is refused for the same street.
Matched rows go to the grid worker of the person's grid (or of its big grid); unmatched rows to the
street's tracing task force, or to the community when the list is the community's.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Any, NotRequired, TypedDict, Unpack

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from wangge.accounts.authority import holds, user_can
from wangge.accounts.models import RoleAssignment, User
from wangge.accounts.selectors import grid_workers_of
from wangge.command import matching, units
from wangge.command.models import VerificationList, VerificationRow
from wangge.core.masking import mask_id_number, mask_phone
from wangge.core.origin import Origin
from wangge.core.roles import Action, Role
from wangge.core.services import audit_record, post_alert
from wangge.core.spreadsheets import TableError, read_table
from wangge.regions.models import Community, Grid, Street

Row = VerificationRow
BATCH = 2000


class ListUpload(TypedDict):
    """The arguments of verification_list_create and verification_list_import."""

    street: Street
    stream: IO[bytes]
    original_name: str
    by: NotRequired[Any]
    deadline: NotRequired[datetime | None]
    community: NotRequired[Community | None]
    title: NotRequired[str]
    origin: NotRequired[Origin]


def file_sha256(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    stream.seek(0)
    for block in iter(lambda: stream.read(1 << 20), b""):
        digest.update(block)
    stream.seek(0)
    return digest.hexdigest()


def may_import(user: Any, street: Street, community: Community | None = None) -> bool:
    """The street's command and its tracing task force; a community worker for their community."""
    if user is None:
        return True  # the command line, run by the operator
    if holds(user, Action.EDIT, street):
        return True
    if community is not None:
        return holds(user, Action.EDIT, community)
    return RoleAssignment.objects.filter(user=user, role=Role.TRACER, street=street).exists()


def default_deadline(now: datetime) -> datetime:
    return now + timedelta(seconds=settings.WANGGE["VERIFICATION_DEFAULT_SECONDS"])


@transaction.atomic
def verification_list_create(
    *,
    street: Street,
    stream: IO[bytes],
    original_name: str,
    by: User | None = None,
    deadline: datetime | None = None,
    community: Community | None = None,
    title: str = "",
    origin: Origin = Origin.SYSTEM,
) -> VerificationList:
    """Store the file as a new list, unless this street already imported the very same file."""
    if community is not None and community.street_id != street.pk:
        raise ValidationError(
            {"community": "社区不属于该街道 / the community is not in this street"}
        )
    if not may_import(by, street, community):
        raise PermissionDenied("您无权导入协查名单 / you may not import verification lists")
    sha256 = file_sha256(stream)
    earlier = (
        VerificationList.objects.filter(street=street, sha256=sha256)
        .exclude(status=VerificationList.Status.FAILED)
        .first()
    )
    if earlier is not None:
        raise ValidationError(
            f"该文件已导入为名单 {earlier.pk} / already imported as list {earlier.pk}",
            code="duplicate",
        )
    now = timezone.now()
    vlist = VerificationList(
        street=street,
        community=community,
        title=(title.strip() or Path(original_name).stem)[:200],
        original_name=Path(original_name).name[:200],
        sha256=sha256,
        deadline=deadline or default_deadline(now),
        created_by=by if getattr(by, "pk", None) else None,
    )
    vlist.file.save(Path(original_name).name, File(stream), save=False)
    vlist.save()
    audit_record(
        actor=by,
        action="import",
        target=vlist,
        changes={"file": vlist.original_name, "sha256": sha256},
        origin=origin,
    )
    return vlist


def _read(vlist: VerificationList) -> list[matching.Candidate]:
    table = read_table(
        vlist.file.path, matching.SYNONYMS, original_name=vlist.original_name, kind="verification"
    )
    if not ({"name", "id_number", "phone"} & set(table.canonical.values())):
        raise TableError("找不到姓名、证件号码或手机号列 / no name, ID number or phone column")
    vlist.headers = table.headers
    today = timezone.localdate()
    return [
        matching.candidate_from(row.values, position, row.number, today)
        for position, row in enumerate(table.rows)
    ]


def _route(
    rows: list[matching.Candidate], vlist: VerificationList, street_grids: dict[int, int]
) -> list[Row]:
    now = timezone.now()
    workers = grid_workers_of({row.grid_id for row in rows if row.grid_id})
    built = []
    for row in rows:
        due_at = matching.parse_deadline(row.deadline_text, now) if row.deadline_text else None
        problems = list(row.problems)
        if row.deadline_text and due_at is None:
            problems.append(
                f"无法识别反馈时限“{row.deadline_text}”，按名单时限 / cannot read the deadline "
                f"'{row.deadline_text}'; the list's deadline applies"
            )
        fields: dict[str, Any] = {"due_at": due_at or vlist.deadline}
        if row.rejected:
            fields |= {"outcome": Row.Outcome.REJECTED, "problem": matching.REJECTED}
        elif row.person_id:
            assert row.grid_id is not None  # a person is matched only inside the street's grids
            assignee = next(iter(workers.get(row.grid_id, [])), None)
            fields |= {
                "outcome": Row.Outcome.MATCHED,
                "method": row.method,
                "person_id": row.person_id,
                "grid_id": row.grid_id,
                "community_id": street_grids[row.grid_id],
                "assignee_id": assignee,
                "pool": Row.Pool.GRID if assignee else Row.Pool.COMMUNITY,
                "problem": "；".join(filter(None, [row.id_problem, *problems])),
            }
        else:
            fields |= {
                "outcome": Row.Outcome.UNMATCHED,
                "community_id": vlist.community_id,
                "pool": Row.Pool.COMMUNITY if vlist.community_id else Row.Pool.TRACERS,
                "problem": matching.unmatched_reason(row),
            }
        fields["problem"] = fields["problem"][:300]
        built.append(
            Row(
                list=vlist,
                position=row.position,
                row_number=row.number,
                name=row.name,
                id_masked=mask_id_number(row.id_number or row.id_raw)[:40],
                phone_masked=mask_phone(row.phone or row.phone_raw)[:20],
                address=row.address,
                reason=row.reason,
                source=row.source,
                **fields,
            )
        )
    return built


def _alert_routed(vlist: VerificationList) -> None:
    rows = vlist.rows.exclude(outcome=Row.Outcome.REJECTED)
    link = reverse("command:verification_detail", args=[vlist.pk])
    deadline = timezone.localtime(vlist.deadline).strftime("%m-%d %H:%M")
    assignees = set(rows.filter(assignee__isnull=False).values_list("assignee_id", flat=True))

    post_alert(
        User.objects.filter(pk__in=assignees),
        "verification",
        f"协查名单《{vlist.title}》有待核查人员分派给您，截止{deadline}",
        reverse("command:my_rows"),
    )
    pool = rows.filter(assignee__isnull=True)
    community_ids = set(pool.exclude(community=None).values_list("community_id", flat=True))
    recipients = units.members(units.Unit(units.COMMUNITY, pk) for pk in community_ids)
    if pool.filter(pool=Row.Pool.TRACERS).exists():
        recipients += list(
            User.objects.filter(
                role_assignments__role=Role.TRACER,
                role_assignments__street=vlist.street,
                is_active=True,
            )
        )
    if recipients:
        post_alert(
            recipients, "verification", f"协查名单《{vlist.title}》有待核查事项进入您的待办池", link
        )


@dataclass
class ListPlan:
    """What a list's read and match decided: its rows to store, or why it cannot be read; neither
    when the list is no longer pending (a job run again after its worker died)."""

    vlist: VerificationList
    rows: list[matching.Candidate] | None = None
    built: list[Row] | None = None
    error: str = ""


def list_parse(vlist: VerificationList) -> ListPlan:
    if vlist.status != VerificationList.Status.PENDING:
        return ListPlan(vlist)
    try:
        return ListPlan(vlist, rows=_read(vlist))
    except TableError as error:
        return ListPlan(vlist, error=str(error))


def list_plan(parsed: ListPlan) -> ListPlan:
    """Match and route the rows, without writing."""
    if parsed.rows is None:
        return parsed
    vlist = parsed.vlist
    street_grids = dict(
        Grid.objects.filter(community__street=vlist.street).values_list("pk", "community_id")
    )
    matching.match_rows(parsed.rows, vlist.street_id, street_grids)
    return ListPlan(vlist, built=_route(parsed.rows, vlist, street_grids))


@transaction.atomic
def list_write(plan: ListPlan) -> VerificationList:
    """Store the routed rows and alert those who must verify, or fail the list (its file deleted),
    in one transaction that begins by locking the list: a list no longer pending is left as it is."""
    locked = VerificationList.objects.select_for_update().get(pk=plan.vlist.pk)
    if locked.status != VerificationList.Status.PENDING:
        return locked
    vlist = plan.vlist
    if plan.built is None:
        vlist.file.delete(save=False)
        vlist.status = VerificationList.Status.FAILED
        vlist.message = plan.error[:500]
        vlist.save(update_fields=["status", "message", "file"])
        return vlist
    built = plan.built
    for start in range(0, len(built), BATCH):
        Row.objects.bulk_create(built[start : start + BATCH])
    outcomes: dict[str, int] = defaultdict(int)
    for row in built:
        outcomes[row.outcome] += 1
    vlist.rows_total = len(built)
    vlist.matched = outcomes[Row.Outcome.MATCHED]
    vlist.unmatched = outcomes[Row.Outcome.UNMATCHED]
    vlist.rejected = outcomes[Row.Outcome.REJECTED]
    vlist.status = VerificationList.Status.READY
    vlist.save()
    _alert_routed(vlist)
    return vlist


@transaction.atomic
def verification_list_process(*, vlist: VerificationList) -> VerificationList:
    """Read, match, route and store every row of a created list; alert those who must verify.
    A file that cannot be read leaves the list failed, with the reason, and its file deleted.
    A list no longer pending (a job run again after its worker died) is left as it is."""
    return list_write(list_plan(list_parse(vlist)))


@transaction.atomic
def verification_list_import(**upload: Unpack[ListUpload]) -> VerificationList:
    """Create and process in one transaction: all rows land, or nothing (the CLI, the API, small
    uploads). A file that cannot be read raises ValidationError with the reason. Takes the
    arguments of verification_list_create."""
    vlist = verification_list_create(**upload)
    vlist = verification_list_process(vlist=vlist)
    if vlist.status == VerificationList.Status.FAILED:
        raise ValidationError(vlist.message, code="unreadable")
    return vlist


def may_answer(user: Any, row: Row) -> bool:
    """The row's assignee; whoever may edit its grid or community; the street's tracing task
    force for rows in its pool."""
    if not Row.objects.restrict(user).filter(pk=row.pk).exists():
        return False
    if row.assignee_id == user.pk or user_can(user, "edit", row):
        return True
    return (
        row.pool == Row.Pool.TRACERS
        and RoleAssignment.objects.filter(
            user=user, role=Role.TRACER, street_id=row.list.street_id
        ).exists()
    )


@transaction.atomic
def verification_row_answer(
    *,
    row: Row,
    by: User,
    result: str,
    note: str = "",
    measure: Any = None,
    origin: Origin = Origin.SYSTEM,
) -> Row:
    """Record a row's result from the fixed vocabulary, with a note and the measure taken."""
    if not may_answer(by, row):
        raise PermissionDenied("您无权反馈该核查对象 / you may not answer this row")
    if result not in Row.Result.values:
        raise ValidationError({"result": "请选择核查结果 / choose a result from the list"})
    note = note.strip()
    if result == Row.Result.OTHER and not note:
        raise ValidationError({"note": "选择“其他”时请写明情况 / explain the result 'other'"})
    if measure is not None and measure.person_id != row.person_id:
        raise ValidationError({"measure": "该措施不属于此人 / the measure belongs to someone else"})
    before = {"result": row.result, "note": row.note}
    row.result = result
    row.note = note[:500]
    row.measure = measure
    row.answered_by = by
    row.answered_at = timezone.now()
    row.save()
    audit_record(
        actor=by,
        action="update",
        target=row,
        changes={"result": [before["result"], result], "note": [before["note"], row.note]},
        origin=origin,
    )
    return row
