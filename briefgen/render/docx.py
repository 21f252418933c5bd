"""DOCX: the brief as a Word document (python-docx), built from the HTML brief.

Analysts pass briefs around as Word files. The document is made from the same
page the HTML and PDF formats show (``render_html``: the audience's templates over
the render context), so every block, the audience's wording, the key-figures
table and any user template override are there, and nothing is derived twice.
The page's tree is mapped to Word's own structures: the marking goes into the
header and footer of every page, headings become heading styles, lists bullet or
numbered paragraphs, tables Word tables, citations links to their source's entry,
and the page's ``<head>`` (title, author, description, keywords) the core
properties, as it gives the PDF's metadata.

Article text reaches Word only as the text of runs (python-docx escapes it for
XML), never as markup; characters XML cannot hold become U+FFFD. The bytes depend
only on the brief and its date: the core properties' dates are the brief date
(``SOURCE_DATE_EPOCH`` fixes it) and the zip entries are rewritten with that date
and fixed attributes.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime, time, timezone
from typing import TYPE_CHECKING

from briefgen.records import Brief
from briefgen.render import RenderOptions
from briefgen.render.docx_body import DocumentWriter, xml_text
from briefgen.render.html import render_html
from briefgen.render.html_tree import Node, parse_html

if TYPE_CHECKING:
    from docx.document import Document

# docProps/core.xml fields are limited to 255 characters by python-docx
MAX_PROPERTY = 255
# page sizes in mm by the names `pdf.page_size` may use (the PDF's CSS names)
PAGE_SIZES: dict[str, tuple[float, float]] = {
    "a3": (297, 420), "a4": (210, 297), "a5": (148, 210), "b5": (176, 250),
    "letter": (215.9, 279.4), "legal": (215.9, 355.6),
}  # fmt: skip
_LENGTH = re.compile(r"([\d.]+)(mm|cm|in)")
_TO_MM = {"mm": 1.0, "cm": 10.0, "in": 25.4}
EARLIEST_ZIP_DATE = datetime(1980, 1, 1, tzinfo=timezone.utc)  # the zip format's epoch


def render_docx(brief: Brief, options: RenderOptions) -> bytes:
    """The brief as DOCX bytes, identical for the same brief and date."""
    import docx

    page = parse_html(render_html(brief, options))
    head, body = page.find("head") or Node("head"), page.find("body") or Node("body")
    document = docx.Document()
    _drop_thumbnail(document)
    _page_size(document, options.profile.pdf.page_size)
    stamp = datetime.combine(options.today, time(), tzinfo=timezone.utc)
    _properties(document, head, page, stamp)
    _accent(document, options.profile.accent)
    _frame(document, _marking(body))
    DocumentWriter(document).blocks(body)
    buffer = io.BytesIO()
    document.save(buffer)
    return fixed_zip(buffer.getvalue(), stamp)


def _drop_thumbnail(document: Document) -> None:
    """python-docx's template carries a thumbnail of some other document."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    rels = document.part.package.rels
    for rid in [rid for rid, rel in rels.items() if rel.reltype == RT.THUMBNAIL]:
        rels.pop(rid)


def _page_size(document: Document, page_size: str) -> None:
    """The profile's ``pdf.page_size`` (a name, ``landscape``, or two lengths)."""
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    width, height, landscape = page_millimetres(page_size)
    section = document.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(width), Mm(height)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin = section.right_margin = Mm(18)


def page_millimetres(page_size: str) -> tuple[float, float, bool]:
    """Width, height and whether landscape, for a CSS page size (A4 if unknown)."""
    words = page_size.lower().split()
    lengths = [
        float(match.group(1)) * _TO_MM[match.group(2)]
        for match in map(_LENGTH.fullmatch, words)
        if match is not None
    ]
    if len(lengths) >= 2:
        width, height = lengths[0], lengths[1]
    else:
        width, height = next((PAGE_SIZES[w] for w in words if w in PAGE_SIZES), PAGE_SIZES["a4"])
    if "landscape" in words:
        return max(width, height), min(width, height), True
    return width, height, False


def _properties(document: Document, head: Node, page: Node, stamp: datetime) -> None:
    """Core properties from the page's ``<head>``, as the PDF's metadata; every date
    is the brief's."""
    metas = {
        m.attrs["name"]: m.attrs.get("content", "")
        for m in head.find_all("meta")
        if "name" in m.attrs
    }
    title = head.find("title")
    html = page.find("html")
    props = document.core_properties
    props.title = _prop(title.text() if title else "")
    props.author = props.last_modified_by = _prop(metas.get("author", ""))
    props.subject = _prop(metas.get("description", ""))
    props.keywords = _prop(metas.get("keywords", ""))
    props.language = _prop(html.attrs.get("lang", "") if html else "")
    props.comments = ""
    props.revision = 1
    props.created = props.modified = props.last_printed = stamp.replace(tzinfo=None)


def _prop(value: str) -> str:
    text = xml_text(" ".join(value.split()))
    return text if len(text) <= MAX_PROPERTY else text[: MAX_PROPERTY - 1] + "…"


def _accent(document: Document, accent: str) -> None:
    """Title and headings in the profile's accent colour, as in its HTML and PDF."""
    from docx.shared import RGBColor

    digits = accent.lstrip("#")
    if len(digits) in (3, 4):  # #abc is #aabbcc
        digits = "".join(ch * 2 for ch in digits[:3])
    colour = RGBColor.from_string(digits[:6].upper())
    for name in ("Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3"):
        document.styles[name].font.color.rgb = colour


def _marking(body: Node) -> str:
    marking = next((p for p in body.find_all("p") if "marking" in p.classes()), None)
    return " ".join(marking.text().split()) if marking else ""


def _frame(document: Document, marking: str) -> None:
    """The marking at the top and bottom of every page, and the page number."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    section = document.sections[0]
    header = section.header.paragraphs[0]
    footer = section.footer.paragraphs[0]
    header.alignment = footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if marking:
        header.add_run(xml_text(marking)).bold = True
        footer.add_run(xml_text(marking)).bold = True
        footer.add_run(" · ")
    footer.add_run("Page ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run, text = OxmlElement("w:r"), OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    footer._p.append(field)


def fixed_zip(data: bytes, stamp: datetime) -> bytes:
    """``data`` (a zip) rewritten with every entry dated ``stamp`` and fixed
    attributes: python-docx dates each entry with the time it was saved."""
    when = max(stamp, EARLIEST_ZIP_DATE).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=when)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0
            entry.external_attr = 0
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


class DocxRenderer:
    name = "docx"
    suffix = ".docx"

    def render(self, brief: Brief, options: RenderOptions) -> bytes:
        return render_docx(brief, options)
