"""Recording an inspection: once per client id, the checklist answered in full, a second
inspector who may inspect the venue, photos judged by their content."""

import io
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from wangge.venues.models import Card, Inspection, InspectionPhoto, VenueEvent
from wangge.venues.services.inspections import (
    InspectionInput,
    ItemResult,
    checklist_of,
    inspection_record,
    inspectors_of,
)
from wangge.venues.tests.cards.fixtures import inspect, inspector


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 6), "red").save(out, "PNG")
    return out.getvalue()


PNG = _png()


def _data(venue, client_id=None, **extra):
    items = [ItemResult(item.pk, True) for item in checklist_of(venue)]
    return InspectionInput(client_id=client_id or str(uuid.uuid4()), items=items, **extra)


def test_the_same_client_id_is_stored_once_and_answered_with_the_stored_inspection(site):
    data = _data(site.venue, "phone-1", note="门口测温正常")
    first, created = inspection_record(by=site.ian, venue=site.venue, data=data)
    again, created_again = inspection_record(by=site.ian, venue=site.venue, data=data)
    assert created and not created_again and again.pk == first.pk
    assert Inspection.objects.count() == 1 and first.items.count() == len(checklist_of(site.venue))
    assert VenueEvent.objects.filter(venue=site.venue, kind="inspected").count() == 1
    with pytest.raises(ValidationError) as refused:
        inspection_record(by=site.ivy, venue=site.venue, data=data)
    assert refused.value.error_code == "client_id_conflict"


def test_an_inspection_passes_only_when_every_item_passes(site):
    assert inspect(site.ian, site.venue, passed=True).passed
    failed = inspect(site.ian, site.venue, passed=False)
    assert not failed.passed and [i.passed for i in failed.items.all()].count(False) == 1


def test_every_active_item_is_answered_and_no_other(site):
    items = checklist_of(site.venue)
    partial = InspectionInput(client_id="x", items=[ItemResult(items[0].pk, True)])
    with pytest.raises(ValidationError, match="未填写检查项"):
        inspection_record(by=site.ian, venue=site.venue, data=partial)
    items[-1].active = False
    items[-1].save()
    stale = _data(site.venue)
    assert all(result.item_id != items[-1].pk for result in stale.items)
    with pytest.raises(ValidationError, match="不属于"):
        inspection_record(
            by=site.ian,
            venue=site.venue,
            data=InspectionInput(
                client_id="y", items=[*stale.items, ItemResult(items[-1].pk, True)]
            ),
        )
    assert inspection_record(by=site.ian, venue=site.venue, data=stale)[1]


def test_the_second_inspector_is_someone_else_who_may_inspect_the_venue(site, world):
    assert site.ivy in inspectors_of(site.venue, besides=site.ian)
    assert world.users["bella"] not in inspectors_of(site.venue)  # grid B's worker
    for second in (site.ian, world.users["bella"], world.users["dora"]):
        with pytest.raises(ValidationError, match="同行检查人"):
            inspection_record(
                by=site.ian, venue=site.venue, data=_data(site.venue, second_inspector_id=second.pk)
            )
    done = inspect(site.ian, site.venue, second=site.ivy)
    assert done.second_inspector == site.ivy


def test_only_who_may_inspect_the_venue_records_an_inspection(site, world):
    outsider = inspector("olga", world.west)
    with pytest.raises(PermissionDenied):
        inspection_record(by=outsider, venue=site.venue, data=_data(site.venue))
    with pytest.raises(PermissionDenied):
        inspection_record(by=world.users["dora"], venue=site.venue, data=_data(site.venue))
    assert inspection_record(by=world.users["gavin"], venue=site.venue, data=_data(site.venue))[1]


def test_an_executable_renamed_jpg_is_refused_and_nothing_is_written(site, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    program = SimpleUploadedFile("整改照片.jpg", b"MZ\x90\x00" + b"\x00" * 200, "image/jpeg")
    with pytest.raises(ValidationError, match="整改照片.jpg"):
        inspect(site.ian, site.venue, passed=False, photos=[program])
    assert not Inspection.objects.exists() and not Card.objects.exists()
    assert not InspectionPhoto.objects.exists() and not list(tmp_path.rglob("*"))
    photo = SimpleUploadedFile("门口.jpg", PNG, "image/jpeg")
    done = inspect(site.ian, site.venue, photos=[photo])
    (stored,) = done.photos.all()
    assert stored.content_type == "image/png" and stored.file.name.endswith(".png")
    assert stored.file.read() == done.photos.get().file.read()
