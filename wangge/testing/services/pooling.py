"""After results arrive: pooled tubes (10混1, 20混1), single-tube retests, positives, measures.

A tube code shared by more than one sample taken within WANGGE["TESTING_POOL_WINDOW_HOURS"] of each
other is a pooled tube (tube codes are unique within a day's sampling, not for ever). When a pooled tube is positive or invalid, every
result in it goes into review (待复核), the grid workers of those persons are alerted and the
command centre gets one event per tube. A later single-tube result of the person settles their
review. A positive single tube is an event of its own. A person under a control measure has every
new or corrected result passed on to measures.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from wangge.accounts.models import User
from wangge.accounts.selectors import grid_workers_of
from wangge.core.services import post_alert
from wangge.people.models import Person
from wangge.testing.models import (
    FLAGGING_OUTCOMES,
    LabResult,
    Outcome,
    ResultImport,
    UnmatchedResult,
)

_IN_CHUNK = 5000
_MEASURE_RESULTS = {
    Outcome.NEGATIVE: "negative",
    Outcome.POSITIVE: "positive",
    Outcome.PENDING: "pending_review",
    Outcome.INVALID: "invalid",
}


def _chunked(values: Iterable[Any]) -> Iterable[list[Any]]:
    values = list(values)
    for start in range(0, len(values), _IN_CHUNK):
        yield values[start : start + _IN_CHUNK]


Span = tuple[datetime, datetime]


def _near(span: Span) -> Q:
    """Samples taken close enough to `span` to share a tube with it."""
    window = timedelta(hours=settings.WANGGE["TESTING_POOL_WINDOW_HOURS"])
    return Q(sampled_at__gte=span[0] - window, sampled_at__lte=span[1] + window)


def tube_sizes(tubes: Iterable[str], span: Span) -> dict[str, int]:
    """How many samples (matched or not) each tube holds."""
    sizes: dict[str, int] = defaultdict(int)
    for chunk in _chunked({t for t in tubes if t}):
        for model in (LabResult, UnmatchedResult):
            for tube, count in (
                model.objects.filter(_near(span), tube_code__in=chunk)
                .values_list("tube_code")
                .annotate(n=Count("pk"))
                .values_list("tube_code", "n")
            ):
                sizes[tube] += count
    return sizes


def after_import(
    *,
    batch: ResultImport,
    flagged_tubes: set[str],
    span: Span | None,
    corrected_ids: list[int],
    by: User,
) -> None:
    """Everything a batch of new or corrected results sets off, set-based. `span` is the first and
    the last sample time of the file."""
    changed = LabResult.objects.filter(Q(source_import=batch) | Q(pk__in=corrected_ids))
    if span is not None:
        pools_flag(tubes=flagged_tubes, span=span, by=by)
    retests_settle(results=changed)
    if span is not None:
        positives_report(tubes=flagged_tubes, span=span, by=by)
    measures_record(results=changed)


def after_result(*, result: LabResult, by: User) -> None:
    """The same for one result (a row of the resolution list that staff matched to a person)."""
    tubes = {result.tube_code} if result.result in FLAGGING_OUTCOMES and result.tube_code else set()
    span = (result.sampled_at, result.sampled_at)
    pools_flag(tubes=tubes, span=span, by=by)
    retests_settle(results=LabResult.objects.filter(pk=result.pk))
    positives_report(tubes=tubes, span=span, by=by)
    measures_record(results=LabResult.objects.filter(pk=result.pk))


def pools_flag(*, tubes: set[str], span: Span, by: User) -> list[int]:
    """Put every result of a positive or invalid pooled tube into review; alert and raise events.
    Results already in review or settled are left alone, so running it twice alerts once."""
    sizes = tube_sizes(tubes, span)
    pooled = [tube for tube in tubes if sizes.get(tube, 0) > 1]
    marked: list[int] = []
    for chunk in _chunked(pooled):
        rows = LabResult.objects.filter(_near(span), tube_code__in=chunk).values_list(
            "tube_code", "pk", "person_id", "result", "review"
        )
        by_tube: dict[str, list[tuple[int, int | None, str, str]]] = defaultdict(list)
        for tube, pk, person_id, result, review in rows:
            by_tube[tube].append((pk, person_id, result, review))
        flagged_unmatched = set(
            UnmatchedResult.objects.filter(
                _near(span), tube_code__in=chunk, result__in=FLAGGING_OUTCOMES
            )
            .values_list("tube_code", flat=True)
            .distinct()
        )
        for tube, members in by_tube.items():
            outcomes = {result for _, _, result, _ in members}
            if not (outcomes & set(FLAGGING_OUTCOMES)) and tube not in flagged_unmatched:
                continue
            fresh = [(pk, person_id) for pk, person_id, _, review in members if not review]
            if not fresh:
                continue
            LabResult.objects.filter(pk__in=[pk for pk, _ in fresh]).update(
                review=LabResult.Review.AWAITING
            )
            marked += [pk for pk, _ in fresh]
            persons = [person_id for _, person_id in fresh if person_id]
            _announce_pool(tube, persons, Outcome.POSITIVE in outcomes, sizes[tube], by)
    return marked


def _announce_pool(tube: str, person_ids: list[int], positive: bool, size: int, by: User) -> None:
    what = "阳性 / positive" if positive else "无效 / invalid"
    text = (
        f"混管{what}：管码 {tube}，{len(person_ids)} 人待复核，请通知单管复检 / "
        f"pooled tube {tube}: {len(person_ids)} persons need a single-tube retest"
    )
    persons = list(
        Person.objects.filter(pk__in=person_ids).select_related(
            "household__grid__community__street"
        )
    )
    grids = {p.household.grid_id for p in persons if p.household_id}
    post_alert(grid_workers(grids), "testing.pool_review", text, reverse("testing:review"))
    if persons:
        _raise_event(
            title=f"混管{what}：管码 {tube}（{size} 管样本）",
            persons=persons,
            by=by,
        )


def grid_workers(grid_ids: set[int]) -> list[Any]:
    """The grid workers of these grids and of the big grids above them."""
    user_ids = {user for users in grid_workers_of(grid_ids).values() for user in users}
    return list(User.objects.filter(pk__in=user_ids))


def retests_settle(*, results: Any) -> int:
    """A single-tube result settles the person's earlier results in review."""
    awaiting = LabResult.objects.filter(review=LabResult.Review.AWAITING, person__isnull=False)
    persons = set(awaiting.values_list("person_id", flat=True))
    if not persons:
        return 0
    candidates = list(
        results.filter(person_id__in=persons).values_list(
            "pk", "person_id", "sampled_at", "tube_code"
        )
    )
    if not candidates:
        return 0
    times = [sampled_at for _, _, sampled_at, _ in candidates]
    sizes = tube_sizes((tube for _, _, _, tube in candidates), (min(times), max(times)))
    settled = 0
    for pk, person_id, sampled_at, tube in sorted(candidates, key=lambda c: c[2]):
        if tube and sizes.get(tube, 0) > 1:
            continue
        settled += awaiting.filter(person_id=person_id, sampled_at__lt=sampled_at).update(
            review=LabResult.Review.SETTLED, settled_by_id=pk
        )
    return settled


def positives_report(*, tubes: set[str], span: Span, by: User) -> int:
    """One event for each positive single-tube result among these tubes."""
    sizes = tube_sizes(tubes, span)
    single = [tube for tube in tubes if sizes.get(tube) == 1]
    results = LabResult.objects.filter(
        _near(span), tube_code__in=single, result=Outcome.POSITIVE, person__isnull=False
    ).select_related("person__household__grid__community__street")
    count = 0
    for result in results:
        _raise_event(
            title=f"核酸阳性（单管）：{result.person.name}，管码 {result.tube_code}",
            persons=[result.person],
            by=by,
        )
        count += 1
    return count


def _raise_event(*, title: str, persons: list[Any], by: User) -> None:
    from wangge.command.services.events import event_raise

    homes = {p.household_id: p.household for p in persons if p.household_id}
    grids = {home.grid for home in homes.values()}
    first = next(iter(homes.values()), None)
    event_raise(
        kind="positive_test",
        title=title[:200],
        persons=persons,
        household=next(iter(homes.values())) if len(homes) == 1 else None,
        grid=next(iter(grids)) if len(grids) == 1 else None,
        street=first.grid.community.street if first is not None else None,
        source="核酸检测结果导入 / lab results",
        by=by,
    )


def measures_record(*, results: Any) -> int:
    """Pass results of persons under a control measure on to measures (their test days). The lab
    import records them as the system: the importer need not be on the person's team."""
    from wangge.measures.models import PersonMeasure

    under = PersonMeasure.objects.active().values("person_id")
    today = timezone.localdate()
    rows = [
        result
        for result in results.filter(person_id__in=under)
        .select_related("person")
        .order_by("sampled_at")
        if timezone.localtime(result.sampled_at).date() <= today
    ]
    if not rows:
        return 0
    from wangge.measures.services import measure_test_record

    for result in rows:
        in_review = result.review == LabResult.Review.AWAITING
        measure_test_record(
            by=None,
            person=result.person,
            sampled_on=timezone.localtime(result.sampled_at).date(),
            result=_MEASURE_RESULTS[Outcome.PENDING if in_review else result.result],
            source="lab",
        )
    return len(rows)
