"""The HTML reader: main text and metadata of saved pages, offline, with clear errors."""

from __future__ import annotations

import hashlib
import io
import json
import socket
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from briefgen.config.shared import config_dirs, load_shared
from briefgen.errors import SourceError
from briefgen.pipeline import Failures, SourceRef, read_all
from briefgen.sources import read_source
from briefgen.sources.html import declared_charset, looks_like_html
from tests.helpers import run_cli

SHARED = load_shared(config_dirs(()))

ARTICLE = """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8">
<title>Ministers agree grain corridor deal | Example News</title>
<meta property="og:site_name" content="Example News">
<meta name="author" content="Jane Roe">
<meta property="article:published_time" content="2024-03-14T09:00:00Z">
<link rel="canonical" href="https://news.example.org/world/grain-deal">
<link rel="stylesheet" href="http://cdn.example.net/site.css">
<script src="http://cdn.example.net/tracker.js"></script>
<script>fetch("http://cdn.example.net/beacon"); document.write("Injected text");</script>
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World news</a></li></ul></nav>
<article><h1>Ministers agree grain corridor deal</h1>
<img src="http://images.example.net/ships.jpg" alt="Ships at anchor">
<p>Foreign ministers from six countries agreed on Thursday to reopen a grain corridor
through the Black Sea, officials said.</p>
<p>The deal allows 40 ships a week to leave the port of Odesa under naval escort,
according to a statement from the Turkish foreign ministry.</p>
<p>"This is a first step," the Turkish minister told reporters in Istanbul after the
talks ended late in the evening.</p>
</article>
<aside class="advert">Buy now! Great deals on cars this weekend only.</aside>
<section id="comments"><h2>Comments</h2><p>Great article, thanks for writing it!</p></section>
<footer><p>Copyright Example News. Terms of Service. Privacy policy.</p></footer>
</body></html>
"""


def page(tmp_path: Path, html: str | bytes, name: str = "page.html") -> Path:
    path = tmp_path / name
    if isinstance(html, str):
        path.write_text(html, encoding="utf-8")
    else:
        path.write_bytes(html)
    return path


def test_article_main_text_and_metadata(tmp_path: Path) -> None:
    path = page(tmp_path, ARTICLE)
    doc = read_source(str(path))
    s = doc.source
    assert (s.title, s.publisher, s.author) == (
        "Ministers agree grain corridor deal",
        "Example News",
        "Jane Roe",
    )
    assert s.url == "https://news.example.org/world/grain-deal"
    assert s.published == date(2024, 3, 14)
    assert s.language == "en"
    assert s.reader == "html"
    assert s.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert "reopen a grain corridor" in doc.text and "40 ships a week" in doc.text
    for furniture in ("Home", "World news", "Buy now", "Great article", "Copyright", "Injected"):
        assert furniture not in doc.text
    assert doc.body_start == 0


def test_headline_repeating_the_title_is_not_a_fact(tmp_path: Path) -> None:
    doc = SHARED.cleaner.clean(read_source(str(page(tmp_path, ARTICLE))))
    assert [(r.text, r.reason) for r in doc.removed] == [
        ("Ministers agree grain corridor deal", "headline")
    ]
    assert doc.text[doc.paragraphs[0].start :].startswith("Foreign ministers")


def test_nothing_is_fetched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the autouse no_network fixture already fails any socket connection; also refuse
    # trafilatura's and urllib's download functions outright
    import urllib.request

    import trafilatura
    import trafilatura.downloads

    attempts: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> None:
        attempts.append(args)
        raise AssertionError(f"fetch attempted: {args!r}")

    for module, name in (
        (trafilatura, "fetch_url"),
        (trafilatura.downloads, "fetch_url"),
        (trafilatura.downloads, "fetch_response"),
        (urllib.request, "urlopen"),
        (socket, "getaddrinfo"),
    ):
        monkeypatch.setattr(module, name, refuse)
    doc = read_source(str(page(tmp_path, ARTICLE)))
    assert "grain corridor" in doc.text and not attempts
    with pytest.raises(AssertionError):  # the guard is live
        socket.create_connection(("127.0.0.1", 9))


def test_page_with_no_article_is_one_clear_error(tmp_path: Path) -> None:
    empty = page(tmp_path, "<html><head><title>Home</title></head><body><nav></nav></body></html>")
    with pytest.raises(SourceError, match=r"page\.html: no article text found in this HTML page"):
        read_source(str(empty))
    result = run_cli("-a", "nato", "-o", str(tmp_path / "out"), str(empty))
    assert result.code == 1
    assert result.stderr.strip().splitlines() == [
        f"briefgen: error: {empty}: no article text found in this HTML page"
    ]
    assert not (tmp_path / "out").exists()


def test_unparseable_page_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"page\.html: not a text file"):
        read_source(str(page(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")))
    with pytest.raises(SourceError, match=r"page\.html: (no article text|not an HTML page)"):
        read_source(str(page(tmp_path, "<<<>>>")))


def test_bad_page_among_several_is_skipped(tmp_path: Path) -> None:
    good = page(tmp_path, ARTICLE, "good.html")
    bad = page(tmp_path, "<html><body><div></div></body></html>", "bad.html")
    said: list[str] = []
    failures = Failures(None, 2, said.append)
    refs = [SourceRef(str(bad), "bad"), SourceRef(str(good), "good")]
    docs = read_all(refs, SHARED, 2_000_000, failures)
    assert [d.source.id for d in docs] == ["good"]
    assert failures.paths == [str(bad)]
    assert said == [f"briefgen: error: {bad}: no article text found in this HTML page (skipped)"]


def test_broken_markup_still_yields_the_article(tmp_path: Path) -> None:
    broken = (
        "<html><head><title>Storm closes port</title><body><div class=story>"
        "<p>A storm closed the port of Gdansk on Monday, the harbour authority said"
        "<p>Ferries to Sweden were cancelled and <b>dozens of lorries waited on the quay."
        "<p>The authority expects to reopen the port on Wednesday if the wind drops </div></span>"
        "<footer>Contact us"
    )
    doc = read_source(str(page(tmp_path, broken)))
    assert "closed the port of Gdansk" in doc.text
    assert "dozens of lorries" in doc.text and "reopen the port" in doc.text


@pytest.mark.parametrize(
    ("declaration", "encoding"),
    [
        ('<meta charset="windows-1251">', "cp1251"),
        ('<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-2">', "iso8859-2"),
    ],
)
def test_charset_declared_in_a_meta_tag(tmp_path: Path, declaration: str, encoding: str) -> None:
    sentence = (
        "Министр обороны заявил в понедельник, что учения продлятся одиннадцать дней."
        if encoding == "cp1251"
        else "Minister spraw zagranicznych powiedział w poniedziałek, że spotkanie się odbędzie."
    )
    html = (
        f"<html><head>{declaration}<title>T</title></head><body><article>"
        f"<p>{sentence}</p><p>{sentence}</p></article></body></html>"
    )
    raw = html.encode(encoding)
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # really not UTF-8
    doc = read_source(str(page(tmp_path, raw)))
    assert sentence in doc.text


def test_charset_labels_follow_the_html_standard() -> None:
    assert declared_charset(b'<meta charset="iso-8859-1">') == "cp1252"
    assert declared_charset(b"<meta charset=UTF-8>") == "utf-8"
    assert declared_charset(b'<meta charset="no-such-code">') is None
    assert declared_charset(b"<script>x='charset=koi8-r'</script>") is None  # not a meta tag


def test_html_saved_as_txt_is_read_as_html_with_a_note(tmp_path: Path) -> None:
    path = page(tmp_path, "<!--[if !IE]> served from cache <![endif]-->\n" + ARTICLE, "a.txt")
    notes: list[str] = []
    doc = read_source(str(path), note=notes.append)
    assert doc.source.reader == "html" and doc.source.title.startswith("Ministers agree")
    assert "<" not in doc.text
    assert notes == [
        f"briefgen: note: {path}: this is an HTML page; reading it as HTML "
        "(name it .html to skip this note)"
    ]


def test_html_piped_to_the_command_says_so_in_one_line() -> None:
    result = run_cli("-a", "public", "-f", "md", "-o", "-", "-", stdin=ARTICLE.encode("utf-8"))
    assert result.code == 0, result.stderr
    notes = [line for line in result.stderr.splitlines() if "note:" in line]
    assert notes == ["briefgen: note: standard input: this is an HTML page; reading it as HTML"]
    assert "# Ministers agree grain corridor deal" in result.stdout
    assert "- Foreign ministers from six countries agreed on Thursday" in result.stdout
    assert "<" not in result.stdout  # no markup reaches the brief


def test_html_on_stdin_is_read_as_html(monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(ARTICLE.encode("utf-8")))
    monkeypatch.setattr(sys, "stdin", stdin)
    notes: list[str] = []
    doc = read_source("-", note=notes.append)
    assert doc.source.reader == "html" and "grain corridor" in doc.text
    assert notes == ["briefgen: note: standard input: this is an HTML page; reading it as HTML"]


@pytest.mark.parametrize(
    ("text", "html"),
    [
        (b"<!DOCTYPE html><p>x", True),
        (b"\xef\xbb\xbf  <html lang=en><body>x", True),
        (b"<?xml version='1.0'?>\n<!-- c --><html>", True),
        (b"Some text that mentions <html> and <body> tags in passing", True),
        (b"A story about the <b>bold</b> move.\nSecond line.", False),
        (b"Use the <head> of the table.", False),
    ],
)
def test_looks_like_html(text: bytes, html: bool) -> None:
    assert looks_like_html(text) is html


def test_markdown_with_tags_is_not_sniffed(tmp_path: Path) -> None:
    doc = read_source(str(page(tmp_path, "<html><body>Plain words here.</body></html>", "a.md")))
    assert doc.source.reader == "text" and doc.text.startswith("<html>")


def test_json_brief_carries_the_text_every_offset_indexes(tmp_path: Path) -> None:
    path = page(tmp_path, ARTICLE)
    result = run_cli("-a", "public", "-f", "json", "-o", "-", str(path))
    assert result.code == 0, result.stderr
    brief = json.loads(result.raw)
    source = brief["sources"][0]
    assert source["reader"] == "html" and source["author"] == "Jane Roe"
    assert source["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert brief["facts"]
    for fact in brief["facts"]:
        assert source["text"][fact["start"] : fact["end"]] == fact["text"]
    assert brief["title"] == "Ministers agree grain corridor deal"


ARTICLE_BODY = (
    "<p>The minister met his counterpart in Berlin on Monday, the ministry said in a "
    "statement.</p><p>Officials said the talks lasted three hours and ended without a deal.</p>"
)


@pytest.mark.parametrize("label", ["rot13", "base64", "zlib", "idna", "utf-32", "cp037", "utf-7"])
def test_a_charset_outside_the_html_standard_is_ignored(tmp_path: Path, label: str) -> None:
    # Python knows these labels, browsers do not: rot13 crashed the reader, UTF-7
    # decoded "+ADw-b+AD4-" into real markup, cp037 lost the article
    html = (
        f'<html><head><meta charset="{label}"><title>R</title></head><body><article>'
        f"{ARTICLE_BODY}<p>Not +ADw-b+AD4-bold+ADw-/b+AD4-, the spokesman said to reporters.</p>"
        "</article></body></html>"
    )
    assert declared_charset(html.encode()) is None
    doc = read_source(str(page(tmp_path, html)))
    assert "met his counterpart in Berlin" in doc.text and "+ADw-b+AD4-" in doc.text


@pytest.mark.parametrize(
    "reference", ["&#27;", "&#7;", "&#x1B;", "&#0;", "&#xD800;", "&#99999999;"]
)
def test_a_reference_to_a_control_character_costs_nothing(tmp_path: Path, reference: str) -> None:
    html = f"<html><body><article>{ARTICLE_BODY.replace('statement.', f'statement {reference}.')}"
    doc = read_source(str(page(tmp_path, html + "</article></body></html>")))
    assert "said in a statement \ufffd." in doc.text and "three hours" in doc.text


def test_raw_control_characters_become_replacement_characters(tmp_path: Path) -> None:
    body = ARTICLE_BODY.replace("Berlin", "Ber\x1b[31mlin")
    html = f"<html><body><article>{body}"
    doc = read_source(str(page(tmp_path, html + "</article></body></html>")))
    assert "Ber\ufffd[31mlin" in doc.text and "\x1b" not in doc.text


@pytest.mark.parametrize("depth", [255, 1000])
def test_deeply_nested_markup_keeps_its_article(tmp_path: Path, depth: int) -> None:
    # libxml2 drops what is nested deeper than 255 elements unless told otherwise
    html = "<html><body>" + "<div>" * depth + ARTICLE_BODY + "</div>" * depth + "</body></html>"
    doc = read_source(str(page(tmp_path, html)))
    assert "three hours" in doc.text


def test_a_page_of_navigation_and_adverts_is_no_article(tmp_path: Path) -> None:
    html = (
        '<html><head><title>Home</title></head><body><nav><a href="/">Home</a>'
        '<a href="/w">World</a></nav><div class="ad">Buy now!</div><div id="comments">'
        "<p>Comment by bob: first!</p></div><footer>(c) 2024</footer></body></html>"
    )
    with pytest.raises(SourceError, match="no article text found in this HTML page"):
        read_source(str(page(tmp_path, html)))


def test_a_copyright_year_is_no_publication_date(tmp_path: Path) -> None:
    # htmldate's extensive search made "Copyright 2024" a date of 1 January 2024
    html = (
        f"<html><head><title>T</title></head><body><article>{ARTICLE_BODY}</article>"
        "<footer><p>Copyright 2024 News Ltd. All rights reserved.</p></footer></body></html>"
    )
    assert read_source(str(page(tmp_path, html))).source.published is None


def test_adverts_are_not_the_article(tmp_path: Path) -> None:
    # trafilatura fell back to the advert's sentence on a page with no article
    adverts = (
        '<div class="advert">Advertisement: Subscribe today and save 50 percent on your first '
        'year of unlimited access.</div><aside id="sponsored">Sponsored: The best deals on '
        "mobile phones this week, in every shop.</aside>"
    )
    nav = '<nav><a href="/">Home</a><a href="/world">World</a></nav>'
    only_adverts = f"<html><head><title>Home</title></head><body>{nav}{adverts}</body></html>"
    with pytest.raises(SourceError, match="no article text found in this HTML page"):
        read_source(str(page(tmp_path, only_adverts)))
    # a whole token only: a body marked "enable-ad-placeholder" keeps its article
    article_page = (
        f'<html><body class="enable-ad-placeholder"><article>{ARTICLE_BODY}</article>'
        f"{adverts}</body></html>"
    )
    doc = read_source(str(page(tmp_path, article_page, "article.html")))
    assert "three hours" in doc.text and "Subscribe" not in doc.text
