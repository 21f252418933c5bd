"""Untrusted article text stays text in Markdown, HTML and PDF."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from tests.helpers import SAMPLES, pdf_objects, run_cli

# what the templates and python-markdown produce; anything else came from the article
SAFE_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "main",
    "h1",
    "h2",
    "h3",
    "p",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "blockquote",
    "a",  # citations only: checked below to link nowhere but inside the page
    "section",  # the cited passages
    "mark",  # a quoted sentence in its cited passage
}
HOSTILE = SAMPLES / "hostile.txt"


@pytest.fixture(scope="module")
def briefs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("hostile")
    result = run_cli("-a", "all", "-f", "md,html,pdf,json", "-o", str(out), str(HOSTILE))
    assert result.code == 0, result.stderr
    return out / "hostile"


@pytest.mark.parametrize("audience", ["nato", "eu", "public"])
def test_html_has_no_injected_markup(briefs: Path, audience: str) -> None:
    html = (briefs / f"{audience}.html").read_text()
    tags = set(re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", html))
    assert tags <= SAFE_TAGS, tags - SAFE_TAGS
    links = re.findall(r"<a\b[^>]*>", html)
    inside = r'<a href="#s\d+-p\d+">|<a class="passage-label" href="#source-\d+">'
    assert links and all(re.fullmatch(inside, a) for a in links), links
    assert "covers 49" not in html  # {{ 7*7 }} was not evaluated
    assert "&lt;img src=" in html  # shown as text instead
    assert "{{ 7*7 }}" in html


def test_markdown_escapes_links_images_and_html(briefs: Path) -> None:
    md = (briefs / "public.md").read_text()
    md_all = md + (briefs / "nato.md").read_text() + (briefs / "eu.md").read_text()
    assert "file:///etc/hostname)" in md_all  # the text is there...
    assert re.search(r"(?<!\\)\[[^\]]*(?<!\\)\]\(", md_all) is None  # ...but no link or image
    assert "&lt;script&gt;" in md and "<script>" not in md
    assert "\\*\\*noon\\*\\*" in md


def test_pdf_shows_injected_text_and_reads_no_file(briefs: Path) -> None:
    pdf = (briefs / "nato.pdf").read_bytes()
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert '<img src="file:///etc/passwd">' in text
    assert "root:x:0" not in text
    objects = pdf_objects(pdf)
    assert len(objects) > 20  # the walk saw the file
    for obj in objects:
        if isinstance(obj, DictionaryObject):
            kinds = {str(obj.get("/Type")), str(obj.get("/Subtype")), str(obj.get("/S"))}
            assert not kinds & {"/Filespec", "/EmbeddedFile", "/FileAttachment", "/URI"}
            assert "/URI" not in obj  # no link to anything the article named
