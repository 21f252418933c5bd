"""PDF: the HTML brief laid out by WeasyPrint (imported here only).

Article text is untrusted, so WeasyPrint gets a URL fetcher that refuses every
URL: the stylesheet is inlined and fonts come from the system, so the package has
nothing to serve, and nothing an article smuggles in can be fetched or attached.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from briefgen.errors import BriefgenError
from briefgen.model import Brief
from briefgen.render import RenderOptions
from briefgen.render.html import render_html

# profile `pdf.variant` -> WeasyPrint's pdf_variant and whether to tag the PDF. The
# archival variant is tagged too: an archived brief is still read, by everyone.
VARIANTS: dict[str, tuple[str | None, bool]] = {
    "pdf/ua-1": ("pdf/ua-1", True),
    "pdf/a-3b": ("pdf/a-3b", True),
    "plain": (None, False),
}


@cache
def _refusing_fetcher_class() -> type[Any]:
    import weasyprint

    # WeasyPrint 70 calls fetchers through URLFetcher's interface (a plain function
    # fails the whole PDF at the first URL), so refusing means subclassing it.
    class RefusingFetcher(weasyprint.URLFetcher):  # type: ignore[misc]  # untyped base
        def fetch(self, url: str, headers: Any = None) -> Any:
            raise ValueError(f"briefgen does not fetch resources ({url[:80]})")

    return RefusingFetcher


def refusing_fetcher() -> Any:
    """A WeasyPrint URL fetcher that fetches nothing; WeasyPrint logs the refusal and
    lays out the page without the resource."""
    return _refusing_fetcher_class()(allowed_protocols=(), fail_on_errors=False)


class PdfRenderer:
    name = "pdf"
    suffix = ".pdf"

    def render(self, brief: Brief, options: RenderOptions) -> bytes:
        """Lay out the print variant of the HTML brief as a PDF.

        The profile's ``pdf.variant`` picks tagged PDF/UA-1 (the default), PDF/A-3b
        or plain output. Metadata (title, author, subject, keywords, language,
        dates) comes from the ``<head>`` of ``base.html.j2``; bookmarks come from
        the headings. Dates are the brief date, so ``SOURCE_DATE_EPOCH`` makes
        the bytes reproducible.

        Raises:
            BriefgenError: WeasyPrint failed (names the audience).
        """
        import weasyprint

        variant, tagged = VARIANTS[options.profile.pdf.variant]
        html = render_html(brief, options, for_print=True)
        document = weasyprint.HTML(string=html, url_fetcher=refusing_fetcher(), base_url=None)
        try:
            laid_out = document.render(pdf_variant=variant, pdf_tags=tagged)
            # Belt and braces: our templates hold no <link rel=attachment> and article
            # text cannot become one, but nothing is ever attached to a brief.
            laid_out.metadata.attachments = []
            pdf = laid_out.write_pdf(pdf_variant=variant, pdf_tags=tagged)
        except Exception as exc:  # WeasyPrint raises many types; name the brief
            raise BriefgenError(f"PDF rendering failed for '{brief.audience}': {exc}") from exc
        assert isinstance(pdf, bytes)
        return pdf
