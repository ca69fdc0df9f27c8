"""The demo street's 召集令 (seeded once for the package, see conftest.py): sent two days ago to
every community's volunteers, most answered at spread times, some pending, posts partly filled,
the ended post's members given their hours once."""

from django.test import Client

from wangge.accounts.models import User
from wangge.teams.models import Answer, Call, ServiceRecord
from wangge.teams.selectors.calls import call_fill


def test_the_call_was_answered_by_most_and_its_posts_are_partly_filled(street_db):
    call = Call.objects.get(title="疫情防控志愿者召集令")
    invites = call.invites.all()
    assert invites.count() >= 24
    answered = invites.exclude(answer=Answer.PENDING)
    assert invites.filter(answer=Answer.PENDING).exists()
    assert answered.count() > invites.count() * 0.7
    assert len(set(answered.values_list("answered_at", flat=True))) > answered.count() * 0.8
    assert 0 < call_fill(call).rate < 1
    assert ServiceRecord.objects.filter(kind="call").exists()
    client = Client()
    client.force_login(User.objects.get(username="demo-commander"))
    page = client.get(f"/teams/calls/{call.pk}/").content.decode()
    assert 'data-testid="post-fill"' in page and "卡点值守" in page
