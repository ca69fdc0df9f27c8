"""Audience benchmark: `recipients()` and `preview()` over the demo street, median of --repeat runs.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/python manage.py seed_demo \
        --persons 90000 --seed 1 --register-only
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/python bench/notify_audience.py

Reads the database DATABASE_URL names (load the demo street there first), as the system (by=None):
the whole street, the green households (one person each) and a community, on SMS and DingTalk.
Prints one JSON object. Benchmarks assert nothing.
"""

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wangge.settings")

import django  # noqa: E402

django.setup()

from wangge.notify.audience import audience_parse, recipients  # noqa: E402
from wangge.notify.preview import preview  # noqa: E402
from wangge.regions.models import Community  # noqa: E402

TEXT = "{称呼}您好：{户}住户请于{日期}完成核酸，收到请点{链接}"


def timed(run: Callable[[], object], repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return round(statistics.median(times), 3), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    community = Community.objects.order_by("pk").first()
    if community is None:
        sys.exit("no street here: load the demo street first (manage.py seed_demo)")
    cases = {
        "street": audience_parse("street", "", by=None),
        "colour_green": audience_parse("colour", "green", by=None),
        "community": audience_parse("community", community.name, by=None),
    }
    figures: dict[str, object] = {}
    for name, audience in cases.items():
        seconds, rows = timed(
            lambda a=audience: list(recipients(a, ["sms"], "notice")), args.repeat
        )
        figures[f"recipients_{name}_s"] = seconds
        figures[f"recipients_{name}_rows"] = len(rows)  # type: ignore[arg-type]
        seconds, _ = timed(
            lambda a=audience: preview(a, ["sms", "dingtalk"], "notice", TEXT), args.repeat
        )
        figures[f"preview_{name}_s"] = seconds
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
