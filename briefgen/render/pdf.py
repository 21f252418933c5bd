"""PDF: the HTML brief laid out by WeasyPrint (imported here only).

Article text is untrusted, so WeasyPrint gets a URL fetcher that refuses every
URL: the stylesheet is inlined and fonts come from the system, so nothing needs
fetching, and nothing an article smuggles in can be fetched or attached.
"""

from __future__ import annotations

from typing import Any

from briefgen.errors import BriefgenError
from briefgen.model import Brief
from briefgen.render import RenderOptions
from briefgen.render.html import render_html


def refuse_fetch(url: str, timeout: int = 10, ssl_context: Any = None) -> dict[str, Any]:
    """WeasyPrint URL fetcher that fetches nothing."""
    raise ValueError(f"briefgen does not fetch resources ({url[:80]})")


class PdfRenderer:
    name = "pdf"
    suffix = ".pdf"

    def render(self, brief: Brief, options: RenderOptions) -> bytes:
        import weasyprint

        html = render_html(brief, options, for_print=True)
        document = weasyprint.HTML(string=html, url_fetcher=refuse_fetch, base_url=None)
        try:
            pdf = document.write_pdf(pdf_variant="pdf/ua-1", uncompressed_pdf=False)
        except Exception as exc:  # WeasyPrint raises many types; name the brief
            raise BriefgenError(f"PDF rendering failed for '{brief.audience}': {exc}") from exc
        assert isinstance(pdf, bytes)
        return pdf
