"""JSON: the whole brief, for other tools (schema documented in the README)."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from typing import Any

from briefgen.records import Brief, BriefItem, Fact
from briefgen.render import RenderOptions

SCHEMA = "briefgen.brief/1"


def _item(item: BriefItem) -> dict[str, Any]:
    return {"text": item.text, "facts": list(item.facts)}


def _fact(fact: Fact) -> dict[str, Any]:
    data = asdict(fact)
    data.pop("lemmas")  # internal matching aid, not part of the contract
    data["topics"] = {t.topic: t.score for t in fact.topics}
    return data


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
        "sources": [asdict(s) for s in brief.sources],
        "facts": [_fact(f) for f in brief.facts],
        "excluded": [asdict(e) for e in brief.excluded],
        "removed": [{"doc": doc, **asdict(r)} for doc, r in brief.removed],
    }


def _default(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


class JsonRenderer:
    name = "json"
    suffix = ".json"

    def render(self, brief: Brief, options: RenderOptions) -> bytes:
        text = json.dumps(brief_to_dict(brief), ensure_ascii=False, indent=2, default=_default)
        return (text + "\n").encode("utf-8")
