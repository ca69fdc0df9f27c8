"""The checkpoint settings (settings.WANGGE), with their defaults; see docs/checkpoints.md."""

from decimal import Decimal
from typing import Any

from django.conf import settings

from wangge.checkpoints.rules import DEFAULT_RULES, OFF, SEVERITY

DEFAULTS: dict[str, Any] = {
    "CHECKPOINT_RULES": {},
    "CHECKPOINT_STAY_HOME_CATEGORIES": ("home_isolation", "health_monitoring"),
    "SCAN_RESOLVE_MINUTES": 30,
    "SCAN_CLOCK_SKEW_SECONDS": 120,
    "PASS_EXITS_PER_PERIOD": 1,
    "PASS_PERIOD_DAYS": 2,
    "SHIFT_CLOCK_EARLY_MINUTES": 30,
    "SHIFT_CLOCK_LATE_MINUTES": 120,
    "ROSTER_GAP_ALERT_TIME": "16:00",
}


def config() -> dict[str, Any]:
    configured = getattr(settings, "WANGGE", {})
    return {key: configured.get(key, value) for key, value in DEFAULTS.items()}


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
