"""``-f docx``: the brief's structure in Word, read back with python-docx."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.oxml.ns import qn

from briefgen.config.profiles import load_profile
from briefgen.records import Extraction
from briefgen.render import RenderOptions
from briefgen.render.docx import DocxRenderer, page_millimetres
from briefgen.render.docx_body import bookmark_name, xml_text
from briefgen.select import select
from tests.factories import DIRS, SHARED, brief_of, make_fact, make_profile
from tests.helpers import SAMPLES, SEED, extract_paths, run_cli
from tests.render.test_figures_and_frame import TODAY

GLOSSARY = {term: t.expansion for term, t in SHARED.glossary.terms.items()}


@pytest.fixture(scope="module")
def seed() -> Extraction:
    (extraction,), failures = extract_paths([str(SEED)], SHARED)
    assert not failures
    return extraction


def render(extraction: Extraction, audience: str) -> bytes:
    loaded = load_profile(audience, DIRS)
    brief = select([extraction], loaded.config, SHARED.glossary, TODAY, None, SHARED.publishers)
    options = RenderOptions(loaded.config, (), GLOSSARY, TODAY, lineage=loaded.audiences)
    return DocxRenderer().render(brief, options)


def read(data: bytes) -> Document:
    return docx.Document(io.BytesIO(data))


def styled(document: Document, style: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style is not None and p.style.name == style]


@pytest.fixture(scope="module")
def nato(seed: Extraction) -> bytes:
    return render(seed, "nato")


def test_marking_on_every_page_and_the_title_block(nato: bytes) -> None:
    document = read(nato)
    section = document.sections[0]
    assert section.header.paragraphs[0].text == "NATO UNCLASSIFIED"
    assert section.footer.paragraphs[0].text.startswith("NATO UNCLASSIFIED · Page ")
    assert 'w:instr="PAGE"' in section.footer._element.xml
    assert styled(document, "Title") == [
        "China and Belarus hold joint military exercises near Polish border"
    ]
    block = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert block[:2] == [["Audience", "NATO staff"], ["Date of brief", "09 JUL 2024"]]
    assert ["Handling", "NATO UNCLASSIFIED"] in block
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297  # A4


def test_headings_bullets_and_citations(nato: bytes) -> None:
    document = read(nato)
    assert styled(document, "Heading 1")[:1] == ["Bottom line up front"]
    assert {"Key figures", "Sources"} <= set(styled(document, "Heading 1"))
    bullets = styled(document, "List Bullet")
    assert bullets and all(re.search(r"\(S1\s¶\d+[^)]*\)$", b) for b in bullets), bullets
    assert any("209 km (130 miles)" in b for b in bullets)  # NATO's wording: metric first
    body = document.element.body
    anchors = {h.get(qn("w:anchor")) for h in body.iter(qn("w:hyperlink"))}
    marks = {b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))}
    # citations lead to the cited passage, its label to the source: every link lands
    assert "source_1" in anchors and anchors <= marks, anchors - marks
    passages = [p for p in document.paragraphs if p.text.startswith("S1\u00a0¶1 ")]
    assert passages, "the cited passage keeps the space after its label"
    highlighted = [r.text for r in passages[0].runs if r.font.highlight_color is not None]
    assert highlighted and highlighted[0].startswith("China and Belarus")  # the quoted sentence
    (source,) = styled(document, "List Number")
    assert source.startswith("S1 China and Belarus") and "CNN" in source


def test_the_key_figures_table(nato: bytes) -> None:
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in read(nato).tables]
    figures = next(t for t in tables if t[0] == ["Figure", "As reported", "Value", "Ref"])
    assert ["distance", "130 miles", "209 km", "S1\u00a0¶6"] in figures


def test_core_properties_come_from_the_page_head(nato: bytes) -> None:
    props = read(nato).core_properties
    assert props.title == "China and Belarus hold joint military exercises near Polish border"
    assert props.author == "briefgen open-source analysis"
    assert props.subject.startswith("NATO staff brief of 09 JUL 2024: China and Belarus")
    assert props.keywords.startswith("NATO staff, NATO UNCLASSIFIED, China, Belarus")
    assert props.language == "en" and props.revision == 1
    assert props.created == props.modified == datetime(2024, 7, 9, tzinfo=timezone.utc)


def test_public_wording_perspectives_and_glossary(seed: Extraction) -> None:
    document = read(render(seed, "public"))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "North Atlantic Treaty Organization (NATO)" in text  # acronyms expanded
    assert "over the weekend (July 6–7, 2024)" in text  # the public date style
    assert document.sections[0].header.paragraphs[0].text == "PUBLIC"
    headings = styled(document, "Heading 1")
    assert "Glossary" in headings and "What happened" in headings
    glossary = next(t for t in document.tables if t.rows[0].cells[0].text == "Term")
    assert [c.text for c in glossary.rows[0].cells] == ["Term", "Stands for", "Meaning"]


def test_perspectives_are_headed_by_speaker() -> None:
    said = [
        make_fact("Talks will resume next week, the ministry said.", position=0,
                  kind="statement", speaker="Foreign Ministry", salience=0.9),
        make_fact("We will not take part, the mayor said.", position=1,
                  kind="statement", speaker="Mayor Jan Kowalski", salience=0.8),
    ]  # fmt: skip
    fields = {"summary": {"max_items": 0}, "perspectives": {"title": "Who said what"}}
    brief = brief_of(said, **fields)
    options = RenderOptions(make_profile(**fields), (), {}, TODAY)
    document = read(DocxRenderer().render(brief, options))
    assert "Who said what" in styled(document, "Heading 1")
    assert styled(document, "Heading 2") == ["Foreign Ministry", "Mayor Jan Kowalski"]


def test_bytes_are_the_same_on_every_run_and_dated_by_the_brief(
    seed: Extraction, nato: bytes
) -> None:
    assert render(seed, "nato") == nato
    with zipfile.ZipFile(io.BytesIO(nato)) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2024, 7, 9, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
        assert "docProps/thumbnail.jpeg" not in archive.namelist()
    assert set(re.findall(r"\d{4}-\d\d-\d\dT[\d:]+Z", core)) == {"2024-07-09T00:00:00Z"}


def test_article_text_stays_text(tmp_path: Path) -> None:
    result = run_cli("-a", "all", "-f", "docx", "-o", str(tmp_path), str(SAMPLES / "hostile.txt"))
    assert result.code == 0, result.stderr
    for audience in ("nato", "eu", "public"):
        data = (tmp_path / "hostile" / f"{audience}.docx").read_bytes()
        document = read(data)
        text = "\n".join(p.text for p in document.paragraphs) + "".join(
            c.text for t in document.tables for row in t.rows for c in row.cells
        )
        assert "Officials <script>alert(1)</script> meet {{ 7*7 }}" in text  # the title, as text
        assert "covers 49" not in text
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            rels = "".join(
                archive.read(n).decode() for n in archive.namelist() if n.endswith(".rels")
            )
            xml = archive.read("word/document.xml").decode()
        assert 'TargetMode="External"' not in rels  # no link, image or file outside
        assert "file:///" not in rels and "<w:drawing" not in xml
    nato = read((tmp_path / "hostile" / "nato.docx").read_bytes())
    assert any('<img src="file:///etc/passwd">' in p.text for p in nato.paragraphs)


def test_xml_cannot_hold_control_characters_so_they_become_a_mark() -> None:
    assert xml_text("a\x1b[31mb\x00c\td") == "a\ufffd[31mb\ufffdc\td"
    assert bookmark_name("source-1") == "source_1" and bookmark_name("1-x") == "b_1_x"


@pytest.mark.parametrize(
    ("size", "expected"),
    [("A4", (210, 297, False)), ("letter", (215.9, 279.4, False)),
     ("A4 landscape", (297, 210, True)), ("148mm 21cm", (148, 210, False))],
)  # fmt: skip
def test_page_sizes_follow_the_profile(size: str, expected: tuple[float, float, bool]) -> None:
    assert page_millimetres(size) == expected
