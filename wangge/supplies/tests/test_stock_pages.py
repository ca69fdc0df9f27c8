"""The stock pages: the catalogue, the places and a place's stock, the move forms (a refusal shown
on the form, nothing written), the ledger with its reverse links, and its export as a job."""

from django.urls import reverse
from openpyxl import load_workbook

from tests.test_no_inline_script import offences
from wangge.core.exports import result_path
from wangge.core.jobs.models import Job
from wangge.core.models import AuditEntry
from wangge.supplies.models import StockMove, StockThreshold
from wangge.supplies.services import stock
from wangge.supplies.tests.conftest import days_from_today


def _url(name, *args):
    return reverse(f"supplies:{name}", args=args)


def test_the_commander_sees_every_page_and_moves_stock_through_the_forms(client, world, stores):
    alice = world.users["alice"]
    warehouse, mask = stores.places["warehouse"], stores.items["mask"]
    stock.receive(
        by=alice,
        place=warehouse,
        item=stores.items["kit"],
        quantity=4,
        lot="K-OLD",
        expiry=days_from_today(-2),
    )
    StockThreshold.objects.create(place=warehouse, item=mask, minimum=1000)
    (issued,) = stock.issue(
        by=alice,
        place=warehouse,
        item=mask,
        quantity=1,
        recipient=stock.Recipient("other", label="志愿者"),
    )
    client.force_login(alice)
    pages = {
        _url("items"): "医用外科口罩",
        _url("item_new"): "item-form",
        _url("item_edit", mask.pk): "医用外科口罩",
        _url("places"): "东社区物资点",
        _url("place_new"): "place-form",
        _url("place_edit", warehouse.pk): "街道物资仓库",
        _url("place", warehouse.pk): "M-EARLY",
        _url("receive", warehouse.pk): "move-form",
        _url("issue", warehouse.pk) + f"?item={mask.pk}&q=阳光花园 101": "1幢",
        _url("transfer", warehouse.pk) + f"?item={mask.pk}": "东社区物资点",
        _url("write_off", stores.batches["early"].pk): "M-EARLY",
        _url("reverse", issued.pk): "志愿者",
        _url("ledger", warehouse.pk) + "?kind=issue": f"reverse-{issued.pk}",
    }
    for url, expected in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert expected in response.content.decode(), url
        assert offences(response.content.decode()) == [], url
    place_page = client.get(_url("place", warehouse.pk)).content.decode()
    assert 'data-testid="expired"' in place_page and 'data-testid="expiring"' in place_page
    assert f'data-testid="low-{mask.pk}"' in place_page and "低于预警线" in place_page

    # a refusal is shown on the form and nothing is written
    moves = StockMove.objects.count()
    form = {"item": mask.pk, "quantity": 1000, "recipient_kind": "other", "label": "卡点"}
    refused = client.post(_url("issue", warehouse.pk), form)
    assert refused.status_code == 422 and "库存不足" in refused.content.decode()
    late = stores.batches["late"].pk
    form |= {"quantity": 10, "batch": late}
    refused = client.post(_url("issue", warehouse.pk), form)
    assert refused.status_code == 422 and "请说明原因" in refused.content.decode()
    assert StockMove.objects.count() == moves
    done = client.post(_url("issue", warehouse.pk), form | {"fefo_reason": "整箱"})
    assert done.status_code == 302
    assert StockMove.objects.get(batch=late, kind="issue").fefo_reason == "整箱"
    # a household of the place's area, found by its address
    household = world.households["d"]
    to_home = {
        "item": mask.pk,
        "quantity": 2,
        "recipient_kind": "household",
        "household": household.pk,
    }
    assert client.post(_url("issue", warehouse.pk), to_home).status_code == 302
    assert StockMove.objects.filter(household=household).exists()
    kit_old = stores.items["kit"].batches.get(lot="K-OLD")
    written = client.post(_url("write_off", kit_old.pk), {"quantity": 4, "reason": "expired"})
    assert written.status_code == 302
    assert client.post(_url("reverse", issued.pk), {"reason": "发错"}).status_code == 302
    again = client.post(_url("reverse", issued.pk), {"reason": "发错"})
    assert again.status_code == 422 and "已冲正" in again.content.decode()
    assert f"reverse-{issued.pk}" not in client.get(_url("ledger", warehouse.pk)).content.decode()

    # the ledger exports as a job: the period's rows, oldest first, and an audit entry
    asked = client.post(
        _url("ledger_export", warehouse.pk),
        {"reason": "superior", "start": days_from_today(-1), "end": days_from_today(0)},
    )
    job = Job.objects.get(kind="supplies.ledger")
    assert asked.url == reverse("core:job", args=[job.pk]) and job.status == Job.Status.DONE
    rows = list(load_workbook(result_path(job)).active.iter_rows(values_only=True))
    assert "导出人：alice" in rows[0][0] and rows[2][:3] == ("时间", "类型", "物资")
    ledger = StockMove.objects.filter(place=warehouse).order_by("at", "pk")
    assert [row[-1] for row in rows[3:]] == [move.pk for move in ledger]
    assert [row[5] for row in rows[3:]] == [move.change for move in ledger]
    entry = AuditEntry.objects.get(action="export", target_id=str(job.pk))
    assert entry.reason.startswith("上级部门要求")


def test_a_community_worker_sees_and_moves_only_its_own_places(client, world, stores):
    carol, east, warehouse = world.users["carol"], stores.places["east"], stores.places["warehouse"]
    food = stores.items["food"]
    stock.receive(by=carol, place=east, item=food, quantity=10)
    client.force_login(carol)
    places = client.get(_url("places")).content.decode()
    assert "东社区物资点" in places and "街道物资仓库" not in places
    assert "医用外科口罩" in client.get(_url("items")).content.decode()
    assert client.get(_url("item_new")).status_code == 403
    for url in (
        _url("place", warehouse.pk),
        _url("ledger", warehouse.pk),
        _url("issue", warehouse.pk),
    ):
        assert client.get(url).status_code == 404, url
    for url in (_url("place", east.pk), _url("ledger", east.pk), _url("receive", east.pk)):
        assert client.get(url).status_code == 200, url
    issue_page = client.get(_url("issue", east.pk) + f"?item={food.pk}&q=阳光花园").content.decode()
    assert "阳光花园3幢" in issue_page and 'value="household" selected' in issue_page
    # a household of another community is no choice for the east store
    west_home = {
        "item": food.pk,
        "quantity": 1,
        "recipient_kind": "household",
        "household": world.households["d"].pk,
    }
    refused = client.post(_url("issue", east.pk), west_home)
    assert refused.status_code == 422 and StockMove.objects.filter(kind="issue").count() == 0
    search = client.get(_url("issue", east.pk) + "?q=江景苑").content.decode()
    assert "江景苑" not in search.replace('value="江景苑"', "")

    # a grid worker sees the community's store but moves nothing there
    client.force_login(world.users["gavin"])
    for url in (_url("issue", east.pk), _url("receive", east.pk), _url("transfer", east.pk)):
        assert client.get(url).status_code in (403, 404), url
