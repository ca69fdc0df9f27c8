"""Print-ready PDF documents (cards, posters, notices) from Django templates, by WeasyPrint.

A document's template extends `core/pdf_base.html`: A4 pages, margins, page numbers and the CJK
font stack led by "Noto Sans CJK SC" (Debian's fonts-noto-cjk, which `make run` and `make test`
install). WeasyPrint embeds only the glyphs a document uses (a subset), so the PDF shows its Chinese
on any viewer, with or without CJK fonts of its own. QR codes come in the context as inline `<svg>`
(`checkpoints.tokens.qr_svg`), written `{{ qr|safe }}` as on the project's pages, and are drawn as
vectors. While rendering, only `data:` URLs and the
site's own static files (read from the disk) are loaded: see `core/pdf_fetcher.py`.
"""

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string


def render_pdf(
    template_name: str, context: dict[str, Any], *, request: HttpRequest | None = None
) -> bytes:
    """The PDF of `template_name` rendered with `context` (and the request's context processors)."""
    # Imported here: importing WeasyPrint takes about a second, which every process that only
    # imports the views would pay.
    from weasyprint import HTML

    from wangge.core.pdf_fetcher import StaticOnlyFetcher, document_base

    html = render_to_string(template_name, context, request=request)
    document = HTML(string=html, base_url=document_base(), url_fetcher=StaticOnlyFetcher())
    return document.write_pdf()
