"""Where every line of a job's briefs came from: the records the compare page shows.

One :class:`Provenance` holds every audience's brief of one job (a column each, its
items worded as the brief words them, in pieces that tell the source's words from
the wording's) and every source text cut into stretches: front matter, furniture
the cleaner removed (with its rule), text between sentences, and each fact's
sentence with what happened to it for every audience (quoted in a block, standing
as evidence for another source's sentence, or left out with the selection's reason,
as ``--explain`` gives it). Offsets are the facts' own: a stretch of kind ``fact``
is exactly ``text[fact.start:fact.end]``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import count
from typing import Literal

from briefgen.config.profiles import ProfileConfig
from briefgen.records import Brief, BriefItem, Conflict, Extraction, Fact, Grade, Source
from briefgen.render import RenderOptions
from briefgen.render.explain import NOT_USED, left_out_reasons
from briefgen.render.templates import corroboration_label
from briefgen.render.wording import Piece, Wording, format_distance

Role = Literal["quoted", "evidence", "conflict"]
StretchKind = Literal["text", "front", "furniture", "fact"]
FactState = Literal["kept", "evidence", "conflict", "left-out"]


@dataclass(frozen=True, slots=True)
class Place:
    """One citation of an item (``S1 ¶2``) and the facts of the item found there."""

    label: str
    facts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ShownItem:
    """A brief line as its audience reads it, with the facts it came from."""

    id: str
    """Unique on the page: ``<audience>-<n>``."""
    pieces: tuple[Piece, ...]
    quote: str
    """The id of the quoted fact."""
    evidence: tuple[str, ...]
    places: tuple[Place, ...]
    speaker: str = ""
    """Named after the sentence when the brief names it (a quote that does not)."""
    grade: Grade | None = None
    corroboration: str = ""


@dataclass(frozen=True, slots=True)
class Block:
    """A titled part of one audience's brief (summary, a section, a speaker...)."""

    kind: Literal["summary", "section", "conflicts", "timeline", "perspective"]
    title: str
    items: tuple[ShownItem, ...]


@dataclass(frozen=True, slots=True)
class Column:
    """One audience's brief."""

    audience: str
    profile: ProfileConfig
    brief: Brief
    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class Use:
    """Where an audience used a fact."""

    audience: str
    item: str
    block: str
    role: Role


@dataclass(frozen=True, slots=True)
class Stretch:
    """A run of one source's text and what it is."""

    text: str
    kind: StretchKind
    fact: str = ""
    state: FactState | None = None
    by: tuple[str, ...] = ()
    """Audiences that use the fact (quoted or as evidence)."""
    note: str = ""
    """The cleaner's rule for furniture."""
    paragraph: int = 0


@dataclass(frozen=True, slots=True)
class SourceView:
    number: int
    source: Source
    reliability: str
    stretches: tuple[Stretch, ...]


@dataclass(frozen=True, slots=True)
class Provenance:
    """Everything the compare page shows."""

    title: str
    columns: tuple[Column, ...]
    sources: tuple[SourceView, ...]
    uses: dict[str, list[Use]]
    left_out: dict[str, dict[str, str]]
    """Fact id -> audience -> why the selection left it out."""


def provenance(briefs: Sequence[tuple[Brief, RenderOptions]]) -> Provenance:
    """The provenance of a job's briefs (one per audience, the same sources)."""
    columns = tuple(_column(brief, options) for brief, options in briefs)
    uses: dict[str, list[Use]] = {}
    for column in columns:
        for block in column.blocks:
            for item in block.items:
                for fact_id in item.evidence:
                    role: Role = "conflict" if block.kind == "conflicts" else "evidence"
                    role = "quoted" if fact_id == item.quote and role != "conflict" else role
                    uses.setdefault(fact_id, []).append(
                        Use(column.audience, item.id, block.title, role)
                    )
    left_out: dict[str, dict[str, str]] = {}
    for column in columns:
        reasons = left_out_reasons(column.brief)
        for fact in column.brief.facts:
            if not any(u.audience == column.audience for u in uses.get(fact.id, ())):
                reason = reasons.get(fact.id, NOT_USED)
                left_out.setdefault(fact.id, {})[column.audience] = reason
    first = briefs[0][0]
    sources = tuple(
        _source_view(n, extraction, first, uses)
        for n, extraction in enumerate(first.extractions, 1)
    )
    return Provenance(first.title, columns, sources, uses, left_out)


# --- the audiences' columns ---------------------------------------------------------------


def _column(brief: Brief, options: RenderOptions) -> Column:
    # one Wording for the column, in the built-in template's order: an acronym is
    # expanded at its first use in the brief, as the brief itself does
    profile = options.profile
    wording = Wording(profile.wording, options.glossary)
    ids = [s.id for s in brief.sources]
    counter = count(1)

    def shown(items: Sequence[BriefItem], speaker: bool = True) -> tuple[ShownItem, ...]:
        return tuple(
            _shown(f"{brief.audience}-{next(counter)}", item, wording, ids, profile, speaker)
            for item in items
        )

    blocks = [
        Block("summary", profile.summary.title, shown(brief.summary)),
        *(Block("section", s.title, shown(s.items)) for s in brief.sections),
    ]
    if brief.conflicts:
        conflicts = profile.conflicts.title
        units = profile.wording.units
        rows = tuple(
            _conflict_row(f"{brief.audience}-{next(counter)}", c, ids, units)
            for c in brief.conflicts
        )
        blocks.append(Block("conflicts", conflicts, rows))
    if brief.timeline:
        blocks.append(Block("timeline", profile.timeline.title, shown(brief.timeline)))
    for group in brief.perspectives:
        title = f"{profile.perspectives.title}: {group.speaker}"
        blocks.append(Block("perspective", title, shown(group.items, speaker=False)))
    return Column(brief.audience, profile, brief, tuple(b for b in blocks if b.items))


def _shown(
    item_id: str,
    item: BriefItem,
    wording: Wording,
    ids: list[str],
    profile: ProfileConfig,
    speaker: bool,
) -> ShownItem:
    fact = item.fact
    who = fact.attribution.speaker if fact.attribution else ""
    # the template's rule: a quote whose sentence does not name its speaker gets the name
    named = who and (who in item.text or who.replace("'", "’") in item.text)
    show_speaker = speaker and fact.kind == "quote" and who and not named
    return ShownItem(
        id=item_id,
        pieces=tuple(wording.pieces(fact, item.repairs)),
        quote=fact.id,
        evidence=item.facts,
        places=_places(item.evidence, ids),
        speaker=who if show_speaker else "",
        grade=item.grade if profile.grading.show else None,
        corroboration=corroboration_label(item, profile),
    )


def _places(facts: Sequence[Fact], ids: list[str]) -> tuple[Place, ...]:
    """``S1 ¶2`` for each place the facts are found, as the brief's citation lists them."""
    places: dict[str, list[str]] = {}
    for f in facts:
        places.setdefault(f"S{ids.index(f.doc) + 1}\u00a0¶{f.paragraph + 1}", []).append(f.id)
    return tuple(Place(label, tuple(found)) for label, found in places.items())


def _conflict_row(item_id: str, conflict: Conflict, ids: list[str], units: str) -> ShownItem:
    """A conflict as one line: the measure, then each report's figure in the audience's
    units (as the brief words it), the latest marked when not all are."""
    pieces = [Piece(f"{conflict.measure}: ")]
    marked = not all(r.latest for r in conflict.reports)
    for n, report in enumerate(conflict.reports):
        figure = report.figure
        shown = format_distance(figure, units)
        pieces.append(Piece("; " if n else ""))
        pieces.append(Piece(shown, "unit", figure.text) if shown != figure.text else Piece(shown))
        pieces.append(Piece(", latest report" if report.latest and marked else ""))
    facts = tuple(r.fact for r in conflict.reports)
    return ShownItem(
        item_id,
        tuple(p for p in pieces if p.text),
        facts[0].id,
        tuple(f.id for f in facts),
        _places(facts, ids),
    )


# --- the source texts ---------------------------------------------------------------------


def _source_view(
    number: int, extraction: Extraction, brief: Brief, uses: dict[str, list[Use]]
) -> SourceView:
    source = extraction.document.source
    letter = next((r[1] for r in brief.ratings if r[0] == source.id), "")
    stretches = tuple(_stretches(extraction, uses))
    return SourceView(number, source, letter, stretches)


def _stretches(extraction: Extraction, uses: dict[str, list[Use]]) -> Iterator[Stretch]:
    """The document's text, whole and in order, cut at its front matter, removed lines
    and facts (which never overlap: facts lie in the kept paragraphs)."""
    doc = extraction.document
    marks: list[tuple[int, int, Stretch]] = []
    if doc.body_start:
        marks.append((0, doc.body_start, Stretch(doc.text[: doc.body_start], "front")))
    for line in doc.removed:
        marks.append((line.start, line.end, Stretch(line.text, "furniture", note=line.reason)))
    for fact in extraction.facts:
        marks.append((fact.start, fact.end, _fact_stretch(fact, uses.get(fact.id, []))))
    pos = 0
    for start, end, stretch in sorted(marks, key=lambda m: (m[0], m[1])):
        if start < pos:  # never expected; a page must not repeat or garble the text
            continue
        if start > pos:
            yield Stretch(doc.text[pos:start], "text")
        yield stretch
        pos = end
    if pos < len(doc.text):
        yield Stretch(doc.text[pos:], "text")


def _fact_stretch(fact: Fact, uses: list[Use]) -> Stretch:
    by = tuple(dict.fromkeys(u.audience for u in uses))
    # what the sentence is on the page, the strongest use first: quoted by an
    # audience, then one report of a conflicting figure, then evidence of another line
    roles = {u.role for u in uses}
    state: FactState = "left-out"
    if "quoted" in roles:
        state = "kept"
    elif "conflict" in roles:
        state = "conflict"
    elif roles:
        state = "evidence"
    return Stretch(fact.text, "fact", fact.id, state, by, paragraph=fact.paragraph)
