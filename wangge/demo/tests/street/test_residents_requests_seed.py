"""The demo street's residents' requests (seeded once for the package, see conftest.py): about 120
in every state, most done ones rated, some escalated, a few waiting in the demo grid, two tasks."""

from wangge.accounts.models import User
from wangge.residents.models import HelpRequest, RequestStatus


def test_requests_in_every_state_with_ratings_escalations_and_tasks(street_db):
    rows = HelpRequest.objects.all()
    assert 110 <= rows.count() <= 130
    assert set(rows.values_list("status", flat=True)) == set(RequestStatus.values)
    done = rows.filter(status=RequestStatus.DONE)
    assert done.filter(rating__isnull=False).count() >= done.count() // 2
    assert rows.filter(escalated_at__isnull=False).exists()
    assert rows.filter(task__isnull=False).count() == 2
    grid_worker = User.objects.get(username="demo-grid")
    waiting = HelpRequest.objects.restrict(grid_worker, "view").filter(
        status=RequestStatus.SUBMITTED, escalated_at__isnull=True
    )
    assert waiting.count() >= 2
    assert all(row.events.exists() for row in rows[:20])
