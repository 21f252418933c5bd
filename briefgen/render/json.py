"""JSON: the whole brief, for other tools (schema documented in the README)."""

from __future__ import annotations

import json
import math
from dataclasses import asdict
from typing import Any

from briefgen.codec import fact_to_dict, source_to_dict
from briefgen.records import Brief, BriefItem, Conflict
from briefgen.render import RenderOptions

SCHEMA = "briefgen.brief/2"


def _item(item: BriefItem, item_id: str) -> dict[str, Any]:
    corroboration = item.corroboration
    sources = (
        list(corroboration.sources)
        if corroboration
        else list(dict.fromkeys(f.doc for f in item.evidence))
    )
    return {
        "id": item_id,
        "text": item.text,
        "facts": list(item.facts),
        "quote": item.quote.id,
        "sources": sources,
        "corroboration": (
            {"publishers": corroboration.publishers, "of": corroboration.of}
            if corroboration
            else {"publishers": 1, "of": 1}
        ),
        "grade": (
            {
                "reliability": item.grade.reliability,
                "credibility": item.grade.credibility,
                "basis": item.grade.basis,
            }
            if item.grade
            else None
        ),
        # each bracketed insertion, with the exact source span it stands in for
        "repairs": [
            {
                "start": r.start,
                "end": r.end,
                "replaced": item.quote.text[r.start - item.quote.start : r.end - item.quote.start],
                "inserted": r.text,
            }
            for r in item.repairs
        ],
    }


def _items(items: tuple[BriefItem, ...], prefix: str) -> list[dict[str, Any]]:
    return [_item(item, f"{prefix}-{n}") for n, item in enumerate(items, 1)]


def _conflict(conflict: Conflict) -> dict[str, Any]:
    return {
        "measure": conflict.measure,
        "kind": conflict.kind,
        "reports": [
            {
                "fact": r.fact.id,
                "source": r.fact.doc,
                "text": r.figure.text,
                "value": r.value if math.isfinite(r.value) else None,
                "unit": r.unit,
                "latest": r.latest,
            }
            for r in conflict.reports
        ],
    }


def brief_to_dict(brief: Brief) -> dict[str, Any]:
    summary = _items(brief.summary, "summary")
    section_items = [_items(s.items, s.id) for s in brief.sections]
    perspective_items = [
        _items(p.items, f"perspectives-{n}") for n, p in enumerate(brief.perspectives, 1)
    ]
    timeline = _items(brief.timeline, "timeline")
    every = [*summary, *(i for items in (*section_items, *perspective_items) for i in items)]
    every += timeline
    ratings = {sid: (letter, family) for sid, letter, family in brief.ratings}
    return {
        "schema": SCHEMA,
        "audience": brief.audience,
        "title": brief.title,
        "generated": brief.generated,
        "relevance": brief.relevance,
        "relevant": brief.relevant,
        "summary": summary,
        "sections": [
            {"id": s.id, "title": s.title, "items": items}
            for s, items in zip(brief.sections, section_items, strict=True)
        ],
        "perspectives": [
            {"speaker": p.speaker, "items": items}
            for p, items in zip(brief.perspectives, perspective_items, strict=True)
        ],
        "timeline": timeline,
        "conflicts": [_conflict(c) for c in brief.conflicts],
        "glossary": [asdict(g) for g in brief.glossary],
        "sources": [
            {
                **source_to_dict(s),
                "origin": brief.origin_of(s.id),
                "reliability": ratings.get(s.id, ("F", ""))[0],
                "family": ratings.get(s.id, ("F", ""))[1],
                "items": [i["id"] for i in every if s.id in i["sources"]],
                # a page's text is not the file: carry what the offsets index
                **({"text": e.document.text} if s.reader != "text" else {}),
            }
            for e in brief.extractions
            for s in (e.document.source,)
        ],
        "facts": [fact_to_dict(f) for f in brief.facts],
        "excluded": [asdict(e) for e in brief.excluded],
        "removed": [{"doc": doc, **asdict(r)} for doc, r in brief.removed],
    }


class JsonRenderer:
    name = "json"
    suffix = ".json"

    def render(self, brief: Brief, options: RenderOptions) -> bytes:
        # strict JSON: the codec writes a non-finite number as null, so this never fails
        data = brief_to_dict(brief)
        text = json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False)
        return (text + "\n").encode("utf-8")
