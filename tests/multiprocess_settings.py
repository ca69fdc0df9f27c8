"""Settings of the app processes that tests/test_several_processes.py starts: the site's own, and

- a header naming the process that answered (`X-Served-By: <pid>`), to see requests alternate;
- static files found in the app folders, so no `collectstatic` is needed;
- a CSP report limit of 2 a minute, small enough to reach with a few reports;
- the tests' quick password hash (conftest's `_fast_password_hashing`), to sign in their personas.
"""

import os
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from wangge.settings import *  # noqa: F403
from wangge.settings import MIDDLEWARE, STORAGES, WANGGE

CSP_REPORTS_PER_MINUTE = 2


def served_by(get_response: Callable[[HttpRequest], HttpResponse]):
    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        response["X-Served-By"] = str(os.getpid())
        return response

    return middleware


MIDDLEWARE = ["tests.multiprocess_settings.served_by", *MIDDLEWARE]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WANGGE = {**WANGGE, "CSP_REPORTS_PER_MINUTE": CSP_REPORTS_PER_MINUTE}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
