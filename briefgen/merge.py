"""Merge: the facts of several sources become one story, before any audience selects.

Three things happen, all over already-extracted facts (no parsing, so merging is a
cheap step after the cached extraction):

**Who is independent of whom.**  Sources are grouped into *origins*: two sources
of one publisher family (``configs/sources.yaml``: two desks of one agency), or a
reprint (most of one source's sentences near-identical to another's: the same wire
story in three papers) count as one origin.  Corroboration counts origins, never
feeds.

**Facts that report the same thing** (one :class:`Story` group each).  Facts are
taken in source order; a fact joins the group it matches best when

* it comes from a source the group does not hold yet (a source repeating itself is
  a matter for redundancy in selection, not corroboration),
* the content lemmas agree: cosine ≥ :data:`SAME_COSINE`, or ≥ :data:`NEAR_COSINE`
  when the two also share a named entity (canonical name) and a figure or date —
  so rewording, a dropped clause or another outlet's word order still match,
* and no figure contradicts: the same kind of figure (distance, count of the same
  noun, money…) with values that differ after unit normalisation is a conflict,
  never a match; nor do two facts that both name people and none in common.

The group's quote is its most informative member (most distinct content words,
entities and figures).

**Conflicting figures.**  Two facts of different origins report *the same
measure* when they carry a figure of the same kind — for counts, of the same noun
("40 people" / "35 people") — and are about the same thing (lemma cosine ≥
:data:`MEASURE_COSINE`, and for distances and money a shared named entity).  If
their values differ after normalisation (distances in km, 3% tolerance for
conversions and rounding), both go into one :class:`~briefgen.records.Conflict`
with every report and its source; the latest published report is marked, nothing
is chosen silently.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, model_validator

from briefgen.config.base import StrictModel
from briefgen.extract.classify import text_rank
from briefgen.records import (
    Conflict,
    ConflictReport,
    Corroboration,
    Extraction,
    Fact,
    Quantity,
    Source,
)

Reliability = Literal["A", "B", "C", "D", "E", "F"]
SAME_COSINE = 0.6
NEAR_COSINE = 0.4
REPRINT_COSINE = 0.85  # a sentence counts as reprinted at this lemma cosine
REPRINT_SHARE = 0.5  # ...and a source as a reprint when this share of its facts is
MEASURE_COSINE = 0.5
MAX_RATIO = 3.0  # reports of one measure differ by less: 40 vs 35 dead, 130 vs 200 km
DISTANCE_TOLERANCE = 0.03
VALUE_TOLERANCE = 0.005
FIGURE_KINDS = frozenset({"distance", "count", "money", "duration", "percent"})
ANCHORED_KINDS = frozenset({"distance", "money"})  # need a shared place or actor too


class PublisherConfig(StrictModel):
    """One publisher of ``configs/sources.yaml``."""

    name: str
    """The publisher's name as front matter or a page gives it."""
    aliases: list[str] = Field(default_factory=list)
    """Other spellings ("AP" for "Associated Press")."""
    domains: list[str] = Field(default_factory=list)
    """Web domains whose URLs are this publisher's (``apnews.com``)."""
    family: str = ""
    """The owner: publishers of one family are not independent of each other
    (default: the publisher itself)."""
    type: str = ""
    """wire, broadcaster, newspaper, state-affiliated, blog…"""
    reliability: Reliability = "F"
    """Admiralty source reliability: A completely reliable, B usually reliable, C fairly
    reliable, D not usually reliable, E unreliable, F cannot be judged."""
    basis: str = ""
    """Why this rating (required for any letter but F): what the rating rests on."""

    @model_validator(mode="after")
    def _rating_states_its_basis(self) -> PublisherConfig:
        if self.reliability != "F" and not self.basis.strip():
            raise ValueError(f"basis: the rating {self.reliability} of {self.name} states no basis")
        return self


class SourceTableConfig(StrictModel):
    """The publisher table (``configs/sources.yaml``)."""

    publishers: list[PublisherConfig] = Field(default_factory=list)


def _key(name: str) -> str:
    text = re.sub(r"[’'`]s?\b", "", name.lower())
    text = re.sub(r"^the\s+", "", text)
    return " ".join(re.findall(r"\w+", text))


class PublisherTable:
    """Publisher names, aliases and domains -> families."""

    def __init__(self, config: SourceTableConfig | None = None) -> None:
        self.by_name: dict[str, PublisherConfig] = {}
        self.by_domain: dict[str, PublisherConfig] = {}
        for pub in (config or SourceTableConfig()).publishers:
            for name in (pub.name, *pub.aliases):
                self.by_name[_key(name)] = pub
            for domain in pub.domains:
                self.by_domain[domain.lower().removeprefix("www.")] = pub

    def lookup(self, source: Source) -> PublisherConfig | None:
        if source.publisher and _key(source.publisher) in self.by_name:
            return self.by_name[_key(source.publisher)]
        host = (urlsplit(source.url).hostname or "") if source.url else ""
        host = host.lower().removeprefix("www.")
        while host:
            if host in self.by_domain:
                return self.by_domain[host]
            host = host.partition(".")[2]
        return None

    def reliability(self, source: Source) -> tuple[Reliability, str]:
        """The source's reliability letter and its basis; F for a publisher the table
        does not list."""
        pub = self.lookup(source)
        if pub is None:
            return "F", "publisher not in the source table: reliability cannot be judged"
        return pub.reliability, pub.basis or "rated F in the source table"

    def family(self, source: Source) -> str:
        """The family ``source`` belongs to; an unknown publisher is its own family,
        and a source with no publisher at all is a family of one."""
        pub = self.lookup(source)
        if pub is not None:
            return _key(pub.family or pub.name)
        return _key(source.publisher) if source.publisher else f"source:{source.id}"


@dataclass(frozen=True, slots=True)
class Group:
    """Facts of several sources that report the same thing."""

    quote: Fact
    evidence: tuple[Fact, ...]


@dataclass(frozen=True, slots=True)
class Story:
    """What a job's sources say together (see the module docstring)."""

    groups: tuple[Group, ...]
    group_of: dict[str, int]
    """fact id -> index in ``groups``."""
    origins: dict[str, str]
    """source id -> origin (the first source of its independence class)."""
    conflicts: tuple[Conflict, ...]
    centrality: tuple[float, ...] = ()
    """Per group: TextRank centrality (0-1) over the whole story, each group's words
    being those of all its reports: what the sources together keep coming back to."""
    rivals: dict[str, frozenset[str]] = field(default_factory=dict)
    """fact id -> the facts of other sources that report one of its figures differently
    (selection shows one of them, the block shows all); built once from ``conflicts``."""

    def fact(self, fact_id: str) -> Fact:
        """The fact ``fact_id`` of any source of the story."""
        return next(f for f in self.groups[self.group_of[fact_id]].evidence if f.id == fact_id)

    def superseded(self) -> set[str]:
        """Facts whose figure a later published report gives differently."""
        out: set[str] = set()
        for conflict in self.conflicts:
            if any(r.latest for r in conflict.reports):
                out.update(r.fact.id for r in conflict.reports if not r.latest)
        return out

    @property
    def origin_count(self) -> int:
        return len(set(self.origins.values()))

    def corroboration(self, evidence: Iterable[Fact]) -> Corroboration:
        docs = tuple(dict.fromkeys(f.doc for f in evidence))
        independent = len({self.origins.get(d, d) for d in docs})
        return Corroboration(publishers=independent, of=self.origin_count, sources=docs)

    def evidence(self, fact: Fact) -> tuple[Fact, ...]:
        index = self.group_of.get(fact.id)
        return self.groups[index].evidence if index is not None else (fact,)


def merge(extractions: Sequence[Extraction], table: PublisherTable | None = None) -> Story:
    """The story the sources of one job tell together."""
    facts = [f for e in extractions for f in e.facts]
    lemmas = {f.id: frozenset(f.lemmas) for f in facts}
    origins = _origins(extractions, table or PublisherTable(), lemmas)
    groups = _group(facts, lemmas) if len(extractions) > 1 else [[f] for f in facts]
    ordered = tuple(Group(_most_informative(g), tuple(g)) for g in groups)
    group_of = {f.id: n for n, g in enumerate(ordered) for f in g.evidence}
    published = {e.document.source.id: e.document.source.published for e in extractions}
    several = len(extractions) > 1
    conflicts = _conflicts(facts, lemmas, origins, published) if several else ()
    centrality = (
        text_rank([sorted({w for f in g.evidence for w in f.lemmas}) for g in ordered])
        if several
        else []
    )
    return Story(
        ordered, group_of, origins, tuple(conflicts), tuple(centrality), _rivals(conflicts)
    )


def _rivals(conflicts: Iterable[Conflict]) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for conflict in conflicts:
        ids = {r.fact.id for r in conflict.reports}
        for fact_id in ids:
            out.setdefault(fact_id, set()).update(ids - {fact_id})
    return {k: frozenset(v) for k, v in out.items()}


# --- origins ---------------------------------------------------------------------------


def _origins(
    extractions: Sequence[Extraction], table: PublisherTable, lemmas: dict[str, frozenset[str]]
) -> dict[str, str]:
    ids = [e.document.source.id for e in extractions]
    parent = {i: i for i in ids}

    def find(i: str) -> str:
        while parent[i] != i:
            i = parent[i]
        return i

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:  # the earlier source stays the origin
            first, second = sorted((ra, rb), key=ids.index)
            parent[second] = first

    families: dict[str, str] = {}
    for e in extractions:
        family = table.family(e.document.source)
        if family in families:
            union(families[family], e.document.source.id)
        families.setdefault(family, e.document.source.id)
    for a, b in _reprints(extractions, lemmas):
        union(a, b)
    return {i: find(i) for i in ids}


def _reprints(
    extractions: Sequence[Extraction], lemmas: dict[str, frozenset[str]]
) -> list[tuple[str, str]]:
    """Pairs of sources where most sentences of the shorter one are near-verbatim in
    the other. One index over every fact, each fact looked up once (not one index
    per pair of sources, which grew with the square of the sources)."""
    if len(extractions) < 2:
        # one source reprints nothing; its lookups alone grew with the square of its
        # length (every fact meets every other one sharing "say": 9 s of 62 at 1 MB)
        return []
    index = _LemmaIndex(REPRINT_COSINE, lemmas.values())
    doc_of: dict[str, str] = {}
    for e in extractions:
        for fact in e.facts:
            index.add(fact.id, lemmas[fact.id])
            doc_of[fact.id] = fact.doc
    copied: dict[tuple[str, str], int] = {}  # (source, other) -> its facts found in other
    for e in extractions:
        for fact in e.facts:
            found = {
                doc_of[k] for k, sim in index.similar(lemmas[fact.id]) if sim >= REPRINT_COSINE
            }
            for other in found - {fact.doc}:
                copied[(fact.doc, other)] = copied.get((fact.doc, other), 0) + 1
    sizes = {e.document.source.id: len(e.facts) for e in extractions}
    ids = list(sizes)
    pairs = []
    for n, a in enumerate(ids):
        for b in ids[n + 1 :]:
            short, long = (a, b) if sizes[a] <= sizes[b] else (b, a)
            if sizes[short] and copied.get((short, long), 0) >= REPRINT_SHARE * sizes[short]:
                pairs.append((a, b))
    return pairs


# --- groups ----------------------------------------------------------------------------


class _LemmaIndex:
    """The facts at least ``threshold`` similar (lemma cosine) to a given one, found
    without comparing it with every fact it shares a common word ("say") with.

    PPJoin (Xiao et al. 2008, "Efficient similarity joins for near duplicate
    detection"), with each fact's lemmas in one order, rarest first.  Two sets of cosine
    ``t`` or more share at least ``⌈t x √(|x| x |y|)⌉`` lemmas, hence one of the first
    ``|x| - ⌈t² x |x|⌉ + 1`` of each (the *prefix*): only prefixes are indexed and
    looked up.  And a pair whose first shared lemmas leave too few lemmas after them
    to reach that overlap is dropped before it is compared in full.  The facts found,
    their similarities and their order are what a scan of every shared lemma gives
    above ``threshold``; the lookups no longer grow with the square of the facts.
    """

    def __init__(self, threshold: float, universe: Iterable[frozenset[str]]) -> None:
        self.threshold = threshold
        counts: dict[str, int] = {}
        for lemmas in universe:
            for lemma in lemmas:
                counts[lemma] = counts.get(lemma, 0) + 1
        ranked = sorted(counts, key=lambda lemma: (counts[lemma], lemma))
        self.rank = {lemma: n for n, lemma in enumerate(ranked)}
        self.sets: dict[str, frozenset[str]] = {}
        self.added: dict[str, int] = {}
        self.postings: dict[str, list[tuple[str, int]]] = {}

    def _prefix(self, lemmas: frozenset[str]) -> list[str]:
        ordered = sorted(lemmas, key=lambda lemma: (self.rank.get(lemma, -1), lemma))
        # the 1e-6 absorbs float error: a longer prefix, a smaller bound only find more
        overlap = max(1, math.ceil(self.threshold**2 * len(ordered) - 1e-6))
        return ordered[: len(ordered) - overlap + 1]

    def _needed(self, a: int, b: int) -> int:
        return math.ceil(self.threshold * math.sqrt(a * b) - 1e-6)

    def add(self, key: str, lemmas: frozenset[str]) -> None:
        self.sets[key] = lemmas
        self.added[key] = len(self.added)
        for place, lemma in enumerate(self._prefix(lemmas)):
            self.postings.setdefault(lemma, []).append((key, place))

    def similar(self, lemmas: frozenset[str]) -> list[tuple[str, float]]:
        """(id, cosine) of the facts at least ``threshold`` similar to ``lemmas``, in
        the order they were added."""
        size = len(lemmas)
        shared: dict[str, int] = {}  # lemmas shared so far, in both prefixes
        dropped: set[str] = set()
        for mine, lemma in enumerate(self._prefix(lemmas)):
            for key, theirs in self.postings.get(lemma, ()):
                if key in dropped:
                    continue
                other = len(self.sets[key])
                seen = shared.get(key, 0) + 1
                # what they share comes in this order in both: the rest lies after
                if seen + min(size - mine, other - theirs) - 1 < self._needed(size, other):
                    dropped.add(key)
                    shared.pop(key, None)
                else:
                    shared[key] = seen
        found = []
        for key in shared:
            other_set = self.sets[key]
            sim = len(lemmas & other_set) / math.sqrt(size * len(other_set))
            if sim >= self.threshold:
                found.append((key, sim))
        # in the order the facts were added: a tie (two facts equally similar) goes to
        # the earlier one.  Not in the order of a frozenset's lemmas, which follows
        # string hashes, different in every process: the same sources made a
        # different merged brief from one run to the next
        return sorted(found, key=lambda hit: self.added[hit[0]])


def _group(facts: Sequence[Fact], lemmas: dict[str, frozenset[str]]) -> list[list[Fact]]:
    groups: list[list[Fact]] = []
    member_group: dict[str, int] = {}
    # below NEAR_COSINE no two facts are one report (_same_report)
    index = _LemmaIndex(NEAR_COSINE, (lemmas[f.id] for f in facts))
    for fact in facts:
        best, best_sim = None, 0.0
        for other_id, sim in index.similar(lemmas[fact.id]):
            n = member_group[other_id]
            if sim <= best_sim or any(f.doc == fact.doc for f in groups[n]):
                continue
            other = next(f for f in groups[n] if f.id == other_id)
            if _same_report(fact, other, sim):
                best, best_sim = n, sim
        if best is None:
            best = len(groups)
            groups.append([])
        groups[best].append(fact)
        member_group[fact.id] = best
        index.add(fact.id, lemmas[fact.id])
    return groups


def _same_report(a: Fact, b: Fact, cosine: float) -> bool:
    if _figures_conflict(a, b) or _different_people(a, b):
        return False
    if cosine >= SAME_COSINE:
        return True
    if cosine < NEAR_COSINE:
        return False
    shared_entity = bool({e.canonical for e in a.entities} & {e.canonical for e in b.entities})
    return shared_entity and bool(_figure_values(a) & _figure_values(b))


def _different_people(a: Fact, b: Fact) -> bool:
    """Both name people and none in common: "Contador has won the Tour" and
    "Vinokourov has won stage 13" share their words, not their news."""
    people_a = {e.canonical.split()[-1] for e in a.entities if e.label == "PERSON"}
    people_b = {e.canonical.split()[-1] for e in b.entities if e.label == "PERSON"}
    return bool(people_a) and bool(people_b) and not people_a & people_b


def _figure_values(fact: Fact) -> set[tuple[str, float | str]]:
    values: set[tuple[str, float | str]] = {(q.kind, round(_normal(q), 1)) for q in fact.quantities}
    values |= {("date", t.date) for t in fact.times if t.date}
    return values


def _normal(q: Quantity) -> float:
    return q.si_value if q.kind == "distance" and q.si_value is not None else q.value


def _figures_conflict(a: Fact, b: Fact) -> bool:
    return any(
        _measure(qa) == _measure(qb) and not _agree(qa, qb)
        for qa in a.quantities
        for qb in b.quantities
        if qa.kind in FIGURE_KINDS
    )


def _measure(q: Quantity) -> tuple[str, str]:
    unit = q.unit.lower()
    if q.kind == "count":
        unit = re.sub(r"(?<=[a-z])s$", "", unit)  # "people"/"person" differ; plurals do not
    if q.kind == "distance":
        unit = "km"
    return (q.kind, unit)


def _agree(a: Quantity, b: Quantity) -> bool:
    x, y = _normal(a), _normal(b)
    if not (math.isfinite(x) and math.isfinite(y)):
        return x == y
    tolerance = DISTANCE_TOLERANCE if a.kind == "distance" else VALUE_TOLERANCE
    return abs(x - y) <= tolerance * max(abs(x), abs(y))


def _most_informative(group: Sequence[Fact]) -> Fact:
    def information(f: Fact) -> int:
        figures = len(f.quantities) + sum(1 for t in f.times if t.date)
        return len(set(f.lemmas)) + 2 * (len({e.canonical for e in f.entities}) + figures)

    # max() keeps the first of equals: the earliest source
    return max(group, key=information)


# --- conflicts -------------------------------------------------------------------------


def _conflicts(
    facts: Sequence[Fact],
    lemmas: dict[str, frozenset[str]],
    origins: dict[str, str],
    published: Mapping[str, object],
) -> list[Conflict]:
    with_figures = [f for f in facts if any(q.kind in FIGURE_KINDS for q in f.quantities)]
    index = _LemmaIndex(MEASURE_COSINE, (lemmas[f.id] for f in with_figures))
    for fact in with_figures:
        index.add(fact.id, lemmas[fact.id])
    by_id = {f.id: (n, f) for n, f in enumerate(with_figures)}
    pairs: list[tuple[Fact, Quantity, Fact, Quantity]] = []
    for n, a in enumerate(with_figures):
        # the later facts about the same thing, in fact order (as the pairs were made)
        later = sorted(by_id[k] for k, _ in index.similar(lemmas[a.id]) if by_id[k][0] > n)
        for _, b in later:
            if origins.get(a.doc) != origins.get(b.doc):
                pairs.extend(_conflicting_figures(a, b))
    return _conflict_blocks(pairs, published)


def _conflicting_figures(a: Fact, b: Fact) -> Iterable[tuple[Fact, Quantity, Fact, Quantity]]:
    """Figures of one measure with different values. A sentence that gives several
    figures of one measure (a list of pledges) cannot say which one is compared, and
    values more than :data:`MAX_RATIO` apart are different quantities."""
    shared = {e.canonical for e in a.entities} & {e.canonical for e in b.entities}
    for qa in _single_figures(a):
        for qb in _single_figures(b):
            if _measure(qa) != _measure(qb) or _agree(qa, qb) or not _comparable(qa, qb):
                continue
            if qa.kind in ANCHORED_KINDS and not shared:
                continue
            yield a, qa, b, qb


def _single_figures(fact: Fact) -> list[Quantity]:
    """The figures of ``fact`` that are the only one of their measure in it."""
    figures = [q for q in fact.quantities if q.kind in FIGURE_KINDS]
    measures = [_measure(q) for q in figures]
    return [q for q, m in zip(figures, measures, strict=True) if measures.count(m) == 1]


def _comparable(a: Quantity, b: Quantity) -> bool:
    x, y = sorted((abs(_normal(a)), abs(_normal(b))))
    return math.isfinite(y) and x > 0 and y / x <= MAX_RATIO


def _conflict_blocks(
    pairs: Sequence[tuple[Fact, Quantity, Fact, Quantity]], published: Mapping[str, object]
) -> list[Conflict]:
    order = {doc: n for n, doc in enumerate(published)}
    """Pairs that share a report become one block per measure."""
    blocks: list[dict[tuple[str, int], tuple[Fact, Quantity]]] = []
    measures: list[tuple[str, str]] = []
    for a, qa, b, qb in pairs:
        ka, kb = (a.id, qa.start), (b.id, qb.start)
        found = next(
            (
                n
                for n, blk in enumerate(blocks)
                if measures[n] == _measure(qa) and (ka in blk or kb in blk)
            ),
            None,
        )
        if found is None:
            blocks.append({})
            measures.append(_measure(qa))
            found = len(blocks) - 1
        blocks[found].setdefault(ka, (a, qa))
        blocks[found].setdefault(kb, (b, qb))
    out = []
    for measure, block in zip(measures, blocks, strict=True):
        # source order: facts come in it, and a dict keeps insertion order
        reports = sorted(block.values(), key=lambda r: (order[r[0].doc], r[0].position, r[1].start))
        dates = [str(published.get(f.doc) or "") for f, _ in reports]
        latest = max(dates) if any(dates) else ""
        out.append(
            Conflict(
                measure=_label(measure, reports),
                kind=measure[0],
                reports=tuple(
                    ConflictReport(
                        fact=f,
                        figure=q,
                        value=_normal(q),
                        unit="km" if q.kind == "distance" else q.unit,
                        latest=bool(latest) and d == latest,
                    )
                    for (f, q), d in zip(reports, dates, strict=True)
                ),
            )
        )
    return out


def _label(measure: tuple[str, str], reports: Sequence[tuple[Fact, Quantity]]) -> str:
    kind, unit = measure
    if kind == "count":
        return f"number of {unit}"
    places = [
        e.canonical for f, _ in reports for e in f.entities if e.label in {"GPE", "LOC", "FAC"}
    ]
    anchor = max(set(places), key=places.count) if places else ""
    name = {"distance": "distance", "money": "amount", "duration": "duration"}.get(kind, kind)
    return f"{name} ({anchor})" if anchor else name


def cosine(a: frozenset[str], b: frozenset[str]) -> float:
    """Cosine similarity (0-1) of two sets of content lemmas."""
    return len(a & b) / math.sqrt(len(a) * len(b)) if a and b else 0.0
