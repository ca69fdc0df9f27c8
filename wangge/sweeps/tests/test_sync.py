"""A phone's queue synced: each item in its own savepoint, recorded once however often it comes."""

from wangge.sweeps.models import Attempt
from wangge.sweeps.services.visits import attempts_sync
from wangge.sweeps.tests.conftest import answers_for, at, cid


def test_the_same_batch_twice_is_recorded_once(world, campaign, visit_a):
    other = campaign.visits.get(household=world.households["a1"])
    items = [
        {"visit": visit_a.pk, "client_id": cid(), "at": at(6, 9), "result": "nobody_home"},
        {
            "visit": other.pk,
            "client_id": cid(),
            "at": at(6, 10),
            "result": "answered",
            "answers": answers_for(other),
        },
    ]
    first = attempts_sync(by=world.users["gavin"], items=items)
    again = attempts_sync(by=world.users["gavin"], items=items)
    assert [r.status for r in first] == ["recorded", "recorded"]
    assert [r.status for r in again] == ["duplicate", "duplicate"]
    assert Attempt.objects.count() == 2


def test_a_bad_item_does_not_lose_the_others(world, campaign, visit_a):
    bella_visit = campaign.visits.get(household=world.households["b"])
    items = [
        {"visit": visit_a.pk, "client_id": cid(), "at": at(6, 9), "result": "nobody_home"},
        {
            "visit": visit_a.pk,
            "client_id": cid(),
            "at": at(6, 9, 5),
            "result": "answered",
            "answers": {"x": 1},
        },
        {"visit": bella_visit.pk, "client_id": cid(), "at": at(6, 9), "result": "nobody_home"},
        {"visit": visit_a.pk, "client_id": cid(), "at": at(6, 9, 10), "result": "refused"},
    ]
    results = attempts_sync(by=world.users["gavin"], items=items)
    assert [r.status for r in results] == ["recorded", "rejected", "rejected", "recorded"]
    assert "不在本表中的问题" in results[1].message
    assert results[2].message.startswith("无此走访")
    assert Attempt.objects.filter(visit=visit_a).count() == 2
