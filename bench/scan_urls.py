"""URLs for bench/scan_load.py only: the product's URLs plus /bench/bare/, a view that returns a
constant through the same middleware, server and workers as the scan endpoint."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from wangge.urls import urlpatterns as product


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b'{"ok": true}', content_type="application/json")


urlpatterns = [path("bench/bare/", bare), *product]
