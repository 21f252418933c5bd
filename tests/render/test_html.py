"""The standalone HTML brief: one file, inlined stylesheet, title block, overrides."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from tests.helpers import SAMPLES, SEED, run_cli

AUDIENCES = ("nato", "eu", "public")
NAMES = {"nato": "NATO staff", "eu": "EU officials", "public": "General public"}
MARKINGS = {
    "nato": "NATO UNCLASSIFIED",
    "eu": "OPEN SOURCES — FOR EU INTERNAL USE",
    "public": "PUBLIC",
}
ACCENTS = {"nato": "#1b365d", "eu": "#003399", "public": "#2d6a4f"}
# the brief date (SOURCE_DATE_EPOCH of tests/conftest.py) and the seed's publication
# date, in each audience's date style
DATES = {
    "nato": ("09 JUL 2024", "08 JUL 2024"),
    "eu": ("9 July 2024", "8 July 2024"),
    "public": ("Tuesday, July 9, 2024", "Monday, July 8, 2024"),
}
TITLE = "China and Belarus hold joint military exercises near Polish border"


@pytest.fixture(scope="module")
def html(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("html")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1720483200")
        result = run_cli("-a", "all", "-f", "html", "-o", str(out))
    assert result.code == 0, result.stderr
    return {a: (out / SEED.stem / f"{a}.html").read_text(encoding="utf-8") for a in AUDIENCES}


def _tags(page: str, name: str) -> list[str]:
    return re.findall(rf"<{name}\b[^>]*>", page)


@pytest.mark.parametrize("audience", AUDIENCES)
def test_html_is_standalone(html: dict[str, str], audience: str) -> None:
    page = html[audience]
    for tag in ("link", "script", "img", "iframe", "object", "embed", "base"):
        assert _tags(page, tag) == [], tag
    style = re.findall(r"<style>(.*?)</style>", page, re.S)
    assert len(style) == 1 and f"color: {ACCENTS[audience]}" in style[0]
    assert "@import" not in style[0] and "url(" not in style[0]
    for attributes in re.findall(r"<[a-z][^>]*>", page):
        assert not re.search(r"(?:href|src)\s*=\s*(?![\"']?#)", attributes), attributes


@pytest.mark.parametrize("audience", AUDIENCES)
def test_lang_and_headings_in_order(html: dict[str, str], audience: str) -> None:
    page = html[audience]
    assert _tags(page, "html") == ['<html lang="en">']
    levels = [int(n) for n in re.findall(r"<h([1-6])\b", page)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels


@pytest.mark.parametrize("audience", AUDIENCES)
def test_title_block_names_audience_date_and_sources(html: dict[str, str], audience: str) -> None:
    block = re.search(r'<table class="title-block">(.*?)</table>', html[audience], re.S)
    assert block is not None
    cells = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", block[1])]
    brief_date, published = DATES[audience]
    assert cells[:4] == ["Audience", NAMES[audience], "Date of brief", brief_date]
    assert cells[4:6] == ["Source S1", f"{TITLE} · CNN · {published}"]
    assert ["Handling", MARKINGS[audience]] == cells[-2:]


@pytest.mark.parametrize("audience", AUDIENCES)
def test_page_owns_marking_title_and_meta(html: dict[str, str], audience: str) -> None:
    page = html[audience]
    banners = re.findall(r'<p class="marking marking-(top|bottom)"><strong>(.*?)</strong>', page)
    assert banners == [("top", MARKINGS[audience]), ("bottom", MARKINGS[audience])]
    body = page[page.index("<body") :]
    assert body.count(TITLE) == 3  # the h1, the title block's source row, the Sources list
    assert "brief of 2024-07-09" not in page  # the Markdown meta line is not repeated
    assert body.count(MARKINGS[audience]) == 3  # two banners and the Handling row


@pytest.mark.parametrize("audience", AUDIENCES)
def test_sources_list_entries_are_link_targets(html: dict[str, str], audience: str) -> None:
    page = html[audience]
    assert re.search(r'<li id="source-1">\s*(<p>)?<strong>S1</strong>', page)
    # the only links are citations, to the cited paragraph, whose label links to the
    # source's entry; every one leads somewhere on the page
    links = _tags(page, "a")
    targets = set(re.findall(r'<a (?:class="passage-label" )?href="#([^"]+)">', page))
    assert len(targets) > 1 and len(re.findall(r'href="#', page)) == len(links)
    assert {t for t in targets if not t.startswith("s1-p")} == {"source-1"}
    ids = set(re.findall(r'\bid="([^"]+)"', page))
    assert targets <= ids


@pytest.mark.parametrize("audience", AUDIENCES)
def test_citation_leads_to_its_paragraph_with_the_quoted_sentence_marked(
    html: dict[str, str], audience: str
) -> None:
    page = html[audience]
    items = re.findall(r'<li>(.*?) \(<a href="#(s1-p\d+)">S1\s¶\d+</a>', page)
    assert items
    for _, anchor in items:
        passage = re.search(rf'<p class="passage" id="{anchor}">(.*?)</p>', page)
        assert passage, anchor
        assert "<mark>" in passage.group(1)
    # the seed's first line is quoted by every audience, word for word in its paragraph
    first = re.search(r'<p class="passage" id="s1-p1">.*?<mark>(.*?)</mark>', page)
    assert first and first.group(1).startswith("China and Belarus announced")


def test_audience_stylesheet_override(tmp_path: Path) -> None:
    (tmp_path / "nato").mkdir()
    (tmp_path / "nato" / "brief.css").write_text(
        '{% set accent = "#5e1f8a" %}{% include "!builtin/brief.css" %}', encoding="utf-8"
    )
    result = run_cli("-a", "all", "-f", "html", "--templates", str(tmp_path), "-o", str(tmp_path))
    assert result.code == 0, result.stderr
    nato = (tmp_path / SEED.stem / "nato.html").read_text(encoding="utf-8")
    eu = (tmp_path / SEED.stem / "eu.html").read_text(encoding="utf-8")
    assert "color: #5e1f8a" in nato and ACCENTS["nato"] not in nato
    assert "#5e1f8a" not in eu and f"color: {ACCENTS['eu']}" in eu
    assert "size: A4" in nato and "margin: 20mm 18mm" in nato  # the rest is the built-in


def test_user_markdown_template_reaches_the_html(tmp_path: Path) -> None:
    # the HTML body comes from the same Markdown template as the .md brief, a user's
    # first; the blocks the page owns (title, marking…) stay the page's
    (tmp_path / "brief.md.j2").write_text(
        '{% extends "!builtin/base.md.j2" %}'
        "{% block title %}# Overridden title\n\n{% endblock %}"
        "{% block sources %}## Provenance\n\nSee the JSON brief.\n{% endblock %}",
        encoding="utf-8",
    )
    result = run_cli("-a", "eu", "-f", "md,html", "--templates", str(tmp_path), "-o", str(tmp_path))
    assert result.code == 0, result.stderr
    md = (tmp_path / SEED.stem / "eu.md").read_text(encoding="utf-8")
    page = (tmp_path / SEED.stem / "eu.html").read_text(encoding="utf-8")
    assert "# Overridden title" in md and "Overridden title" not in page
    assert '<h2 id="provenance">Provenance</h2>' in page and '<h2 id="sources">' not in page
    assert len(_tags(page, "h1")) == 1


def test_broken_user_markdown_template_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "brief.md.j2").write_text("ok\n{% if %}\n", encoding="utf-8")
    result = run_cli("-a", "eu", "-f", "html", "--templates", str(tmp_path), "-o", str(tmp_path))
    assert result.code == 2
    assert "brief.md.j2:2: template syntax error" in result.stderr


def test_hostile_title_is_text_in_head_and_title_block(tmp_path: Path) -> None:
    hostile = SAMPLES / "hostile.txt"
    result = run_cli("-a", "nato", "-f", "html", "-o", str(tmp_path), str(hostile))
    assert result.code == 0, result.stderr
    page = (tmp_path / "hostile" / "nato.html").read_text(encoding="utf-8")
    escaped = "Officials &lt;script&gt;alert(1)&lt;/script&gt; meet {{ 7*7 }}"
    assert f"<title>{escaped}</title>" in page
    assert f'<h1 id="title">{escaped}</h1>' in page
    assert "javascript:" not in page.split("<body")[0]
