"""Who a message is for: an audience as asked (`kind:value`), checked against the sender's
authority, and the recipients it stands for.

Kinds: street, community, grid, compound, building, unit (a path from the street down, see
notify.places), colour, tag, measure (narrowed by an area with `@path`), list and phones (a saved
list's id), role (`<role>[@path]`). Without `@path`, colour/tag/measure/role are drawn from the
sender's own area: the street for the system (by=None) and a street's command, the community of a
community worker, the grid of a grid worker; a sender who holds several areas must name one.
The audience's street/community/grid are the narrowest area holding it: the message is scoped by it.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import translation

from wangge.accounts.staff_import.reader import role_from_text
from wangge.core.roles import Role
from wangge.measures.models import MeasureType
from wangge.notify.models import Channel, SavedList
from wangge.notify.places import (
    LEVEL_LABELS,
    LEVELS,
    AudienceError,
    Place,
    own_place,
    place_find,
    segment,
    street_choose,
)
from wangge.notify.recipient_rows import RecipientRow, Selection, rows_for
from wangge.people.models import Tag
from wangge.regions.choices import HouseholdColour
from wangge.regions.models import Street

__all__ = ["Audience", "AudienceError", "RecipientRow", "audience_parse", "recipients"]

AREA_KINDS = LEVELS
NARROWED_KINDS = ("colour", "tag", "measure", "role")
LIST_KINDS = ("list", "phones")
KINDS = (*AREA_KINDS, *NARROWED_KINDS, *LIST_KINDS)


@dataclass(frozen=True)
class Audience:
    kind: str
    value: str
    label: str
    street_id: int
    community_id: int | None
    grid_id: int | None
    # What recipients() reads, resolved once: the area the audience is drawn from (a unit is its
    # building's id and the unit as stored), and the kind's target (a colour or a role value; the
    # tag, the measure types, or the saved list by id).
    area_level: str = "street"
    area_id: int = 0
    unit: str = ""
    target: str = ""
    target_ids: tuple[int, ...] = ()


def audience_parse(kind: str, value: str, *, by: Any | None, street: str | None = None) -> Audience:
    """The audience `kind:value` as `by` may address it (None: the system, everything);
    AudienceError (with candidates where a name was unclear) otherwise. The audience's `value`
    is canonical (the full path; `target@level:path` for the narrowed kinds, the sender's own area
    spelt out): parsed again with by=None it gives the same audience."""
    kind = segment(kind)
    value = segment(value)
    if kind not in KINDS:
        raise AudienceError(
            f"未知的通知对象类型“{kind}” / unknown audience kind '{kind}'", KINDS, "invalid"
        )
    if kind in LIST_KINDS:
        return _list_audience(kind, value, by, street)
    chosen = street_choose(street, by)
    if kind == "street":
        if value and value != chosen.name:
            chosen = street_choose(value, by)
        place = place_find(chosen.name, chosen, by, ["street"], LEVEL_LABELS["street"])
        return _audience(kind, chosen.name, chosen.name, place)
    if kind in AREA_KINDS:
        place = place_find(value, chosen, by, [kind], LEVEL_LABELS[kind])
        return _audience(kind, place.path, f"{LEVEL_LABELS[kind][0]}：{place.path}", place)
    target, _, where = value.partition("@")
    level, colon, path = where.partition(":")
    levels = [level] if colon and level in LEVELS else LEVELS
    place = (
        place_find(path if len(levels) == 1 else where, chosen, by, levels, ("区域", "area"))
        if where
        else own_place(by, chosen)
    )
    if kind == "colour":
        colour = _colour(target)
        label = f"{HouseholdColour(colour).label}户：{place.path}"
        return _audience(kind, _at(colour, place), label, place, target=colour)
    if kind == "tag":
        tag = _tag(target)
        label = f"标签“{tag.name}”：{place.path}"
        return _audience(kind, _at(tag.name, place), label, place, ids=(tag.pk,))
    if kind == "measure":
        name, ids = _measure_types(target)
        label = f"管控措施“{name}”：{place.path}"
        return _audience(kind, _at(name, place), label, place, ids=ids)
    role = role_from_text(target)
    if role is None:
        raise AudienceError(
            f"未知角色“{target}” / unknown role '{target}'", [str(v) for v in Role.values]
        )
    with translation.override("zh-hans"):
        label = f"{Role(role).label}：{place.path}"
    return _audience(kind, _at(role, place), label, place, target=role)


def _at(target: str, place: Place) -> str:
    """The value as it is kept: the area spelt out with its level, so that parsing it again (by
    the system, at send time) finds the same audience whoever asked."""
    return f"{target}@{place.level}:{place.path}"


def _audience(
    kind: str, value: str, label: str, place: Place, target: str = "", ids: tuple[int, ...] = ()
) -> Audience:
    community, grid = place.narrowest
    return Audience(
        kind=kind,
        value=value,
        label=label[:300],
        street_id=place.street_id,
        community_id=community,
        grid_id=grid,
        area_level=place.level,
        area_id=place.id,
        unit=place.unit,
        target=target,
        target_ids=ids,
    )


def _colour(text: str) -> str:
    with translation.override("zh-hans"):
        names = {str(label): value for value, label in HouseholdColour.choices}
    names |= {name[:-1]: value for name, value in names.items()}
    colour = text.lower() if text.lower() in HouseholdColour.values else names.get(text)
    if colour is None:
        raise AudienceError(
            f"未知户色“{text}” / unknown colour '{text}'", list(HouseholdColour.values)
        )
    return colour


def _tag(text: str) -> Tag:
    tag = next((t for t in Tag.objects.all() if text in (segment(t.name), t.code)), None)
    if tag is None:
        names = Tag.objects.order_by("name").values_list("name", flat=True)
        raise AudienceError(f"没有标签“{text}” / no tag '{text}'", names, "not_found")
    return tag


def _measure_types(text: str) -> tuple[str, tuple[int, ...]]:
    """A category (居家隔离, home_isolation), a reason (密切接触者, close_contact) or a type's name
    (in any rule set): the name to show and the measure types it covers."""
    with translation.override("zh-hans"):
        categories = {str(label): value for value, label in MeasureType.Category.choices}
        reasons = {str(label): value for value, label in MeasureType.AppliesTo.choices if value}
    types = MeasureType.objects.all()
    if text in categories.values() or text in categories:
        code = categories.get(text, text)
        chosen = types.filter(category=code)
    elif text in reasons.values() or text in reasons:
        chosen = types.filter(applies_to=reasons.get(text, text))
    else:
        chosen = types.filter(
            pk__in=[pk for pk, name in types.values_list("pk", "name") if segment(name) == text]
        )
    ids = tuple(sorted(chosen.values_list("pk", flat=True)))
    if not ids:
        names = sorted({*categories, *reasons, *types.values_list("name", flat=True)})
        raise AudienceError(f"没有管控措施“{text}” / no measure '{text}'", names[:40], "not_found")
    return text, ids


def _list_audience(kind: str, value: str, by: Any, street: str | None) -> Audience:
    missing = AudienceError(
        f"没有编号为“{value}”的名单，或您无权使用 / no saved list '{value}' you may use",
        code="not_found",
    )
    if not value.isdigit():
        raise missing
    lists = SavedList.objects.all() if by is None else SavedList.objects.restrict(by, "view")
    saved = lists.filter(pk=int(value)).select_related("street").first()
    if saved is None or (street and segment(street) != saved.street.name):
        raise missing
    what = "手机号名单" if kind == "phones" else "名单"
    return Audience(
        kind=kind,
        value=value,
        label=f"{what}“{saved.name}”"[:300],
        street_id=saved.street_id,
        community_id=saved.community_id,
        grid_id=saved.grid_id,
        area_level="grid" if saved.grid_id else "community" if saved.community_id else "street",
        area_id=saved.grid_id or saved.community_id or saved.street_id,
        target_ids=(saved.pk,),
    )


def recipients(audience: Audience, channels: Sequence[str], kind: str) -> Iterator[RecipientRow]:
    """The recipients the audience stands for now, one row each (see docs/notify.md): persons (or
    households, for a colour) and staff on the person channels, a grid's robot on a group channel;
    a recipient without an address on any chosen channel is kept as unreachable. Opt-outs drop a
    person for non-emergency kinds. Read in chunks with a few set-based queries."""
    unknown = [channel for channel in channels if channel not in Channel.values]
    if unknown:
        raise AudienceError(f"未知渠道 / unknown channel: {', '.join(unknown)}", Channel.values)
    selection = Selection(
        kind=audience.kind,
        level=audience.area_level,
        area_id=audience.area_id,
        unit=audience.unit,
        street_id=audience.street_id,
        target=audience.target,
        target_ids=audience.target_ids,
    )
    if not Street.objects.filter(pk=audience.street_id).exists():
        raise AudienceError("街道不存在 / the street is gone", code="not_found")
    yield from rows_for(selection, tuple(channels), kind)
