"""The messages API: create, preview, send, cancel, status, acknowledgements and call list, each
scoped — a grid worker can neither address nor see another grid's message through any endpoint."""

import pytest
from django.urls import reverse

from wangge.notify import workers
from wangge.notify.models import Message, Recipient
from wangge.notify.tests.sent import FROZEN

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def woken(monkeypatch) -> list[list[str]]:
    calls: list[list[str]] = []
    monkeypatch.setattr(workers, "wake", lambda channels: calls.append(list(channels)))
    return calls


def body(**given: object) -> dict[str, object]:
    return {
        "audience_kind": "street",
        "audience_value": "江南街道",
        "channels": ["sms"],
        "text": "{称呼}，请今天到小区门口做核酸。{链接}",
        "kind": "emergency",
        "ack": True,
        **given,
    }


def detail(name: str, message: Message | int) -> str:
    return reverse(name, args=[getattr(message, "pk", message)])


def test_a_message_goes_from_draft_to_sent_with_its_status_acks_and_calls(
    world, api_client_for, woken
) -> None:
    alice = api_client_for(world.users["alice"])

    preview = alice.post(reverse("message-preview"), body(), format="json")
    created = alice.post(reverse("message-list"), body(title="核酸"), format="json")
    pk = created.data["id"]
    sent = alice.post(detail("message-send", pk))
    Recipient.objects.filter(person=world.persons["zhang_san"]).update(
        acknowledged_at=FROZEN, call_listed_at=FROZEN
    )
    status = alice.get(detail("message-delivery-status", pk))
    acks = alice.get(detail("message-acknowledgements", pk))
    calls = alice.get(detail("message-calls", pk))

    assert preview.status_code == 200
    assert preview.data["recipients"] == 4 and preview.data["channels"] == {"sms": 4}
    assert preview.data["daily_cap"] is None  # an emergency is never capped
    assert created.status_code == 201 and created.data["status"] == "draft"
    assert sent.status_code == 200 and sent.data["status"] == "sending"
    assert sent.data["recipients_count"] == 4
    assert woken == [["sms"]]
    assert status.data == {
        "recipients": 4,
        "sent": 0,
        "delivered": 0,
        "failed": 0,
        "acknowledged": 1,
        "pending": 4,
    }
    assert [row["person"] for row in acks.data["results"]] == [world.persons["zhang_san"].pk]
    assert [row["person"] for row in calls.data["results"]] == [world.persons["zhang_san"].pk]
    assert "phone" not in calls.data["results"][0]


def test_a_scheduled_message_is_cancelled_and_a_sent_one_cannot_be(world, api_client_for) -> None:
    alice = api_client_for(world.users["alice"])
    later = alice.post(
        reverse("message-list"), body(send_at="2099-01-01T08:00:00+08:00"), format="json"
    ).data["id"]
    now = alice.post(reverse("message-list"), body(), format="json").data["id"]

    scheduled = alice.post(detail("message-send", later))
    cancelled = alice.post(detail("message-cancel", later))
    alice.post(detail("message-send", now))
    refused = alice.post(detail("message-cancel", now))

    assert scheduled.data["status"] == "scheduled"
    assert cancelled.status_code == 200 and cancelled.data["status"] == "cancelled"
    assert refused.status_code == 400
    assert "不能取消" in str(refused.data)
    assert Message.objects.get(pk=now).status == Message.Status.SENDING


def test_bad_input_is_a_clear_400(world, api_client_for) -> None:
    alice = api_client_for(world.users["alice"])

    unknown_kind = alice.post(reverse("message-list"), body(audience_kind="planet"), format="json")
    placeholder = alice.post(reverse("message-list"), body(text="{地址}"), format="json")
    no_channel = alice.post(reverse("message-list"), body(channels=[]), format="json")

    assert unknown_kind.status_code == placeholder.status_code == no_channel.status_code == 400
    assert "audience_value" in unknown_kind.data
    assert "地址" in str(placeholder.data)
    assert not Message.objects.exists()


def test_a_grid_worker_can_neither_address_nor_see_another_grids_message(
    world, api_client_for
) -> None:
    gavin = api_client_for(world.users["gavin"])
    bella = api_client_for(world.users["bella"])
    own = body(audience_kind="grid", audience_value="东社区/第一网格", kind="notice")

    # Gavin addresses his own grid, not the west's, in a draft or a preview
    mine = gavin.post(reverse("message-list"), own, format="json")
    other = body(audience_kind="grid", audience_value="西社区/第四网格")
    refused = gavin.post(reverse("message-list"), other, format="json")
    refused_preview = gavin.post(reverse("message-preview"), other, format="json")
    street = gavin.post(reverse("message-list"), body(), format="json")
    pk = mine.data["id"]

    assert mine.status_code == 201
    assert refused.status_code == refused_preview.status_code == street.status_code == 400
    # Bella (grid B) does not see Gavin's message through any endpoint
    assert pk not in [row["id"] for row in bella.get(reverse("message-list")).data["results"]]
    for name in ("message-detail", "message-delivery-status", "message-acknowledgements"):
        assert bella.get(detail(name, pk)).status_code == 404, name
    assert bella.get(detail("message-calls", pk)).status_code == 404
    assert bella.post(detail("message-send", pk)).status_code == 404
    assert bella.post(detail("message-cancel", pk)).status_code == 404
    assert Message.objects.get(pk=pk).status == Message.Status.DRAFT
    # while Gavin follows his own
    assert gavin.post(detail("message-send", pk)).status_code == 200
    assert (
        gavin.get(detail("message-delivery-status", pk)).data["recipients"] == 2
    )  # grid A and its small grid


def test_a_doctor_may_not_create_a_message(world, api_client_for) -> None:
    dora = api_client_for(world.users["dora"])

    response = dora.post(
        reverse("message-list"),
        body(audience_kind="community", audience_value="西社区"),
        format="json",
    )

    assert response.status_code in {400, 403}
    assert not Message.objects.exists()
