"""Who may be named a holder (包保人, 关爱人): the active staff of the user's streets, and the
persons of the user's area who serve (楼栋长, 党员, 党小组长). The forms and the API offer these."""

from django.db.models import Q, QuerySet

from wangge.accounts.models import User
from wangge.core.roles import Action
from wangge.people.models import Person
from wangge.regions.models import Street

SERVING_TAGS = ("building_leader", "party_member", "party_group_leader")


def staff_of_area(user: User) -> QuerySet[User]:
    streets = Street.objects.restrict(user, Action.VIEW).values("pk")
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(role_assignments__street__in=streets)
            | Q(role_assignments__community__street__in=streets)
            | Q(role_assignments__grid__community__street__in=streets)
        )
        .distinct()
        .order_by("full_name", "username")
    )


def serving_persons(user: User) -> QuerySet[Person]:
    return (
        Person.objects.restrict(user, Action.VIEW)
        .filter(tags__code__in=SERVING_TAGS, status=Person.Status.PRESENT)
        .distinct()
        .order_by("name_pinyin", "pk")
    )
