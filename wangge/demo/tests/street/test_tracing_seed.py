"""The demo street's traces (seeded once for the package, see conftest.py): every case traced on
its report day, with co-residents, checkpoint and venue overlaps and a second hop; the first two
cases' candidates partly confirmed (under contact measures, sent to the grid workers) and
dismissed with a reason; the third case's waiting; and a worklist for the demo grid worker."""

from wangge.accounts.models import User
from wangge.command.models import VerificationList
from wangge.measures.models import Case
from wangge.people.models import Person
from wangge.tracing.models import Candidate, CandidateStatus, Path, Trace
from wangge.tracing.selectors import visible_candidates
from wangge.tracing.services.engine import find_candidates


def test_every_case_is_traced_with_every_kind_of_evidence(street_db):
    cases = list(Case.objects.order_by("reported_on", "pk"))
    assert len(cases) == 3
    for case in cases:
        trace = Trace.objects.filter(case=case).get()
        assert trace.run_at.date() == case.reported_on
        assert trace.counts["co_residents"] > 0 and trace.counts["co_located"] > 0
    kinds = {
        piece["kind"]
        for evidence in Candidate.objects.values_list("evidence", flat=True)
        for piece in evidence
    }
    assert kinds == {"household", "checkpoint", "venue"}
    assert Candidate.objects.filter(case=cases[0], path=Path.SECOND_HOP).exists()


def test_the_window_edges_show_in_the_demo(street_db):
    minutes = sorted(
        piece["minutes"]
        for evidence in Candidate.objects.values_list("evidence", flat=True)
        for piece in evidence
        if piece["kind"] != "household" and "through" not in piece
    )
    assert 30 in minutes and max(minutes) <= 30


def test_decisions_made_and_waiting(street_db):
    first, second, third = Case.objects.order_by("reported_on", "pk")
    confirmed = Candidate.objects.filter(status=CandidateStatus.CONFIRMED)
    located = confirmed.filter(path=Path.CO_LOCATED)
    assert located.filter(case=first).count() == 3 and located.filter(case=second).count() == 2
    assert confirmed.filter(case=first, hop=2).count() == 1
    housemates = confirmed.filter(case=first, path=Path.CO_RESIDENT)
    assert housemates.exists()
    assert all(c.measure.start == first.reported_on for c in housemates)  # the household's
    assert not confirmed.filter(measure=None).exists()
    dismissed = Candidate.objects.filter(status=CandidateStatus.DISMISSED)
    assert dismissed.filter(case__in=[first, second]).count() == 2
    assert all(c.decision_note for c in dismissed)
    assert not Candidate.objects.filter(case=third).exclude(status=CandidateStatus.PENDING).exists()
    assert VerificationList.objects.filter(title__contains=f"病例{first.pk}").exists()


def test_a_rerun_finds_the_same_candidates(street_db):
    for case in Case.objects.all():
        found = find_candidates(case)
        stored = set(Candidate.objects.filter(case=case).values_list("person_id", flat=True))
        assert set(found.paths) == stored


def test_the_demo_grid_worker_has_candidates_to_verify_and_only_of_their_grid(street_db):
    worker = User.objects.get(username="demo-grid")
    mine = visible_candidates(worker)
    assert mine.filter(status=CandidateStatus.PENDING).exists()
    persons = set(mine.values_list("person", flat=True))
    assert persons <= set(Person.objects.restrict(worker).values_list("pk", flat=True))
