from wangge.core.models import AuditEntry
from wangge.supplies.models import Need, NeedStatus
from wangge.supplies.services import needs as svc


def test_a_household_orders_sees_its_state_and_code_and_nobody_elses(
    world, stores, resident_client
):
    client, account = resident_client("13800001111")  # Zhang San, household A
    home = client.get("/my/").content.decode()
    assert 'href="/my/supplies/"' in home
    page = client.get("/my/supplies/").content.decode()
    assert "医用外科口罩" in page and "抗原检测试剂" not in page  # only what households may order
    mask = stores.items["mask"]
    assert client.post("/my/supplies/", {"wishes": " "}).status_code == 400
    answer = client.post("/my/supplies/", {f"item-{mask.pk}": "10", "wishes": "布洛芬一盒"})
    assert answer.status_code == 302
    need = Need.objects.get()
    assert (need.household, need.requested_label) == (world.households["a"], account.label)
    assert AuditEntry.objects.filter(action="need.create", actor_label=account.label).exists()
    svc.need_approve(by=world.users["carol"], need=need)
    page = client.get("/my/supplies/").content.decode()
    assert need.handover_code in page and "待配货" in page and "审批通过" in page
    # another household's need is neither listed nor cancellable
    other = svc.need_create(
        by=world.users["bella"], kind="household", household=world.households["b"], wishes="米"
    )
    assert other.handover_code not in client.get("/my/supplies/").content.decode()
    assert client.post(f"/my/supplies/{other.pk}/cancel/").status_code == 404
    client.post(f"/my/supplies/{need.pk}/cancel/")
    assert Need.objects.get(pk=need.pk).status == NeedStatus.CANCELLED
    # a resident whose phone the register does not know has no household to order for
    stranger, _account = resident_client("13912345678")
    assert "防疫登记" in stranger.get("/my/supplies/").content.decode()
    assert stranger.post("/my/supplies/", {"wishes": "米"}).status_code == 200
    assert Need.objects.count() == 2
