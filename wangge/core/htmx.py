"""Answers that work for htmx 4 requests and for plain form posts alike."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def redirect_after_post(request: HttpRequest, url: str) -> HttpResponse:
    """After a successful post: a normal redirect, or for htmx an HX-Redirect (a followed 302 would
    swap the next page into the form)."""
    if is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)
