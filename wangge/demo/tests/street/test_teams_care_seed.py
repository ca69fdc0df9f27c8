"""The demo street's 包保 and one-to-one care (seeded once for the package, see conftest.py): every
household under a measure has a street cadre and most a full 五包一 team, every grid its street
level, three dozen residents under care with a week of calls, and the overdue sweep has alerted
demo-grid, whose phone list shows the overdue in red."""

from django.test import Client

from wangge.accounts.models import User
from wangge.core.models import Alert
from wangge.people.models import Duty
from wangge.teams.models import CarePlan, WelfareCall
from wangge.teams.selectors.baobao import household_teams, measured_households


def test_households_under_a_measure_have_their_five_for_one_with_a_few_gaps(street_db):
    commander = User.objects.get(username="demo-commander")
    teams = household_teams(measured_households(commander), "five")
    assert teams and all(t.members[Duty.STREET_CADRE] for t in teams)
    full = sum(1 for t in teams if t.full)
    assert len(teams) / 2 < full < len(teams)


def test_plans_have_a_week_of_calls_and_the_overdue_alert_went_out(street_db):
    assert CarePlan.objects.count() == 36
    assert WelfareCall.objects.count() > 36 * 5
    grid_worker = User.objects.get(username="demo-grid")
    assert Alert.objects.filter(recipient=grid_worker, kind="care", text__contains="超时").exists()
    client = Client()
    client.force_login(grid_worker)
    page = client.get("/teams/care/").content.decode()
    assert page.count('data-testid="care-mine"') >= 4 and "已超时" in page
