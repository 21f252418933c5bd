"""The template context: what every template can use (documented in the README)."""

from __future__ import annotations

from typing import Any, TypedDict

from briefgen.config.profiles import ProfileConfig
from briefgen.records import Brief, Fact, Quantity, TimeRef
from briefgen.render import RenderOptions
from briefgen.render.wording import Wording


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
    """Distances, durations and resolved dates of the facts in the brief, in source order."""
    rows: list[dict[str, Any]] = []
    for fact in _used_facts(brief):
        marks: list[Quantity | TimeRef] = [
            *(q for q in fact.quantities if q.kind in {"distance", "duration", "money", "count"}),
            *(t for t in fact.times if t.date is not None),
        ]
        for mark in sorted(marks, key=lambda m: m.start):
            rows.append({"fact": fact, "mark": mark, "kind": _kind(mark)})
    return rows


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
    notes = []
    for source in brief.sources:
        origin = brief.origin_of(source.id)
        notes.append(
            {
                "count": sum(1 for i in shown if any(f.doc == source.id for f in i.evidence)),
                "origin": f"S{ids.index(origin) + 1}" if origin != source.id else None,
            }
        )
    return notes
