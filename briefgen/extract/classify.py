"""Stage 4, classify: topic scores from the YAML taxonomy, and salience.

Both are deliberately simple and transparent (counts and a small graph, not a
trained model) so an analyst can see in ``--explain`` why a fact scored as it did.

Salience mixes two generic signals of news writing:

* *centrality*: TextRank (Mihalcea & Tarau 2004) over the facts of one document,
  two facts linked by the content lemmas they share.  A sentence that shares words
  with many others states what the article is about.  Lemmas include names, so
  entity centrality is part of it; a separate entity count was tried and lowered
  ROUGE on the dev corpus (``benchmarks/quality.py``).
* *position*: the inverted pyramid puts the news first.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Annotated

from pydantic import AfterValidator, Field

from briefgen.config.base import StrictModel
from briefgen.records import Fact, TopicScore

HITS_FOR_FULL_SCORE = 4.0
PHRASE_WEIGHT = 2.0
ENTITY_WEIGHT = 2.0
# A topic word only in a subordinate clause (adverbial, relative, noun-modifying) counts
# half: such clauses background the main predication (the circumstances, purpose or
# history of what the main clause asserts), so "Founded ... to promote border security,
# the SCO has grown" is about the SCO's growth, not border security.  Half, not zero:
# the clause is still part of what the sentence says.  A general signal of clause
# structure, not a weight fitted to the dev corpus.
SUBORDINATE_WEIGHT = 0.5
POSITION_DECAY = 4.0  # the lead sentence counts 1.0, the fifth 0.5
# Centrality carries most of salience: on the dev corpus position alone (Lead-k) is
# clearly weaker, while a small position share still breaks ties between central facts.
CENTRALITY_SHARE = 0.8
DAMPING = 0.85  # PageRank's usual damping factor
ITERATIONS = 100  # an upper bound: article-sized graphs converge in 20-40
TOLERANCE = 1e-9
# The graph is quadratic in sentences; past this a book-length source gets a cheaper proxy.
MAX_GRAPH = 1000


def _not_blank(value: str) -> str:
    # an empty phrase is "in" every sentence: one `phrases: [""]` put every fact on a topic
    if not value.strip():
        raise ValueError("must not be empty or only spaces")
    return value


Word = Annotated[str, AfterValidator(_not_blank)]


class TopicConfig(StrictModel):
    """One topic of the taxonomy."""

    name: str
    """Human-readable name, shown in ``--explain`` and JSON."""
    lemmas: list[Word] = Field(default_factory=list)
    """Lower-case lemmas that signal the topic."""
    phrases: list[Word] = Field(default_factory=list)
    """Case-insensitive phrases; each counts double."""
    entities: list[Word] = Field(default_factory=list)
    """Canonical entity names; each counts double."""


class TaxonomyConfig(StrictModel):
    """The topic taxonomy file (``configs/topics.yaml``)."""

    topics: dict[str, TopicConfig]
    """Topics by id; profiles weight them by these ids."""


def classify(facts: Sequence[Fact], taxonomy: TaxonomyConfig) -> tuple[Fact, ...]:
    """Fill in ``topics`` and ``salience`` for the facts of one document.

    Args:
        facts: the facts of one document, in source order.
        taxonomy: the topic taxonomy.

    Returns:
        New facts (the input is not changed), in the same order.
    """
    centrality = text_rank([f.lemmas for f in facts])
    return tuple(
        replace(f, topics=topic_scores(f, taxonomy), salience=_salience(f, c))
        for f, c in zip(facts, centrality, strict=True)
    )


def topic_scores(fact: Fact, taxonomy: TaxonomyConfig) -> tuple[TopicScore, ...]:
    """The topics a fact touches, each scored 0-1 by its lemma, phrase and entity hits.

    A hit in the sentence's main clause counts fully, one only in a subordinate clause
    :data:`SUBORDINATE_WEIGHT` (see :class:`_Clauses`).
    """
    clauses = _Clauses(fact)
    text = fact.text.casefold()
    scores = []
    for topic_id, topic in taxonomy.topics.items():
        hits = sum(clauses.weight([lemma]) for lemma in clauses.lemmas.intersection(topic.lemmas))
        hits += PHRASE_WEIGHT * sum(
            clauses.weight(_words(p)) for p in topic.phrases if p.casefold() in text
        )
        hits += ENTITY_WEIGHT * sum(
            clauses.name_weight(name) for name in clauses.names.intersection(topic.entities)
        )
        if hits:
            scores.append(TopicScore(topic_id, round(min(1.0, hits / HITS_FOR_FULL_SCORE), 3)))
    return tuple(sorted(scores, key=lambda s: (-s.score, s.topic)))


class _Clauses:
    """Where a fact's words are: in its main clause or only in a subordinate one.

    Facts carry lemmas, not token positions, so a phrase or a name is placed by its
    words: it is in the main clause when one of its words that the sentence has as a
    lemma is a main-clause lemma, and subordinate when it has such words and none is.
    A phrase none of whose words is a lemma (all stop words, or inflected: "seekers")
    cannot be placed and counts fully, as do all hits of a fact without main-clause
    lemmas (records made before they existed).
    """

    def __init__(self, fact: Fact) -> None:
        self.lemmas = set(fact.lemmas)
        self.main = set(fact.main_lemmas)
        self.mentions: dict[str, list[str]] = {}
        for entity in fact.entities:
            self.mentions.setdefault(entity.canonical, []).append(entity.text)
        self.names = set(self.mentions)

    def weight(self, words: Sequence[str]) -> float:
        placed = [w for w in words if w in self.lemmas]
        if not self.main or not placed or any(w in self.main for w in placed):
            return 1.0
        return SUBORDINATE_WEIGHT

    def name_weight(self, canonical: str) -> float:
        """One hit per name, weighed by its mention most in the main clause."""
        return max(self.weight(_words(text)) for text in self.mentions[canonical])


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", text.casefold())


def text_rank(sentences: Sequence[Sequence[str]]) -> list[float]:
    """TextRank centrality of each sentence, scaled so the most central one is 1.0.

    Args:
        sentences: the content lemmas of each sentence.

    Returns:
        One score per sentence in 0-1; all 0.0 when no two sentences share a lemma.
    """
    sets = [set(s) for s in sentences]
    if len(sets) > MAX_GRAPH:
        return _centroid(sets)
    links = _similarity_graph(sets)
    n = len(sets)
    if not any(links):
        return [0.0] * n
    out = [sum(w for _, w in row) for row in links]
    rank = [1.0 / n] * n
    for _ in range(ITERATIONS):
        flow = [0.0] * n
        for j, row in enumerate(links):
            for i, w in row:
                flow[i] += w / out[j] * rank[j]
        new = [(1 - DAMPING) / n + DAMPING * f for f in flow]
        converged = max(abs(a - b) for a, b in zip(new, rank, strict=True)) < TOLERANCE
        rank = new
        if converged:
            break
    return _scaled(rank)


def _similarity_graph(sets: Sequence[set[str]]) -> list[list[tuple[int, float]]]:
    """Each sentence's neighbours and edge weights: shared lemmas over the sum of log sizes."""
    links: list[list[tuple[int, float]]] = [[] for _ in sets]
    for i, a in enumerate(sets):
        for j in range(i + 1, len(sets)):
            shared = len(a & sets[j])
            if shared:
                # max(.., 1): two one-word sentences would otherwise divide by zero
                weight = shared / max(math.log(len(a)) + math.log(len(sets[j])), 1.0)
                links[i].append((j, weight))
                links[j].append((i, weight))
    return links


def _centroid(sets: Sequence[set[str]]) -> list[float]:
    """A linear-time stand-in for very long documents: how common a sentence's lemmas are."""
    df: dict[str, int] = {}
    for s in sets:
        for lemma in s:
            df[lemma] = df.get(lemma, 0) + 1
    return _scaled([sum(df[w] - 1 for w in s) / max(math.log(len(s) or 1), 1.0) for s in sets])


def _scaled(values: Sequence[float]) -> list[float]:
    top = max(values, default=0.0)
    return [v / top if top else 0.0 for v in values]


def _salience(fact: Fact, centrality: float) -> float:
    position = 1.0 / (1.0 + fact.position / POSITION_DECAY)
    return round(CENTRALITY_SHARE * centrality + (1 - CENTRALITY_SHARE) * position, 3)
