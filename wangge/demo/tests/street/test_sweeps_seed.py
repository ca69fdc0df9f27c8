"""The demo street's sweep (seeded once for the package, see conftest.py): one campaign over every
household of the first community, half of it done through the attempt rules, proxies after three
times of day, proposals waiting, sweepers per grid."""

from django.db.models import Count

from wangge.people.models import Assignment, Duty
from wangge.regions.models import Household
from wangge.sweeps.models import (
    AttemptResult,
    Campaign,
    CampaignStatus,
    Proposal,
    ProposalStatus,
    Visit,
    VisitStatus,
)
from wangge.sweeps.services.visits import proxy_allowed


def test_one_running_campaign_visits_every_household_of_the_first_community_half_done(street_db):
    campaign = Campaign.objects.get()
    assert campaign.status == CampaignStatus.RUNNING
    assert campaign.checks == ["travel", "vaccination", "elderly"]
    community = Assignment.objects.get(
        source_id=campaign.pk, holder_user__username="demo-grid", duty=Duty.SWEEPER
    ).grid.community
    assert campaign.visits.count() == Household.objects.filter(grid__community=community).count()
    done = campaign.visits.exclude(status=VisitStatus.PENDING).count()
    assert 0.4 <= done / campaign.visits.count() <= 0.6


def test_about_half_the_demo_grid_is_done_in_every_way(street_db):
    campaign = Campaign.objects.get()
    grid = Assignment.objects.get(
        source_id=campaign.pk, holder_user__username="demo-grid", duty=Duty.SWEEPER
    ).grid
    visits = Visit.objects.filter(campaign=campaign, grid=grid)
    statuses = dict(visits.values_list("status").annotate(n=Count("pk")))
    done = visits.exclude(status=VisitStatus.PENDING).count()
    assert 0.4 <= done / visits.count() <= 0.6
    assert set(statuses) == set(VisitStatus.values)
    waiting = visits.filter(status=VisitStatus.PENDING, attempts__isnull=False).distinct()
    assert waiting.exists()
    for visit in visits.filter(status=VisitStatus.PROXY):
        assert visit.proxy_name and proxy_allowed(visit.attempts.all())
        assert visit.attempts.filter(result=AttemptResult.NOBODY_HOME).count() == 3


def test_answers_left_proposals_waiting_and_sweepers_hold_grids(street_db):
    kinds = set(
        Proposal.objects.filter(status=ProposalStatus.PROPOSED).values_list("kind", flat=True)
    )
    assert {"unvaccinated", "need", "returnee"} <= kinds
    sweepers = Assignment.objects.filter(source=Assignment.Source.SWEEP, duty=Duty.SWEEPER)
    assert sweepers.filter(holder_user__username="demo-grid").exists()
    assert not sweepers.filter(grid__isnull=True).exists()
