"""What WeasyPrint may read while it lays out a document: the site's static files from the disk and
`data:` URLs, nothing else.

A document is rendered with the site's address as its base (`WANGGE["SITE_URL"]`), so
`{% static "x.png" %}` becomes `<SITE_URL>/static/x.png`. That URL is answered from `STATIC_ROOT`
(collected, hashed names included) or else from the static finders (the apps' own folders), never
over the network. Every other URL — another host, another path of the site, `file:`, `ftp:` — is
refused: WeasyPrint logs a warning and leaves the resource out, so a page that names one prints
without it instead of letting the server fetch what a template (or text in it) points at.

Imported by `core.pdf.render_pdf` only when a document is rendered: importing WeasyPrint takes
about a second.
"""

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urljoin

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.utils._os import safe_join
from weasyprint.urls import URLFetcher, URLFetcherResponse


def document_base() -> str:
    """The base URL relative links of a document are read against: the site's address."""
    return settings.WANGGE["SITE_URL"] + "/"


def static_file(url: str) -> Path | None:
    """The file on disk a URL under the site's static prefix names, or None."""
    prefix = urljoin(document_base(), settings.STATIC_URL)
    address = url.split("#", 1)[0].split("?", 1)[0]
    if not address.startswith(prefix):
        return None
    name = unquote(address[len(prefix) :])
    try:
        if settings.STATIC_ROOT:
            collected = Path(safe_join(settings.STATIC_ROOT, name))
            if collected.is_file():
                return collected
        found = finders.find(name)
    except SuspiciousFileOperation:
        return None
    return Path(found) if isinstance(found, str) else None


class StaticOnlyFetcher(URLFetcher):
    """WeasyPrint's fetcher limited to `data:` URLs and the site's static files."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("data",), allow_redirects=False)

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = static_file(url)
        if path is None:
            raise ValueError(f"not a static file of this site, not fetched: {url}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})
