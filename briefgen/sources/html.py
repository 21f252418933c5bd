"""The HTML reader: a saved web page (``.html``/``.htm``) becomes a :class:`Document`.

Trafilatura finds the page's main text (the article, without navigation, adverts,
comments or footers) and its metadata: title, author, site name (the publisher),
date (published), canonical URL and language.

**Offsets index the extracted text.**  ``Document.text`` is what trafilatura made of
the page, and every fact's ``start``/``end`` counts its characters, so
``document.text[fact.start:fact.end] == fact.text`` holds as for a text source.
The page itself is not that text, so the source records which reader made it
(``html``) and the SHA-256 of the raw page, and the JSON brief carries the text, so
anyone can check every offset and know which page it came from.

**Nothing is fetched.**  The page is parsed from the bytes read, by lxml, with no
URL given to trafilatura: no image, stylesheet, script or linked page is loaded
(``trafilatura.fetch_url`` is never called; a test makes every socket fail during
a read).

**Decoding** follows the HTML standard's order, as a browser would: a byte-order
mark, then a charset declared in a ``<meta>`` tag near the top, then the text
reader's rules (UTF-8, or Windows-1252 when confident).  Labels the standard maps
to Windows-1252 (``iso-8859-1``, ``ascii``) are read as such, and a declared
charset decodes with replacement characters for stray bytes, as browsers do.
"""

from __future__ import annotations

import codecs
import functools
import logging
import re
from datetime import date
from typing import Any

from briefgen.errors import SourceError
from briefgen.records import Document, Source
from briefgen.sources.text import decode

# lxml's HtmlElement: lxml ships no type information
HtmlElement = Any

# the standard looks for a declaration in the first 1,024 bytes; saved pages often
# put a long <script> or comment first, and the prescan is cheap, so look further
PRESCAN_BYTES = 16_384
_META_CHARSET = re.compile(
    rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE
)
# what the HTML standard decodes these labels as (a page saying "iso-8859-1" is
# really Windows-1252); UTF-16 cannot be declared in a tag the prescan could read
_STANDARD_CODEC = {
    "iso8859-1": "cp1252",
    "ascii": "cp1252",
    "iso8859-9": "cp1254",
    "gb2312": "gbk",
    "euc_kr": "cp949",
    "utf-16": "utf-8",
    "utf-16-le": "utf-8",
    "utf-16-be": "utf-8",
}
# labels of the standard that Python's codec registry does not know
_STANDARD_LABELS = {"windows-874": "cp874", "x-mac-cyrillic": "mac-cyrillic"}
# the encodings of the HTML standard (encoding.spec.whatwg.org), as Python names them.
# Python knows many more labels: rot13, base64 or zlib are not text encodings at all,
# UTF-7 turns "+ADw-" into "<" (browsers refuse it for that reason), UTF-32 and EBCDIC
# no browser reads. A page declaring any of those is read as if it declared nothing.
_STANDARD_ENCODINGS = frozenset(
    ["utf-8", "cp866", "koi8-r", "koi8-u", "mac-roman", "mac-cyrillic", "cp874"]
    + [f"iso8859-{n}" for n in (2, 3, 4, 5, 6, 7, 8, 10, 13, 14, 15, 16)]
    + [f"cp{n}" for n in range(1250, 1259)]
    + ["gbk", "gb18030", "big5", "euc_jp", "iso2022_jp", "shift_jis", "cp949"]
)
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# "clearly HTML": a doctype or <html>/<head> tag opens it (after comments, an XML
# declaration and space), or the first bytes hold both an <html> and a <body> tag
SNIFF_BYTES = 65_536
_LEADING_JUNK = re.compile(rb"\A(?:\s+|<!--.*?-->|<\?xml[^>]*>)*", re.S)
_HTML_START = re.compile(rb"<!doctype\s+html\b|<html[\s>]|<head[\s>]", re.IGNORECASE)
_HTML_TAG = re.compile(rb"<html[\s>]", re.IGNORECASE)
_BODY_TAG = re.compile(rb"<body[\s>]", re.IGNORECASE)

for _name in ("trafilatura", "htmldate", "courlan", "justext"):
    # their warnings ("discarding data", "empty tree") would otherwise reach stderr
    # through logging's last-resort handler; problems we report ourselves
    logging.getLogger(_name).addHandler(logging.NullHandler())


def looks_like_html(raw: bytes) -> bool:
    """Whether ``raw`` is clearly an HTML page (used for ``.txt`` files and stdin)."""
    head = raw[:SNIFF_BYTES]
    for bom in _BOMS:
        if head.startswith(bom):
            head = head[len(bom) :]
            break
    start = _LEADING_JUNK.match(head)
    rest = head[start.end() if start else 0 :]
    if _HTML_START.match(rest):
        return True
    return bool(_HTML_TAG.search(head) and _BODY_TAG.search(head))


class HtmlReader:
    """Saved web pages, read with trafilatura."""

    name = "html"
    suffixes: tuple[str, ...] = (".html", ".htm")

    def read(self, raw: bytes, path: str, source_id: str) -> Document:
        """Extract the main text and metadata of the page ``raw``.

        Raises:
            SourceError: the page cannot be decoded or parsed, or has no main text,
                naming ``path``.
        """
        page = decode_page(raw, path)
        tree = _parse(page, path)
        extracted = _extract(_without_adverts(tree))
        text = (extracted.get("text") or "").strip()
        if not _has_prose(text):
            raise SourceError(f"{path}: no article text found in this HTML page")
        source = Source(
            id=source_id,
            path=path,
            title=_title(extracted, text),
            publisher=_clean(extracted.get("sitename")),
            url=_clean(extracted.get("url")),
            published=_date(extracted.get("date")),
            language=_language(tree, extracted) or "en",
            author=_clean(extracted.get("author")),
            reader=self.name,  # read_source adds the page's sha256
        )
        return Document(source=source, text=text, body_start=0)


# a line of prose: six words or more, ending as a sentence does
_PROSE_LINE = re.compile(r"^(?=(?:[^\w\n]*\w+\b){6})[^\n]*[.!?…][\"'”’)\]]*[^\S\n]*$", re.M)


def _has_prose(text: str) -> bool:
    """Whether the extracted text holds one sentence at least.  On a page with no
    article trafilatura falls back to what it finds ("Home", "World", "Buy now!"):
    that is navigation, not a source to brief."""
    return _PROSE_LINE.search(text) is not None


def decode_page(raw: bytes, path: str) -> str:
    """The page's characters: byte-order mark, then ``<meta charset>``, then guessing.

    Raises:
        SourceError: binary data, or no declared charset and an encoding the text
            reader cannot be sure of.
    """
    if raw.startswith(_BOMS):  # the mark decides, as the text reader reads it
        return decode(raw, path)
    declared = declared_charset(raw)
    if declared is not None and b"\x00" not in raw[:PRESCAN_BYTES]:
        return raw.decode(declared, errors="replace")
    return decode(raw, path)


def declared_charset(raw: bytes) -> str | None:
    """The Python codec of the charset a ``<meta>`` tag declares, if it is one we know."""
    match = _META_CHARSET.search(raw[:PRESCAN_BYTES])
    if not match:
        return None
    label = match.group(1).decode("ascii", errors="replace").lower()
    try:
        codec = _STANDARD_LABELS.get(label) or codecs.lookup(label).name
    except LookupError:
        return None  # an unknown label: the standard ignores it too
    codec = _STANDARD_CODEC.get(codec, codec)
    return codec if codec in _STANDARD_ENCODINGS else None


INSTALL_HINT = "HTML sources need trafilatura and lxml_html_clean: pip install lxml_html_clean"


def import_trafilatura() -> Any:
    """trafilatura with everything it imports (jusText needs ``lxml.html.clean``), or a
    one-line error saying what to install: only HTML sources pay for the import."""
    try:
        import trafilatura
    except ImportError as exc:
        raise SourceError(f"{INSTALL_HINT} ({' '.join(str(exc).split())})") from exc
    return trafilatura


def _parse(page: str, path: str) -> HtmlElement:
    import lxml.html  # type: ignore[import-untyped]  # lxml ships no types
    from trafilatura.utils import repair_faulty_html

    page = _characters_lxml_reads(page)
    # lxml refuses a str that declares its encoding in an XML prolog
    page = repair_faulty_html(re.sub(r"\A\s*<\?xml[^>]*>", "", page), page[:50].lower())
    try:
        return lxml.html.fromstring(page, parser=_parser())
    except (ValueError, lxml.etree.ParserError) as exc:  # empty, or nothing but markup
        raise SourceError(f"{path}: not an HTML page that can be parsed") from exc


@functools.cache
def _parser() -> Any:
    """Trafilatura's parser settings, with ``huge_tree``: without it libxml2 drops
    everything nested deeper than 255 elements, and pages built of nested ``<div>``s
    lost their whole article.  The input is already bounded by ``--max-size``."""
    import lxml.html

    return lxml.html.HTMLParser(
        collect_ids=False,
        default_doctype=False,
        remove_comments=True,
        remove_pis=True,
        huge_tree=True,
    )


# a character reference to a C0 control (other than tab, line feed, form feed and
# carriage return), NUL, a surrogate or past Unicode: the standard reads each as
# U+FFFD, while lxml stops at the first one and the page lost its article
_BAD_REFERENCE = re.compile(r"&#(?:[xX]([0-9A-Fa-f]{1,8})|([0-9]{1,10}));?")
_C0 = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _characters_lxml_reads(page: str) -> str:
    """``page`` with the references and raw control characters lxml cannot take
    replaced by U+FFFD, as a browser shows them."""
    return _C0.sub("\ufffd", _BAD_REFERENCE.sub(_reference, page))


def _reference(match: re.Match[str]) -> str:
    hex_digits, decimal = match.groups()
    number = int(hex_digits, 16) if hex_digits else int(decimal)
    bad = (
        (number < 0x20 and number not in (0x09, 0x0A, 0x0C, 0x0D))
        or 0xD800 <= number <= 0xDFFF
        or number > 0x10FFFF
    )
    return "&#xFFFD;" if bad else match.group(0)


# class or id words that mark an advert: on a page with no article trafilatura falls
# back to whatever text there is, and "Advertisement: Subscribe today and save 50
# percent…" became a brief. Whole class or id tokens only ("ad", not "header", nor
# a body's "enable-ad-placeholder"), never the page's frame, never a long block.
_ADVERT_WORDS = frozenset(
    {"ad", "ads", "advert", "adverts", "advertisement", "advertising", "sponsor", "sponsored"}
)
_FRAME = frozenset({"html", "body", "main", "article"})
ADVERT_MAX_CHARS = 1_000  # an advert is a line or two; a longer block may be the story


def _without_adverts(tree: HtmlElement) -> HtmlElement:
    """``tree`` with every element an advert's class or id marks removed (its tail kept)."""
    marked = [
        element for element in tree.iter() if isinstance(element.tag, str) and _is_advert(element)
    ]
    for element in marked:
        if element.getparent() is not None:
            element.drop_tree()
    return tree


def _is_advert(element: HtmlElement) -> bool:
    names = f"{element.get('class') or ''} {element.get('id') or ''}".lower().split()
    return (
        element.tag not in _FRAME
        and any(name in _ADVERT_WORDS for name in names)
        and len(element.text_content()) <= ADVERT_MAX_CHARS
    )


# htmldate's defaults guess: its "extensive" search took "Copyright 2024" in a footer
# for a publication date of 1 January 2024, and its latest allowed date is today's,
# so the same page could read differently from one day to the next
DATE_SEARCH = {"original_date": True, "extensive_search": False, "max_date": "2999-12-31"}


def _extract(tree: HtmlElement) -> dict[str, Any]:
    bare_extraction = import_trafilatura().bare_extraction
    # no url: nothing to resolve or fetch; comments and images are not the article
    document = bare_extraction(
        tree,
        with_metadata=True,
        include_comments=False,
        include_images=False,
        include_links=False,
        include_tables=True,
        deduplicate=False,
        date_extraction_params=DATE_SEARCH,
    )
    if document is None:
        return {}
    return document if isinstance(document, dict) else dict(document.as_dict())


def _title(extracted: dict[str, Any], text: str) -> str | None:
    """The headline shown above the article when it is the text's first line and
    names the same story as the metadata title (sites often give ``og:title`` a
    shorter wording); otherwise the metadata title."""
    meta = _clean(extracted.get("title"))
    first = text.split("\n", 1)[0].strip()
    if meta and first and first != meta and len(first.split()) <= 25:
        shared = set(_words(meta)) & set(_words(first))
        if len(shared) >= 0.6 * len(set(_words(meta))):
            return first
    return meta


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def _date(value: object) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _language(tree: HtmlElement, extracted: dict[str, Any]) -> str | None:
    """Trafilatura's language, else the page's ``<html lang>`` (its primary subtag)."""
    lang = _clean(extracted.get("language")) or _clean(tree.get("lang"))
    if not lang:
        return None
    primary = lang.replace("_", "-").split("-")[0].lower()
    return primary if primary.isalpha() and len(primary) <= 8 else None
