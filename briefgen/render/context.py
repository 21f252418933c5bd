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


def build_context(brief: Brief, options: RenderOptions) -> dict[str, Any]:
    """The context for one rendering of ``brief``.

    What derives from the brief (figures, actors) is built once per brief and shared
    by its formats (``options.memo``); ``wording`` is fresh each time, since it
    remembers which acronyms it has already expanded.
    """
    key = f"context:{id(brief)}"
    shared = options.memo.get(key)
    if shared is None or shared[0] is not brief:
        shared = options.memo[key] = (brief, _figures(brief), _actors(brief))
    ctx = TemplateContext(
        brief=brief,
        profile=options.profile,
        wording=Wording(options.profile.wording, options.glossary),
        today=options.today.isoformat(),
        figures=shared[1],
        actors=shared[2],
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
