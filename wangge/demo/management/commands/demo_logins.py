"""manage.py demo_logins --url URL: where Wangge runs and, when the demo street is loaded, its logins."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from wangge.demo.outbreak.residents import demo_resident_phone
from wangge.demo.staff import demo_logins

COLUMNS = (("username", "用户名 username"), ("password", "密码 password"), ("role", "角色 role"))


class Command(BaseCommand):
    help = "Print the URL and, if the demo accounts exist, a table of them (demo only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000/")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"网格 Wangge: {options['url']}")
        rows = demo_logins()
        if not rows:
            return
        self.stdout.write("")
        self.stdout.write(
            "演示账号，仅供演示 / DEMO ONLY — 请勿在真实数据上使用 / never on real data"
        )
        widths = {
            key: max(_width(title), *(_width(row[key]) for row in rows)) for key, title in COLUMNS
        }
        header = "  ".join(_pad(title, widths[key]) for key, title in COLUMNS) + "  范围 area"
        self.stdout.write(header)
        self.stdout.write("-" * _width(header))
        for row in rows:
            cells = "  ".join(_pad(row[key], widths[key]) for key, _ in COLUMNS)
            self.stdout.write(f"{cells}  {row['area']}")
        phone = demo_resident_phone()
        if phone:
            self.stdout.write("")
            self.stdout.write(
                f"居民 resident: {options['url']}my/ 手机号 phone {phone}，"
                f"验证码见 code at {options['url']}residents/outbox/ (demo-grid) "
                "或假网关日志 / or the fake gateway's log"
            )


def _width(text: str) -> int:
    """Columns on a terminal: a Chinese character takes two."""
    return sum(2 if ord(char) > 0x2E80 else 1 for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
