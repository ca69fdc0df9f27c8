"""捐赠: a donation is registered with its batches in one transaction (phones as people write them,
stored sealed and masked; a receipt number once per street); what it was issued to follows its
batches through transfers and reversals and counts households without naming them; the public
thank-you list hides the donors who opted out; the donor's link cannot be forged; the API is
scoped to the caller's area."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.test_no_inline_script import offences
from wangge.checkpoints.models import Checkpoint
from wangge.checkpoints.services import CheckpointData, checkpoint_create
from wangge.supplies.models import BatchSource, Donation, RecipientKind, WriteOffReason
from wangge.supplies.services import stock
from wangge.supplies.services.donations import donation_register, donation_use, donor_token
from wangge.supplies.tests.conftest import days_from_today
from wangge.teams.tests.call_fixtures import team


def _give(world, stores, receipt_no="JZ-001", *, by="alice", place="warehouse", **extra):
    values = {
        "donor_name": "江南药业有限公司",
        "donor_kind": "company",
        "phone": "178-3401-9904",
        "lines": [(stores.items["mask"], 500, "D-1", days_from_today(10))],
        **extra,
    }
    return donation_register(
        by=world.users[by], place=stores.places[place], receipt_no=receipt_no, **values
    )


def test_a_donation_is_registered_with_its_batches_once_per_receipt_number(world, stores):
    # given a donation of masks and food packs, the phone written with dashes
    food = (stores.items["food"], 20, "", None)
    donation = _give(
        world, stores, lines=[(stores.items["mask"], 500, "D-1", days_from_today(10)), food]
    )

    # then its batches are received as a donation, and the phone is sealed and masked
    assert donation.phone == "17834019904" and donation.phone_masked == "178****9904"
    assert donation.community is None and donation.street == world.street
    batches = donation.batches.order_by("pk")
    assert [(b.item.name, b.quantity, b.source) for b in batches] == [
        ("医用外科口罩", 500, BatchSource.DONATION),
        ("保供蔬菜包", 20, BatchSource.DONATION),
    ]
    # full-width digits are read too
    other = _give(world, stores, "JZ-002", phone="１７８３４０１９９０４")
    assert other.phone == "17834019904"

    # when the receipt number is given again, a phone is unreadable, a line is refused, or a
    # community worker registers at the street's warehouse
    with pytest.raises(ValidationError, match="已在本街道登记过"):
        _give(world, stores, " JZ-001 ")
    with pytest.raises(ValidationError) as bad_phone:
        _give(world, stores, "JZ-003", phone="12345")
    assert "phone" in bad_phone.value.message_dict
    with pytest.raises(ValidationError, match="第1项"):
        _give(world, stores, "JZ-004", lines=[(stores.items["kit"], 10, "K", None)])
    with pytest.raises(PermissionDenied):
        _give(world, stores, "JZ-005", by="carol")

    # then nothing of the refused registrations was kept
    assert Donation.objects.count() == 2
    assert sum(b.quantity for b in stores.items["kit"].batches.all()) == 0


def test_what_a_donation_was_issued_to_follows_transfers_and_reversals_and_never_names_households(
    world, stores, client
):
    # given a donation of 500 masks at the warehouse (the earliest-expiring batch)
    alice, carol = world.users["alice"], world.users["carol"]
    donation = _give(world, stores)
    kept = _give(world, stores, "JZ-009", donor_name="匿名好心人", public=False, phone="")
    gate = checkpoint_create(
        by=carol,
        data=CheckpointData(
            name="东门卡点",
            kind=Checkpoint.Kind.COMPOUND_GATE,
            community=world.east,
            address="东路1号",
        ),
    )
    crew = team(world.street, world.east, name="东社区志愿者服务队")
    warehouse, east, mask = stores.places["warehouse"], stores.places["east"], stores.items["mask"]
    batch = donation.batches.get()

    def issue(place, quantity, recipient, by=alice):
        return stock.issue(by=by, place=place, item=mask, quantity=quantity, recipient=recipient)

    # when it is issued to a checkpoint, a team, two households (one issue reversed), part of it
    # transferred to the east store and issued there, and some written off
    issue(warehouse, 100, stock.Recipient(RecipientKind.CHECKPOINT, checkpoint=gate))
    issue(warehouse, 50, stock.Recipient(RecipientKind.TEAM, team=crew))
    for household, quantity in (("a", 10), ("a", 10)):
        home = world.households[household]
        issue(warehouse, quantity, stock.Recipient(RecipientKind.HOUSEHOLD, household=home))
    wrong = issue(
        warehouse, 5, stock.Recipient(RecipientKind.HOUSEHOLD, household=world.households["b"])
    )
    stock.reverse(by=alice, move=wrong[0], reason="发错")
    stock.transfer(
        by=alice, source=warehouse, destination=east, item=mask, quantity=100, batch=batch
    )
    issue(east, 30, stock.Recipient(RecipientKind.CHECKPOINT, checkpoint=gate), by=carol)
    stock.write_off(by=alice, batch=batch, quantity=20, reason=WriteOffReason.DAMAGED)

    # then the checkpoint got 130, the team 50, one household 20; 280 are in stock, 20 written off
    use = donation_use(donation)
    assert [(r.label, r.households, [a.quantity for a in r.amounts]) for r in use.recipients] == [
        ("东门卡点", 0, [130]),
        ("东社区志愿者服务队", 0, [50]),
        ("居民家庭", 1, [20]),
    ]
    assert [str(a) for a in use.given] == ["医用外科口罩 500个"]
    assert [a.quantity for a in use.in_stock] == [280]
    assert [a.quantity for a in use.written_off] == [20]

    # and the donation's page shows it, without a household's address or members
    client.force_login(alice)
    page = client.get(reverse("supplies:donation", args=[donation.pk])).content.decode()
    assert "东门卡点" in page and "178****9904" in page and "17834019904" not in page
    for hidden in (str(world.households["a"]), "张三", "阳光花园"):
        assert hidden not in page
    assert offences(page) == []
    listed = client.get(reverse("supplies:donations")).content.decode()
    assert "JZ-001" in listed and "JZ-009" in listed

    # the donor's link opens without an account; an altered one is 404
    client.logout()
    token = donor_token(donation)
    assert reverse("supplies:donor", args=[token]) in page
    mine = client.get(reverse("supplies:donor", args=[token]))
    assert mine.status_code == 200 and "东门卡点" in mine.content.decode()
    assert "178" not in mine.content.decode() and offences(mine.content.decode()) == []
    for forged in (token[:-1] + ("A" if token[-1] != "A" else "B"), f"{kept.pk}:x", "1"):
        assert client.get(reverse("supplies:donor", args=[forged])).status_code == 404

    # the public thank-you list names the donor who agreed, with what they gave, and counts
    # the other; no phone, no receipt number
    thanks = client.get(reverse("supplies:thanks", args=[world.street.pk])).content.decode()
    assert "江南药业有限公司" in thanks and "医用外科口罩 500个" in thanks
    assert "匿名好心人" not in thanks and "匿名捐赠 1 笔" in thanks
    for hidden in ("178", "JZ-00"):
        assert hidden not in thanks
    assert offences(thanks) == []


def test_the_api_registers_a_donation_and_shows_each_area_its_own(
    world, stores, api_client_for, client
):
    # given a donation of the street's warehouse
    street_gift = _give(world, stores)
    carol = api_client_for(world.users["carol"])
    body = {
        "place": stores.places["east"].pk,
        "receipt_no": "DS-01",
        "donor_name": "张先生",
        "donor_kind": "person",
        "phone": "+86 178 3401 9904",
        "lines": [
            {
                "item": stores.items["mask"].pk,
                "quantity": 200,
                "lot": "P1",
                "expiry": str(days_from_today(60)),
            }
        ],
    }

    # when the east community's worker registers one at its store
    created = carol.post("/api/supplies/donations/", body, format="json")

    # then it is stored with its line, the phone masked; they see theirs and not the street's
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["phone_masked"] == "178****9904" and data["community"] == world.east.pk
    assert [(line["quantity"], line["lot"]) for line in data["lines"]] == [(200, "P1")]
    assert data["use"]["in_stock"] == [{"item": "医用外科口罩", "quantity": 200, "unit": "个"}]
    listed = carol.get("/api/supplies/donations/").json()
    assert [row["id"] for row in listed["results"]] == [data["id"]]
    assert carol.get(f"/api/supplies/donations/{street_gift.pk}/").status_code == 404
    alice = api_client_for(world.users["alice"])
    assert alice.get("/api/supplies/donations/").json()["count"] == 2
    # a second time, the warehouse, or no lines: 400 with the reason
    again = carol.post("/api/supplies/donations/", body, format="json")
    assert again.status_code == 400 and "receipt_no" in again.json()
    warehouse = {**body, "receipt_no": "DS-02", "place": stores.places["warehouse"].pk}
    assert carol.post("/api/supplies/donations/", warehouse, format="json").status_code == 400
    empty = carol.post("/api/supplies/donations/", {**body, "lines": []}, format="json")
    assert empty.status_code == 400 and "lines" in empty.json()

    # and the form registers one with several lines
    client.force_login(world.users["carol"])
    form = {
        "place": stores.places["east"].pk,
        "receipt_no": "DS-03",
        "donor_name": "李女士",
        "donor_kind": "person",
        "phone": "13800001111",
        "public": "on",
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "1",
        "lines-MAX_NUM_FORMS": "50",
        "lines-0-item": stores.items["food"].pk,
        "lines-0-quantity": "30",
        "lines-1-item": stores.items["mask"].pk,
        "lines-1-quantity": "100",
        "lines-1-lot": "L2",
        "lines-1-expiry": str(days_from_today(90)),
    }
    page = client.get(reverse("supplies:donation_new"))
    assert page.status_code == 200 and offences(page.content.decode()) == []
    done = client.post(reverse("supplies:donation_new"), form)
    assert done.status_code == 302, done.content.decode()
    assert Donation.objects.get(receipt_no="DS-03").batches.count() == 2
    twice = client.post(reverse("supplies:donation_new"), form)
    assert twice.status_code == 422 and "已在本街道登记过" in twice.content.decode()
