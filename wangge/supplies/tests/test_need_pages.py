from django.test import Client

from wangge.core.models import AuditEntry
from wangge.supplies.models import Need, NeedStatus
from wangge.supplies.services import needs as svc

API = "/api/supplies/needs/"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_staff_take_a_household_need_through_the_pages_each_seeing_only_their_area(world, stores):
    users = world.users
    carol, gavin, bella = (signed_in(users[name]) for name in ("carol", "gavin", "bella"))
    assert carol.get("/supplies/needs/new/?household=1").status_code == 200
    answer = carol.post(
        "/supplies/needs/new/",
        {
            "kind": "household",
            "household": world.households["a"].pk,
            "item": [stores.items["mask"].pk, ""],
            "quantity": ["20", ""],
            "wishes": "退烧药一盒",
        },
    )
    need = Need.objects.get()
    assert answer.status_code == 302 and need.lines.get().quantity == 20
    assert carol.post("/supplies/needs/new/", {"kind": "household"}).status_code == 400
    # the grid worker of grid A sees it, the one of grid B nothing, on the pages and the API
    assert f"/supplies/needs/{need.pk}/" in gavin.get("/supplies/needs/").content.decode()
    assert f"/supplies/needs/{need.pk}/" not in bella.get("/supplies/needs/").content.decode()
    assert bella.get(f"/supplies/needs/{need.pk}/").status_code == 404
    assert bella.get(API).json()["count"] == 0
    assert bella.get(f"{API}{need.pk}/").status_code == 404
    assert gavin.get(API).json()["results"][0]["id"] == need.pk
    # each step on the need's page
    page = carol.get(f"/supplies/needs/{need.pk}/").content.decode()
    assert 'data-testid="approve"' in page and 'data-testid="pick"' not in page
    assert need.handover_code in page  # Carol asked for it: she passes the code on
    assert need.handover_code not in gavin.get(f"/supplies/needs/{need.pk}/").content.decode()
    act = f"/supplies/needs/{need.pk}/act/"
    gavin.post(act, {"step": "approve"})  # not his to approve
    assert Need.objects.get().status == NeedStatus.SUBMITTED
    carol.post(act, {"step": "approve", "place": stores.places["warehouse"].pk})
    alice = signed_in(users["alice"])
    alice.post(act, {"step": "pick", "note": "药已买到"})
    assert Need.objects.get().status == NeedStatus.PICKED
    carol.post(act, {"step": "dispatch", "deliverer": f"user-{users['gavin'].pk}"})
    deliveries = gavin.get("/supplies/deliveries/").content.decode()
    assert 'data-testid="delivery"' in deliveries and "医用外科口罩 × 20个" in deliveries
    assert 'data-testid="no-deliveries"' in bella.get("/supplies/deliveries/").content.decode()
    gavin.post(act, {"step": "code", "code": "x", "back": "deliveries"})
    assert AuditEntry.objects.filter(action="need.bad_code").count() == 1
    code = Need.objects.get().handover_code
    answer = gavin.post(act, {"step": "code", "code": code, "back": "deliveries"})
    assert answer.url == "/supplies/deliveries/"
    need.refresh_from_db()
    assert need.status == NeedStatus.DELIVERED and need.due_at is None
    steps = carol.get(f"/supplies/needs/{need.pk}/").content.decode().count('data-testid="step"')
    assert steps == 5


def test_the_api_walks_a_team_need_and_answers_bad_input_with_400(world, stores, api_client_for):
    users = world.users
    alice = api_client_for(users["alice"])
    east_store = stores.places["east"]
    from wangge.teams.tests.call_fixtures import member, team

    volunteers = team(world.street, world.east)
    runner = member(volunteers, "钱跑", "13811110009", user=users["tracy"])
    assert alice.post(API, {"kind": "team"}, format="json").status_code == 400
    assert (
        alice.post(
            API,
            {"kind": "team", "team": volunteers.pk, "lines": [{"item": 999999, "quantity": 1}]},
            format="json",
        ).status_code
        == 400
    )
    made = alice.post(
        API,
        {
            "kind": "team",
            "team": volunteers.pk,
            "lines": [{"item": stores.items["mask"].pk, "quantity": 30}],
        },
        format="json",
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert made.json()["handover_code"] == Need.objects.get().handover_code
    assert alice.post(f"{API}{pk}/pick/", {}, format="json").status_code == 400  # not approved
    carol = api_client_for(users["carol"])
    assert (
        carol.post(f"{API}{pk}/approve/", {"place": east_store.pk}, format="json").status_code
        == 200
    )
    short = alice.post(f"{API}{pk}/pick/", {}, format="json")  # nothing at the east store
    assert short.status_code == 400 and "库存不足" in short.content.decode()
    assert (
        alice.post(
            f"{API}{pk}/pick/", {"place": stores.places["warehouse"].pk}, format="json"
        ).status_code
        == 200
    )
    assert carol.post(f"{API}{pk}/dispatch/", {}, format="json").status_code == 400
    sent = carol.post(f"{API}{pk}/dispatch/", {"member": runner.pk}, format="json")
    assert sent.json()["status"] == "delivering" and sent.json()["deliverer"] == "钱跑"
    tracy = api_client_for(users["tracy"])
    assert tracy.get(f"{API}{pk}/").json()["handover_code"] == ""
    assert tracy.post(f"{API}{pk}/handover/", {"code": "12"}, format="json").status_code == 400
    code = Need.objects.get().handover_code
    done = tracy.post(f"{API}{pk}/handover/", {"code": code}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "delivered"
    assert carol.post(f"{API}{pk}/cancel/", {}, format="json").status_code == 400
    other = svc.need_create(by=users["alice"], kind="team", team=volunteers, wishes="饮用水")
    bella = api_client_for(users["bella"])
    assert bella.post(f"{API}{other.pk}/reject/", {"reason": "x"}, format="json").status_code == 404
    rejected = carol.post(f"{API}{other.pk}/reject/", {"reason": "已有储备"}, format="json")
    assert rejected.json()["status"] == "rejected"
