"""PDF: the HTML brief laid out by WeasyPrint (imported here only).

Article text is untrusted, so WeasyPrint gets a URL fetcher that refuses every
URL: the stylesheet is inlined and fonts come from the system, so the package has
nothing to serve, and nothing an article smuggles in can be fetched or attached.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from briefgen.errors import BriefgenError, FormatUnavailable
from briefgen.records import Brief
from briefgen.render import RenderOptions
from briefgen.render.html import render_html
from briefgen.render.pdf_worker import LayoutWorker, worker_helps
from briefgen.render.templates import forget_environments

# profile `pdf.variant` -> WeasyPrint's pdf_variant and whether to tag the PDF. The
# archival variant is tagged too: an archived brief is still read, by everyone.
VARIANTS: dict[str, tuple[str | None, bool]] = {
    "pdf/ua-1": ("pdf/ua-1", True),
    "pdf/a-3b": ("pdf/a-3b", True),
    "plain": (None, False),
}


PANGO_HINT = (
    "install Pango: apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 "
    "(Debian/Ubuntu; elsewhere see WeasyPrint's installation guide)"
)


def import_weasyprint() -> Any:  # the module (untyped)
    """WeasyPrint, imported on first need.

    Raises:
        FormatUnavailable: it cannot be imported (usually Pango is missing).
    """
    try:
        import weasyprint
    except (ImportError, OSError) as exc:
        # the cause in a few words: cffi's message runs over several lines
        cause = " ".join(str(exc).split())[:200]
        raise FormatUnavailable(
            f"pdf: not written: WeasyPrint cannot load its system libraries; {PANGO_HINT} ({cause})"
        ) from None
    return weasyprint


@cache
def _refusing_fetcher_class() -> type[Any]:
    base: Any = import_weasyprint().URLFetcher

    # WeasyPrint 70 calls fetchers through URLFetcher's interface (a plain function
    # fails the whole PDF at the first URL), so refusing means subclassing it.
    class RefusingFetcher(base):  # type: ignore[misc]  # untyped base
        def fetch(self, url: str, headers: Any = None) -> Any:
            raise ValueError(f"briefgen does not fetch resources ({url[:80]})")

    return RefusingFetcher


def refusing_fetcher() -> Any:
    """A WeasyPrint URL fetcher that fetches nothing; WeasyPrint logs the refusal and
    lays out the page without the resource."""
    return _refusing_fetcher_class()(allowed_protocols=(), fail_on_errors=False)


def layout_pdf(html: str, variant_name: str, audience: str) -> bytes:
    """Lay out ``html`` as a PDF of the profile variant ``variant_name``.

    Raises:
        BriefgenError: WeasyPrint failed (names the audience).
    """
    weasyprint = import_weasyprint()
    variant, tagged = VARIANTS[variant_name]
    document = weasyprint.HTML(string=html, url_fetcher=refusing_fetcher(), base_url=None)
    try:
        laid_out = document.render(pdf_variant=variant, pdf_tags=tagged)
        # Belt and braces: our templates hold no <link rel=attachment> and article
        # text cannot become one, but nothing is ever attached to a brief.
        laid_out.metadata.attachments = []
        pdf = laid_out.write_pdf(pdf_variant=variant, pdf_tags=tagged)
    except Exception as exc:  # WeasyPrint raises many types; name the brief
        raise BriefgenError(f"PDF rendering failed for '{audience}': {exc}") from exc
    assert isinstance(pdf, bytes)
    return pdf


class PdfRenderer:
    name = "pdf"
    suffix = ".pdf"

    def __init__(self) -> None:
        self._worker: LayoutWorker | None = None

    def prepare(self) -> None:
        """Start the layout process (see :mod:`briefgen.render.pdf_worker`) when it can
        import WeasyPrint while the main process parses."""
        forget_environments()  # templates added since the last run in this process
        if self._worker is None and worker_helps():
            try:
                self._worker = LayoutWorker()
            except OSError:  # could not fork (memory, process limit): lay out here
                self._worker = None

    def close(self) -> None:
        if self._worker is not None:
            self._worker.close()
            self._worker = None

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
        html = render_html(brief, options, for_print=True)
        variant = options.profile.pdf.variant
        if self._worker is not None:
            return self._worker.layout(html, variant, brief.audience)
        return layout_pdf(html, variant, brief.audience)
