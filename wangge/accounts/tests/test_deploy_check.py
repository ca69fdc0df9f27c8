import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def test_check_deploy_is_clean_with_production_settings(tmp_path: Path):
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    # Browser tests allow async-unsafe ORM calls in their own process; a deployment never does.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "wangge.settings",
        "WANGGE_HTTPS": "1",
        "WANGGE_DEBUG": "0",
        "WANGGE_SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(64)),
        "WANGGE_VAR_DIR": str(tmp_path),
    }
    code = (
        "import django; django.setup(); from django.core.management import call_command; "
        'call_command("check", "--deploy", "--fail-level", "WARNING")'
    )

    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr + result.stdout
