"""The cited passages: every source paragraph an HTML or PDF brief cites, as written.

A citation (``S1 ¶2``) in an HTML or PDF brief links to its paragraph in this
appendix (``#s1-p2``), where the sentences the brief quotes are marked, so a reader
checks a line against its source in one click. The paragraph is the source's own
text at the paragraph's offsets; nothing is reworded.
"""

from __future__ import annotations

from dataclasses import dataclass

from briefgen.records import Brief, Fact
from briefgen.render.templates import passage_anchor


@dataclass(frozen=True, slots=True)
class Passage:
    """One cited paragraph: its anchor, its label and its text, cut where the cited
    sentences start and end (``(text, cited)`` pairs, in order)."""

    id: str
    source: int
    paragraph: int
    segments: tuple[tuple[str, bool], ...]


def cited_facts(brief: Brief) -> list[Fact]:
    """Every fact a brief cites: its items' evidence (summary, sections, timeline,
    perspectives) and the reports of its conflicts."""
    items = [*brief.items(), *brief.timeline, *(i for p in brief.perspectives for i in p.items)]
    facts = [f for item in items for f in item.evidence]
    facts += [r.fact for c in brief.conflicts for r in c.reports]
    return list({f.id: f for f in facts}.values())


def cited_passages(brief: Brief) -> list[Passage]:
    """The paragraphs ``brief`` cites, in source and paragraph order."""
    cited = cited_facts(brief)
    out = []
    for number, extraction in enumerate(brief.extractions, 1):
        doc = extraction.document
        mine = [f for f in cited if f.doc == doc.source.id]
        for index in sorted({f.paragraph for f in mine}):
            if index >= len(doc.paragraphs):
                continue  # a fact from another cleaning of the text: nothing to show
            para = doc.paragraphs[index]
            spans = sorted((f.start, f.end) for f in mine if f.paragraph == index)
            segments = _segments(doc.text, para.start, para.end, spans)
            out.append(Passage(passage_anchor(number, index + 1), number, index + 1, segments))
    return out


def _segments(
    text: str, start: int, end: int, spans: list[tuple[int, int]]
) -> tuple[tuple[str, bool], ...]:
    out: list[tuple[str, bool]] = []
    pos = start
    for a, b in spans:
        a, b = max(a, pos), min(b, end)
        if a >= b:
            continue
        if a > pos:
            out.append((text[pos:a], False))
        out.append((text[a:b], True))
        pos = b
    if pos < end:
        out.append((text[pos:end], False))
    return tuple(out)
