"""The demo resident's 小区码: the household the demo signs in as (the first household of the demo
grid with a member under an active measure) has its members' codes issued by the grid worker, as
cards are printed per building, so the phone's code and the printed card show the same token."""

from wangge.checkpoints.models import PersonalCode
from wangge.checkpoints.services import personal_codes_issue
from wangge.demo.outbreak.cast import Cast
from wangge.demo.outbreak.clock import moment
from wangge.measures.models import PersonMeasure
from wangge.people.models import Person


def demo_codes_issue(cast: Cast) -> int:
    """Codes for every member of the demo resident's household that has none; how many."""
    measured = (
        PersonMeasure.objects.active(on=cast.calendar.today)
        .filter(person__household__grid=cast.grid)
        .order_by("person__household_id")
        .values_list("person__household_id", flat=True)
        .first()
    )
    if measured is None:
        return 0
    members = Person.objects.filter(household_id=measured).exclude(
        pk__in=PersonalCode.objects.values("person_id")
    )
    with moment(cast.calendar.now):
        return personal_codes_issue(by=cast.grid_worker, persons=list(members))
