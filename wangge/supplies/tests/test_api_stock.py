"""/api/supplies/: items, places, batches and the ledger, scoped (the east community's worker sees
its own store, the commander the whole street, the tracer reads but moves nothing); every move
through the stock services, refusals answered 400/403/404 and a lack of stock 409."""

from django.urls import include, path, reverse
from drf_spectacular.generators import SchemaGenerator

from wangge.api_urls import router
from wangge.supplies.models import Batch, MoveKind, StockMove
from wangge.supplies.services import stock
from wangge.supplies.tests.conftest import days_from_today

MOVES = "supply-move-list"


def _post(client, name, body):
    return client.post(reverse(name), body, format="json")


def test_items_and_places_are_scoped_and_saved_through_the_catalogue(api_client_for, world, stores):
    alice, carol = api_client_for(world.users["alice"]), api_client_for(world.users["carol"])
    tracy, gavin = api_client_for(world.users["tracy"]), api_client_for(world.users["gavin"])
    # the catalogue is the whole street's; the east worker sees only its own store
    assert carol.get(reverse("supply-item-list")).json()["count"] == 3
    assert [p["name"] for p in carol.get(reverse("supply-place-list")).json()["results"]] == [
        "东社区物资点"
    ]
    assert alice.get(reverse("supply-place-list")).json()["count"] == 2
    assert gavin.get(reverse("supply-place-list")).json()["count"] == 0
    warehouse = stores.places["warehouse"]
    assert carol.get(reverse("supply-place-detail", args=[warehouse.pk])).status_code == 404

    # items: the street's staff create and change them; a community worker may not
    body = {"street": world.street.pk, "name": "防护服", "category": "protection", "unit": "套"}
    created = _post(alice, "supply-item-list", body)
    assert (created.status_code, created.json()["picking"]) == (201, "warn")
    assert _post(alice, "supply-item-list", body).json() == {
        "name": ["已有同名物资 / an item of this name exists"]
    }
    assert _post(alice, "supply-item-list", {**body, "category": "bogus"}).status_code == 400
    assert _post(alice, "supply-item-list", {**body, "street": None}).status_code == 400
    assert _post(carol, "supply-item-list", {**body, "name": "手套"}).status_code == 403
    url = reverse("supply-item-detail", args=[created.json()["id"]])
    changed = alice.patch(url, {"picking": "force", "pack_size": 20}, format="json")
    assert (changed.json()["picking"], changed.json()["pack_size"], changed.json()["name"]) == (
        "force",
        20,
        "防护服",
    )
    assert carol.patch(url, {"active": False}, format="json").status_code == 403
    assert alice.patch(url, {"pack_size": 0}, format="json").status_code == 400

    # places: a community worker opens a store in their community, not in another
    store = {"name": "东社区二号点", "kind": "service_point", "community": world.east.pk}
    made = _post(carol, "supply-place-list", store)
    assert (made.status_code, made.json()["community"]) == (201, world.east.pk)
    assert (
        _post(
            carol, "supply-place-list", {**store, "name": "X", "community": world.west.pk}
        ).status_code
        == 400
    )
    assert _post(
        carol,
        "supply-place-list",
        {"name": "街道二库", "kind": "street_warehouse", "street": world.street.pk},
    ).status_code in (400, 403)
    assert _post(tracy, "supply-place-list", {**store, "name": "Y"}).status_code == 403
    assert _post(carol, "supply-place-list", {**store, "kind": "checkpoint"}).status_code == 400
    renamed = carol.patch(
        reverse("supply-place-detail", args=[made.json()["id"]]), {"address": "东路1号"}, "json"
    )
    assert (renamed.status_code, renamed.json()["name"], renamed.json()["address"]) == (
        200,
        "东社区二号点",
        "东路1号",
    )


def test_moves_through_the_api_follow_the_stock_rules_and_answer_each_refusal(
    api_client_for, world, stores
):
    alice, carol = api_client_for(world.users["alice"]), api_client_for(world.users["carol"])
    tracy = api_client_for(world.users["tracy"])
    warehouse, east = stores.places["warehouse"], stores.places["east"]
    mask, kit = stores.items["mask"], stores.items["kit"]
    pick = {"place": warehouse.pk, "item": mask.pk}

    # receive: a batch with its move; an item with expiry needs a date
    got = _post(
        alice,
        "supply-move-receive",
        {
            "place": warehouse.pk,
            "item": kit.pk,
            "quantity": 40,
            "lot": "K1",
            "expiry": str(days_from_today(90)),
        },
    )
    assert (got.status_code, got.json()[0]["kind"], got.json()[0]["balance"]) == (
        201,
        "purchase",
        40,
    )
    no_expiry = _post(
        alice, "supply-move-receive", {"place": warehouse.pk, "item": kit.pk, "quantity": 1}
    )
    assert no_expiry.status_code == 400 and "expiry" in no_expiry.json()

    # issue: first expiry first out across batches, to a team or someone named
    issued = _post(
        alice,
        "supply-move-issue",
        {**pick, "quantity": 120, "recipient_kind": "other", "recipient_label": "核酸采样点"},
    )
    assert [(m["lot"], m["change"]) for m in issued.json()] == [("M-EARLY", -100), ("M-LATE", -20)]
    assert _post(
        alice, "supply-move-issue", {**pick, "quantity": 1, "recipient_kind": "other"}
    ).json() == {"recipient": ["请指定领用方 / the recipient is required"]}
    unseen = _post(
        alice,
        "supply-move-issue",
        {**pick, "quantity": 1, "recipient_kind": "team", "recipient": 999999},
    )
    assert unseen.json() == {"recipient": ["不存在或无权使用 / no such row you may use"]}
    short = _post(
        alice,
        "supply-move-issue",
        {**pick, "quantity": 281, "recipient_kind": "other", "recipient_label": "x"},
    )
    assert (short.status_code, short.json()["code"]) == (409, "not_enough_stock")
    assert "not enough stock: 280 available" in short.json()["quantity"][0]

    # a chosen batch: not the earliest needs a reason (warn); forced items allow none
    late = stores.batches["late"]
    receive_early = {
        "place": warehouse.pk,
        "item": mask.pk,
        "quantity": 5,
        "lot": "M-NEW",
        "expiry": str(days_from_today(10)),
    }
    assert _post(alice, "supply-move-receive", receive_early).status_code == 201
    body = {
        **pick,
        "quantity": 1,
        "recipient_kind": "other",
        "recipient_label": "x",
        "batch": late.pk,
    }
    refused = _post(alice, "supply-move-issue", body)
    assert (refused.status_code, refused.json()["code"]) == (400, "not_earliest_batch")
    taken = _post(alice, "supply-move-issue", {**body, "fefo_reason": "整箱发放"})
    assert taken.status_code == 201 and taken.json()[0]["fefo_reason"] == "整箱发放"
    elsewhere = _post(alice, "supply-move-issue", {**body, "place": east.pk})
    assert elsewhere.json() == {"batch": ["不存在或无权使用 / no such row you may use"]}
    expired = Batch.objects.create(
        item=mask,
        place=warehouse,
        lot="OLD",
        source="purchase",
        expiry=days_from_today(-1),
        received_at=late.received_at,
        quantity=3,
    )
    gone = _post(alice, "supply-move-issue", {**body, "batch": expired.pk, "fefo_reason": "x"})
    assert (gone.status_code, gone.json()["code"]) == (400, "expired_batch")

    # who may move: the east worker cannot reach the warehouse, the tracer reads only
    assert _post(carol, "supply-move-issue", {**body, "batch": None}).json() == {
        "place": ["不存在或无权使用 / no such row you may use"]
    }
    assert _post(tracy, "supply-move-issue", {**body, "batch": None}).status_code == 403

    # transfer to the east store, which the east worker then issues from
    moved = _post(alice, "supply-move-transfer", {**pick, "quantity": 10, "destination": east.pk})
    assert [m["kind"] for m in moved.json()] == ["transfer_out", "transfer_in"] * 2  # two batches
    assert (
        _post(
            alice, "supply-move-transfer", {**pick, "quantity": 1, "destination": warehouse.pk}
        ).status_code
        == 400
    )
    given = _post(
        carol,
        "supply-move-issue",
        {
            "place": east.pk,
            "item": mask.pk,
            "quantity": 4,
            "recipient_kind": "household",
            "recipient": world.households["a"].pk,
        },
    )
    assert (given.status_code, given.json()[0]["household"]) == (201, world.households["a"].pk)

    # write-off and reversal
    off = {"batch": expired.pk, "quantity": 3, "reason": "expired"}
    assert _post(alice, "supply-move-write-off", {**off, "reason": "bogus"}).status_code == 400
    assert _post(alice, "supply-move-write-off", {**off, "quantity": 4}).status_code == 409
    assert _post(alice, "supply-move-write-off", off).json()[0]["balance"] == 0
    first = issued.json()[0]["id"]
    reverse_url = reverse("supply-move-reverse", args=[first])
    back = alice.post(reverse_url, {"reason": "发错"}, format="json")
    assert (back.status_code, back.json()[0]["change"], back.json()[0]["reverses"]) == (
        201,
        100,
        first,
    )
    assert alice.post(reverse_url, {"reason": "again"}, format="json").status_code == 400
    assert alice.post(reverse_url, {}, format="json").status_code == 400
    assert carol.post(reverse_url, {"reason": "x"}, format="json").status_code == 404
    assert tracy.post(reverse_url, {"reason": "x"}, format="json").status_code == 403

    # the ledger, scoped and filtered; every move balanced its batch
    carol_moves = carol.get(reverse(MOVES)).json()
    assert {m["place"] for m in carol_moves["results"]} == {east.pk}
    assert carol_moves["count"] == 3
    kinds = alice.get(reverse(MOVES), {"kind": "issue", "place": warehouse.pk}).json()["results"]
    assert {m["kind"] for m in kinds} == {MoveKind.ISSUE}
    today = str(days_from_today(0))
    assert alice.get(reverse(MOVES), {"from": today, "to": today}).json()["count"] == (
        StockMove.objects.count()
    )
    assert alice.get(reverse(MOVES), {"to": str(days_from_today(-1))}).json()["count"] == 0
    for bad in ({"from": "yesterday"}, {"from": "0001-01-01"}, {"to": "9999-12-31"}):
        assert alice.get(reverse(MOVES), bad).status_code == 400
    assert alice.get(reverse(MOVES), {"kind": "bogus"}).status_code == 400
    for batch in Batch.objects.all():
        assert batch.quantity == sum(batch.moves.values_list("change", flat=True)) + (
            3 if batch.pk == expired.pk else 0
        )

    # batches: scoped, by place and item, expiring before a day
    soon = alice.get(
        reverse("supply-batch-list"),
        {"expires_before": str(days_from_today(15)), "item": mask.pk, "place": warehouse.pk},
    )
    assert [b["lot"] for b in soon.json()["results"]] == ["OLD", "M-NEW"]
    assert soon.json()["results"][0]["expired"] is True
    assert {b["place"] for b in carol.get(reverse("supply-batch-list")).json()["results"]} == {
        east.pk
    }
    assert alice.get(reverse("supply-batch-list"), {"expires_before": "x"}).status_code == 400
    assert stock.stock_of(east, mask) == 6


def test_the_schema_lists_the_supplies_endpoints():
    routes = [url for url in router.urls if str(url.pattern).startswith("^supplies/")]
    schema = SchemaGenerator(patterns=[path("api/", include(routes))]).get_schema(public=True)
    paths = schema["paths"]
    for name in (
        "items/",
        "items/{id}/",
        "places/",
        "batches/",
        "moves/",
        "moves/issue/",
        "moves/receive/",
        "moves/transfer/",
        "moves/write-off/",
        "moves/{id}/reverse/",
    ):
        assert f"/api/supplies/{name}" in paths
    issue = paths["/api/supplies/moves/issue/"]["post"]["responses"]
    assert "409" in issue  # not enough stock
    assert issue["201"]["content"]["application/json"]["schema"]["type"] == "array"
