"""Page layout of hostile text: a word longer than the page stays on the page.

A 10,000-character title ran off the PDF page (issue 13, point 17): the title,
the running header and the title block now wrap it (``overflow-wrap``, fixed table
layout), and the running header shows at most 150 characters of it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from briefgen.render import pdf
from tests.helpers import article, run_cli, write_article


def boxes(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", None) or []:
        yield from boxes(child)


def laid_out_print_html(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **front: str) -> list[Any]:
    """The pages WeasyPrint lays out for the PDF brief of an article with ``front``."""
    seen: list[str] = []
    monkeypatch.setattr(pdf, "layout_pdf", lambda html, *a: seen.append(html) or b"%PDF-")
    path = write_article(tmp_path, "a.txt", article(), **front)
    result = run_cli("-a", "nato", "-f", "pdf", "-o", str(tmp_path / "out"), str(path))
    assert result.code == 0, result.stderr
    document = pdf.import_weasyprint().HTML(string=seen[0], url_fetcher=pdf.refusing_fetcher())
    return list(document.render().pages)


def test_a_very_long_word_in_the_title_stays_on_the_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = laid_out_print_html(tmp_path, monkeypatch, title="W" * 3000, publisher="P" * 1000)
    for page in pages:
        for box in boxes(page._page_box):
            if type(box).__name__ == "TextBox":
                assert box.position_x + box.width <= page.width + 0.5, box.text[:20]
    assert len(pages) < 15
