"""包保 by hand: assign a holder with a 包保 duty to a person, household, building or grid, and end
such an assignment. The rows are people.Assignment, written by the people services (which check
that `by` may change the target: a grid worker assigns within their own grid only). Rows written by
a measure (三包), a care plan, a sweep or a unit are ended by what wrote them, not here."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from wangge.accounts.models import User
from wangge.core.origin import Origin
from wangge.people.models import Assignment, Person
from wangge.people.services import assignment_create, assignment_end
from wangge.regions.models import Building, Grid, Household
from wangge.teams.selectors.baobao import BAOBAO_DUTIES


@transaction.atomic
def baobao_assign(
    *,
    by: User,
    target: Person | Household | Building | Grid,
    holder: User | Person,
    duty: str,
    started: date | None = None,
    origin: Origin = Origin.SYSTEM,
) -> Assignment:
    if duty not in BAOBAO_DUTIES:
        raise ValidationError({"duty": "该职责不能在包保中指派 / not a 包保 duty"})
    return assignment_create(
        by=by, target=target, holder=holder, duty=duty, started=started, origin=origin
    )


@transaction.atomic
def baobao_end(
    *, by: User, assignment: Assignment, on: date | None = None, origin: Origin = Origin.SYSTEM
) -> Assignment:
    if assignment.source != Assignment.Source.MANUAL:
        raise ValidationError(
            f"该包保关系由{assignment.get_source_display()}维护，请在那里结束 / this assignment is kept by its {assignment.source}"
        )
    return assignment_end(by=by, assignment=assignment, on=on, origin=origin)
