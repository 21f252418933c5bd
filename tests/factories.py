"""Builders of records for tests: facts, profiles and the brief a profile makes of them."""

from __future__ import annotations

import re
from typing import Any

from briefgen.config.profiles import ProfileConfig
from briefgen.config.shared import config_dirs, load_shared
from briefgen.records import (
    Attribution,
    Brief,
    Document,
    Entity,
    Extraction,
    Fact,
    FactKind,
    Quantity,
    Source,
    TimeRef,
    TopicScore,
)
from briefgen.select import GlossaryConfig, GlossaryTerm, select

DIRS = config_dirs(())
SHARED = load_shared(DIRS)
GLOSSARY = GlossaryConfig(
    terms={"SCO": GlossaryTerm(expansion="Shanghai Cooperation Organization")}
)
_STOP = {"the", "a", "an", "of", "to", "in", "on", "and", "is", "are", "was", "it", "its", "by"}


def make_fact(
    text: str,
    *,
    position: int = 0,
    kind: FactKind = "event",
    topics: dict[str, float] | None = None,
    salience: float = 0.5,
    speaker: str | None = None,
    entities: tuple[Entity, ...] = (),
    times: tuple[TimeRef, ...] = (),
    quantities: tuple[Quantity, ...] = (),
    start: int = 0,
    doc: str = "d",
) -> Fact:
    """A fact whose lemmas are its lower-cased words minus a few stop words.

    ``start`` is where the sentence begins in its (imaginary) source; spans of
    ``times``/``quantities`` are given in source offsets, as the analyzer does.
    """
    words = [w.lower() for w in re.findall(r"[A-Za-z]+", text)]
    return Fact(
        id=f"{doc}-{position}",
        doc=doc,
        start=start,
        end=start + len(text),
        text=text,
        kind=kind,
        position=position,
        paragraph=position,
        entities=entities,
        times=times,
        quantities=quantities,
        attribution=Attribution(speaker, "say") if speaker else None,
        topics=tuple(TopicScore(t, s) for t, s in (topics or {}).items()),
        salience=salience,
        lemmas=tuple(w for w in words if w not in _STOP),
    )


def make_profile(**fields: Any) -> ProfileConfig:
    """A profile that weighs only salience unless told otherwise: no lead bonus and
    no word budget (tests of those say so), so each test sees one mechanism."""
    defaults: dict[str, Any] = {"lead_weight": 0.0, "budget": {"share": 1.0, "max_words": 100_000}}
    summary = {"lead": False, **fields.pop("summary", {})}
    return ProfileConfig.model_validate(
        {"id": "t", "name": "Test", **defaults, "summary": summary, **fields}
    )


def brief_of(facts: list[Fact], **fields: Any) -> Brief:
    """The brief a test profile makes of one source holding ``facts``."""
    source = Document(Source(id="d", path="d.txt", title="T"), text="", body_start=0)
    return select([Extraction(source, tuple(facts))], make_profile(**fields), GLOSSARY)
