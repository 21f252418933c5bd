"""The template context: what every template can use (documented in the README)."""

from __future__ import annotations

from typing import Any, TypedDict, get_args

from briefgen.config.profiles import ProfileConfig, WordingConfig
from briefgen.records import Brief, Fact, Quantity, TimeRef
from briefgen.render import RenderOptions
from briefgen.render.wording import Wording, format_range

# Quantities the key-figures table lists, and the date styles a date may be worded in.
FIGURE_KINDS = frozenset({"distance", "duration", "money", "count"})
DATE_STYLES: tuple[str, ...] = get_args(WordingConfig.model_fields["date_style"].annotation)


class TemplateContext(TypedDict):
    brief: Brief
    profile: ProfileConfig
    wording: Wording
    today: str
    figures: list[dict[str, Any]]
    actors: list[str]
    source_notes: list[dict[str, Any]]


def build_context(brief: Brief, options: RenderOptions) -> dict[str, Any]:
    """The context for one rendering of ``brief``.

    What derives from the brief (figures, actors) is built once per brief and shared
    by its formats (``options.memo``); ``wording`` is fresh each time, since it
    remembers which acronyms it has already expanded.
    """
    key = f"context:{id(brief)}"
    shared = options.memo.get(key)
    if shared is None or shared[0] is not brief:
        shared = options.memo[key] = (brief, _figures(brief), _actors(brief), _notes(brief))
    ctx = TemplateContext(
        brief=brief,
        profile=options.profile,
        wording=Wording(options.profile.wording, options.glossary),
        today=options.today.isoformat(),
        figures=shared[1],
        actors=shared[2],
        source_notes=shared[3],
    )
    return dict(ctx)


def _used_facts(brief: Brief) -> list[Fact]:
    seen: dict[str, Fact] = {}
    for item in (*brief.summary, *(i for s in brief.sections for i in s.items)):
        seen.setdefault(item.fact.id, item.fact)
    return sorted(seen.values(), key=lambda f: (f.doc, f.position))


def _figures(brief: Brief) -> list[dict[str, Any]]:
    """Distances, durations, money, counts and resolved dates of the facts in the brief,
    in source order, each figure once.

    A row has the first ``fact`` reporting the figure, every fact that does (``facts``,
    for the citation), the ``mark`` (the quantity or time), its ``kind`` and, except for
    dates (worded in the audience's date style by the template), its ``value`` as
    shown. A figure reported twice ("nine months" in two sentences) is one row; a date
    that reads the same in every date style (a bare year: "2001 | 2001") says nothing
    the sentence does not, so it has no row.
    """
    rows: dict[tuple[object, ...], dict[str, Any]] = {}
    for fact in _used_facts(brief):
        for mark in _marks(fact):
            row = rows.get(_figure_key(mark))
            if row is None:
                rows[_figure_key(mark)] = {
                    "fact": fact,
                    "facts": [fact],
                    "mark": mark,
                    "kind": _kind(mark),
                    "value": _value(mark),
                }
            elif fact not in row["facts"]:
                row["facts"].append(fact)
    return list(rows.values())


def _marks(fact: Fact) -> list[Quantity | TimeRef]:
    """The figures of one fact worth a row, in sentence order."""
    marks: list[Quantity | TimeRef] = [
        *(q for q in fact.quantities if q.kind in FIGURE_KINDS),
        *(t for t in fact.times if t.date is not None and not _states_itself(t)),
    ]
    return sorted(marks, key=lambda m: m.start)


def _states_itself(t: TimeRef) -> bool:
    assert t.date is not None
    return all(format_range(t.date, t.until, style) == t.text.strip() for style in DATE_STYLES)


def _figure_key(mark: Quantity | TimeRef) -> tuple[object, ...]:
    """What makes two marks the same figure: its kind and value, not its wording."""
    if isinstance(mark, TimeRef):
        return ("date", mark.date, mark.until or mark.date)
    if mark.kind == "distance" and mark.si_value is not None:
        return ("distance", round(mark.si_value))  # "130 miles" is "209 km"
    return (mark.kind, mark.value, mark.unit)


def _value(mark: Quantity | TimeRef) -> str | None:
    """The value column for a quantity: km, counts with thousands separators."""
    if isinstance(mark, TimeRef):
        return None
    if mark.kind == "distance" and mark.si_value is not None:
        km = mark.si_value
        return f"{km:.0f} km" if km >= 10 else f"{km:.1f} km"
    if mark.kind == "duration":
        return f"{number(mark.value)} {mark.unit}{'' if mark.value == 1 else 's'}"
    if mark.kind == "count":
        return number(mark.value)
    return mark.text


def number(value: float) -> str:
    """A figure for reading: ``40,000``, ``2.5``, ``1,400,000`` (never ``1.4e+06``)."""
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _kind(mark: Quantity | TimeRef) -> str:
    return mark.kind if isinstance(mark, Quantity) else "date"


def _actors(brief: Brief) -> list[str]:
    names: dict[str, None] = {}
    for fact in _used_facts(brief):
        for ent in fact.entities:
            if ent.label in {"ORG", "GPE", "PERSON"}:
                names.setdefault(ent.canonical, None)
    return list(names)


def _notes(brief: Brief) -> list[dict[str, Any]]:
    """Per source: how many items of the brief it carries (``count``) and, when it
    is not independent, the label of the source it is counted with (``origin``)."""
    shown = [*brief.items(), *(i for p in brief.perspectives for i in p.items), *brief.timeline]
    ids = [s.id for s in brief.sources]
    ratings = {sid: (letter, family) for sid, letter, family in brief.ratings}
    notes = []
    for source in brief.sources:
        origin = brief.origin_of(source.id)
        letter, family = ratings.get(source.id, ("F", ""))
        notes.append(
            {
                "reliability": letter,
                "family": family,
                "count": sum(1 for i in shown if any(f.doc == source.id for f in i.evidence)),
                "origin": f"S{ids.index(origin) + 1}" if origin != source.id else None,
            }
        )
    return notes
