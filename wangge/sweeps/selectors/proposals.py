"""The grid worker's queue of what the visits found, household by household, each finding with
the answer it came from and what confirming it would change."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from wangge.core.roles import Action
from wangge.people.models import Person
from wangge.sweeps.models import Proposal, ProposalStatus, Visit

Kind = Proposal.Kind
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


def _choice(choices: type, value: Any) -> str:
    return str(dict(choices.choices).get(value, value or ""))


def change_of(proposal: Proposal) -> str:
    """What confirming the finding would change, in the worker's words."""
    details, person = proposal.details, proposal.person
    name = person.name if person else str(details.get("name") or "")
    if proposal.kind == Kind.PERSON_FIELD:
        field = str(details.get("field") or "")
        label = "电话" if field == "phone" else _field_label(field)
        return (
            f"{name}的{label}：{details.get('old') or '（空）'} → {details.get('new') or '（空）'}"
        )
    if proposal.kind == Kind.MOVED_OUT:
        return f"{name}：在住 → 迁出"
    if proposal.kind == Kind.NEW_PERSON:
        relation = _choice(Person.Relation, details.get("relation"))
        return f"本户新增 {name}（{relation}）{details.get('id_number') or ''}".strip()
    if proposal.kind == Kind.RETURNEE:
        place = "".join(str(details.get(k) or "") for k in ("origin_province", "origin_city"))
        return f"返乡报备：{name} 自{place or '外地'}返回（{details.get('arrived_on') or ''}），待定管控措施"
    if proposal.kind == Kind.UNVACCINATED:
        return f"交办片医（或网格）：{name} 未接种疫苗"
    return f"交办网格：{details.get('need') or '困难需求'}"


def _field_label(field: str) -> str:
    try:
        return str(Person._meta.get_field(field).verbose_name)
    except LookupError:
        return field


def answer_of(proposal: Proposal) -> str:
    """The answer of the visit that gave rise to the finding (its check's, when it names one)."""
    answers = proposal.visit.answers or {}
    check = proposal.details.get("check")
    chosen = {check: answers[check]} if check in answers else answers
    return "；".join(f"{key}：{_plain(value)}" for key, value in chosen.items())


def _plain(value: Any) -> str:
    if isinstance(value, dict):
        return "，".join(f"{k} {_plain(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "、".join(_plain(v) for v in value)
    return "是" if value is True else "否" if value is False else str(value)


def outcome_url(proposal: Proposal) -> str | None:
    page = OUTCOME_PAGES.get(proposal.outcome_model)
    if page is None or proposal.outcome_id is None:
        return None
    return reverse(page, args=[proposal.outcome_id])


@dataclass
class HouseholdFindings:
    visit: Visit
    findings: list[tuple[Proposal, str, str]]  # (finding, what it would change, the answer)


def grouped(proposals: list[Proposal]) -> list[HouseholdFindings]:
    """The findings in household order, each household once."""
    groups: dict[int, HouseholdFindings] = {}
    for proposal in proposals:
        group = groups.setdefault(proposal.visit_id, HouseholdFindings(proposal.visit, []))
        group.findings.append((proposal, change_of(proposal), answer_of(proposal)))
    return list(groups.values())
