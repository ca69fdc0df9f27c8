"""The SMS adapter with the Aliyun preset: the request shapes and signature, every outcome, and the
receipts. Outcomes are produced over real sockets: the fake gateway, or a canned server for the
answers the fake gateway never gives."""

import json
from datetime import datetime
from urllib.parse import parse_qs
from zoneinfo import ZoneInfo

import pytest

from wangge.notify.channels import Outgoing, Result, adapter_for, transport
from wangge.notify.channels.aliyun import PRESET, signature
from wangge.notify.channels.sms import mobile, parse_receipts, receipt_ack
from wangge.notify.fakegateway import refused

PHONES = ["13800001111", "13900002222", "13700003333"]


def gateway(settings, url: str, **more: object) -> None:
    settings.WANGGE = {**settings.WANGGE, "SMS_URL": url, "SMS_ACCESS_KEY_SECRET": "s3cret", **more}


def outgoing(phones: list[str], text: str = "今晚8点核酸检测", start: int = 1) -> list[Outgoing]:
    return [
        Outgoing(delivery_id=start + number, address=phone, text=text, params={"text": text})
        for number, phone in enumerate(phones)
    ]


def fields(body: bytes) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(body.decode("ascii")).items()}


def by_delivery(results: list[Result]) -> dict[int, Result]:
    return {result.delivery_id: result for result in results}


def test_the_signature_matches_aliyuns_documented_example():
    example = {
        "TimeStamp": "2016-02-23T12:46:24Z",
        "Format": "XML",
        "AccessKeyId": "testid",
        "Action": "DescribeRegions",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
        "Version": "2014-05-26",
        "SignatureVersion": "1.0",
    }
    assert signature(example, "testsecret", method="GET") == "CT9X0VtwR86fNWSnsc6v8YGOjuE="


def test_numbers_are_read_as_chinese_mobiles():
    assert mobile("+86 138-0000-1111") == "13800001111"
    assert mobile("8613800001111") == "13800001111"
    assert mobile("0571-87654321") == ""
    assert mobile("12345") == ""
    assert mobile("not a phone") == ""


def test_one_text_for_every_number_is_one_send_sms_with_the_numbers_comma_joined(settings):
    gateway(settings, "http://127.0.0.1:9/sms")
    items = [(item, item.address) for item in outgoing(PHONES)]

    [(body, carried)] = PRESET.requests("ref-1", items)

    sent = fields(body)
    assert sent["Action"] == "SendSms"
    assert sent["PhoneNumbers"] == ",".join(PHONES)
    assert json.loads(sent["TemplateParam"]) == {"text": "今晚8点核酸检测"}
    assert sent["OutId"] == "ref-1"
    assert sent["TemplateCode"] == settings.WANGGE["SMS_TEMPLATE_CODE"]
    assert sent["SignName"] == settings.WANGGE["SMS_SIGN_NAME"]
    assert (sent["Format"], sent["Version"], sent["SignatureMethod"]) == (
        "JSON",
        "2017-05-25",
        "HMAC-SHA1",
    )
    unsigned = {name: value for name, value in sent.items() if name != "Signature"}
    assert sent["Signature"] == signature(unsigned, "s3cret")
    assert carried == items


def test_texts_that_differ_go_by_send_batch_sms_a_hundred_at_most(settings):
    gateway(settings, "http://127.0.0.1:9/sms")
    phones = [f"138{number:08d}" for number in range(150)]
    items = [
        (Outgoing(number, phone, f"王先生{number}", {"text": f"王先生{number}"}), phone)
        for number, phone in enumerate(phones)
    ]

    requests = PRESET.requests("ref-2", items)

    assert [len(carried) for _, carried in requests] == [100, 50]
    first = fields(requests[0][0])
    assert first["Action"] == "SendBatchSms"
    assert json.loads(first["PhoneNumberJson"]) == phones[:100]
    assert json.loads(first["SignNameJson"]) == [settings.WANGGE["SMS_SIGN_NAME"]] * 100
    assert json.loads(first["TemplateParamJson"])[7] == {"text": "王先生7"}
    assert first["OutId"] == "ref-2"


def test_one_text_goes_to_a_thousand_numbers_per_request(settings):
    gateway(settings, "http://127.0.0.1:9/sms")
    items = [(item, item.address) for item in outgoing([f"139{n:08d}" for n in range(1500)])]

    assert [len(carried) for _, carried in PRESET.requests("r", items)] == [1000, 500]


def test_accepted_numbers_are_sent_and_reach_the_gateway_once_each(settings, fake_gateway):
    running = fake_gateway()
    gateway(settings, f"{running.url}/sms")

    results = adapter_for("sms").send("ref-ok", outgoing(PHONES))

    assert {result.outcome for result in results} == {"sent"}
    assert [(line["to"], line["reference"]) for line in running.lines()] == [
        (phone, "ref-ok") for phone in PHONES
    ]


def test_connections_to_the_gateway_are_kept_across_calls(settings, fake_gateway):
    running = fake_gateway()
    gateway(settings, f"{running.url}/sms")

    for round_ in range(3):
        adapter_for("sms").send(f"ref-{round_}", outgoing(PHONES[:1]))

    assert transport.open_connections(f"{running.url}/sms") == 1


def test_beyond_the_gateways_minute_budget_a_batch_is_retried(settings, fake_gateway):
    running = fake_gateway("--throttle-per-minute", "1")
    gateway(settings, f"{running.url}/sms")
    adapter_for("sms").send("first", outgoing(PHONES[:1]))

    [result] = adapter_for("sms").send("second", outgoing(PHONES[1:2]))

    assert (result.outcome, result.code) == ("retry", "isv.BUSINESS_LIMIT_CONTROL")


def test_a_refused_number_fails_alone_and_the_rest_of_its_batch_is_sent(settings, fake_gateway):
    running = fake_gateway("--fail-rate", "0.5")
    gateway(settings, f"{running.url}/sms")
    candidates = [f"1380000{n:04d}" for n in range(40)]
    bad = next(phone for phone in candidates if refused(phone, 0.5))
    good = [phone for phone in candidates if not refused(phone, 0.5)][:2]

    results = by_delivery(adapter_for("sms").send("ref-mixed", outgoing([good[0], bad, good[1]])))

    assert results[2].outcome == "failed"
    assert results[2].code == "isv.MOBILE_NUMBER_ILLEGAL"
    assert (results[1].outcome, results[3].outcome) == ("sent", "sent")
    assert sorted(line["to"] for line in running.lines()) == sorted(good)


def test_a_held_answer_is_unknown_though_the_message_left(settings, fake_gateway):
    running = fake_gateway("--timeout-rate", "1", "--hold", "3")
    gateway(settings, f"{running.url}/sms", SMS_TIMEOUT_SECONDS=1)

    [result] = adapter_for("sms").send("ref-slow", outgoing(PHONES[:1]))

    assert (result.outcome, result.code) == ("unknown", "timeout")
    assert [line["to"] for line in running.lines()] == PHONES[:1]


def test_nothing_listening_is_retried(settings):
    from wangge.notify.tests.conftest import free_port

    gateway(settings, f"http://127.0.0.1:{free_port()}/sms")

    [result] = adapter_for("sms").send("ref", outgoing(PHONES[:1]))

    assert (result.outcome, result.code) == ("retry", "no_connection")


def test_a_connection_closed_after_sending_is_unknown(settings, canned):
    canned.hang_up = True
    gateway(settings, f"{canned.url}/sms")

    [result] = adapter_for("sms").send("ref", outgoing(PHONES[:1]))

    assert result.outcome == "unknown"
    assert len(canned.requests) == 1


@pytest.mark.parametrize(
    ("status", "answer", "outcome", "code"),
    [
        (200, {"Code": "OK", "Message": "OK", "BizId": "1^0"}, "sent", ""),
        (
            200,
            {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "流控"},
            "retry",
            "isv.BUSINESS_LIMIT_CONTROL",
        ),
        (200, {"Code": "Throttling.User", "Message": "流控"}, "retry", "Throttling.User"),
        (200, {"Code": "isp.SYSTEM_ERROR", "Message": "系统错误"}, "retry", "isp.SYSTEM_ERROR"),
        (502, {"Code": "OK"}, "retry", "http_502"),
        (429, {}, "retry", "http_429"),
        (
            200,
            {"Code": "isv.AMOUNT_NOT_ENOUGH", "Message": "余额不足"},
            "failed",
            "isv.AMOUNT_NOT_ENOUGH",
        ),
        (
            400,
            {"Code": "SignatureDoesNotMatch", "Message": "签名不符"},
            "failed",
            "SignatureDoesNotMatch",
        ),
        (403, "forbidden", "failed", "http_403"),
        (200, "<html>proxy</html>", "unknown", "unreadable_answer"),
    ],
)
def test_each_answer_maps_to_an_outcome(settings, canned, status, answer, outcome, code):
    if isinstance(answer, str):
        canned.status, canned.body = status, answer.encode()
    else:
        canned.answer_json(answer, status)
    gateway(settings, f"{canned.url}/sms")

    results = adapter_for("sms").send("ref", outgoing(PHONES))

    assert {(result.outcome, result.code) for result in results} == {(outcome, code)}
    if outcome == "failed" and status == 200:
        assert all(result.reason for result in results)


def test_after_a_throttled_request_the_batchs_other_requests_wait(settings, canned):
    canned.answer_json({"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "流控"})
    gateway(settings, f"{canned.url}/sms")
    batch = [Outgoing(n, f"138{n:08d}", f"文本{n}", {"text": f"文本{n}"}) for n in range(150)]

    results = adapter_for("sms").send("ref", batch)

    assert len(canned.requests) == 1
    assert {result.code for result in results} == {"isv.BUSINESS_LIMIT_CONTROL", "not_tried"}
    assert {result.outcome for result in results} == {"retry"}


def test_a_number_that_is_no_mobile_fails_and_a_repeat_waits_for_another_attempt(settings, canned):
    canned.answer_json({"Code": "OK", "Message": "OK"})
    gateway(settings, f"{canned.url}/sms")

    results = by_delivery(
        adapter_for("sms").send("ref", outgoing(["0571-87654321", PHONES[0], f"+86{PHONES[0]}"]))
    )

    assert (results[1].outcome, results[1].code) == ("failed", "invalid_phone")
    assert results[2].outcome == "sent"
    assert (results[3].outcome, results[3].code) == ("retry", "repeated_in_batch")
    assert fields(canned.requests[0][1])["PhoneNumbers"] == PHONES[0]


def test_without_a_gateway_every_sms_fails_plainly(settings):
    gateway(settings, "")

    results = adapter_for("sms").send("ref", outgoing(PHONES))

    assert {(result.outcome, result.code) for result in results} == {("failed", "no_gateway")}


def report(phone: str, out_id: str, success: object = True, code: str = "DELIVERED") -> dict:
    return {
        "phone_number": phone,
        "send_time": "2026-12-07 13:00:00",
        "report_time": "2026-12-07 13:00:05",
        "success": success,
        "err_code": code,
        "err_msg": "用户接收成功",
        "sms_size": "1",
        "biz_id": "900^0",
        "out_id": out_id,
    }


def test_receipts_are_read_from_the_pushed_array():
    body = json.dumps(
        [report("8613800001111", "ref-a"), report("13900002222", "ref-b", "false", "MK:0001")]
    ).encode()

    first, second = parse_receipts(body)

    assert (first.reference, first.phone, first.status, first.delivered) == (
        "ref-a",
        "13800001111",
        "DELIVERED",
        True,
    )
    assert first.reported_at == datetime(2026, 12, 7, 13, 0, 5, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert (second.status, second.delivered) == ("MK:0001", False)


def test_a_receipt_twice_in_one_push_is_read_once_and_order_is_kept():
    later, earlier = report(PHONES[1], "ref"), report(PHONES[0], "ref")

    receipts = parse_receipts(json.dumps([later, earlier, later]).encode())

    assert [receipt.phone for receipt in receipts] == [PHONES[1], PHONES[0]]


def test_entries_sent_outside_wangge_or_malformed_are_skipped():
    body = json.dumps([report(PHONES[0], ""), "junk", report("12", "ref"), report(PHONES[1], "r")])

    assert [receipt.phone for receipt in parse_receipts(body.encode())] == [PHONES[1]]


@pytest.mark.parametrize("body", [b"{not json", b'{"phone_number": "1"}', b"\xff\xfe"])
def test_a_push_that_is_no_json_array_is_refused_with_a_clear_message(body):
    with pytest.raises(ValueError, match="receipt body"):
        parse_receipts(body)


def test_the_webhook_answers_the_way_aliyun_expects():
    assert receipt_ack() == (200, {"code": 0, "msg": "成功"})
