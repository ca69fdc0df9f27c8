"""Fixtures the demo tests borrow from the apps they seed."""

from wangge.devices.tests.conftest import isolation, pete  # noqa: F401
