"""A PDF document embeds the Noto Sans CJK glyphs it uses and draws its inline QR code; while it is
rendered nothing is fetched but `data:` URLs and the site's own static files, read from the disk."""

import base64
import io
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import cast

import pytest
from django.conf import settings as django_settings
from pypdf import PageObject, PdfReader
from pypdf.generic import DictionaryObject

from wangge.checkpoints.tokens import qr_svg
from wangge.core.pdf import render_pdf

TEMPLATES = Path(__file__).parent / "templates"
PIXEL_PNG = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+"
    "kcQAAAABJRU5ErkJggg=="
)


@pytest.fixture(autouse=True)
def _test_templates(settings) -> None:
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], TEMPLATES]}
    ]


def _resources(page: PageObject, kind: str) -> list[DictionaryObject]:
    """The page's resources of one kind ("/Font", "/XObject"), each as its dictionary."""
    resources = cast(DictionaryObject, page["/Resources"].get_object())
    of_kind = cast(DictionaryObject, resources[kind].get_object())
    return [cast(DictionaryObject, value.get_object()) for value in of_kind.values()]


def _embedded_fonts(pdf: bytes) -> dict[str, set[str]]:
    """Each font of the document by its BaseFont, with the FontFile streams its descriptor holds."""
    fonts: dict[str, set[str]] = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in _resources(page, "/Font"):
            for part in [font, *(d.get_object() for d in font.get("/DescendantFonts", []))]:
                descriptor = part.get("/FontDescriptor", DictionaryObject()).get_object()
                files = {key for key in descriptor if key.startswith("/FontFile")}
                fonts.setdefault(str(part["/BaseFont"]), set()).update(files)
    return fonts


def test_a_chinese_document_embeds_noto_sans_cjk_and_draws_its_qr_code() -> None:
    # given a card with Chinese text and a personal code's QR as inline SVG
    qr = qr_svg("WGP:abcdefghijklmnopqrst")

    # when it is rendered
    pdf = render_pdf("core_tests/pdf_card.html", {"household": "幸福小区3幢2单元501室", "qr": qr})

    # then it is one A4 page carrying a subset of Noto Sans CJK (the BaseFont is written with
    # hyphens, "ABCDEF+Noto-Sans-CJK-SC") ...
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    embedded = {
        name
        for name, files in _embedded_fonts(pdf).items()
        if "NotoSansCJK" in name.replace("-", "").replace(" ", "") and files
    }
    assert embedded, f"no embedded Noto Sans CJK font among {_embedded_fonts(pdf)}"
    assert all(re.match(r"/[A-Z]{6}\+", name) for name in embedded), "not a subset"
    # ... and the QR's dark runs (one "h" of the SVG path each) as line segments on the page
    runs = re.search(r' d="([^"]+)"', qr).group(1).count("h")
    assert runs > 50
    assert page.get_contents().get_data().count(b" l\n") >= runs


class _Counting(BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:
        self.requests.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def outside() -> Iterator[tuple[str, list[str]]]:
    """A web server on the loopback that counts the requests it gets."""
    server = HTTPServer(("127.0.0.1", 0), _Counting)
    _Counting.requests = []
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", _Counting.requests
    server.shutdown()
    server.server_close()


def test_a_document_fetches_nothing_over_the_network_or_from_other_files(outside, tmp_path) -> None:
    # given a template naming a stylesheet and a picture on a web server, a picture in a local
    # file and one in a data: URL
    address, requests = outside
    local_file = tmp_path / "photo.png"
    local_file.write_bytes(base64.b64decode(PIXEL_PNG.split(",", 1)[1]))
    context = {"outside": address, "local_file": local_file.as_uri(), "pixel": PIXEL_PNG}

    # when it is rendered
    pdf = render_pdf("core_tests/pdf_outside.html", context)

    # then the server was never asked, and the page holds one picture: the data: URL's
    assert requests == []
    images = _resources(PdfReader(io.BytesIO(pdf)).pages[0], "/XObject")
    assert [image["/Subtype"] for image in images] == ["/Image"]


def test_the_fetcher_answers_static_files_from_the_disk_and_refuses_the_rest() -> None:
    from wangge.core.pdf_fetcher import StaticOnlyFetcher

    fetcher = StaticOnlyFetcher()
    site = django_settings.WANGGE["SITE_URL"]
    css = Path(django_settings.BASE_DIR) / "wangge" / "static" / "css" / "wangge.css"

    assert fetcher.fetch(f"{site}/static/css/wangge.css?v=1").read() == css.read_bytes()
    assert fetcher.fetch(PIXEL_PNG).read() == base64.b64decode(PIXEL_PNG.split(",", 1)[1])
    for refused in [
        f"{site}/static/../settings.py",
        f"{site}/static/%2e%2e/settings.py",
        f"{site}/static//etc/passwd",
        f"{site}/api/schema/",
        "http://127.0.0.2:8000/static/css/wangge.css",
        "file:///etc/passwd",
    ]:
        with pytest.raises(ValueError, match="not fetched"):
            fetcher.fetch(refused)
