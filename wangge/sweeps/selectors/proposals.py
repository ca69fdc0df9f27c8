"""The grid worker's queue of what the visits found, household by household, each finding with
the answer it came from and what confirming it would change."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from wangge.core.roles import Action
from wangge.sweeps.models import Proposal, ProposalStatus, Visit

Kind = Proposal.Kind
# The questions of the form (sweeps/checks.py) each kind of finding comes from, and their words.
ANSWERS_OF: dict[str, tuple[str, ...]] = {
    Kind.PERSON_FIELD: ("residents.phone",),
    Kind.MOVED_OUT: ("residents.present",),
    Kind.NEW_PERSON: ("residents.newcomers",),
    Kind.RETURNEE: ("travel.away", "travel.risk_area", "travel.places", "travel.returned_on"),
    Kind.UNVACCINATED: ("vaccination.doses",),
    Kind.NEED: ("elderly.need", "elderly.kind", "elderly.detail"),
}
ANSWER_LABELS = {
    "residents.phone": "新电话",
    "residents.present": "仍在此居住",
    "residents.newcomers": "新住户",
    "travel.away": "离开过本市",
    "travel.risk_area": "到过中高风险地区",
    "travel.places": "去过的地方",
    "travel.returned_on": "返回日期",
    "vaccination.doses": "接种情况",
    "elderly.need": "有困难或需求",
    "elderly.kind": "需求类别",
    "elderly.detail": "需求说明",
}
VALUE_LABELS = {
    "none": "未接种",
    "partial": "未全程",
    "full": "已全程",
    "booster": "已加强",
    "medicine": "代购药品",
    "groceries": "生活物资",
    "doctor": "就医",
    "care": "生活照料",
    "other": "其他",
}
# Where a confirmed finding's result is shown.
OUTCOME_PAGES = {
    "people.person": "people:person_detail",
    "measures.arrivalreport": "measures:arrival",
    "command.task": "command:task_detail",
}


def proposals_for(user: Any, status: str = ProposalStatus.PROPOSED) -> QuerySet[Proposal]:
    """The findings in the user's grids with this status ("" for all), household by household."""
    rows = Proposal.objects.restrict(user, Action.VIEW).select_related(
        "visit__household__building__compound", "visit__grid", "visit__campaign", "person"
    )
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("visit__building", "visit__household", "kind", "pk")


def change_of(proposal: Proposal) -> str:
    """What confirming the finding would change, in the worker's words."""
    details, person = proposal.details, proposal.person
    name = person.name if person else str(details.get("name") or "")
    if proposal.kind == Kind.PERSON_FIELD:
        old = person.phone_masked if person else ""
        return f"{name}的电话：{old or '（空）'} → {details.get('masked') or '（空）'}"
    if proposal.kind == Kind.MOVED_OUT:
        return f"{name}：在住 → 迁出"
    if proposal.kind == Kind.NEW_PERSON:
        return f"本户新增 {name} {details.get('masked') or ''}".strip()
    if proposal.kind == Kind.RETURNEE:
        places = details.get("places") or "外地"
        return (
            f"返乡报备：{name} 自{places}返回（{details.get('returned_on') or ''}），待定管控措施"
        )
    if proposal.kind == Kind.UNVACCINATED:
        return f"交办片医（或网格）：{name}，{details.get('age', '')}岁，未接种疫苗"
    need = VALUE_LABELS.get(str(details.get("kind") or ""), "困难需求")
    return f"交办网格：{need} {details.get('detail') or ''}".strip()


def answer_of(proposal: Proposal) -> str:
    """The answers of the visit that gave rise to the finding: its check's questions, narrowed to
    the finding's person where a question was asked of each member."""
    answers = proposal.visit.answers or {}
    member = str(proposal.person_id) if proposal.person_id else None
    parts = []
    for key in ANSWERS_OF[proposal.kind]:
        value = answers.get(key)
        if isinstance(value, dict) and member is not None:
            value = value.get(member)
        if value is None or value == "" or isinstance(value, dict | list):
            continue
        shown = ("是" if value else "否") if isinstance(value, bool) else str(value)
        parts.append(f"{ANSWER_LABELS[key]}：{VALUE_LABELS.get(shown, shown)}")
    return "；".join(parts)


def outcome_url(proposal: Proposal) -> str | None:
    page = OUTCOME_PAGES.get(proposal.outcome_model)
    if page is None or proposal.outcome_id is None:
        return None
    return reverse(page, args=[proposal.outcome_id])


@dataclass
class Finding:
    proposal: Proposal
    change: str  # what confirming would change
    answer: str  # the visit's answer it came from
    outcome_url: str | None  # where what it became is shown


@dataclass
class HouseholdFindings:
    visit: Visit
    findings: list[Finding]


def grouped(proposals: list[Proposal]) -> list[HouseholdFindings]:
    """The findings in household order, each household once."""
    groups: dict[int, HouseholdFindings] = {}
    for proposal in proposals:
        group = groups.setdefault(proposal.visit_id, HouseholdFindings(proposal.visit, []))
        finding = Finding(proposal, change_of(proposal), answer_of(proposal), outcome_url(proposal))
        group.findings.append(finding)
    return list(groups.values())
