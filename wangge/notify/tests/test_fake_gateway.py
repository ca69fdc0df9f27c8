"""The fake gateway (manage.py fake_gateway) over real sockets: what it logs, the receipts it
pushes (late, as arrays, twice and out of order when told), and how it refuses and throttles."""

import json
import threading
import time
import uuid
from urllib.parse import parse_qs, urlencode

import urllib3

from wangge.notify.channels import Outgoing
from wangge.notify.channels.aliyun import PRESET
from wangge.notify.tests.conftest import wait_for

HTTP = urllib3.PoolManager(retries=False)


def post_sms(url: str, fields: dict[str, str]) -> dict:
    answer = HTTP.request(
        "POST",
        f"{url}/sms",
        body=urlencode(fields),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    return {"status": answer.status, **json.loads(answer.data)}


def sms_fields(settings, reference: str, phones: list[str], text: str = "测试") -> dict[str, str]:
    """The form fields Wangge's Aliyun preset sends for these numbers."""
    settings.WANGGE = {**settings.WANGGE, "SMS_ACCESS_KEY_SECRET": "s3cret"}
    items = [(Outgoing(n, phone, text, {"text": text}), phone) for n, phone in enumerate(phones)]
    [(body, _)] = PRESET.requests(reference, items)
    return {name: values[0] for name, values in parse_qs(body.decode("ascii")).items()}


def pushed(sink) -> list[list[dict]]:
    return [json.loads(body) for _, body in sink.requests]


def test_an_accepted_sms_is_one_log_line_per_number_and_answered_as_aliyun_does(
    settings, fake_gateway, receipt_sink
):
    running = fake_gateway("--receipt-url", receipt_sink.url + "/hook")
    phones = ["13800001111", "13900002222"]

    answer = post_sms(running.url, sms_fields(settings, "ref-1", phones))

    assert answer["status"] == 200 and answer["Code"] == "OK" and answer["BizId"]
    assert running.lines() == [
        {"channel": "sms", "to": phone, "reference": "ref-1", "text": "测试"} for phone in phones
    ]


def test_receipts_come_later_as_one_array(settings, fake_gateway, receipt_sink):
    running = fake_gateway("--receipt-url", receipt_sink.url + "/hook", "--delay-receipts", "1")
    phones = ["13800001111", "13900002222"]
    posted = time.monotonic()

    post_sms(running.url, sms_fields(settings, "ref-2", phones))

    assert wait_for(lambda: len(receipt_sink.requests) == 1)
    assert time.monotonic() - posted >= 0.9
    [array] = pushed(receipt_sink)
    assert receipt_sink.requests[0][0] == "/hook"
    assert [(entry["phone_number"], entry["out_id"], entry["success"]) for entry in array] == [
        (phone, "ref-2", True) for phone in phones
    ]
    assert set(array[0]) == {
        "phone_number",
        "send_time",
        "report_time",
        "success",
        "err_code",
        "err_msg",
        "sms_size",
        "biz_id",
        "out_id",
    }


def test_duplicate_receipts_come_twice_and_out_of_order(settings, fake_gateway, receipt_sink):
    running = fake_gateway(
        "--receipt-url", receipt_sink.url, "--delay-receipts", "0.2", "--duplicate-receipts"
    )
    phones = ["13800001111", "13900002222", "13700003333"]

    post_sms(running.url, sms_fields(settings, "ref-3", phones))

    assert wait_for(lambda: len(receipt_sink.requests) == 2)
    first, second = pushed(receipt_sink)
    assert [entry["phone_number"] for entry in first] == phones[::-1]
    assert [entry["phone_number"] for entry in second] == phones


def test_without_a_receipt_url_receipts_go_to_this_deployments_webhook(
    settings, fake_gateway, receipt_sink
):
    token = uuid.uuid4().hex
    running = fake_gateway(
        "--delay-receipts",
        "0.1",
        env={"WANGGE_SITE_URL": receipt_sink.url, "WANGGE_SMS_RECEIPT_TOKEN": token},
    )

    post_sms(running.url, sms_fields(settings, "ref-4", ["13800001111"]))

    assert wait_for(lambda: len(receipt_sink.requests) == 1)
    assert receipt_sink.requests[0][0] == f"/notify/receipts/{token}/"


def test_a_request_without_the_signature_fields_is_refused(settings, fake_gateway):
    running = fake_gateway()
    fields = sms_fields(settings, "ref-5", ["13800001111"])
    del fields["Signature"], fields["SignatureNonce"]

    answer = post_sms(running.url, fields)

    assert (answer["status"], answer["Code"]) == (400, "MissingParameter")
    assert "Signature" in answer["Message"]
    assert running.lines() == []


def test_refused_numbers_are_not_logged_and_get_no_receipt(settings, fake_gateway, receipt_sink):
    running = fake_gateway(
        "--fail-rate", "1", "--receipt-url", receipt_sink.url, "--delay-receipts", "0.1"
    )

    answer = post_sms(running.url, sms_fields(settings, "ref-6", ["13800001111"]))

    assert answer["Code"] == "isv.MOBILE_NUMBER_ILLEGAL"
    time.sleep(0.5)
    assert running.lines() == [] and receipt_sink.requests == []


def robot_post(url: str, path: str, payload: dict) -> dict:
    answer = HTTP.request(
        "POST", url + path, body=json.dumps(payload), headers={"Content-Type": "application/json"}
    )
    return json.loads(answer.data)


def test_robots_are_throttled_each_on_its_own_budget(fake_gateway):
    running = fake_gateway("--throttle-per-minute", "2")
    text = {"msgtype": "text", "text": {"content": "hi"}}

    dingtalk = [
        robot_post(running.url, "/robot/send?access_token=A", text)["errcode"] for _ in range(3)
    ]
    other = robot_post(running.url, "/robot/send?access_token=B", text)["errcode"]
    wecom = [
        robot_post(running.url, "/cgi-bin/webhook/send?key=K", text)["errcode"] for _ in range(3)
    ]

    assert dingtalk == [0, 0, 130101]
    assert other == 0
    assert wecom == [0, 0, 45009]
    assert [line["to"] for line in running.lines()] == ["A", "A", "B", "K", "K"]


def test_log_lines_stay_whole_when_messages_arrive_together(fake_gateway):
    running = fake_gateway()
    text = "长" * 3000

    def send(number: int) -> None:
        for _ in range(5):
            robot_post(
                running.url,
                f"/cgi-bin/webhook/send?key=K{number}",
                {"msgtype": "markdown", "markdown": {"content": text}},
            )

    threads = [threading.Thread(target=send, args=(number,)) for number in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    lines = running.lines()
    assert len(lines) == 40
    assert all(line["text"] == text for line in lines)
