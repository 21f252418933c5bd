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


def test_figures_wrapped_across_a_line_break_keep_the_table_whole(tmp_path: Path) -> None:
    """Hard-wrapped text ('40\\nmiles', 'July\\n8, 2024') must not put a raw line break
    into a key-figures cell: each table row stays one line with all its cells."""
    from tests.helpers import unbudgeted_configs

    body = (
        "Troops crossed the border on Monday and advanced 40\nmiles towards the capital,\n"
        "the army said, after drills that ended on July\n8, 2024 near the frontier.\n"
    )
    path = write_article(tmp_path, "wrapped.txt", body, published="2024-07-09")
    configs = unbudgeted_configs(tmp_path / "configs")
    result = run_cli("-a", "nato", "-f", "md", "-o", "-", "--configs", str(configs), str(path))
    assert result.code == 0, result.stderr
    # whatever the wrapped lines yield, a table row is one whole line of four cells
    rows = [r for r in result.stdout.splitlines() if r.startswith("|")]
    assert all(r.endswith("|") and r.count("|") == 5 for r in rows), rows
    # and no fragment of a wrapped sentence stands as a brief item
    items = [r for r in result.stdout.splitlines() if r.startswith("- ")]
    assert all(r.rstrip(")").split(" (S1")[0][-1:] in ".!?\"”’'" for r in items), items


def test_a_figure_whose_text_holds_a_line_break_is_one_table_cell() -> None:
    """The analysis can return a figure as written across a line break ('40\nmiles'):
    its cell in the key-figures table stays on the row's one line."""
    from datetime import date

    from briefgen.config.profiles import load_profile
    from briefgen.config.shared import config_dirs
    from briefgen.records import Quantity
    from briefgen.render import RenderOptions
    from briefgen.render.markdown import MarkdownRenderer
    from tests.factories import brief_of, make_fact

    text = "Troops moved 40\nmiles to the border."
    miles = Quantity("40\nmiles", 13, 21, 40.0, "mile", "distance", 64.4, "km")
    fact = make_fact(text, quantities=(miles,), topics={"military": 1.0})
    nato = load_profile("nato", config_dirs(())).config
    brief = brief_of([fact])
    brief = type(brief)(**{**{f: getattr(brief, f) for f in brief.__dataclass_fields__},
                           "audience": "nato"})  # fmt: skip
    md = MarkdownRenderer().render(brief, RenderOptions(nato, (), {}, date(2024, 7, 9))).decode()
    rows = [r for r in md.split("## Key figures", 1)[1].splitlines() if r.startswith("| distance")]
    assert rows == ["| distance | 40 miles | 64 km | S1 ¶1 |"], md
