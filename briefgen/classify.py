"""Stage 4, classify: topic scores from the YAML taxonomy, and salience.

Both are deliberately simple and transparent (counts, not a model) so an analyst
can see in ``--explain`` why a fact scored as it did.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from pydantic import BaseModel, ConfigDict, Field

from briefgen.model import Fact, TopicScore

HITS_FOR_FULL_SCORE = 4.0
PHRASE_WEIGHT = 2.0
ENTITY_WEIGHT = 2.0
POSITION_DECAY = 4.0  # the lead sentence counts 1.0, the fifth 0.5
POSITION_SHARE = 0.6


class TopicConfig(BaseModel):
    """One topic of the taxonomy."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    """Human-readable name, shown in ``--explain`` and JSON."""
    lemmas: list[str] = Field(default_factory=list)
    """Lower-case lemmas that signal the topic."""
    phrases: list[str] = Field(default_factory=list)
    """Case-insensitive phrases; each counts double."""
    entities: list[str] = Field(default_factory=list)
    """Canonical entity names; each counts double."""


class TaxonomyConfig(BaseModel):
    """The topic taxonomy file (``configs/topics.yaml``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    topics: dict[str, TopicConfig]


def classify(facts: Sequence[Fact], taxonomy: TaxonomyConfig) -> tuple[Fact, ...]:
    """Return the facts of one document with ``topics`` and ``salience`` filled in."""
    mentions = Counter(
        e.canonical for f in facts for e in {x.canonical: x for x in f.entities}.values()
    )
    top = max(mentions.values(), default=1)
    return tuple(
        replace(f, topics=_topics(f, taxonomy), salience=_salience(f, mentions, top)) for f in facts
    )


def _topics(fact: Fact, taxonomy: TaxonomyConfig) -> tuple[TopicScore, ...]:
    lemmas = set(fact.lemmas)
    text = fact.text.casefold()
    names = {e.canonical for e in fact.entities}
    scores = []
    for topic_id, topic in taxonomy.topics.items():
        hits = float(len(lemmas.intersection(topic.lemmas)))
        hits += PHRASE_WEIGHT * sum(p.casefold() in text for p in topic.phrases)
        hits += ENTITY_WEIGHT * len(names.intersection(topic.entities))
        if hits:
            scores.append(TopicScore(topic_id, round(min(1.0, hits / HITS_FOR_FULL_SCORE), 3)))
    return tuple(sorted(scores, key=lambda s: (-s.score, s.topic)))


def _salience(fact: Fact, mentions: Counter[str], top: int) -> float:
    position = 1.0 / (1.0 + fact.position / POSITION_DECAY)
    names = {e.canonical for e in fact.entities}
    centrality = sum(mentions[n] for n in names) / (top * len(names)) if names else 0.0
    return round(POSITION_SHARE * position + (1 - POSITION_SHARE) * centrality, 3)
