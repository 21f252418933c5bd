"""Stage 5, select: a profile picks, orders and groups facts into a :class:`Brief`.

Relevance = topic weights x topic scores + kind weight + salience weight x salience.
Selection is greedy MMR-style: the best remaining fact is taken unless it repeats
one already chosen (word overlap above ``profile.redundancy``).  Every fact not
used anywhere keeps the reason it was left out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict

from briefgen.model import (
    Brief,
    BriefItem,
    Excluded,
    Extraction,
    Fact,
    GlossaryEntry,
    Perspective,
    Section,
)
from briefgen.profiles import ProfileConfig, SectionConfig


class GlossaryTerm(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    expansion: str
    definition: str = ""


class GlossaryConfig(BaseModel):
    """The acronym glossary (``configs/glossary.yaml``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    terms: dict[str, GlossaryTerm]


@dataclass(slots=True)
class _Picker:
    """Mutable bookkeeping while one brief is selected (never leaves this module)."""

    profile: ProfileConfig
    chosen: list[Fact] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)

    def relevance(self, fact: Fact) -> float:
        p = self.profile
        score = sum(p.topic_weights.get(t.topic, 0.0) * t.score for t in fact.topics)
        score += p.kind_weights.get(fact.kind, 0.0) + p.salience_weight * fact.salience
        figures = {str(k): v for k, v in p.figure_weights.items()}
        score += sum(figures.get(kind, 0.0) for kind in _figure_kinds(fact))
        score += sum(
            p.entity_weights.get(name, 0.0) for name in {e.canonical for e in fact.entities}
        )
        return float(round(score, 4))

    def pick(self, candidates: Iterable[Fact], limit: int, where: str) -> list[Fact]:
        taken: list[Fact] = []
        ranked = sorted(candidates, key=lambda f: (-self.relevance(f), f.position))
        for fact in ranked:
            if fact in self.chosen:
                continue
            if len(taken) >= limit:
                # the last place that considered the fact gives the reason
                self.reasons[fact.id] = f"not among the top {limit} in {where}"
                continue
            twin = next(
                (c for c in self.chosen if overlap(c, fact) > self.profile.redundancy), None
            )
            if twin is not None:
                self.reasons[fact.id] = (
                    f"repeats {twin.id} (word overlap {overlap(twin, fact):.2f})"
                )
                continue
            taken.append(fact)
            self.chosen.append(fact)
            self.reasons.pop(fact.id, None)
        return taken


def _figure_kinds(fact: Fact) -> set[str]:
    kinds: set[str] = {q.kind for q in fact.quantities}
    if any(t.date is not None for t in fact.times):
        kinds.add("date")
    return kinds


def overlap(a: Fact, b: Fact) -> float:
    """Jaccard overlap of the content lemmas of two facts."""
    sa, sb = set(a.lemmas), set(b.lemmas)
    return len(sa & sb) / len(sa | sb) if sa and sb else 0.0


def select(
    extractions: Sequence[Extraction], profile: ProfileConfig, glossary: GlossaryConfig
) -> Brief:
    """Build the brief of ``profile`` from the facts of ``extractions``."""
    facts = [f for e in extractions for f in e.facts]
    picker = _Picker(profile)
    eligible = [f for f in facts if _eligible(f, picker)]
    summary = _ordered(
        picker.pick(
            (f for f in eligible if f.kind in profile.summary.kinds),
            profile.summary.max_items,
            "the summary",
        ),
        profile.summary.order,
        picker.relevance,
    )
    sections = tuple(_section(cfg, eligible, picker) for cfg in profile.sections)
    used = picker.chosen
    excluded = tuple(
        Excluded(f.id, picker.reasons.get(f.id, "no section of this profile selects it"))
        for f in facts
        if f not in used
    )
    return Brief(
        audience=profile.id,
        title=_title(extractions),
        summary=_items(summary),
        sections=tuple(s for s in sections if s.items),
        perspectives=_perspectives(facts, profile),
        glossary=_glossary(used, glossary) if profile.wording.glossary else (),
        sources=tuple(e.document.source for e in extractions),
        facts=tuple(facts),
        excluded=excluded,
        removed=tuple((e.document.source.id, r) for e in extractions for r in e.document.removed),
    )


def _eligible(fact: Fact, picker: _Picker) -> bool:
    p = picker.profile
    if fact.kind in p.drop_kinds:
        picker.reasons[fact.id] = f"kind '{fact.kind}' is dropped by this profile"
        return False
    score = picker.relevance(fact)
    if score < p.min_score:
        picker.reasons[fact.id] = f"relevance {score:.2f} is below min_score {p.min_score:g}"
        return False
    return True


def _section(cfg: SectionConfig, eligible: list[Fact], picker: _Picker) -> Section:
    def matches(f: Fact) -> bool:
        on_topic = not cfg.topics or any(f.topic_score(t) > 0 for t in cfg.topics)
        return on_topic and (not cfg.kinds or f.kind in cfg.kinds)

    picked = picker.pick(filter(matches, eligible), cfg.max_items, f"section '{cfg.id}'")
    return Section(cfg.id, cfg.title, _items(_ordered(picked, cfg.order, picker.relevance)))


def _ordered(facts: list[Fact], order: str, relevance: Callable[[Fact], float]) -> list[Fact]:
    if order == "salience":
        return sorted(facts, key=lambda f: (-relevance(f), f.doc, f.position))
    return sorted(facts, key=lambda f: (f.doc, f.position))


def _items(facts: Iterable[Fact]) -> tuple[BriefItem, ...]:
    return tuple(BriefItem(text=" ".join(f.text.split()), facts=(f.id,), fact=f) for f in facts)


def _perspectives(facts: Sequence[Fact], profile: ProfileConfig) -> tuple[Perspective, ...]:
    if not profile.perspectives.enabled:
        return ()
    groups: dict[str, list[Fact]] = {}
    for fact in facts:
        if fact.attribution is not None:
            groups.setdefault(fact.attribution.speaker, []).append(fact)
    limit = profile.perspectives.max_per_speaker
    return tuple(Perspective(speaker, _items(group[:limit])) for speaker, group in groups.items())


def _glossary(facts: Sequence[Fact], glossary: GlossaryConfig) -> tuple[GlossaryEntry, ...]:
    text = " ".join(f.text for f in facts)
    return tuple(
        GlossaryEntry(term, t.expansion, t.definition)
        for term, t in sorted(glossary.terms.items())
        if re.search(rf"(?<![\w.]){re.escape(term)}(?![\w])", text)
    )


def _title(extractions: Sequence[Extraction]) -> str:
    for e in extractions:
        if e.document.source.title:
            return e.document.source.title
    return extractions[0].document.source.id if extractions else "Brief"
