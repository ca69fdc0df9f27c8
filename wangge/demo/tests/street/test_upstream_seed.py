"""The demo street's approvals and upstream tables (seeded once for the package, see conftest.py):
the district's two tables, approvals in every state — sent, sent back with a reason, waiting for
the demo community worker — and what went upward readable by that community worker."""

from datetime import timedelta

from django.utils import timezone

from wangge.accounts.models import User
from wangge.reports.models import UpstreamFill, UpstreamTemplate
from wangge.reports.selectors.approvals import approval_rows
from wangge.reports.selectors.upstream import received_for


def test_the_demo_street_has_its_tables_and_approvals_in_every_state(street_db):
    today = timezone.localdate()
    assert UpstreamTemplate.objects.count() == 2
    # every day before the day before yesterday went up in both tables, that day in the first
    assert UpstreamFill.objects.count() == 2 * 12 + 1
    commander = User.objects.get(username="demo-commander")
    states = {
        back: {row.state for row in approval_rows(commander, today - timedelta(days=back))}
        for back in (1, 2, 3)
    }
    assert states[3] == {"reported"}
    assert states[2] == {"reported", "sent_back"}
    assert states[1] == {"pending", "approved"}
    community_worker = User.objects.get(username="demo-community")
    (waiting,) = approval_rows(community_worker, today - timedelta(days=1))
    assert waiting.state == "pending" and waiting.may_approve
    received = received_for(community_worker)
    assert len(received) == 25 and not any(item.changed for item in received)
