"""Audience profiles: YAML files validated into typed objects.

A profile may ``extends:`` another (by id or path) and override only what
differs; mappings merge key by key, ``sections`` merge by ``id`` (see
:mod:`briefgen.config.sections`), other lists and scalars replace.  Every error
names the file, line and key path (see :mod:`briefgen.config.loading`).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, field_validator

from briefgen.config.base import StrictModel

# found and resolved in inherit.py; found from here too, where callers look
from briefgen.config.inherit import ProfileRef as ProfileRef
from briefgen.config.inherit import find_profiles as find_profiles
from briefgen.config.inherit import resolve
from briefgen.config.loading import KeyPath, Located, format_key, validate
from briefgen.errors import ConfigError, printable
from briefgen.records import FACT_KINDS, FactKind

Order = Literal["source", "salience", "grade"]
"""`source`: as in the source; `salience`: most relevant first; `grade`: best graded
first (credibility, then reliability)."""


def _one_line(value: str) -> str:
    """Profile text is shown on one line (headings, the marking, CSS ``content:``, the
    terminal): a control character or line separator there can only be a mistake or
    an attack (a carriage return in a marking once injected CSS)."""
    for ch in value:
        if unicodedata.category(ch) in ("Cc", "Zl", "Zp"):
            raise ValueError(
                f"control character {ch.encode('unicode_escape').decode()} is not allowed"
            )
    return value


Line = Annotated[str, AfterValidator(_one_line)]
"""A one-line text field of a profile: no control characters or line separators."""

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._,+-]{0,63}")


def _slug(value: str) -> str:
    """A profile id names output files (``<id>.md``): a short slug, never a path."""
    if not _ID.fullmatch(value):
        raise ValueError(
            f"not a safe id: {value[:80]!r} (letters, digits and . _ , + -, at most 64 "
            "characters, starting with a letter or digit)"
        )
    return value


class SummaryConfig(StrictModel):
    """The block that opens the brief (bottom line up front, key points, what happened)."""

    title: Line = "Summary"
    """Heading of the summary block (e.g. "Bottom line up front")."""
    max_items: int = Field(default=3, ge=0, le=20)
    """How many sentences the summary holds."""
    order: Order = "source"
    """Order of the summary sentences: as in the source, or most relevant first."""
    kinds: list[FactKind] = Field(default_factory=lambda: list(FACT_KINDS))
    """Fact kinds the summary may use."""
    max_words: int | None = Field(default=None, ge=0)
    """Word budget of the summary (none: only the brief's budget bounds it)."""
    lead: bool = True
    """Open with the news: the first sentence of a source (of several, the best
    scoring one) is taken first when the summary may use it."""


class SectionConfig(StrictModel):
    """One section of the brief: the facts it may take and how many."""

    id: Line
    """Stable identifier (JSON, CSS class)."""
    title: Line
    """Heading shown in the brief."""
    topics: list[str] = Field(default_factory=list)
    """Topics (from configs/topics.yaml) a fact must score on; empty means any topic."""
    min_topic_score: float = Field(default=0.0, ge=0.0, le=1.0)
    """Least score (0-1) a fact needs on one of `topics`; 0 takes any mention."""
    kinds: list[FactKind] = Field(default_factory=list)
    """Fact kinds allowed here; empty means any kind."""
    max_items: int = Field(default=4, ge=0, le=50)
    """Most items in this section."""
    order: Order = "source"
    """Order of the items."""
    max_words: int | None = Field(default=None, ge=0)
    """Word budget of this section (none: only the brief's budget bounds it)."""


class WordingConfig(StrictModel):
    """How the audience reads figures, dates and acronyms (template filters apply it)."""

    units: Literal["metric", "imperial", "both"] = "metric"
    """Distances: metric (km first: "209 km (130 miles)"), imperial (miles first), or both
    (the source's figure first, the other system in parentheses: "130 miles (209 km)")."""
    date_style: Literal["military", "long", "iso", "weekday", "us"] = "long"
    """Resolved dates: military `08 JUL 2024`, long `8 July 2024`, iso `2024-07-08`,
    weekday `Monday, July 8, 2024`, us `July 8, 2024`. Relative expressions ("on
    Sunday") get the date in parentheses; ranges are compacted (`08–19 JUL 2024`)."""
    acronyms: Literal["keep", "expand"] = "keep"
    """Keep acronyms as written, or expand each on first use ("Shanghai Cooperation
    Organization (SCO)")."""
    glossary: bool = False
    """Add a glossary of the acronyms the brief uses."""


class PerspectivesConfig(StrictModel):
    """Statements grouped by who made them."""

    enabled: bool = True
    """Show statements grouped by who made them."""
    title: Line = "Perspectives"
    """Heading of the perspectives block."""
    max_per_speaker: int = Field(default=3, ge=1, le=20)
    """Most statements shown per speaker."""
    max_speakers: int = Field(default=6, ge=0, le=50)
    """Most speakers shown: those whose statements are most relevant, in the order
    they first speak."""
    max_words: int | None = Field(default=None, ge=0)
    """Word budget of the perspectives block (none: only the brief's budget bounds it)."""


class BudgetConfig(StrictModel):
    """How long the brief's body (summary, sections, perspectives, timeline) may be.

    The budget is ``share`` of the sources' words, at least ``min_words`` and at most
    ``max_words`` (one source) or ``max_words_merged`` (several). Blocks are filled
    in order, each item chosen by value per word, so a long sentence has to earn
    its length.
    """

    share: float = Field(default=0.33, ge=0.0, le=1.0)
    """Share of the sources' words (after cleaning) the body may use."""
    min_words: int = Field(default=100, ge=0)
    """Floor: a short article is briefed nearly whole (a brief need not be shorter than
    a paragraph)."""
    max_words: int = Field(default=260, ge=0)
    """Ceiling for a brief of one source (about one A4 page with its title block and
    sources)."""
    max_words_merged: int = Field(default=420, ge=0)
    """Ceiling for a brief of several sources (about a page and a half)."""
    length_penalty: float = Field(default=0.3, ge=0.0, le=1.0)
    """An item's value is divided by its length in words to this power: 0 picks by
    value alone, 1 by value per word (Lin & Bilmes' scaled cost)."""


class GradingConfig(StrictModel):
    """Admiralty grades (source reliability A-F, credibility 1-6) of the brief's items."""

    show: bool = False
    """Show each item's grade (`B2`) after its citation, with a legend on the brief."""
    min_credibility: int = Field(default=6, ge=1, le=6)
    """Leave out items whose credibility digit is above this (6 keeps every item)."""


class CorroborationConfig(StrictModel):
    """How a brief of several sources says how many independent publishers report an item."""

    show: bool = True
    """Show the count after each item's citation (briefs of several sources only)."""
    label: str = "{publishers} of {of} publishers"
    """The words shown; `{publishers}` and `{of}` are replaced by the numbers."""
    confirmed_label: str | None = None
    """The words shown instead when the item is graded confirmed (credibility 1), e.g.
    `confirmed by {publishers} outlets`; none: always `label`."""


class ConflictsConfig(StrictModel):
    """The block listing figures the sources disagree on (briefs of several sources)."""

    enabled: bool = True
    """Show figures reported with different values, each with its citation."""
    title: str = "Conflicting reports"
    """Heading of the block."""


class TimelineConfig(StrictModel):
    """Dated events of every source in date order (briefs of several sources)."""

    enabled: bool = False
    """Show the timeline block."""
    title: str = "Timeline"
    """Heading of the block."""
    max_items: int = Field(default=6, ge=0, le=50)
    """Most events shown (those not already in the brief's body)."""


# Profile values reach the stylesheet: they are checked against what CSS accepts
# there, so a typo is an error rather than a silent A4, and nothing else gets in.
_PAGE_NAMES = {"a5", "a4", "a3", "b5", "b4", "jis-b5", "jis-b4", "letter", "legal", "ledger"}
_LENGTH = re.compile(r"^(\d+(?:\.\d+)?)(mm|cm|in|pt|pc|px)$")
_MM = {"mm": 1.0, "cm": 10.0, "in": 25.4, "pt": 25.4 / 72, "pc": 25.4 / 6, "px": 25.4 / 96}
MAX_MARGIN_MM = 100.0
"""Largest page margin: more leaves an A4 page (210 mm wide) almost no room for text."""


def _millimetres(token: str) -> float | None:
    match = _LENGTH.match(token)
    return float(match[1]) * _MM[match[2]] if match else None


def _page_size(value: str) -> str:
    words = value.lower().split()
    orientation = [w for w in words if w in ("portrait", "landscape")]
    rest = [w for w in words if w not in ("portrait", "landscape")]
    named = len(rest) == 1 and rest[0] in _PAGE_NAMES
    lengths = 1 <= len(rest) <= 2 and all(_millimetres(w) for w in rest)
    if len(orientation) > 1 or not (named or lengths or (not rest and orientation)):
        raise ValueError(
            f"not a page size: {value!r} (a name such as A4 or letter, optionally "
            "landscape, or a width and height such as 210mm 297mm)"
        )
    return value


def _margin(value: str) -> str:
    sizes = [_millimetres(w) for w in value.split()]
    if not 1 <= len(sizes) <= 4 or any(m is None for m in sizes):
        raise ValueError(f"not a margin: {value!r} (one to four lengths, such as 20mm 18mm)")
    if any(m is not None and m > MAX_MARGIN_MM for m in sizes):
        raise ValueError(f"margin {value!r} is larger than {MAX_MARGIN_MM:g} mm")
    return value


class PdfConfig(StrictModel):
    """Page setup of the PDF rendering."""

    page_size: Annotated[str, AfterValidator(_page_size)] = "A4"
    """CSS page size, e.g. `A4`, `letter`, `A4 landscape`, `210mm 297mm`."""
    margin: Annotated[str, AfterValidator(_margin)] = "20mm 18mm"
    """CSS page margin: one to four lengths (mm, cm, in, pt, pc, px) of at most 100 mm,
    e.g. `20mm 18mm`."""
    variant: Literal["pdf/ua-1", "pdf/a-3b", "plain"] = "pdf/ua-1"
    """PDF flavour: tagged and accessible (`pdf/ua-1`), archival (`pdf/a-3b`) or `plain`."""


class ProfileConfig(StrictModel):
    """An audience profile (``configs/audiences/<id>.yaml``)."""

    id: Annotated[str, AfterValidator(_slug)]
    """Identifier used with `--audience` and in output file names (default: the file
    name): letters, digits and `. _ , + -`, at most 64 characters, starting with a letter
    or digit."""
    name: Line
    """Human-readable audience name."""
    description: Line = ""
    """One line shown by `--list-audiences`."""
    extends: str | None = None
    """Another profile (id or path) whose keys, sections (merged by id) and templates
    this one inherits."""
    marking: Line = ""
    """Handling marking printed on the brief (e.g. `NATO UNCLASSIFIED`)."""
    issuer: Line = "briefgen"
    """Issuing body, used as the document author."""
    language: Line = "en"
    """Language of the brief (HTML `lang`, PDF metadata)."""
    tone: str = ""
    """Notes for template writers on how this audience is addressed."""
    intro: Line = ""
    """A fixed line shown under the title (profile text, not source text)."""
    accent: str = Field(default="#1f3a5f", pattern=r"^#[0-9A-Fa-f]{3,8}$")
    """Accent colour used by the stylesheet."""
    topic_weights: dict[str, float] = Field(default_factory=dict)
    """Weight of each taxonomy topic in a fact's relevance."""
    kind_weights: dict[FactKind, float] = Field(default_factory=dict)
    """Bonus (or malus) per fact kind."""
    figure_weights: dict[Literal["distance", "duration", "date", "count", "money"], float] = Field(
        default_factory=dict
    )
    """Bonus for a fact that carries a figure of this kind (a distance, a resolved date...)."""
    entity_weights: dict[str, float] = Field(default_factory=dict)
    """Bonus for a fact that mentions this actor (canonical name, see configs/aliases.yaml)."""
    drop_kinds: list[FactKind] = Field(default_factory=list)
    """Fact kinds this audience never gets."""
    salience_weight: float = 1.0
    """Weight of salience (position, entity centrality) in relevance."""
    min_score: float = 0.0
    """Facts scoring below this are excluded."""
    redundancy: float = Field(default=0.6, ge=0.0, le=1.0)
    """Similarity (0-1, cosine of content words) above which a fact repeats one already
    chosen and is never taken."""
    mmr_lambda: float = Field(default=0.7, ge=0.0, le=1.0)
    """Maximal marginal relevance trade-off: 1.0 picks by relevance alone, lower values
    prefer facts unlike those already chosen (score = λ x relevance - (1 - λ) x
    similarity, relevance scaled to 0-1)."""
    summary: SummaryConfig = Field(default_factory=SummaryConfig)
    """The opening block, filled first."""
    sections: list[SectionConfig] = Field(default_factory=list)
    """Sections in the order shown, filled in that order after the summary. In a profile
    that extends another, entries merge with the parent's by `id` (`remove: true` drops
    one; a new id is added after the parent's); `[]` means none."""
    perspectives: PerspectivesConfig = Field(default_factory=PerspectivesConfig)
    """Statements grouped by speaker."""
    wording: WordingConfig = Field(default_factory=WordingConfig)
    """Units, date style and acronyms."""
    pdf: PdfConfig = Field(default_factory=PdfConfig)
    """PDF page setup."""
    budget: BudgetConfig = Field(default_factory=BudgetConfig)
    """Word budget of the brief's body."""
    lead_weight: float = 1.0
    """Bonus for where news puts the event: the first sentence of a source gets all of
    it, the third half, the tenth a sixth (``1 / (1 + position / 2)``)."""
    relevance_topics: list[str] = Field(default_factory=list)
    """Topics that make a source relevant to this audience (default: every topic with a
    positive weight); see `min_relevance`."""
    min_relevance: float = Field(default=0.0, ge=0.0, le=1.0)
    """Below this audience relevance (0-1) briefgen warns and writes a short brief
    that says the source holds little for this audience."""
    corroboration_weight: float = 1.0
    """Bonus for an item reported by every independent publisher of a brief of several
    sources (scaled by the share that report it): what many outlets report is the story."""
    centrality_weight: float = 1.0
    """Bonus for a report central to the whole story of several sources (TextRank over
    every source's sentences, 0-1): the cross-document centrality of LexRank."""
    corroboration: CorroborationConfig = Field(default_factory=CorroborationConfig)
    """How corroboration is shown."""
    grading: GradingConfig = Field(default_factory=GradingConfig)
    """Admiralty grades: shown or not, and a floor."""
    conflicts: ConflictsConfig = Field(default_factory=ConflictsConfig)
    """Figures the sources disagree on."""
    timeline: TimelineConfig = Field(default_factory=TimelineConfig)
    """Dated events in date order."""

    @field_validator("sections")
    @classmethod
    def _unique_sections(cls, sections: list[SectionConfig]) -> list[SectionConfig]:
        ids = [s.id for s in sections]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"section ids must be unique; repeated: {', '.join(dupes)}")
        return sections


@dataclass(frozen=True, slots=True)
class LoadedProfile:
    """A validated profile, the file it came from, and its warnings."""

    config: ProfileConfig
    path: Path
    warnings: tuple[str, ...]
    lineage: tuple[str, ...] = ()
    """Its id, then the id of each profile it extends, nearest first (``desk``,
    ``nato``): templates are looked up in this order, so a child keeps its parent's."""
    doc: Located | None = None
    """The merged YAML with the file:line of every key, for later checks' messages."""

    @property
    def audiences(self) -> tuple[str, ...]:
        """The ids templates are looked up under: the lineage, or the id alone."""
        return self.lineage or (self.config.id,)


def unknown_topics(
    profile: ProfileConfig, topics: Iterable[str], doc: Located | None = None
) -> list[str]:
    """Warnings for topic ids the taxonomy does not define (they would never match).

    Args:
        profile: a validated profile.
        topics: the topic ids of the taxonomy (``configs/topics.yaml``).
        doc: the profile's YAML; when given, each message starts with its file:line.

    Returns:
        One message per unknown id, naming its key path and the closest known id.
    """
    known = sorted(topics)
    used: list[tuple[KeyPath, str]] = [(("topic_weights", t), t) for t in profile.topic_weights]
    for i, section in enumerate(profile.sections):
        used.extend((("sections", i, "topics"), t) for t in section.topics)
    messages = []
    for key, topic in used:
        if topic not in known:
            match = difflib.get_close_matches(topic, known, n=1, cutoff=0.6)
            hint = f" (did you mean `{match[0]}`?)" if match else ""
            where = doc.where(key) if doc is not None else f"profile {profile.id}"
            name = format_key(key)
            messages.append(printable(f"{where}: {name}: unknown topic '{topic}'{hint}"))
    return messages


def load_profile(spec: str, config_dirs: Sequence[Path], strict: bool = False) -> LoadedProfile:
    """Load a profile by id (any case: ``NATO`` is ``nato``) or by path, resolving
    ``extends``.

    Raises:
        ConfigError: unknown id (listing the available ones), bad YAML or schema.
    """
    resolved = resolve(spec, config_dirs, ProfileConfig.model_fields)
    data = resolved.doc.data
    if isinstance(data, dict):
        data.setdefault("id", resolved.path.stem)
    config, warnings = validate(ProfileConfig, resolved.doc, strict=strict)
    if strict and resolved.warnings:
        raise ConfigError("\n".join(resolved.warnings))
    lineage = tuple(dict.fromkeys((config.id, *resolved.lineage[1:])))
    return LoadedProfile(
        config=config,
        path=resolved.path,
        warnings=(*resolved.warnings, *warnings),
        lineage=lineage,
        doc=resolved.doc,
    )
