"""Reads over persons that are more than a filter."""

from django.db.models import QuerySet

from wangge.accounts.models import User
from wangge.people.models import Assignment, Person


def assigned_persons(user: User) -> QuerySet[Person]:
    """Persons a doctor or police officer is responsible for (包保), as far as scope allows."""
    return (
        Person.objects.restrict(user)
        .filter(pk__in=Assignment.objects.held_by(user).values("person"))
        .select_related("household__building__compound", "household__grid")
        .order_by("name_pinyin", "pk")
    )
