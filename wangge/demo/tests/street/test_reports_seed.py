"""The demo street's daily report (seeded once for the package, see conftest.py): the snapshots of
the 14 days before today, every area in each, the outbreak visible in them, and the commander's
report page drawing the fortnight."""

import json
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from wangge.accounts.models import User
from wangge.regions.models import Community, Grid
from wangge.reports.models import AreaFigures, Snapshot


def test_the_demo_street_has_a_fortnight_of_snapshots_of_every_area(street_db, client):
    today = timezone.localdate()
    (street,) = {snapshot.street for snapshot in Snapshot.objects.select_related("street")}
    days = set(Snapshot.objects.values_list("day", flat=True))
    assert days == {today - timedelta(days=back) for back in range(1, 15)}
    areas = 1 + Community.objects.filter(street=street).count()
    areas += Grid.objects.filter(community__street=street).count()
    assert AreaFigures.objects.filter(day=today - timedelta(days=1)).count() == areas
    active = {
        row.day: row.figures.get("measures.active", 0)
        for row in AreaFigures.objects.filter(level="street")
    }
    assert active[today - timedelta(days=14)] == 0 < active[today - timedelta(days=1)]
    client.force_login(User.objects.get(username="demo-commander"))
    page = client.get(reverse("reports:daily"), {"span": "14"}).content.decode()
    charts = json.loads(page.split('id="report-charts" type="application/json">')[1].split("<")[0])
    assert None not in charts["series"][0]["data"] and charts["series"][0]["data"][-1] > 0
