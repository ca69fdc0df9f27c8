"""The daily report page: each user picks among the areas they may see, the day beside the day
before, and only the street's command builds a snapshot from the page."""

import json
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from wangge.core.models import AuditEntry
from wangge.reports.models import AreaFigures, Snapshot
from wangge.reports.services import report_build


def client_of(client, user):
    client.force_login(user)
    return client


def test_a_grid_worker_sees_only_their_grids(client, world):
    # given
    report_build(street=world.street, on=timezone.localdate())
    # when: Gavin asks for grid B
    page = client_of(client, world.users["gavin"]).get(
        reverse("reports:daily"), {"area": f"grid-{world.grid_b.pk}"}
    )
    # then: he gets his own grid A (and its small grid A1) and nothing else
    html = page.content.decode()
    assert page.status_code == 200
    assert f'value="grid-{world.grid_a.pk}" selected' in html
    assert f'value="grid-{world.grid_a1.pk}"' in html
    assert f'value="grid-{world.grid_b.pk}"' not in html and 'value="street-' not in html
    assert 'data-testid="report-build"' not in html


def test_the_day_is_shown_beside_the_day_before_with_its_trend(client, world):
    # given
    today = timezone.localdate()
    for day, active in ((today - timedelta(days=1), 1), (today, 3)):
        report_build(street=world.street, on=day)
        AreaFigures.objects.filter(day=day, level="street").update(
            figures={"measures.active": active}
        )
    # when
    page = client_of(client, world.users["carol"]).get(
        reverse("reports:daily"), {"area": f"street-{world.street.pk}", "day": today.isoformat()}
    )
    # then: Carol may not see the street: she gets her community; Alice sees the street
    assert f'value="community-{world.east.pk}" selected' in page.content.decode()
    client.logout()
    page = client_of(client, world.users["alice"]).get(
        reverse("reports:daily"), {"area": f"street-{world.street.pk}", "day": today.isoformat()}
    )
    html = page.content.decode()
    row = html.split('data-figure="measures.active"')[1].split("</tr>")[0]
    assert ">3<" in row and ">1<" in row and ">+2<" in row
    charts = json.loads(
        html.split('id="report-charts" type="application/json">')[1].split("</script>")[0]
    )
    assert charts["series"][0]["data"][-2:] == [1, 3]


def test_only_the_street_command_builds_from_the_page(client, world):
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    form = {"area": f"street-{world.street.pk}", "day": yesterday}
    carol = client_of(client, world.users["carol"])
    assert carol.post(reverse("reports:build"), form).status_code == 403
    client.logout()
    alice = client_of(client, world.users["alice"])
    assert alice.post(reverse("reports:build"), form).status_code == 302
    assert Snapshot.objects.get().built_by == world.users["alice"]
    assert AuditEntry.objects.filter(action="report_build").count() == 1
