"""The demo street's 防疫登记 (seeded once for the package, see conftest.py): about thirty
waiting across the grids, at least three in demo-grid's queue, a tenant waiting for the landlord,
a few confirmed into the register and a few rejected with their reason."""

from django.test import Client

from wangge.accounts.models import User
from wangge.core.roles import Action
from wangge.residents.models import Registration

Status = Registration.Status


def test_registrations_wait_in_every_grid_and_in_demo_grids_queue(street_db):
    waiting = Registration.objects.filter(status=Status.PENDING)
    assert 25 <= waiting.count() <= 35
    assert waiting.values("grid").distinct().count() >= 5
    assert waiting.filter(household__isnull=True).count() >= 8
    assert waiting.filter(members__proxied=True).exists()
    grid_worker = User.objects.get(username="demo-grid")
    mine = Registration.objects.restrict(grid_worker, Action.EDIT).filter(status=Status.PENDING)
    assert mine.count() >= 3
    client = Client()
    client.force_login(grid_worker)
    queue = client.get("/residents/registrations/").content.decode()
    assert queue.count('data-testid="registration-row"') >= 3


def test_a_tenant_waits_for_the_landlord_and_some_were_decided(street_db):
    assert Registration.objects.filter(status=Status.LANDLORD).count() == 1
    assert Registration.objects.filter(status=Status.CONFIRMED).count() >= 3
    rejected = Registration.objects.filter(status=Status.REJECTED)
    assert rejected.count() >= 2 and all(row.reason for row in rejected)
