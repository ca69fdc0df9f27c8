"""The trace of one case as .xlsx for the tracing task force (流调专班): an export job (core.exports,
kind "tracing.case"), asked with a purpose and audited when asked, built under the owner's export
scope when it runs — the candidates whose person the owner may export (a community worker: their
community's), full identifiers only where the owner may reveal them — watermarked, downloadable by
its owner only.

Two sheets: the candidates (hop, path, person, status, decision, measure, and the evidence as
text) and the case's own movements in the lookback (checkpoint scans and venue visits)."""

from datetime import datetime
from io import BytesIO
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook

from wangge.accounts.models import User
from wangge.checkpoints.models import Scan
from wangge.core import crypto
from wangge.core.cells import append_row
from wangge.core.exports import Exported, Stamp, export_kind, export_start
from wangge.core.jobs.models import Job
from wangge.core.jobs.runner import Beat, JobFailed
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.measures.models import Case
from wangge.people.models import Person
from wangge.tracing.models import Candidate
from wangge.tracing.services.engine import lookback
from wangge.venues.models import Visit

KIND = "tracing.case"
CANDIDATE_HEADERS = (
    "层级",
    "发现途径",
    "姓名",
    "证件号码",
    "手机号",
    "住址",
    "网格",
    "状态",
    "核实人",
    "核实时间",
    "核实说明",
    "管控措施",
    "依据",
)
MOVEMENT_HEADERS = ("时间", "类型", "地点", "方向")
PLACE_KINDS = {"checkpoint": "卡点", "venue": "场所"}


def _case(owner: User, params: dict[str, Any]) -> Case:
    case = (
        Case.objects.restrict(owner, Action.EXPORT)
        .select_related("person")
        .filter(pk=params["case"])
        .first()
    )
    if case is None:
        raise JobFailed("您无权导出该病例的流调 / you may not export this case's trace")
    return case


def _candidates(owner: User, case: Case) -> QuerySet[Candidate]:
    return (
        Candidate.objects.restrict(owner, Action.EXPORT)
        .filter(case=case)
        .select_related("person__household__grid", "decided_by", "measure__measure_type")
        .order_by("hop", "path", "person_id")
    )


def _movements(case: Case) -> list[tuple[datetime, str, str, str]]:
    """The case person's own scans and venue visits in the lookback, oldest first."""
    start, end = lookback(case.reported_on)
    scans = Scan.objects.filter(
        person=case.person, scanned_at__gte=start, scanned_at__lt=end
    ).select_related("checkpoint")
    visits = Visit.objects.filter(person=case.person, at__gte=start, at__lt=end).select_related(
        "venue"
    )
    rows = [
        (scan.scanned_at, "卡点扫码", scan.checkpoint.name, str(scan.get_direction_display()))
        for scan in scans
    ]
    rows += [(visit.at, "场所到访", visit.venue.name, "") for visit in visits]
    return sorted(rows, key=lambda row: row[0])


def _size(owner: User, params: dict[str, Any]) -> int:
    case = _case(owner, params)
    return _candidates(owner, case).count() + len(_movements(case))


def _when(value: str | None) -> str:
    if not value:
        return ""
    return f"{timezone.localtime(datetime.fromisoformat(value)):%Y-%m-%d %H:%M}"


def evidence_text(pieces: list[dict[str, Any]], names: dict[int, str]) -> str:
    """The evidence of a candidate as the task force reads it, one piece a line; `names` are the
    first-hop persons the owner may see (another is named by its place in the trace only)."""
    lines = []
    for piece in pieces:
        kind = piece.get("kind")
        if kind == "named":
            text = f"病例提供（登记于{_when(piece.get('at'))}）"
        elif kind == "household":
            text = f"同住（{piece.get('place') or '同户'}）"
        else:
            text = (
                f"{PLACE_KINDS.get(str(kind), '地点')}「{piece.get('place', '')}」：病例"
                f"{_when(piece.get('case_at'))}，本人{_when(piece.get('person_at'))}，"
                f"相隔{piece.get('minutes', '')}分钟"
            )
        through = piece.get("through")
        if through:
            text += f"，经{names.get(through, '第一层接触者（不在您的范围内）')}"
        lines.append(text)
    return "\n".join(lines)


def _identifiers(person: Person, revealable: set[int]) -> tuple[str, str]:
    if person.pk in revealable:
        phone = crypto.unseal(person.phone_sealed) if person.phone_sealed else ""
        return crypto.unseal(person.id_number_sealed), phone
    return person.id_number_masked, person.phone_masked


def _candidate_row(candidate: Candidate, revealable: set[int], names: dict[int, str]) -> list[Any]:
    person = candidate.person
    id_number, phone = _identifiers(person, revealable)
    household = person.household
    measure = candidate.measure
    return [
        candidate.hop,
        str(candidate.get_path_display()),
        person.name,
        id_number,
        phone,
        str(household) if household else "",
        household.grid.name if household else "",
        str(candidate.get_status_display()),
        str(candidate.decided_by) if candidate.decided_by else "",
        f"{timezone.localtime(candidate.decided_at):%Y-%m-%d %H:%M}"
        if candidate.decided_at
        else "",
        candidate.decision_note,
        f"{measure.measure_type.name}（{measure.start:%Y-%m-%d}起）" if measure else "",
        evidence_text(candidate.evidence, names),
    ]


@export_kind(KIND, size=_size)
def case_workbook(owner: User, params: dict[str, Any], beat: Beat, stamp: Stamp) -> Exported:
    """The case's candidates in the owner's export scope and the case's own movements, built as
    the owner when the job runs."""
    case = _case(owner, params)
    candidates = list(_candidates(owner, case))
    movements = _movements(case)
    total = len(candidates) + len(movements)
    persons = [c.person_id for c in candidates]
    revealable = set(
        Person.objects.restrict(owner, Action.REVEAL)
        .filter(pk__in=persons)
        .values_list("pk", flat=True)
    )
    through = {p.get("through") for c in candidates for p in c.evidence if p.get("through")}
    names = {
        person.pk: person.name
        for person in Person.objects.restrict(owner, Action.VIEW).filter(pk__in=through)
    }
    book = Workbook(write_only=True)
    stamp.book(book)
    title = f"病例{case.pk}（{case.person.name}，{case.reported_on:%Y-%m-%d}报告）"
    sheet = stamp.sheet(book, "流调对象")
    append_row(sheet, [f"{title} 流调对象"])
    append_row(sheet, list(CANDIDATE_HEADERS))
    for candidate in candidates:
        append_row(sheet, _candidate_row(candidate, revealable, names))
    sheet = stamp.sheet(book, "病例行程")
    start, _end = lookback(case.reported_on)
    append_row(sheet, [f"{title} 行程 {start:%Y-%m-%d} 至 {case.reported_on:%Y-%m-%d}"])
    append_row(sheet, list(MOVEMENT_HEADERS))
    for at, kind, place, direction in movements:
        append_row(sheet, [f"{timezone.localtime(at):%Y-%m-%d %H:%M}", kind, place, direction])
    output = BytesIO()
    book.save(output)
    beat(total, total)
    return Exported(output.getvalue(), f"病例{case.pk}-流调.xlsx", total)


def trace_export(
    *,
    by: User,
    case: Case,
    reason: str,
    reason_text: str = "",
    origin: Origin = Origin.SYSTEM,
) -> Job:
    """Ask for the trace of `case` as an export job, for a user who may export the case's person
    (the street's command and task force, the community's workers); audited now."""
    if not Case.objects.restrict(by, Action.EXPORT).filter(pk=case.pk).exists():
        raise PermissionDenied("您无权导出该病例的流调 / you may not export this case's trace")
    return export_start(
        by=by,
        kind=KIND,
        params={"case": case.pk},
        reason=reason,
        reason_text=reason_text,
        origin=origin,
        label=f"病例{case.pk}流调",
    )
