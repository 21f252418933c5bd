"""``--explain``: what happened to every source line and fact, for every audience."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from briefgen.errors import printable
from briefgen.records import Brief, Extraction, Fact, Grade


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _short(text: str, width: int = 72) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _placement(brief: Brief, fact: Fact) -> str:
    for item in brief.summary:
        if item.fact.id == fact.id:
            return f"summary{_graded(item.grade)}"
    for section in brief.sections:
        for item in section.items:
            if item.fact.id == fact.id:
                return f"section '{section.id}'{_graded(item.grade)}"
    return f"left out: {left_out_reasons(brief).get(fact.id, NOT_USED)}"


NOT_USED = "not used"


def left_out_reasons(brief: Brief) -> dict[str, str]:
    """Fact id -> why the selection left it out of ``brief`` (the first reason given)."""
    reasons: dict[str, str] = {}
    for excluded in brief.excluded:
        reasons.setdefault(excluded.fact, excluded.reason)
    return reasons


def _graded(grade: Grade | None) -> str:
    return f", graded {grade.code} ({grade.basis})" if grade else ""


def _fact_lines(extraction: Extraction, briefs: Sequence[Brief]) -> Iterable[str]:
    text = extraction.document.text
    for fact in extraction.facts:
        who = f", {fact.attribution.speaker} ({fact.attribution.verb})" if fact.attribution else ""
        topics = ", ".join(f"{t.topic} {t.score:g}" for t in fact.topics[:3]) or "no topic"
        yield f"L{_line(text, fact.start)} {fact.id} [{fact.kind}{who}] {_short(fact.text)}"
        yield f"    topics: {topics}; salience {fact.salience:g}"
        for brief in briefs:
            yield f"    {brief.audience}: {_placement(brief, fact)}"


def explain(extractions: Sequence[Extraction], briefs: Sequence[Brief]) -> str:
    """A plain-text report, one block per source, in source order."""
    out: list[str] = []
    for extraction in extractions:
        source = extraction.document.source
        mine = [b for b in briefs if any(s.id == source.id for s in b.sources)]
        out.append(f"== {source.path} ({source.id}): {len(extraction.facts)} facts")
        for removed in extraction.document.removed:
            out.append(f"L{removed.line} removed ({removed.reason}): {_short(removed.text)}")
        out.extend(_fact_lines(extraction, mine))
    # article text, file names and speakers reach the terminal: escape control characters
    # (an ESC sequence would recolour or retitle it), one report line per line
    return "\n".join(printable(line) for line in out) + "\n"
