"""The register's export ("venues.register"): asked with a purpose and audited, built under the
owner's export scope when it runs, watermarked, the phone masked unless the owner may reveal it;
its columns import again."""

import json
from io import StringIO
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from wangge.core.exports import result_path
from wangge.core.models import AuditEntry
from wangge.core.roles import Action
from wangge.venues.exporting import venue_export
from wangge.venues.models import VenueKind
from wangge.venues.services.register import VenueData, venue_create


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def venues(world):
    kind = VenueKind.objects.get(name="药店")
    for name, grid in (("东药房", world.grid_a), ("西药房", world.grid_d)):
        venue_create(
            by=None,
            data=VenueData(name=name, kind=kind, grid=grid, responsible_phone="13800001111"),
        )


def rows(job):
    sheet = load_workbook(result_path(job)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_the_export_holds_the_owners_scope_watermarked_and_audited_with_its_purpose(world, venues):
    job = venue_export(by=world.users["carol"], reason="screening")

    lines = rows(job)
    assert job.status == "done" and job.kind == "venues.register"
    assert "carol" in lines[0][0] and "疫情防控排查" in lines[0][0]
    assert [line[0] for line in lines[2:]] == ["东药房"]
    assert lines[2][7] == "13800001111"  # a community worker may reveal
    entry = AuditEntry.objects.get(action="export", target_id=str(job.pk))
    assert entry.reason == "疫情防控排查"


def test_the_phone_is_masked_for_an_owner_who_may_not_reveal_it(world, venues):
    # every role that exports may reveal today: an owner without the reveal action, as a role
    # matrix could make one
    def may(user, action, *area):
        return action != Action.REVEAL

    with mock.patch("wangge.venues.exporting.user_can", side_effect=may):
        job = venue_export(by=world.users["tracy"], reason="screening", grid=world.grid_a)

    assert rows(job)[2][7] == "138****1111"


def test_an_export_needs_a_purpose_and_the_export_action(world, venues):
    with pytest.raises(PermissionDenied):
        venue_export(by=world.users["carol"], reason="")
    with pytest.raises(PermissionDenied):
        venue_export(by=world.users["gavin"], reason="screening")


def test_the_export_page_asks_the_purpose_and_goes_to_the_job(client, world, venues):
    client.force_login(world.users["alice"])

    response = client.post(reverse("venues:export"), {"reason": "screening"})

    assert response.status_code == 302 and "/jobs/" in response["Location"]


def test_an_exported_register_imports_again_unchanged(world, venues, tmp_path):
    job = venue_export(by=world.users["alice"], reason="screening")
    out = StringIO()

    call_command("import_venues", str(result_path(job)), "--street", "江南街道", stdout=out)

    result = json.loads(out.getvalue().strip().splitlines()[-1])
    assert (result["unchanged"], result["created"], result["rejected"]) == (2, 0, 0)
