"""The demo street: a realistic, deterministic street for trying Wangge out (`manage.py seed_demo`)."""

from wangge.core.demo.seed import DemoRefused, DemoSummary, database_is_empty, demo_street_create
from wangge.core.demo.staff import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_logins

__all__ = [
    "DEMO_ACCOUNTS",
    "DEMO_PASSWORD",
    "DemoRefused",
    "DemoSummary",
    "database_is_empty",
    "demo_logins",
    "demo_street_create",
]
