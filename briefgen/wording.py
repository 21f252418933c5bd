"""Audience wording applied at render time: units, date style, acronyms.

Wording never invents text: it annotates the source sentence at the exact spans
the analyzer found (a distance, a resolved date) or expands an acronym from the
glossary, so the sentence stays traceable to its source.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from briefgen.model import Fact, Quantity, TimeRef
from briefgen.profiles import WordingConfig

KM_PER_MILE = 1.609344
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_YEAR = re.compile(r"\b\d{4}\b")
_WEEKDAY = re.compile(r"\b(Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Edit:
    start: int  # offsets relative to the fact text
    end: int
    text: str


def format_date(iso: str, style: str) -> str:
    """One ISO date in a style: ``military``, ``long``, ``iso``, ``weekday`` or ``us``."""
    d = date.fromisoformat(iso)
    if style == "military":
        return f"{d.day:02d} {_MONTHS[d.month - 1][:3].upper()} {d.year}"
    if style == "long":
        return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"
    if style == "weekday":
        return f"{d.strftime('%A')}, {_MONTHS[d.month - 1]} {d.day}, {d.year}"
    if style == "us":
        return f"{_MONTHS[d.month - 1]} {d.day}, {d.year}"
    return d.isoformat()


def format_range(start: str, until: str | None, style: str) -> str:
    """A date or a date range; ranges within one month are compacted for military/long."""
    if not until or until == start:
        return format_date(start, style)
    a, b = date.fromisoformat(start), date.fromisoformat(until)
    if style in {"military", "long"} and (a.year, a.month) == (b.year, b.month):
        day = f"{a.day:02d}" if style == "military" else str(a.day)
        return f"{day}–{format_date(until, style)}"
    joiner = "/" if style == "iso" else " to "
    return f"{format_date(start, style)}{joiner}{format_date(until, style)}"


def format_distance(q: Quantity, units: str) -> str:
    """The source's distance, with its conversion in the audience's units."""
    if (
        q.kind != "distance"
        or q.si_value is None
        or (units == "imperial" and q.unit in {"mi", "mile"})
    ):
        return q.text
    km = f"{q.si_value:.0f} km" if q.si_value >= 10 else f"{q.si_value:.1f} km"
    if q.unit == "km":
        if units == "metric":
            return q.text
        return f"{q.text} ({q.si_value / KM_PER_MILE:.0f} miles)"
    return f"{km} ({q.text})" if units == "metric" else f"{q.text} ({km})"


class Wording:
    """Applies one profile's wording to the facts of one brief, in render order.

    Not frozen: it remembers which acronyms were already expanded, because only
    the first use in a brief is expanded.
    """

    def __init__(self, config: WordingConfig, glossary: dict[str, str]) -> None:
        self.config = config
        self.glossary = glossary
        self.seen: set[str] = set()

    def apply(self, fact: Fact) -> str:
        """The fact's sentence with units, dates and acronyms worded for the audience."""
        edits = [*self._unit_edits(fact), *self._date_edits(fact)]
        text = _apply_edits(fact.text, edits)
        if self.config.acronyms == "expand":
            text = self._expand(text)
        return " ".join(text.split())

    def _unit_edits(self, fact: Fact) -> Iterable[_Edit]:
        for q in fact.quantities:
            new = format_distance(q, self.config.units)
            if new != q.text:
                yield _Edit(q.start - fact.start, q.end - fact.start, new)

    def _date_edits(self, fact: Fact) -> Iterable[_Edit]:
        for t in fact.times:
            if _needs_date(t):
                assert t.date is not None
                style: str = self.config.date_style
                if style == "weekday" and _WEEKDAY.search(t.text):
                    style = "us"  # "on Sunday (July 7, 2024)", not "(Sunday, July 7, 2024)"
                note = f"{t.text} ({format_range(t.date, t.until, style)})"
                yield _Edit(t.start - fact.start, t.end - fact.start, note)

    def _expand(self, text: str) -> str:
        for term, expansion in self.glossary.items():
            pattern = re.compile(rf"(?<![\w.]){re.escape(term)}(?![\w])")
            match = pattern.search(text)
            if match is None or term in self.seen:
                continue
            self.seen.add(term)
            if expansion.casefold() not in text[: match.start()].casefold():
                text = f"{text[: match.start()]}{expansion} ({term}){text[match.end() :]}"
        return text


def _needs_date(t: TimeRef) -> bool:
    # an expression that already names its year ("February 2022") needs no gloss
    return t.date is not None and not _YEAR.search(t.text)


def _apply_edits(text: str, edits: list[_Edit]) -> str:
    out, pos = [], 0
    for edit in sorted(edits, key=lambda e: e.start):
        if edit.start < pos or edit.end > len(text):
            continue  # overlapping spans: keep the first, never garble the sentence
        out.append(text[pos : edit.start])
        out.append(edit.text)
        pos = edit.end
    out.append(text[pos:])
    return "".join(out)
