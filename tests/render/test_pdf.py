"""PDF briefs: page furniture, metadata, tagging, fonts, links and reproducibility.

One module-scoped run renders the seed and tests/samples/names.txt for the three
built-in audiences plus two profiles that change only ``pdf`` (archival, and plain
on US letter), twice, with SOURCE_DATE_EPOCH fixed. Safety tests on a hostile
article are at the end; tests/render/test_safety.py covers the bundled hostile sample.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject, StreamObject

from briefgen.render.pdf import refusing_fetcher
from tests.conftest import FIXED_EPOCH
from tests.helpers import SAMPLES, SEED, run_cli, write_article

AUDIENCES = ("nato", "eu", "public")
MARKINGS = {
    "nato": "NATO UNCLASSIFIED",
    "eu": "OPEN SOURCES — FOR EU INTERNAL USE",
    "public": "PUBLIC",
    "archive": "NATO UNCLASSIFIED",
    "plain": "NATO UNCLASSIFIED",
}
NAMES = {"nato": "NATO staff", "eu": "EU officials", "public": "General public"}
TITLE = "China and Belarus hold joint military exercises near Polish border"
MM = 72 / 25.4
# the profiles' pdf.margin (20mm 18mm by default): text outside it is page furniture
MARGIN_MM = {"plain": (25, 30)}
VARIANT_PROFILES = {
    "archive": "extends: nato\npdf:\n  variant: pdf/a-3b\n",
    # A5 with wide margins and no word budget: several pages, speakers under perspectives
    "plain": "extends: nato\npdf:\n  variant: plain\n  page_size: A5\n  margin: 25mm 30mm\n"
    "budget:\n  share: 1.0\nsections: []\nsummary:\n  max_items: 2\n",
}


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pdf")
    specs = ["all"]
    for name, text in VARIANT_PROFILES.items():
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
        specs.append(str(folder / f"{name}.yaml"))
    audiences = [arg for spec in specs for arg in ("-a", spec)]
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
        for run in ("a", "b"):
            sources = [str(SEED), str(SAMPLES / "names.txt")] if run == "a" else [str(SEED)]
            result = run_cli(*audiences, "-f", "pdf,html", "-o", str(folder / run), *sources)
            assert result.code == 0, result.stderr
    return folder


def _pdf(out: Path, audience: str, stem: str = SEED.stem, run: str = "a") -> bytes:
    return (out / run / stem / f"{audience}.pdf").read_bytes()


def _reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in _reader(pdf).pages)


def _placed_text(page: Any) -> list[tuple[float, str]]:
    """(y in PDF points from the bottom, text) of every piece of text on the page."""
    pieces: list[tuple[float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: Any) -> None:
        if text.strip():
            pieces.append((tm[4] * cm[1] + tm[5] * cm[3] + cm[5], " ".join(text.split())))

    page.extract_text(visitor_text=visit)
    return pieces


def _margins(page: Any, audience: str) -> tuple[str, str]:
    """The text in the top and in the bottom page margin."""
    top_mm, _ = MARGIN_MM.get(audience, (20, 18))
    height = float(page.mediabox.height)
    pieces = _placed_text(page)
    top = " ".join(t for y, t in pieces if y > height - top_mm * MM)
    bottom = " ".join(t for y, t in pieces if y < top_mm * MM)
    return top, bottom


def _fonts(reader: PdfReader) -> Iterator[DictionaryObject]:
    seen: set[int] = set()
    for page in reader.pages:
        for ref in page["/Resources"].get_object().get("/Font", {}).values():
            if isinstance(ref, IndirectObject) and ref.idnum in seen:
                continue
            seen.add(ref.idnum if isinstance(ref, IndirectObject) else id(ref))
            yield ref.get_object()


def _notdef_fonts(pdf: bytes) -> list[str]:
    """Fonts that draw a missing glyph as .notdef (an empty box).

    WeasyPrint encodes text with /Identity-H unless a glyph is missing from the
    font; then it writes a custom CMap that sends those glyphs to .notdef.
    """
    return [str(f["/BaseFont"]) for f in _fonts(_reader(pdf)) if f["/Encoding"] != "/Identity-H"]


def _h2_headings(out: Path, audience: str) -> list[str]:
    html = (out / "a" / SEED.stem / f"{audience}.html").read_text(encoding="utf-8")
    return [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<h2[^>]*>(.*?)</h2>", html)]


# ---- the document ------------------------------------------------------------------


@pytest.mark.parametrize("audience", AUDIENCES)
def test_pdf_opens_and_holds_the_brief(out: Path, audience: str) -> None:
    pdf = _pdf(out, audience)
    assert pdf.startswith(b"%PDF-")
    assert 1 <= len(_reader(pdf).pages) <= 6
    text = _text(pdf)
    assert TITLE in text
    assert f"AUDIENCE {NAMES[audience]}" in text  # the title block (labels in capitals)
    assert "CNN" in text


@pytest.mark.parametrize("audience", [*AUDIENCES, "plain"])
def test_every_page_has_marking_top_and_bottom_and_page_x_of_y(out: Path, audience: str) -> None:
    pages = _reader(_pdf(out, audience)).pages
    assert len(pages) >= (3 if audience == "plain" else 1)  # "every page" must mean some
    for number, page in enumerate(pages, start=1):
        top, bottom = _margins(page, audience)
        assert MARKINGS[audience] in top, (number, top)
        assert MARKINGS[audience] in bottom, (number, bottom)
        assert f"Page {number} of {len(pages)}" in bottom, (number, bottom)


@pytest.mark.parametrize("audience", [*AUDIENCES, "plain"])
def test_running_header_carries_the_title_after_page_one(out: Path, audience: str) -> None:
    pages = _reader(_pdf(out, audience)).pages
    tops = [_margins(page, audience)[0] for page in pages]
    assert TITLE not in tops[0]  # the title block is right below on page 1
    assert all(TITLE in top for top in tops[1:]), tops


def test_page_size_and_margins_come_from_the_profile(out: Path) -> None:
    a4 = _reader(_pdf(out, "nato")).pages[0]
    a5 = _reader(_pdf(out, "plain")).pages[0]
    assert (round(float(a4.mediabox.width)), round(float(a4.mediabox.height))) == (595, 842)
    assert (round(float(a5.mediabox.width)), round(float(a5.mediabox.height))) == (420, 595)
    top = max(y for y, t in _placed_text(a5) if t == "NATO STAFF BRIEF")
    # the title block starts right under the plain profile's 25 mm top margin
    assert 595 - 25 * MM - 12 < top < 595 - 25 * MM


@pytest.mark.parametrize("audience", AUDIENCES)
def test_pdf_metadata(out: Path, audience: str) -> None:
    reader = _reader(_pdf(out, audience))
    meta = reader.metadata
    assert meta is not None
    assert meta.title == TITLE
    assert meta.author == "briefgen open-source analysis"  # the profile's issuer
    assert meta.subject is not None and NAMES[audience] in meta.subject and TITLE in meta.subject
    assert MARKINGS[audience] in str(meta["/Keywords"]).split(", ")
    assert "Belarus" in str(meta["/Keywords"]).split(", ")
    assert meta["/CreationDate"] == "D:20240709"  # SOURCE_DATE_EPOCH, the brief date
    assert reader.trailer["/Root"]["/Lang"] == "en"


@pytest.mark.parametrize("audience", AUDIENCES)
def test_bookmarks_are_the_headings(out: Path, audience: str) -> None:
    outline = _reader(_pdf(out, audience)).outline
    assert [getattr(item, "title", None) for item in outline[:1]] == [TITLE]
    children = outline[1]
    assert isinstance(children, list)
    # speakers (h3) nest under their h2 as a sub-list
    assert [i.title for i in children if not isinstance(i, list)] == _h2_headings(out, audience)
    assert [i.title for i in children[-2:]] == ["Sources", "Cited passages"]


def test_speaker_bookmarks_nest_under_their_heading(out: Path) -> None:
    children = _reader(_pdf(out, "plain")).outline[1]
    assert isinstance(children, list)
    nested = [i.title for sub in children if isinstance(sub, list) for i in sub]
    assert nested and all(isinstance(title, str) for title in nested)


def _struct_tags(reader: PdfReader) -> list[str]:
    """Structure element types in document order (empty when the PDF is not tagged)."""
    root = reader.trailer["/Root"]
    if "/StructTreeRoot" not in root:
        return []
    tags: list[str] = []
    stack = [root["/StructTreeRoot"].get_object()]
    while stack:
        node = stack.pop()
        if "/S" in node:
            tags.append(str(node["/S"]))
        kids = node.get("/K", [])
        kids = kids if isinstance(kids, list) else [kids]
        resolved = [k.get_object() for k in kids]
        stack.extend(k for k in reversed(resolved) if isinstance(k, dict) and "/S" in k)
    return tags


@pytest.mark.parametrize(
    ("audience", "tagged", "xmp_part"),
    [
        ("nato", True, b'pdfuaid:part="1"'),
        ("archive", True, b'pdfaid:part="3"'),
        ("plain", False, None),
    ],
)
def test_variant_tagging_and_conformance(
    out: Path, audience: str, tagged: bool, xmp_part: bytes | None
) -> None:
    reader = _reader(_pdf(out, audience))
    root = reader.trailer["/Root"]
    tags = _struct_tags(reader)
    if tagged:
        assert bool(root["/MarkInfo"]["/Marked"])
        headings = [t for t in tags if re.fullmatch(r"/H\d", t)]
        assert headings[0] == "/H1" and headings.count("/H1") == 1
        assert {"/P", "/L", "/LI", "/Table", "/Link"} <= set(tags)
    else:
        assert tags == [] and "/MarkInfo" not in root
    xmp = root["/Metadata"].get_object().get_data() if "/Metadata" in root else b""
    for part in (b'pdfuaid:part="1"', b'pdfaid:part="3"'):
        assert (part in xmp) == (part == xmp_part)
    if audience == "archive":
        assert b'pdfaid:conformance="B"' in xmp and "/OutputIntents" in root


@pytest.mark.parametrize("audience", ["nato", "archive", "plain"])
def test_pdf_is_byte_identical_under_source_date_epoch(out: Path, audience: str) -> None:
    first, second = _pdf(out, audience, run="a"), _pdf(out, audience, run="b")
    assert first == second


# ---- fonts -------------------------------------------------------------------------


@pytest.mark.parametrize("audience", AUDIENCES)
def test_fonts_are_embedded_and_subset(out: Path, audience: str) -> None:
    fonts = list(_fonts(_reader(_pdf(out, audience, stem="names"))))
    assert fonts
    for font in fonts:
        assert re.fullmatch(r"/[A-Z]{6}\+.+", str(font["/BaseFont"])), font["/BaseFont"]
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor or "/FontFile3" in descriptor


@pytest.mark.parametrize("audience", AUDIENCES)
def test_cyrillic_and_greek_names_render(out: Path, audience: str) -> None:
    pdf = _pdf(out, audience, stem="names")
    text = _text(pdf)
    for name in ("Лукашенко", "Зеленський", "Αθήνα"):
        assert name in text
    assert _notdef_fonts(pdf) == []


def test_notdef_check_sees_a_missing_glyph() -> None:
    # what the names tests rely on: a character no installed font has is caught
    import weasyprint

    pdf = weasyprint.HTML(string="<p lang=en>Private use: \U000f0001</p>").write_pdf()
    assert _notdef_fonts(pdf) != []


def _has_cjk_font() -> bool:
    """Whether fontconfig knows a Chinese font (fc-list is Debian's `fontconfig`)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:  # no fontconfig tools: look where Debian puts fonts-noto-cjk
        return any(Path("/usr/share/fonts").glob("**/*CJK*"))
    found = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, timeout=60)
    return bool(found.stdout.strip())


@pytest.mark.skipif(not _has_cjk_font(), reason="no CJK font (Debian: fonts-noto-cjk)")
def test_chinese_names_render_when_a_cjk_font_is_installed(tmp_path: Path) -> None:
    result = run_cli("-a", "nato", "-f", "pdf", "-o", str(tmp_path), str(SAMPLES / "names-zh.txt"))
    assert result.code == 0, result.stderr
    pdf = (tmp_path / "names-zh" / "nato.pdf").read_bytes()
    assert "董军" in _text(pdf)
    assert _notdef_fonts(pdf) == []


# ---- links -------------------------------------------------------------------------


@pytest.mark.parametrize("audience", AUDIENCES)
def test_citations_link_to_their_cited_passage(out: Path, audience: str) -> None:
    reader = _reader(_pdf(out, audience))
    links = [
        a.get_object()
        for page in reader.pages
        for a in page.get("/Annots", []) or []
        if a.get_object()["/Subtype"] == "/Link"
    ]
    html = (out / "a" / SEED.stem / f"{audience}.html").read_text(encoding="utf-8")
    # one per item and per row of the NATO key-figures table, each to its paragraph in
    # the cited passages; and one per passage, to the source's entry
    cited = re.findall(r'href="#(s1-p\d+)">S1\s¶\d+</a>(?: · [A-F][1-6])?\)?</(?:li|td)>', html)
    passages = re.findall(r'<p class="passage" id="(s1-p\d+)">', html)
    assert cited and set(cited) == set(passages)
    assert len(links) == len(cited) + len(passages)
    assert all("/A" not in link for link in links)
    assert sorted(str(link["/Dest"]) for link in links) == sorted(
        [*cited, *["source-1"] * len(passages)]
    )
    dests = reader.trailer["/Root"]["/Names"]["/Dests"].get_object()["/Names"]
    assert {"source-1", *passages} <= set(dests[0::2])


# ---- safety ------------------------------------------------------------------------


TOKEN = "TOP-SECRET-7f3a9c"


@pytest.fixture(scope="module")
def secret(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A local file whose content would show in the PDF if it were ever fetched."""
    folder = tmp_path_factory.mktemp("secret")
    (folder / "secret.css").write_text(f'main::before {{ content: "{TOKEN}" }}', encoding="utf-8")
    # a valid image: if fetched it becomes an /Image XObject
    (folder / "secret.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9">'
        '<rect width="9" height="9"/></svg>',
        encoding="utf-8",
    )
    path = folder / "secret.txt"
    path.write_text(TOKEN, encoding="utf-8")
    return path


def _objects(reader: PdfReader) -> Iterator[Any]:
    """Every object of the file, decoded. WeasyPrint puts dictionaries in compressed
    object streams, so searching the raw bytes for ``/EmbeddedFile`` finds nothing."""
    for idnum in range(1, int(reader.trailer["/Size"])):
        try:
            yield reader.get_object(idnum)
        except Exception:  # a free entry of the cross-reference table
            continue


def _assert_nothing_fetched_or_attached(pdf: bytes, token: str) -> None:
    reader = _reader(pdf)
    assert token not in _text(pdf)
    objects = list(_objects(reader))
    assert len(objects) > 20  # the walk did see the file
    for obj in objects:
        if isinstance(obj, StreamObject):
            assert token.encode() not in obj.get_data()
        if isinstance(obj, DictionaryObject):
            kinds = {str(obj.get("/Type")), str(obj.get("/Subtype")), str(obj.get("/S"))}
            assert not kinds & {"/Filespec", "/EmbeddedFile", "/FileAttachment", "/Image", "/URI"}
            assert "/URI" not in obj and "/EmbeddedFiles" not in obj


def test_hostile_article_is_text_in_the_pdf(tmp_path: Path, secret: Path) -> None:
    url = secret.as_uri()
    body = (
        f'Officials said the photo <img src="{url}"> was taken near the border on Monday.\n'
        f'The ministry said the file <link rel="attachment" href="{url}"> was authentic.\n'
        f"The army said the convoy ![x]({url}) and [a link](http://example.com/x) crossed.\n"
        "Officials said the drills <script>alert(1)</script> cover {{ 7*7 }} items.\n"
    )
    article = write_article(tmp_path, "attack.txt", body, title="Attack <b>test</b>")
    result = run_cli("-a", "nato", "-f", "pdf", "-o", str(tmp_path / "out"), str(article))
    assert result.code == 0, result.stderr
    pdf = (tmp_path / "out" / "attack" / "nato.pdf").read_bytes()
    text = _text(pdf)
    assert f'<img src="{url}">' in text
    assert "<script>alert(1)</script>" in text and "{{ 7*7 }}" in text
    assert _reader(pdf).metadata.title == "Attack <b>test</b>"  # type: ignore[union-attr]
    _assert_nothing_fetched_or_attached(pdf, TOKEN)


def test_fetcher_refuses_what_a_template_asks_for(tmp_path: Path, secret: Path) -> None:
    # Templates are trusted, but even one that links local files gets nothing: the
    # URL fetcher refuses (else the stylesheet would print the token and the image
    # would be drawn), and attachments are dropped.
    url, css, svg = (secret.with_suffix(s).as_uri() for s in (".txt", ".css", ".svg"))
    (tmp_path / "brief.html.j2").write_text(
        '{% extends "!builtin/brief.html.j2" %}'
        f'{{% block head %}}<link rel="attachment" href="{url}">'
        f'<link rel="stylesheet" href="{css}">{{% endblock %}}'
        f'{{% block footer %}}<img src="{svg}" alt="x">'
        f'<iframe src="{url}"></iframe>{{% endblock %}}',
        encoding="utf-8",
    )
    result = run_cli(
        "-a", "nato", "-f", "pdf", "--templates", str(tmp_path), "-o", str(tmp_path / "out")
    )
    assert result.code == 0, result.stderr
    pdf = (tmp_path / "out" / SEED.stem / "nato.pdf").read_bytes()
    _assert_nothing_fetched_or_attached(pdf, TOKEN)


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "http://example.com/a.css", "data:text/plain,hello", "briefgen.css"],
)
def test_fetcher_refuses_every_url(url: str) -> None:
    with pytest.raises(ValueError, match="does not fetch"):
        refusing_fetcher()(url)


def test_pdf_renderer_not_imported_for_markdown(tmp_path: Path) -> None:
    import sys

    code = (
        "import sys; from briefgen.cli import main\n"
        "try:\n    main(['-a','nato','-f','md','-o',sys.argv[1]])\nexcept SystemExit: pass\n"
        "print('weasyprint' in sys.modules)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)], capture_output=True, timeout=300
    )
    assert proc.stdout.decode().strip().splitlines()[-1] == "False", proc.stderr.decode()
