"""The files of deploy/ agree with the settings they stand beside (docs/operations.md, "Deploying on
a server"): nginx takes the largest upload the app accepts and no more than a little above it, serves
the static files from STATIC_ROOT, passes the header the app reads for HTTPS; gunicorn waits as long
as nginx does. (`nginx -t` and `systemd-analyze verify` are deploy/check.sh's, run by hand.)"""

import re
import runpy
from pathlib import Path

from django.conf import settings

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"
NGINX = (DEPLOY / "nginx" / "wangge.conf").read_text()
MIB = 1024**2


def _directive(name: str) -> list[str]:
    return re.findall(rf"^\s*{name}\s+([^;]+);", NGINX, flags=re.MULTILINE)


def _megabytes(value: str) -> int:
    assert value.endswith("m"), value
    return int(value[:-1]) * MIB


def test_nginx_takes_the_largest_upload_and_the_form_around_it():
    [limit] = map(_megabytes, _directive("client_max_body_size"))
    largest = max(
        max(settings.WANGGE["UPLOAD_MAX_BYTES"].values()), settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    )
    assert largest < limit <= largest + 2 * MIB


def test_nginx_serves_static_root_and_passes_the_scheme_the_app_trusts():
    assert _directive("alias") == [f"/srv/wangge/{Path(settings.STATIC_ROOT).name}/"]
    # settings.SECURE_PROXY_SSL_HEADER with WANGGE_HTTPS=1: ("HTTP_X_FORWARDED_PROTO", "https")
    assert "X-Forwarded-Proto $scheme" in _directive("proxy_set_header")
    assert _directive("return") == ["301 https://$host$request_uri"]


def test_gunicorn_waits_for_a_request_as_long_as_nginx_does():
    gunicorn = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    [read_timeout] = _directive("proxy_read_timeout")
    assert f"{gunicorn['timeout']}s" == read_timeout
    assert gunicorn["worker_class"] == "sync"
