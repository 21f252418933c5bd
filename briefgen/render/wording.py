"""Audience wording applied at render time: units, date style, acronyms.

Wording never invents text: it annotates the source sentence at the exact spans
the analyzer found (a distance, a resolved date) or expands an acronym from the
glossary, so the sentence stays traceable to its source.  Templates reach these
functions as the filters ``worded``, ``date``, ``daterange`` and ``distance``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from briefgen.config.profiles import WordingConfig
from briefgen.records import Fact, Quantity, Repair, TimeRef

KM_PER_MILE = 1.609344
FEET_PER_KM = 3280.84
METRIC_UNITS = frozenset({"km", "m"})
_MONTHS = (
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
)
# An expression that names its own period: a year, a decade ("1990s", "1990's") or a
# century ("20th century"). Its resolved dates would only restate it.
_NAMED_PERIOD = re.compile(
    r"\b\d{4}(?:['’]?s)?\b|\b\d{1,2}(?:st|nd|rd|th)\s+century\b", re.IGNORECASE
)
_WEEKDAY = re.compile(r"\b(Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b", re.IGNORECASE)


# What follows an acronym that is part of a longer name ("US Air Force", "EU Commission")
# or the first element of a compound ("US-led"); and a possessive "'s" (either apostrophe).
_NAME_GOES_ON = re.compile(r"\s+[A-Z]\w|-\w")
_POSSESSIVE = re.compile(r"['’]s\b")
_ARTICLE_BEFORE = re.compile(r"\b[Tt]he\s+$")


EditKind = Literal["source", "repair", "unit", "date", "acronym"]


@dataclass(frozen=True, slots=True)
class _Edit:
    start: int  # offsets relative to the fact text
    end: int
    text: str
    kind: EditKind = "source"


@dataclass(frozen=True, slots=True)
class Piece:
    """A stretch of a worded sentence: the source's own words (``kind`` ``source``),
    or what wording put in place of ``original`` (a bracketed repair, a converted
    unit, a glossed date, an expanded acronym). The pieces of a sentence joined are
    :meth:`Wording.apply`'s text before its spaces are evened out."""

    text: str
    kind: EditKind = "source"
    original: str = ""


def acronym_pattern(term: str) -> re.Pattern[str]:
    """Where ``term`` is used as a word: not inside another word or a dotted abbreviation."""
    return re.compile(rf"(?<![\w.]){re.escape(term)}(?![\w])")


def format_date(iso: str, style: str) -> str:
    """One ISO date in a style.

    Args:
        iso: a date, ``YYYY-MM-DD``.
        style: ``military`` (``08 JUL 2024``), ``long`` (``8 July 2024``), ``iso``,
            ``weekday`` (``Monday, July 8, 2024``) or ``us`` (``July 8, 2024``).

    Returns:
        The formatted date; an unknown style gives ISO.
    """
    d = date.fromisoformat(iso)
    month = _MONTHS[d.month - 1]
    if style == "military":
        return f"{d.day:02d} {month[:3].upper()} {d.year}"
    if style == "long":
        return f"{d.day} {month} {d.year}"
    if style == "weekday":
        return f"{d.strftime('%A')}, {month} {d.day}, {d.year}"
    if style == "us":
        return f"{month} {d.day}, {d.year}"
    return d.isoformat()


def format_range(start: str, until: str | None, style: str) -> str:
    """A date or a date range, as short as the style allows.

    A whole year reads ``2001``, whole years ``1990–1999`` and a whole month
    ``FEB 2022`` / ``February 2022``; a
    range within one month is compacted (``08–19 JUL 2024``, ``July 8–19, 2024``).
    Ranges never repeat weekday names.

    Args:
        start: first day, ISO.
        until: last day, ISO, or None for a single day.
        style: as for :func:`format_date`.
    """
    if not until or until == start:
        return format_date(start, style)
    a, b = date.fromisoformat(start), date.fromisoformat(until)
    if (a.month, a.day, b.month, b.day) == (1, 1, 12, 31):
        # whole years: "2001", a decade "1990–1999", not "01 JAN 1990 to 31 DEC 1999"
        if a.year == b.year:
            return str(a.year)
        return f"{a.year}{'/' if style == 'iso' else '–'}{b.year}"
    if a.day == 1 and (b + timedelta(days=1)).day == 1 and (a.year, a.month) == (b.year, b.month):
        return _month(a, style)
    if style == "weekday":
        style = "us"
    if (a.year, a.month) == (b.year, b.month) and style != "iso":
        return _same_month(a, b, style)
    joiner = "/" if style == "iso" else " to "
    return f"{format_date(start, style)}{joiner}{format_date(until, style)}"


def _month(d: date, style: str) -> str:
    name = _MONTHS[d.month - 1]
    if style == "military":
        return f"{name[:3].upper()} {d.year}"
    return f"{d.year}-{d.month:02d}" if style == "iso" else f"{name} {d.year}"


def _same_month(a: date, b: date, style: str) -> str:
    if style == "us":
        return f"{_MONTHS[a.month - 1]} {a.day}–{b.day}, {a.year}"
    day = f"{a.day:02d}" if style == "military" else str(a.day)
    return f"{day}–{format_date(b.isoformat(), style)}"


def format_distance(q: Quantity, units: str) -> str:
    """The source's distance, with its conversion, in the audience's units.

    ``metric`` puts kilometres (or metres) first, ``imperial`` miles (or feet) first,
    and ``both`` keeps the source's figure first; the other system follows in
    parentheses: ``209 km (130 miles)``.  A figure already in the wanted system is
    left as written.

    Args:
        q: a quantity; anything but a distance with a metric value is returned as written.
        units: ``metric``, ``imperial`` or ``both``.
    """
    if q.kind != "distance" or q.si_value is None:
        return q.text
    metric_source = q.unit in METRIC_UNITS
    if units == "metric":
        return q.text if metric_source else f"{_metric(q.si_value)} ({q.text})"
    if units == "imperial":
        return f"{_imperial(q.si_value)} ({q.text})" if metric_source else q.text
    return f"{q.text} ({_imperial(q.si_value) if metric_source else _metric(q.si_value)})"


def _metric(km: float) -> str:
    # no more precision than a converted figure deserves
    if km >= 10:
        return f"{km:.0f} km"
    if km >= 1:
        return f"{_trim(km)} km"
    return f"{round(km * 1000, -1 if km >= 0.1 else 0):.0f} m"


def _imperial(km: float) -> str:
    miles = km / KM_PER_MILE
    if miles >= 10:
        return f"{miles:.0f} miles"
    if miles >= 0.5:
        text = _trim(miles)
        return f"{text} mile" if text == "1" else f"{text} miles"
    return f"{round(km * FEET_PER_KM, -1):.0f} feet"


def _trim(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


class Wording:
    """Applies one profile's wording to the facts of one brief, in render order.

    Not frozen: it remembers which acronyms were already expanded, because only
    the first use in a brief is expanded.
    """

    def __init__(self, config: WordingConfig, glossary: Mapping[str, str]) -> None:
        """Start a brief: no acronym expanded yet.

        Args:
            config: the profile's wording.
            glossary: acronym (as written, case-sensitive) -> expansion.
        """
        self.config = config
        self.glossary = dict(glossary)
        self.seen: set[str] = set()

    def apply(self, fact: Fact, repairs: Sequence[Repair] = ()) -> str:
        """The fact's sentence with units, dates and acronyms worded for the audience,
        and ``repairs`` shown as bracketed insertions (they come first where spans
        overlap: a repair is what makes the sentence readable at all)."""
        return " ".join("".join(p.text for p in self.pieces(fact, repairs)).split())

    def pieces(self, fact: Fact, repairs: Sequence[Repair] = ()) -> list[Piece]:
        """What :meth:`apply` says, as pieces that tell the source's words from the
        wording's (so a page can show each change as such)."""
        edits = [
            _Edit(r.start - fact.start, r.end - fact.start, f"[{r.text}]", "repair")
            for r in repairs
        ]
        edits += [*self._unit_edits(fact), *self._date_edits(fact)]
        pieces = _apply_edits(fact.text, edits)
        if self.config.acronyms == "expand":
            pieces = self._expand(pieces)
        return pieces

    def _unit_edits(self, fact: Fact) -> Iterable[_Edit]:
        for q in fact.quantities:
            new = format_distance(q, self.config.units)
            if new != q.text:
                yield _Edit(q.start - fact.start, q.end - fact.start, new, "unit")

    def _date_edits(self, fact: Fact) -> Iterable[_Edit]:
        for t in fact.times:
            if t.date is not None and _needs_date(t):
                style: str = self.config.date_style
                if style == "weekday" and _WEEKDAY.search(t.text):
                    style = "us"  # "on Sunday (July 7, 2024)", not "(Sunday, July 7, 2024)"
                note = f"{t.text} ({format_range(t.date, t.until, style)})"
                yield _Edit(t.start - fact.start, t.end - fact.start, note, "date")

    def _expand(self, pieces: list[Piece]) -> list[Piece]:
        for term, expansion in self.glossary.items():
            if term in self.seen:
                continue
            text = "".join(p.text for p in pieces)
            matches = list(acronym_pattern(term).finditer(text))
            if not matches:
                continue
            if _defined_in(text, matches[0], expansion):
                self.seen.add(term)  # the source spells it out itself
                continue
            for match in matches:
                edit = _expanded(text, match, expansion)
                if edit is not None:
                    self.seen.add(term)
                    pieces = _replace(pieces, edit)
                    break
            # no use here reads right expanded: the next sentence that uses it may
        return pieces


def _defined_in(text: str, match: re.Match[str], expansion: str) -> bool:
    """Whether the source defines the acronym itself at its first use: "North Atlantic
    Treaty Organization (NATO)", or "Shanghai Cooperation Organisation (SCO)" spelled
    otherwise than the glossary (an acronym in parentheses is the source's own gloss)."""
    before, after = text[: match.start()], text[match.end() :]
    in_parentheses = before.endswith("(") and after.startswith(")")
    return in_parentheses or expansion.casefold() in before.casefold()


def _expanded(text: str, match: re.Match[str], expansion: str) -> _Edit | None:
    """The edit that spells out the acronym at ``match`` in ``text``, or None where spelling it out
    would break the phrase it sits in (the caller then tries the next use).

    * Inside a longer name or compound it begins, an acronym is a modifier, not the
      organisation: "US Air Force General", "NATO Secretary General", "US-led" would
      read "United States (US) Air Force", so they are left as written.
    * A possessive moves the "'s" onto both: "the EU's agency" -> "the European Union's
      (EU's) agency".  Only after "the", though: a name written without an article
      ("Nato's commander") would need one it does not have ("the North Atlantic Treaty
      Organization's"), and wording never adds words, so that use is left as written.
    """
    before, after = text[: match.start()], text[match.end() :]
    if _NAME_GOES_ON.match(after):
        return None
    possessive = _POSSESSIVE.match(after)
    if possessive is None:
        return _Edit(match.start(), match.end(), f"{expansion} ({match[0]})", "acronym")
    if not _ARTICLE_BEFORE.search(before):
        return None
    apostrophe_s = possessive[0]
    new = f"{expansion}{apostrophe_s} ({match[0]}{apostrophe_s})"
    return _Edit(match.start(), match.end() + len(apostrophe_s), new, "acronym")


def _needs_date(t: TimeRef) -> bool:
    # an expression that already names its year ("February 2022"), decade or century
    # needs no gloss: "the 1990s (1 January 1990 to 31 December 1999)" says nothing new
    return not _NAMED_PERIOD.search(t.text)


def _apply_edits(text: str, edits: list[_Edit]) -> list[Piece]:
    out, pos = [], 0
    # stable sort: of two edits at one place, the first listed wins
    for edit in sorted(edits, key=lambda e: e.start):
        if edit.start < pos or edit.end > len(text):
            continue  # overlapping spans: keep the first, never garble the sentence
        out.append(Piece(text[pos : edit.start]))
        out.append(Piece(edit.text, edit.kind, text[edit.start : edit.end]))
        pos = edit.end
    out.append(Piece(text[pos:]))
    return [p for p in out if p.text]


def _replace(pieces: list[Piece], edit: _Edit) -> list[Piece]:
    """``pieces`` with the joined text's ``edit.start``-``edit.end`` replaced by the
    edit's text (a piece it cuts into keeps its kind on either side)."""
    out: list[Piece] = []
    pos = 0
    for piece in pieces:
        end = pos + len(piece.text)
        if end <= edit.start or pos >= edit.end:
            out.append(piece)
        else:
            if pos < edit.start:
                out.append(Piece(piece.text[: edit.start - pos], piece.kind, piece.original))
            if pos <= edit.start:
                original = "".join(p.text for p in pieces)[edit.start : edit.end]
                out.append(Piece(edit.text, edit.kind, original))
            if end > edit.end:
                out.append(Piece(piece.text[edit.end - pos :], piece.kind, piece.original))
        pos = end
    return out
