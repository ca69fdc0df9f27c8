"""The venue upload pages: staff with IMPORT on the street upload, the worker imports, the page
shows the counts and the error report, to the importer only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from huey.contrib.djhuey import HUEY

from wangge.venues.models import Venue, VenueImport
from wangge.venues.tests.venue_files import venue_row, write_venues


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def immediate_tasks():
    before = HUEY.immediate
    HUEY.immediate = True
    yield
    HUEY.immediate = before


def upload(client, world, tmp_path, rows, user="carol"):
    client.force_login(world.users[user])
    path = write_venues(tmp_path / "v.csv", rows)
    return client.post(
        reverse("venues:import"),
        {
            "street": world.street.pk,
            "file": SimpleUploadedFile("场所.csv", path.read_bytes(), content_type="text/csv"),
        },
    )


def test_an_upload_is_imported_by_the_worker_and_shows_its_counts_and_report(
    client, world, tmp_path, immediate_tasks
):
    response = upload(client, world, tmp_path, [venue_row("老王饭店"), venue_row("")])

    venue_import = VenueImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("venues:import_detail", args=[venue_import.pk])
    page = client.get(response["Location"]).content.decode()
    assert 'data-status="done"' in page and 'data-testid="error-report"' in page
    assert venue_import.job.kind == "venues.import"
    report = client.get(reverse("venues:import_report", args=[venue_import.pk]))
    assert report.status_code == 200
    assert Venue.objects.get().name == "老王饭店"


def test_a_community_worker_imports_into_their_own_community_only(
    client, world, tmp_path, immediate_tasks
):
    rows = [venue_row("甲"), venue_row("乙", 社区="西社区", 网格="第四网格")]

    upload(client, world, tmp_path, rows, user="carol")

    assert VenueImport.objects.get().counts["rejected"] == 1
    assert list(Venue.objects.values_list("name", flat=True)) == ["甲"]


def test_an_unreadable_upload_is_refused_on_the_form(client, world, tmp_path):
    client.force_login(world.users["carol"])

    response = client.post(
        reverse("venues:import"),
        {"street": world.street.pk, "file": SimpleUploadedFile("v.csv", b"a,b\n1,2\n")},
    )

    assert response.status_code == 422
    assert not VenueImport.objects.exists()


def test_another_users_import_does_not_exist_for_them(client, world, tmp_path, immediate_tasks):
    upload(client, world, tmp_path, [venue_row("甲")])
    pk = VenueImport.objects.get().pk
    client.force_login(world.users["alice"])

    assert client.get(reverse("venues:import_detail", args=[pk])).status_code == 404
    assert client.get(reverse("venues:import_report", args=[pk])).status_code == 404


def test_staff_without_import_may_not_upload(client, world):
    client.force_login(world.users["kim"])

    assert client.get(reverse("venues:import")).status_code == 403
