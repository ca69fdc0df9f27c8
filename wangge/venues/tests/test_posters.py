"""The venue code posters: a PDF per venue and per grid, with the venue's code URL as a QR, drawn
with an embedded CJK font, for whoever sees the venues."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from wangge.venues.models import Venue, VenueKind
from wangge.venues.services.register import VenueData, venue_create


@pytest.fixture
def venues(world):
    kind = VenueKind.objects.get(name="药店")
    return [
        venue_create(
            by=world.users["alice"],
            data=VenueData(name=f"仁心药房{n}号店", kind=kind, grid=world.grid_a),
        )
        for n in (1, 2)
    ]


def _fonts(reader: PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        for font in page["/Resources"].get_object()["/Font"].values():  # type: ignore[index]
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def test_a_venues_poster_is_one_a4_page_with_its_name_in_an_embedded_cjk_font(
    client, world, venues
):
    client.force_login(world.users["gavin"])
    answer = client.get(reverse("venues:poster", args=[venues[0].pk]))
    assert answer["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(answer.content))
    assert len(reader.pages) == 1
    assert "仁心药房1号店" in reader.pages[0].extract_text()
    assert any("NotoSansCJK" in name.replace("-", "") for name in _fonts(reader))


def test_a_grids_posters_are_one_page_per_venue_and_other_grids_are_not_found(
    client, world, venues
):
    client.force_login(world.users["gavin"])
    answer = client.get(reverse("venues:grid_posters", args=[world.grid_a.pk]))
    assert len(PdfReader(io.BytesIO(answer.content)).pages) == 2
    client.force_login(world.users["bella"])
    assert client.get(reverse("venues:poster", args=[venues[0].pk])).status_code == 404
    assert client.get(reverse("venues:grid_posters", args=[world.grid_a.pk])).status_code == 404


def test_a_grid_with_more_venues_than_a_request_may_draw_is_refused_with_a_message(
    client, world, venues, monkeypatch
):
    monkeypatch.setattr("wangge.venues.views.posters.GRID_POSTERS_MAX", 1)
    client.force_login(world.users["gavin"])
    answer = client.get(reverse("venues:grid_posters", args=[world.grid_a.pk]))
    assert answer.status_code == 422 and "2" in answer.content.decode()
    assert Venue.objects.count() == 2
