"""Reads of the reports, check-ins and notices: the resident's (their own household only) and
the staff's (through `restrict`)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from wangge.accounts.authority import areas_held
from wangge.accounts.models import User
from wangge.core.roles import Action
from wangge.measures.models import CheckInSlot, PersonMeasure
from wangge.people.models import Person
from wangge.regions.models import Building, Community, Compound, Grid, Household, Street
from wangge.residents.models import Account, Notice, NoticeRead
from wangge.residents.selectors import members


@dataclass
class MemberCheckIns:
    """A member under a measure and today's check-in slots (due time, state)."""

    person: Person
    measure: PersonMeasure
    slots: list[CheckInSlot] = field(default_factory=list)

    @property
    def due(self) -> CheckInSlot | None:
        """The open slot whose window has opened (a check-in now counts for it), if any."""
        now = timezone.now()
        early = timedelta(minutes=settings.WANGGE["CHECKIN_EARLY_MINUTES"])
        return next(
            (
                s
                for s in self.slots
                if s.status == CheckInSlot.Status.OPEN and s.due_at <= now + early
            ),
            None,
        )


def checkins_today(account: Account) -> list[MemberCheckIns]:
    """The household's members under an active measure, each with today's slots."""
    measures = (
        PersonMeasure.objects.filter(
            person__in=members(account), status=PersonMeasure.Status.ACTIVE
        )
        .select_related("person", "measure_type")
        .order_by("person_id", "-start")
    )
    found: dict[int, MemberCheckIns] = {}
    for measure in measures:
        found.setdefault(measure.person_id, MemberCheckIns(measure.person, measure))
    today = timezone.localdate()
    start = timezone.make_aware(datetime.combine(today, datetime.min.time()))
    slots = CheckInSlot.objects.filter(
        measure__in=[row.measure for row in found.values()],
        due_at__gte=start,
        due_at__lt=start + timedelta(days=1),
    ).order_by("due_at")
    by_measure = {row.measure.pk: row for row in found.values()}
    for slot in slots:
        by_measure[slot.measure_id].slots.append(slot)
    return list(found.values())


def notices_for(account: Account) -> QuerySet[Notice]:
    """The notices in force of the areas holding the account's household, newest first, each
    with `is_read` for this account."""
    household = account.household
    if household is None:
        return Notice.objects.none()
    now = timezone.now()
    return (
        Notice.objects.filter(Notice.for_household(household))
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .annotate(is_read=Exists(NoticeRead.objects.filter(notice=OuterRef("pk"), account=account)))
        .order_by("-published_at", "-id")
    )


def notice_or_404(account: Account, pk: int) -> Notice:
    notice = notices_for(account).filter(pk=pk).first()
    if notice is None:
        raise Http404
    return notice


def unread_count(account: Account) -> int:
    read = NoticeRead.objects.filter(notice=OuterRef("pk"), account=account)
    return notices_for(account).exclude(Exists(read)).count()


def notice_households(notice: Notice, user: User) -> QuerySet[Household]:
    """The households of the notice's area that `user` may see."""
    households = Household.objects.restrict(user, Action.VIEW)
    if notice.level == Notice.Level.STREET:
        return households.filter(grid__community__street_id=notice.street_id)
    if notice.level == Notice.Level.COMMUNITY:
        return households.filter(grid__community_id=notice.community_id)
    if notice.level == Notice.Level.GRID:
        return households.filter(Q(grid_id=notice.grid_id) | Q(grid__parent_id=notice.grid_id))
    return households.filter(building__compound_id=notice.compound_id)


@dataclass(frozen=True)
class Reach:
    reads: int
    households: int
    reached: int

    @property
    def share(self) -> float:
        return round(100 * self.reached / self.households, 1) if self.households else 0.0


def notice_reach(notice: Notice, user: User) -> Reach:
    """Read receipts, and the share of the area's households (those `user` sees) with one."""
    households = notice_households(notice, user)
    reached = notice.reads.filter(household__in=households.values("pk"))
    counts = reached.aggregate(reads=Count("pk"), reached=Count("household", distinct=True))
    return Reach(counts["reads"], households.count(), counts["reached"])


def households_unread(notice: Notice, user: User) -> QuerySet[Household]:
    read = NoticeRead.objects.filter(notice=notice, household=OuterRef("pk"))
    return (
        notice_households(notice, user)
        .exclude(Exists(read))
        .select_related("building__compound", "grid")
    )


def publishable_areas(user: User) -> list[tuple[str, str]]:
    """The areas `user` may publish a notice to (`services.notices.may_publish`, read for all
    areas at once), as `level:id` choices, widest first."""
    choices = [(f"street:{s.pk}", f"街道：{s.name}") for s in areas_held(user, Action.EDIT, Street)]
    communities = list(areas_held(user, Action.EDIT, Community))
    choices += [(f"community:{c.pk}", f"社区：{c.name}") for c in communities]
    grids = list(areas_held(user, Action.EDIT, Grid).select_related("community"))
    choices += [(f"grid:{g.pk}", f"网格：{g.community.name}/{g.name}") for g in grids]
    held_communities, held_grids = {c.pk for c in communities}, {g.pk for g in grids}
    compounds = list(
        Compound.objects.restrict(user, Action.EDIT)
        .select_related("community")
        .order_by("community__name", "name")
    )
    spans: dict[int, set[int]] = defaultdict(set)
    for compound_id, grid_id in Building.objects.filter(
        compound__in=[c.pk for c in compounds]
    ).values_list("compound", "grid"):
        spans[compound_id].add(grid_id)
    choices += [
        (f"compound:{c.pk}", f"小区：{c.community.name}/{c.name}")
        for c in compounds
        if c.community_id in held_communities or (spans[c.pk] and spans[c.pk] <= held_grids)
    ]
    return choices
