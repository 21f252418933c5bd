"""Typed records passed between the pipeline stages.

Every record is a frozen, slotted dataclass: stages never mutate what they are
given, they return new records (``dataclasses.replace``).  Offsets (``start``,
``end``) always index the *source text exactly as decoded* (front matter
included), so ``source.text[start:end] == record.text`` holds everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

FactKind = Literal["event", "statement", "quote", "context"]
FACT_KINDS: tuple[FactKind, ...] = ("event", "statement", "quote", "context")


@dataclass(frozen=True, slots=True)
class Source:
    """Metadata of one input document (from front matter or the cleaner)."""

    id: str
    path: str
    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    published: date | None = None
    language: str = "en"
    author: str | None = None
    reader: str = "text"
    """The reader that made the document's text (``text``, ``html``)."""
    sha256: str | None = None
    """SHA-256 (hex) of the raw file or stdin bytes the text was read from."""


@dataclass(frozen=True, slots=True)
class RemovedLine:
    """A source line the cleaner dropped, and why."""

    text: str
    start: int
    end: int
    line: int
    reason: str


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A run of kept text, the unit handed to the NLP pipeline."""

    start: int
    end: int
    line: int


@dataclass(frozen=True, slots=True)
class Document:
    """A decoded source: its full text, where the body starts, and what cleaning kept."""

    source: Source
    text: str
    body_start: int
    paragraphs: tuple[Paragraph, ...] = ()
    removed: tuple[RemovedLine, ...] = ()


@dataclass(frozen=True, slots=True)
class Entity:
    """A named entity; ``canonical`` merges aliases ("PLA" -> "People's Liberation Army")."""

    text: str
    label: str
    canonical: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class TimeRef:
    """A time expression; ``date``/``until`` are ISO dates or None when unresolvable."""

    text: str
    start: int
    end: int
    date: str | None = None
    until: str | None = None


@dataclass(frozen=True, slots=True)
class Quantity:
    """An amount with its unit; distances also carry a metric value (``si_value`` km)."""

    text: str
    start: int
    end: int
    value: float
    unit: str
    kind: Literal["distance", "duration", "count", "money", "percent", "other"]
    si_value: float | None = None
    si_unit: str | None = None


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who said it: the speaker (canonical name), the speech verb and any direct quote."""

    speaker: str
    verb: str
    quote: str | None = None


@dataclass(frozen=True, slots=True)
class TopicScore:
    topic: str
    score: float


@dataclass(frozen=True, slots=True)
class Fact:
    """One source sentence (or clause), anchored to its exact place in the source."""

    id: str
    doc: str
    start: int
    end: int
    text: str
    kind: FactKind
    position: int
    paragraph: int
    entities: tuple[Entity, ...] = ()
    times: tuple[TimeRef, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    attribution: Attribution | None = None
    topics: tuple[TopicScore, ...] = ()
    salience: float = 0.0
    # lower-cased content-word lemmas: what topic matching and redundancy checks compare
    lemmas: tuple[str, ...] = ()
    # the lemmas of the sentence's main clause (its root, subject, objects and
    # complements, not its adverbial or relative clauses): what the sentence is about.
    # Empty in records made before it existed: topic scoring then weighs all alike.
    main_lemmas: tuple[str, ...] = ()

    def topic_score(self, topic: str) -> float:
        return next((t.score for t in self.topics if t.topic == topic), 0.0)


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything extracted from one document: the facts and what cleaning removed."""

    document: Document
    facts: tuple[Fact, ...]


@dataclass(frozen=True, slots=True)
class Corroboration:
    """How many independent publishers report an item: ``publishers`` of the ``of``
    independent publishers (origins) among the brief's sources."""

    publishers: int
    of: int
    sources: tuple[str, ...]
    """Ids of the sources that report it, in source order."""


@dataclass(frozen=True, slots=True)
class ConflictReport:
    """One source's value for a measure the sources disagree on."""

    fact: Fact
    figure: Quantity
    value: float
    """Normalised (distances in km)."""
    unit: str
    latest: bool
    """From the most recently published source among the reports."""


@dataclass(frozen=True, slots=True)
class Conflict:
    """The same measure reported with different values: shown, never resolved."""

    measure: str
    kind: str
    reports: tuple[ConflictReport, ...]


@dataclass(frozen=True, slots=True)
class Grade:
    """An Admiralty (NATO) grade: the source's reliability (A-F) and the information's
    credibility (1-6), judged separately, and the basis of the credibility."""

    reliability: str
    credibility: int
    basis: str

    @property
    def code(self) -> str:
        """``B2``."""
        return f"{self.reliability}{self.credibility}"


@dataclass(frozen=True, slots=True)
class Repair:
    """An editor's bracketed insertion: the source span ``start``-``end`` (offsets in
    the source text, like a fact's) is shown as ``[text]`` so the sentence stands
    alone ("It published…" -> "[Belarus’ Ministry of Defense] published…")."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class BriefItem:
    """One line of a brief. It quotes one source sentence (``quote``) and stands for
    every fact, from any source, that reports the same thing (``evidence``, in source
    order, the quoted fact among them): citations and corroboration derive from it."""

    text: str
    quote: Fact
    evidence: tuple[Fact, ...]
    corroboration: Corroboration | None = None
    """Set when the brief has several sources."""
    repairs: tuple[Repair, ...] = ()
    """Bracketed insertions that make the quoted sentence stand alone."""
    grade: Grade | None = None
    """The Admiralty grade (:mod:`briefgen.grade`)."""

    @property
    def fact(self) -> Fact:
        """The quoted fact (what templates word and attribute)."""
        return self.quote

    @property
    def facts(self) -> tuple[str, ...]:
        """The ids of every fact the item stands for."""
        return tuple(f.id for f in self.evidence)


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: str
    items: tuple[BriefItem, ...]


@dataclass(frozen=True, slots=True)
class Perspective:
    """Statements grouped by the speaker who made them."""

    speaker: str
    items: tuple[BriefItem, ...]


@dataclass(frozen=True, slots=True)
class GlossaryEntry:
    term: str
    expansion: str
    definition: str = ""


@dataclass(frozen=True, slots=True)
class Excluded:
    fact: str
    reason: str


@dataclass(frozen=True, slots=True)
class Brief:
    """The selected, ordered content for one audience: what templates render.

    It refers to the extractions it was made from rather than copying their facts:
    ``sources``, ``facts`` and ``removed`` are read off them.
    """

    audience: str
    title: str
    summary: tuple[BriefItem, ...]
    sections: tuple[Section, ...]
    perspectives: tuple[Perspective, ...]
    glossary: tuple[GlossaryEntry, ...]
    extractions: tuple[Extraction, ...]
    excluded: tuple[Excluded, ...]
    generated: str = ""
    """The brief's date (ISO), given to :func:`briefgen.select.select`."""
    conflicts: tuple[Conflict, ...] = ()
    timeline: tuple[BriefItem, ...] = ()
    """Dated items of every source in date order (briefs of several sources)."""
    origins: tuple[tuple[str, str], ...] = ()
    """(source id, origin id): sources of one origin (a publisher family, or a
    reprint) count once for corroboration."""
    ratings: tuple[tuple[str, str, str], ...] = ()
    """(source id, reliability letter, publisher family) of every source."""
    relevance: float = 1.0
    """How much the sources hold for this audience (0-1, see :mod:`briefgen.select`)."""
    relevant: bool = True
    """False below the profile's ``min_relevance``: the brief then says so and holds
    no summary or sections."""

    @property
    def sources(self) -> tuple[Source, ...]:
        return tuple(e.document.source for e in self.extractions)

    @property
    def facts(self) -> tuple[Fact, ...]:
        """Every fact of every source, in source order."""
        return tuple(f for e in self.extractions for f in e.facts)

    @property
    def removed(self) -> tuple[tuple[str, RemovedLine], ...]:
        """Every line the cleaner dropped, with the id of its source."""
        return tuple(
            (e.document.source.id, r) for e in self.extractions for r in e.document.removed
        )

    def items(self) -> tuple[BriefItem, ...]:
        """The summary's and the sections' items, in brief order (not perspectives)."""
        return (*self.summary, *(i for s in self.sections for i in s.items))

    def origin_of(self, source_id: str) -> str:
        return dict(self.origins).get(source_id, source_id)
