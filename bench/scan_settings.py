"""Settings for bench/scan_load.py only: the product's settings, with a URLconf that adds a bare
view returning a constant (the yardstick the scan endpoint is measured against)."""

from wangge.settings import *  # noqa: F403

ROOT_URLCONF = "scan_urls"
