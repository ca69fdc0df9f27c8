"""python manage.py fake_gateway --port PORT --log FILE [--receipt-url URL] [--fail-rate R]
[--throttle-per-minute N] [--duplicate-receipts] [--delay-receipts SECONDS] [--timeout-rate R]
[--hold SECONDS]: the fake SMS gateway and robot webhooks (wangge/notify/fakegateway.py)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from wangge.notify.fakegateway import Gateway, Options


def share(value: str) -> float:
    rate = float(value)
    if not 0 <= rate <= 1:
        raise ValueError(value)
    return rate


class Command(BaseCommand):
    help = "Fake SMS gateway (Aliyun shapes) and DingTalk/WeCom robot webhooks on 127.0.0.1."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, required=True)
        parser.add_argument("--log", required=True, help="one JSON line per accepted message")
        parser.add_argument(
            "--receipt-url",
            default="",
            help="where receipts are pushed (default: this deployment's receipt webhook)",
        )
        parser.add_argument("--fail-rate", type=share, default=0.0)
        parser.add_argument("--throttle-per-minute", type=int, default=0)
        parser.add_argument("--duplicate-receipts", action="store_true")
        parser.add_argument("--delay-receipts", type=float, default=1.0)
        parser.add_argument(
            "--timeout-rate",
            type=share,
            default=0.0,
            help="share of accepted requests whose answer is held for --hold seconds",
        )
        parser.add_argument(
            "--hold",
            type=float,
            default=float(settings.WANGGE["SMS_TIMEOUT_SECONDS"]) + 5,
            help="seconds an answer is held under --timeout-rate (longer than the client waits)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        wangge = settings.WANGGE
        receipt_url = (
            options["receipt_url"]
            or f"{wangge['SITE_URL']}/notify/receipts/{wangge['SMS_RECEIPT_TOKEN']}/"
        )
        Gateway(
            Options(
                port=options["port"],
                log=options["log"],
                receipt_url=receipt_url,
                fail_rate=options["fail_rate"],
                throttle_per_minute=options["throttle_per_minute"],
                duplicate_receipts=options["duplicate_receipts"],
                delay_receipts=options["delay_receipts"],
                timeout_rate=options["timeout_rate"],
                hold=options["hold"],
            )
        ).serve()
