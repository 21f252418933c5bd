"""The body of the DOCX brief: the HTML page's elements as Word paragraphs and tables.

Only the elements our templates and python-markdown produce get a Word structure
of their own (headings, paragraphs, lists, tables, emphasis, links within the
brief); anything else contributes its text. Text is always added as the text of a
run, so nothing in it can become Word markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from briefgen.render.html_tree import Node

if TYPE_CHECKING:
    from docx.document import Document
    from docx.table import Table, _Cell
    from docx.text.paragraph import Paragraph

HEADINGS = {"h1": 0, "h2": 1, "h3": 2, "h4": 3, "h5": 4, "h6": 5}  # 0: Word's Title style
SKIP = frozenset({"head", "style", "script", "title", "template", "colgroup"})
CONTAINERS = frozenset({"#root", "html", "body", "main", "div", "section", "article",
                        "header", "footer", "nav", "aside", "figure"})  # fmt: skip
LISTS = {"ul": "List Bullet", "ol": "List Number"}
LINK_COLOUR = (0x1F, 0x3A, 0x5F)
_SPACE = re.compile(r"[ \t\n\r\f\v]+")  # HTML white space (a no-break space stays)
# what XML 1.0 cannot hold: C0 controls but tab and newlines, lone surrogates, FFFE/FFFF
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BOOKMARK = re.compile(r"\W")


def xml_text(text: str) -> str:
    """``text`` with every character XML cannot hold made U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def bookmark_name(anchor: str) -> str:
    """A Word bookmark name for an HTML id: letters, digits and _, a letter first, at
    most 40 characters (``source-1`` -> ``source_1``)."""
    name = _BOOKMARK.sub("_", anchor)
    return (name if name[:1].isalpha() else f"b_{name}")[:40]


@dataclass(frozen=True, slots=True)
class Format:
    bold: bool = False
    italic: bool = False
    code: bool = False
    marked: bool = False
    """Highlighted: the quoted sentence in a cited passage (``<mark>``)."""


class DocumentWriter:
    """Adds the blocks of an HTML tree to a python-docx document, in order."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self._bookmarks = 0
        self._style_ids: dict[str, str] = {}

    def add_paragraph(self, style: str | None = None) -> Paragraph:
        """A new paragraph in ``style``. Its id is looked up once: python-docx looks a
        style up by name (and compares it with the default) on every paragraph,
        which was most of the time a brief took."""
        paragraph = self.document.add_paragraph()
        if style is not None:
            paragraph._p.style = self._style_id(style)
        return paragraph

    def _style_id(self, name: str) -> str:
        if name not in self._style_ids:
            self._style_ids[name] = self.document.styles[name].style_id
        return self._style_ids[name]

    def blocks(self, node: Node, level: int = 0) -> None:
        for child in node.children:
            if isinstance(child, Node):
                self.block(child, level)
            elif child.strip():
                self._paragraph(Node("p", children=[child]))

    def block(self, node: Node, level: int = 0) -> None:
        classes = node.classes()
        if node.tag in SKIP or classes & {"marking", "running-header"}:
            return  # the marking is in every page's header and footer
        if node.tag in HEADINGS:
            level = HEADINGS[node.tag]
            self._finish(self.add_paragraph("Title" if level == 0 else f"Heading {level}"), node)
        elif node.tag in LISTS:
            self._list(node, level)
        elif node.tag == "table":
            self._table(node)
        elif node.tag == "hr":
            return
        elif node.tag in CONTAINERS:
            self.blocks(node, level)
        else:
            style = "Subtitle" if "kicker" in classes else None
            style = "Quote" if node.tag == "blockquote" or "intro" in classes else style
            self._paragraph(node, style)

    def _paragraph(self, node: Node, style: str | None = None) -> None:
        self._finish(self.add_paragraph(style), node)

    def _finish(
        self, paragraph: Paragraph, node: Node, children: list[Node | str] | None = None
    ) -> None:
        """Fill ``paragraph`` with the inline content of ``node`` (a bookmark when it
        is a link target) and trim the white space at its ends."""
        anchor = node.attrs.get("id")
        if anchor:
            self._bookmark(paragraph, anchor, start=True)
        self._inline(paragraph, node.children if children is None else children, Format())
        if anchor:
            self._bookmark(paragraph, anchor, start=False)
        _trim(paragraph)

    def _list(self, node: Node, level: int) -> None:
        base = LISTS[node.tag]
        style = base if level == 0 else f"{base} {min(level + 1, 3)}"
        for item in node.children:
            if not isinstance(item, Node) or item.tag != "li":
                continue
            nested = [c for c in item.children if isinstance(c, Node) and c.tag in LISTS]
            inline = [c for c in item.children if not (isinstance(c, Node) and c.tag in LISTS)]
            self._finish(self.add_paragraph(style), item, inline)
            for sub in nested:
                self._list(sub, level + 1)

    def _table(self, node: Node) -> None:
        rows = [
            [c for c in tr.children if isinstance(c, Node) and c.tag in ("th", "td")]
            for tr in node.find_all("tr")
        ]
        rows = [row for row in rows if row]
        if not rows:
            return
        columns = max(len(r) for r in rows)
        table = self.document.add_table(rows=len(rows), cols=columns)
        table._tbl.tblStyle_val = self._style_id("Table Grid")  # as add_paragraph
        for row, target_row in zip(rows, _cells(table), strict=True):
            for cell, target in zip(row, target_row, strict=False):
                paragraph = target.paragraphs[0]
                self._inline(paragraph, cell.children, Format(bold=cell.tag == "th"))
                _trim(paragraph)
        if columns == 2 and all(row[0].tag == "th" for row in rows):
            _label_column(table)  # the title block: labels narrow, values wide
        self.add_paragraph()  # Word runs a table into what follows

    def _inline(self, paragraph: Paragraph, children: list[Node | str], fmt: Format) -> None:
        for child in children:
            if isinstance(child, str):
                self._run(paragraph, child, fmt)
            elif child.tag == "br":
                paragraph.add_run().add_break()
            elif child.tag in SKIP:
                continue
            elif child.tag == "a" and child.attrs.get("href", "").startswith("#"):
                self._link(paragraph, child, fmt)
            else:  # a link elsewhere keeps its text only: a brief links nowhere outside
                self._inline(paragraph, child.children, _format(child.tag, fmt))
            if isinstance(child, Node) and child.tag in ("p", "div"):
                self._run(paragraph, " ", fmt)  # paragraphs inside a list item or cell

    def _run(self, paragraph: Paragraph, text: str, fmt: Format) -> None:
        text = xml_text(_SPACE.sub(" ", text))
        if not text:
            return
        run = paragraph.add_run(text)
        run.bold = fmt.bold or None
        run.italic = fmt.italic or None
        if fmt.code:
            run.font.name = "DejaVu Sans Mono"
        if fmt.marked:
            from docx.enum.text import WD_COLOR_INDEX

            run.font.highlight_color = WD_COLOR_INDEX.YELLOW

    def _link(self, paragraph: Paragraph, node: Node, fmt: Format) -> None:
        """A citation (``S1 ¶2``) as a link to its source's entry in the Sources list."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import RGBColor

        link = OxmlElement("w:hyperlink")
        link.set(qn("w:anchor"), bookmark_name(node.attrs["href"][1:]))
        before = len(paragraph.runs)
        self._inline(paragraph, node.children, fmt)
        for run in paragraph.runs[before:]:
            run.font.underline = True
            run.font.color.rgb = RGBColor(*LINK_COLOUR)
            link.append(run._r)  # moved into the link, in order
        paragraph._p.append(link)

    def _bookmark(self, paragraph: Paragraph, anchor: str, start: bool) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        if start:
            self._bookmarks += 1
        mark = OxmlElement("w:bookmarkStart" if start else "w:bookmarkEnd")
        mark.set(qn("w:id"), str(self._bookmarks))
        if start:
            mark.set(qn("w:name"), bookmark_name(anchor))
        paragraph._p.append(mark)


def _cells(table: Table) -> list[list[_Cell]]:
    """The cells row by row, read once: python-docx's ``table.cell(i, j)`` and
    ``row.cells`` lay out the whole grid on every call (quadratic in the table)."""
    from docx.table import _Cell

    return [[_Cell(tc, table) for tc in tr.tc_lst] for tr in table._tbl.tr_lst]


def _label_column(table: Table) -> None:
    from docx.shared import Mm

    table.autofit = False
    widths = (Mm(40), Mm(134))
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid, which LibreOffice reads
    for label, value in _cells(table):
        label.width, value.width = widths  # the cells, which Word reads


def _format(tag: str, fmt: Format) -> Format:
    if tag in ("strong", "b", "th"):
        return replace(fmt, bold=True)
    if tag in ("em", "i"):
        return replace(fmt, italic=True)
    if tag in ("code", "kbd", "samp"):
        return replace(fmt, code=True)
    if tag == "mark":
        return replace(fmt, marked=True)
    return fmt


def _trim(paragraph: Paragraph) -> None:
    """No white space at the ends of a paragraph (HTML ignores it; Word shows it).

    Only a plain run at an end is trimmed: a paragraph that opens with a link (a
    cited passage's label) keeps the space after it.
    """
    from docx.oxml.ns import qn
    from docx.text.run import Run

    content = [
        child for child in paragraph._p.iterchildren()
        if child.tag not in (qn("w:pPr"), qn("w:bookmarkStart"), qn("w:bookmarkEnd"))
    ]  # fmt: skip
    if not content:
        return
    # setting a run's text rebuilds it: only when there is something to trim
    first, last = content[0], content[-1]
    if first.tag == qn("w:r"):
        run = Run(first, paragraph)
        if run.text.startswith(" "):
            run.text = run.text.lstrip(" ")
    if last.tag == qn("w:r"):
        run = Run(last, paragraph)
        if run.text.endswith(" "):
            run.text = run.text.rstrip(" ")
