"""The checkpoint settings (settings.WANGGE, defaults in settings.py); see docs/checkpoints.md."""

from decimal import Decimal
from typing import Any

from django.conf import settings

from wangge.checkpoints.rules import DEFAULT_RULES, OFF, SEVERITY


def config() -> dict[str, Any]:
    """settings.WANGGE, where settings.py gives each checkpoint setting its default."""
    return settings.WANGGE


def scan_rules() -> dict[str, str]:
    """Each reason's verdict: the defaults, overridden by configuration; unknown values refused."""
    rules = {**DEFAULT_RULES, **config()["CHECKPOINT_RULES"]}
    wrong = {
        str(key): value for key, value in rules.items() if value != OFF and value not in SEVERITY
    }
    if wrong:
        raise ValueError(f"CHECKPOINT_RULES: unknown verdicts {wrong}")
    return rules


def fever_threshold() -> Decimal:
    """The threshold the measures capability alerts on; one number for check-ins and gates."""
    from wangge.measures.services.common import rules

    return Decimal(str(rules()["FEVER_THRESHOLD"]))
