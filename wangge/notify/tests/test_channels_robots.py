"""Group robots (DingTalk, WeCom): signing, payloads, every errcode's outcome, parking after
DingTalk's 130101, and the digest that merges what one group is due beyond its budget."""

import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from wangge.notify import ratelimit
from wangge.notify.channels import Outgoing, adapter_for
from wangge.notify.channels.dingtalk import DingTalkAdapter, sign
from wangge.notify.channels.robots import digest
from wangge.notify.channels.wecom import MARKDOWN_BYTES, TEXT_BYTES, WeComAdapter
from wangge.notify.models import Robot

GAVIN = "13800001111"


def robot(world, kind: str, base_url: str, token: str = "tok-a", secret: str = "") -> Robot:
    made = Robot(grid=world.grid_a, kind=kind, name="第一网格工作群", base_url=base_url)
    made.set_token(token)
    made.set_secret(secret)
    made.save()
    return made


def to(group: Robot, text: str = "3幢2单元有2户未确认", **more: Any) -> Outgoing:
    return Outgoing(delivery_id=7, address=str(group.pk), text=text, params={"text": text}, **more)


def test_dingtalk_signs_as_its_documentation_shows():
    assert (
        sign("this is secret", 1577262236757)
        == "hmPWwU%2B7lVdm3ZZz0r9tSfx0L4Q26jWOZr9%2BGs6EZQM%3D"
    )


def test_a_signed_dingtalk_url_carries_token_timestamp_and_sign(world):
    group = robot(world, "dingtalk", "http://gw.example/", secret="SEC1")

    url = urlsplit(DingTalkAdapter().url(group))
    query = parse_qs(url.query)

    assert (url.netloc, url.path) == ("gw.example", "/robot/send")
    assert query["access_token"] == ["tok-a"]
    timestamp = int(query["timestamp"][0])
    assert query["sign"] == [parse_qs(f"s={sign('SEC1', timestamp)}")["s"][0]]


def test_without_a_base_url_the_configured_dingtalk_host_is_used(world, settings):
    settings.WANGGE = {**settings.WANGGE, "DINGTALK_URL": "https://oapi.example"}
    group = robot(world, "dingtalk", "")

    assert DingTalkAdapter().url(group) == "https://oapi.example/robot/send?access_token=tok-a"


def test_dingtalk_text_mentions_by_mobile_and_markdown_carries_the_at_in_its_text():
    adapter = DingTalkAdapter()
    plain = Outgoing(1, "1", "请上门核实", {"text": "请上门核实"}, mentions=(GAVIN,))
    marked = Outgoing(1, "1", "**3幢** 未确认", {}, mentions=(GAVIN,), title="未达提醒")

    assert adapter.payload(plain) == {
        "msgtype": "text",
        "text": {"content": "请上门核实"},
        "at": {"atMobiles": [GAVIN], "isAtAll": False},
    }
    markdown = adapter.payload(marked)
    assert markdown["msgtype"] == "markdown"
    assert markdown["markdown"]["title"] == "未达提醒"
    assert markdown["markdown"]["text"].endswith(f"@{GAVIN}")


def test_a_dingtalk_message_is_delivered_through_the_gateway(world, fake_gateway):
    running = fake_gateway()
    group = robot(world, "dingtalk", running.url, secret="SEC1")

    [result] = adapter_for("dingtalk").send("ref", [to(group, mentions=(GAVIN,))])

    assert result.outcome == "delivered"
    [line] = running.lines()
    assert line == {
        "channel": "dingtalk",
        "to": "tok-a",
        "reference": None,
        "text": "3幢2单元有2户未确认",
        "mentions": [GAVIN],
    }


def test_dingtalks_too_fast_parks_the_robot_ten_minutes_and_retries(world, fake_gateway):
    running = fake_gateway("--throttle-per-minute", "1")
    group = robot(world, "dingtalk", running.url)
    adapter_for("dingtalk").send("ref", [to(group)])

    [result] = adapter_for("dingtalk").send("ref", [to(group)])

    assert (result.outcome, result.code) == ("retry", "130101")
    assert ratelimit.take(group.bucket_key, 1, 20) == 0
    group.refresh_from_db()
    assert group.parked_until is not None


@pytest.mark.parametrize(
    ("kind", "answer", "outcome", "code"),
    [
        ("dingtalk", {"errcode": 0, "errmsg": "ok"}, "delivered", ""),
        ("dingtalk", {"errcode": 310000, "errmsg": "sign not match"}, "failed", "310000"),
        ("dingtalk", {"errcode": 300001, "errmsg": "token is not exist"}, "failed", "300001"),
        ("wecom", {"errcode": 0, "errmsg": "ok"}, "delivered", ""),
        ("wecom", {"errcode": 45009, "errmsg": "api freq out of limit"}, "retry", "45009"),
        ("wecom", {"errcode": 93000, "errmsg": "invalid webhook url"}, "failed", "93000"),
    ],
)
def test_each_errcode_maps_to_an_outcome(world, canned, kind, answer, outcome, code):
    canned.answer_json(answer)
    group = robot(world, kind, canned.url)

    [result] = adapter_for(kind).send("ref", [to(group)])

    assert (result.outcome, result.code) == (outcome, code)


def test_a_robot_webhook_that_is_down_is_retried_and_one_that_hangs_up_is_unknown(world, canned):
    group = robot(world, "wecom", canned.url)
    canned.status, canned.body = 503, b"busy"
    [down] = adapter_for("wecom").send("ref", [to(group)])
    canned.hang_up = True

    [hung_up] = adapter_for("wecom").send("ref", [to(group)])

    assert (down.outcome, down.code) == ("retry", "http_503")
    assert hung_up.outcome == "unknown"


def test_a_robot_that_is_gone_or_of_the_other_kind_fails(world):
    group = robot(world, "wecom", "http://127.0.0.1:9")

    [other_kind] = adapter_for("dingtalk").send("ref", [to(group)])
    [gone] = adapter_for("wecom").send("ref", [Outgoing(1, "999999", "x", {})])

    assert (other_kind.outcome, other_kind.code) == ("failed", "no_robot")
    assert (gone.outcome, gone.code) == ("failed", "no_robot")


def test_wecom_sends_short_text_as_text_with_mentions_by_mobile(world, fake_gateway):
    running = fake_gateway()
    group = robot(world, "wecom", running.url, token="KEY-1")

    [result] = adapter_for("wecom").send("ref", [to(group, mentions=(GAVIN,))])

    assert result.outcome == "delivered"
    [line] = running.lines()
    assert (line["channel"], line["to"], line["mentions"]) == ("wecom", "KEY-1", [GAVIN])


def test_wecom_text_over_2048_bytes_goes_as_markdown_cut_at_4096_bytes():
    adapter = WeComAdapter()
    long = "未" * 1000  # 3,000 bytes
    longer = "未" * 2000  # 6,000 bytes

    as_markdown = adapter.payload(Outgoing(1, "1", long, {}))
    cut = adapter.payload(Outgoing(1, "1", longer, {}))

    assert as_markdown == {"msgtype": "markdown", "markdown": {"content": long}}
    content = cut["markdown"]["content"]
    assert content.endswith("…") and len(content.encode()) <= MARKDOWN_BYTES


def test_wecom_with_mentions_stays_text_and_is_cut_at_2048_bytes():
    payload = WeComAdapter().payload(Outgoing(1, "1", "户" * 1000, {}, mentions=(GAVIN,)))

    assert payload["msgtype"] == "text"
    assert payload["text"]["mentioned_mobile_list"] == [GAVIN]
    assert payload["text"]["content"].endswith("…")
    assert len(payload["text"]["content"].encode()) <= TEXT_BYTES


def test_a_digest_merges_one_groups_messages_into_one_markdown():
    items = [
        Outgoing(11, "5", "1幢有1户未确认", {}, mentions=(GAVIN,)),
        Outgoing(12, "5", "2幢有3户未确认", {}, mentions=("13900002222", GAVIN), title="未达"),
        Outgoing(13, "5", "3幢已全部确认", {}),
    ]

    merged = digest(items)

    assert merged.delivery_id == 11
    assert merged.address == "5"
    assert merged.mentions == (GAVIN, "13900002222")
    assert merged.title == "通知汇总（3 条）"
    assert all(item.text in merged.text for item in items)
    assert merged.text.index("1幢") < merged.text.index("2幢") < merged.text.index("3幢")
    assert "**2. 未达**" in merged.text
    assert json.loads(json.dumps(merged.params)) == {"text": merged.text}


def test_a_digest_is_for_one_group_only():
    with pytest.raises(ValueError, match="one group"):
        digest([Outgoing(1, "5", "a", {}), Outgoing(2, "6", "b", {})])
    with pytest.raises(ValueError, match="at least one"):
        digest([])
