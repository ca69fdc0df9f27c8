"""Which list a new position or unit goes to: a street or community the user edits, chosen in a
select as `s<id>` or `c<id>`."""

from django.http import HttpRequest

from wangge.accounts.authority import areas_held
from wangge.core.roles import Action
from wangge.regions.models import Community, Street


def edit_areas(user: object) -> list[tuple[str, str]]:
    """The streets and communities `user` edits, as the select offers them."""
    areas = [(f"s{s.pk}", s.name) for s in areas_held(user, Action.EDIT, Street)]
    areas += [
        (f"c{c.pk}", f"{c.street.name} · {c.name}")
        for c in areas_held(user, Action.EDIT, Community).select_related("street")
    ]
    return areas


def chosen_area(request: HttpRequest) -> tuple[Street | None, Community | None]:
    """The street and community of the posted `area`, if the user edits it; (None, None) else."""
    area = request.POST.get("area", "")
    kind, number = area[:1], area[1:]
    if not number.isdigit() or len(number) > 18:
        return None, None
    if kind == "s":
        return areas_held(request.user, Action.EDIT, Street).filter(pk=number).first(), None
    if kind == "c":
        community = areas_held(request.user, Action.EDIT, Community).filter(pk=number).first()
        return (community.street if community else None), community
    return None, None
