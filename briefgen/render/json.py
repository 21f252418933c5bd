"""JSON: the whole brief, for other tools (schema documented in the README)."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from briefgen.codec import fact_to_dict, source_to_dict
from briefgen.records import Brief, BriefItem
from briefgen.render import RenderOptions

SCHEMA = "briefgen.brief/1"


def _item(item: BriefItem) -> dict[str, Any]:
    return {"text": item.text, "facts": list(item.facts)}


def brief_to_dict(brief: Brief) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "audience": brief.audience,
        "title": brief.title,
        "generated": brief.generated,
        "summary": [_item(i) for i in brief.summary],
        "sections": [
            {"id": s.id, "title": s.title, "items": [_item(i) for i in s.items]}
            for s in brief.sections
        ],
        "perspectives": [
            {"speaker": p.speaker, "items": [_item(i) for i in p.items]} for p in brief.perspectives
        ],
        "glossary": [asdict(g) for g in brief.glossary],
        "sources": [source_to_dict(s) for s in brief.sources],
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
