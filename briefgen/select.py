"""Stage 5, select: a profile picks, orders and groups facts into a :class:`Brief`.

Relevance = topic weights x topic scores + kind weight + salience weight x salience
+ figure and actor bonuses (:class:`Relevance`).  The summary and then each section
are filled by maximal marginal relevance (Carbonell & Goldstein 1998): the next item
is the fact with the best ``λ x relevance - (1 - λ) x similarity`` to what the brief
already holds, so a second item adds something new.  A fact more similar than
``profile.redundancy`` to one already chosen is never taken.  Every fact left out
keeps the reason, for ``--explain`` and the JSON ``excluded`` list.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from briefgen.config.base import StrictModel
from briefgen.config.profiles import Order, ProfileConfig, SectionConfig
from briefgen.grade import grade
from briefgen.merge import PublisherTable, Story, cosine, merge
from briefgen.records import (
    Brief,
    BriefItem,
    Excluded,
    Extraction,
    Fact,
    GlossaryEntry,
    Grade,
    Perspective,
    Repair,
    Section,
    Source,
)
from briefgen.render.wording import acronym_pattern
from briefgen.speakers import speaker_names
from briefgen.standalone import repairs

# A resolved date counts as a "date" figure only when it is news: within this many
# days of publication.  "Founded in 2001" is background, not timing.
TIMELY_DAYS = 31
MIN_SENTENCE_LEMMAS = 1  # "Troops arrived." is a sentence; the end punctuation is the test
# a "sentence" longer than this is a piece cut from unpunctuated text (the parser cuts
# at 5,000 characters) or a run-on list: not something a brief can quote as one line
MAX_ITEM_CHARS = 800
RELEVANCE_TOP = 3  # facts that make a source relevant: a few on-topic sentences suffice


class GlossaryTerm(StrictModel):
    """What one acronym stands for."""

    expansion: str
    """The words the acronym abbreviates, as written on first use."""
    definition: str = ""
    """One plain-language line for the glossary."""


class GlossaryConfig(StrictModel):
    """The acronym glossary (``configs/glossary.yaml``)."""

    terms: dict[str, GlossaryTerm]
    """Acronyms as written in text (case-sensitive) and what they stand for."""


def similarity(a: Fact, b: Fact) -> float:
    """Cosine similarity (0-1) of the content-lemma sets of two facts.

    Cosine rather than Jaccard: a short sentence that says nothing the long one
    does not is as redundant as its twin, whatever the long one adds.
    """
    return cosine(frozenset(a.lemmas), frozenset(b.lemmas))


@dataclass(frozen=True, slots=True)
class Relevance:
    """How much one profile wants each fact (not normalised)."""

    profile: ProfileConfig
    published: dict[str, date | None] = field(default_factory=dict)

    def __call__(self, fact: Fact) -> float:
        p = self.profile
        score = sum(p.topic_weights.get(t.topic, 0.0) * t.score for t in fact.topics)
        score += p.kind_weights.get(fact.kind, 0.0) + p.salience_weight * fact.salience
        figures: dict[str, float] = {str(k): v for k, v in p.figure_weights.items()}
        score += sum(figures.get(kind, 0.0) for kind in self.figure_kinds(fact))
        actors = {e.canonical for e in fact.entities}
        score += sum(p.entity_weights.get(name, 0.0) for name in actors)
        score += p.lead_weight * lead_prior(fact.position)
        return float(round(score, 4))

    def figure_kinds(self, fact: Fact) -> set[str]:
        """Kinds of figure the fact carries: distance, duration, count, money, date."""
        kinds: set[str] = {q.kind for q in fact.quantities}
        published = self.published.get(fact.doc)
        for t in fact.times:
            if t.date is not None and (
                published is None
                or abs((date.fromisoformat(t.until or t.date) - published).days) <= TIMELY_DAYS
            ):
                kinds.add("date")
        return kinds


def lead_prior(position: int) -> float:
    """Where news puts the event: the first sentence 1, the third 0.5, the tenth 1/6."""
    return 1.0 / (1.0 + position / 2.0)


def audience_relevance(facts: Sequence[Fact], profile: ProfileConfig) -> float:
    """How much ``facts`` hold for ``profile`` (0-1): the mean, over the three best
    facts, of their best score on the profile's ``relevance_topics`` (default: its
    positively weighted topics), each weighted by its share of the heaviest weight.
    A profile with no such topic wants anything (1.0)."""
    weights = {t: w for t, w in profile.topic_weights.items() if w > 0}
    if profile.relevance_topics:
        weights = {t: weights.get(t, 1.0) for t in profile.relevance_topics}
    if not weights:
        return 1.0
    heaviest = max(weights.values())
    matches = sorted(
        (max((weights.get(t.topic, 0.0) / heaviest * t.score for t in f.topics), default=0.0)
         for f in facts),
        reverse=True,
    )[:RELEVANCE_TOP]  # fmt: skip
    return round(sum(matches) / RELEVANCE_TOP, 3)


@dataclass(slots=True)
class _Picker:
    """Mutable bookkeeping while one brief is selected (never leaves this module)."""

    profile: ProfileConfig
    scores: dict[str, float]
    """Relevance of every fact."""
    normalised: dict[str, float] = field(default_factory=dict)
    """Relevance of the eligible facts scaled to 0-1, so λ weighs like against like."""
    chosen: list[Fact] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)
    # closest() is asked for every candidate on every pick; remembering how far down
    # `chosen` each fact was compared keeps selection linear in the number of facts
    nearest: dict[str, tuple[int, Fact | None, float]] = field(default_factory=dict)
    lemma_sets: dict[str, frozenset[str]] = field(default_factory=dict)
    conflicting: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """fact id -> facts of other sources that give one of its figures differently:
    the body shows one of them, the Conflicting reports block all."""
    previous: dict[str, Fact] = field(default_factory=dict)
    """fact id -> the sentence before it in its source (a referent's likely place)."""
    words_left: int = 1_000_000
    """What is left of the brief's word budget."""
    repaired: dict[str, tuple[Repair, ...]] = field(default_factory=dict)
    """Repairs of the chosen facts that open with a pronoun or connective."""

    def admit(self, eligible: Sequence[Fact]) -> None:
        """Scale the relevance of the facts that may be picked (min-max over them)."""
        values = [self.scores[f.id] for f in eligible]
        low, high = min(values, default=0.0), max(values, default=0.0)
        self.normalised = {
            f.id: (self.scores[f.id] - low) / (high - low) if high > low else 1.0 for f in eligible
        }

    def closest(self, fact: Fact) -> tuple[Fact | None, float]:
        """The chosen fact most similar to ``fact``, and that similarity."""
        checked, twin, best = self.nearest.get(fact.id, (0, None, 0.0))
        mine = self._lemmas(fact)
        for other in self.chosen[checked:]:
            sim = cosine(mine, self._lemmas(other))
            if sim > best:
                twin, best = other, sim
        self.nearest[fact.id] = (len(self.chosen), twin, best)
        return twin, best

    def _lemmas(self, fact: Fact) -> frozenset[str]:
        found = self.lemma_sets.get(fact.id)
        if found is None:
            found = self.lemma_sets[fact.id] = frozenset(fact.lemmas)
        return found

    def mmr(self, fact: Fact) -> float:
        lam = self.profile.mmr_lambda
        return lam * self.normalised[fact.id] - (1 - lam) * self.closest(fact)[1]

    def value(self, fact: Fact) -> float:
        """MMR per word: the MMR score, made non-negative, over length^r (Lin & Bilmes'
        budgeted greedy), so a long sentence has to earn its words."""
        gain = self.mmr(fact) + (1 - self.profile.mmr_lambda)
        return float(gain / words(fact) ** self.profile.budget.length_penalty)

    def pick(
        self,
        candidates: Iterable[Fact],
        limit: int,
        where: str,
        max_words: int | None = None,
        body: bool = True,
    ) -> list[Fact]:
        """Take up to ``limit`` facts by value per word within the word budget; record
        why the others were not taken. Outside the ``body`` (perspectives, timeline) a
        taken fact keeps the reason the body left it out."""
        if limit == 0 or max_words == 0:
            return []  # a block switched off has no opinion on the facts
        taken_ids = {f.id for f in self.chosen}
        pool = [f for f in candidates if f.id not in taken_ids]
        taken: list[Fact] = []
        budget = min(self.words_left, max_words if max_words is not None else self.words_left)
        while pool and len(taken) < limit:
            fits = [f for f in pool if words(f) <= budget]
            if not fits:
                break
            # max() keeps the first of equal scores: the pool is in source order
            best = max(fits, key=self.value)
            pool.remove(best)
            reason = self._refusal(best)
            if reason:
                self.reasons[best.id] = reason
                continue
            taken.append(best)
            self.chosen.append(best)
            if body:
                self.reasons.pop(best.id, None)
            budget -= words(best)
            self.words_left -= words(best)
        for fact in pool:
            # the last place that considered the fact gives the reason
            why = (
                f"over the word budget ({words(fact)} words, {budget} left)"
                if words(fact) > budget
                else f"not among the top {limit}"
            )
            self.reasons[fact.id] = (
                f"{why} in {where} (relevance {self.scores[fact.id]:.2f}, MMR {self.mmr(fact):.2f})"
            )
        return taken

    def _refusal(self, fact: Fact) -> str | None:
        """Why ``fact`` may not join the brief now, or None (and its repairs noted)."""
        rival = self.conflicting.get(fact.id, frozenset()) & {f.id for f in self.chosen}
        if rival:
            return f"gives a figure of {min(rival)} differently (both under conflicting reports)"
        twin, sim = self.closest(fact)
        if twin is not None and sim > self.profile.redundancy:
            return (
                f"repeats {twin.id} (similarity {sim:.2f} > redundancy {self.profile.redundancy:g})"
            )
        previous = self.previous.get(fact.id)
        fixes = repairs(fact, previous)
        if fixes is None:
            word = fact.text.lstrip("\"“‘'([ ").split(maxsplit=1)[0]
            return f"opens with '{word}' and its referent is not in the brief (no safe repair)"
        if fixes:
            self.repaired[fact.id] = fixes
        return None


def words(fact: Fact) -> int:
    return len(fact.text.split())


def select(
    extractions: Sequence[Extraction],
    profile: ProfileConfig,
    glossary: GlossaryConfig,
    today: date | None = None,
    story: Story | None = None,
    publishers: PublisherTable | None = None,
) -> Brief:
    """Build the brief of ``profile`` from the facts of ``extractions``.

    Args:
        extractions: the classified facts of one or more sources.
        profile: the audience profile.
        glossary: acronyms, for the glossary of profiles that want one.
        today: the brief's date (``Brief.generated``); None leaves it empty.
        story: what :func:`briefgen.merge.merge` made of ``extractions`` (merged
            here when not given; a job passes it once for all its audiences).
        publishers: the publisher table, for reliability grades (None: every source F).

    Returns:
        The brief: summary, sections, perspectives and glossary hold the chosen
        items; ``excluded`` gives every other fact with the reason it was left out.
        Of several sources, each item stands for every fact that reports the same
        thing (its evidence), and is chosen through its most informative one.
    """
    table = publishers or PublisherTable()
    story = story or merge(extractions, table)
    facts = [f for e in extractions for f in e.facts]
    published = {e.document.source.id: e.document.source.published for e in extractions}
    order = {e.document.source.id: n for n, e in enumerate(extractions)}
    relevance = Relevance(profile, published)
    scores = {f.id: relevance(f) for f in facts}
    several = len(extractions) > 1
    if several:
        _reward_story(scores, story, profile)
    picker = _Picker(
        profile,
        scores,
        conflicting=story.rivals,
        previous={b.id: a for e in extractions for a, b in itertools.pairwise(e.facts)},
        words_left=word_budget(extractions, profile),
    )
    superseded = story.superseded()
    quotes = [g.quote for g in story.groups]
    quotes.sort(key=lambda f: (order[f.doc], f.position))
    eligible = [f for f in quotes if _eligible(f, picker, superseded)]
    picker.admit(eligible)
    sources = {e.document.source.id: e.document.source for e in extractions}
    grades = {g.quote.id: grade(g.evidence, story, table, sources) for g in story.groups}
    make = _ItemMaker(story, several, order, scores, picker.repaired, grades)
    floor = profile.grading.min_credibility
    below = [f for f in eligible if grades[f.id].credibility > floor]
    for fact in below:
        picker.reasons[fact.id] = (
            f"graded {grades[fact.id].code}: credibility below the profile's floor ({floor})"
        )
    eligible = [f for f in eligible if grades[f.id].credibility <= floor]
    relevance_value = audience_relevance(facts, profile)
    relevant = relevance_value >= profile.min_relevance
    if not relevant:  # a short brief that says so: no confident summary of unrelated text
        eligible = []
        for fact in quotes:
            picker.reasons.setdefault(
                fact.id,
                f"the sources hold little for this audience (relevance {relevance_value:.2f} "
                f"< min_relevance {profile.min_relevance:g})",
            )
    summary_cfg = profile.summary
    in_summary = [f for f in eligible if f.kind in summary_cfg.kinds]
    summary = _summary(in_summary, picker)
    sections = tuple(_section(cfg, eligible, picker, make) for cfg in profile.sections)
    body = {f.id for f in picker.chosen}
    perspectives = _perspectives(quotes, picker, make) if relevant else ()
    timeline = _timeline(eligible, picker, make) if several else ()
    shown = [*picker.chosen, *(i.fact for p in perspectives for i in p.items)]
    shown += [i.fact for i in timeline]
    return Brief(
        audience=profile.id,
        title=_title(extractions),
        summary=make.items(summary, summary_cfg.order),
        sections=tuple(s for s in sections if s.items),
        perspectives=perspectives,
        glossary=_glossary(shown, glossary) if profile.wording.glossary else (),
        extractions=tuple(extractions),
        excluded=_excluded(facts, picker, body, perspectives, story, timeline),
        generated=today.isoformat() if today else "",
        conflicts=story.conflicts if several and profile.conflicts.enabled else (),
        timeline=timeline,
        origins=tuple(story.origins.items()) if several else (),
        relevance=relevance_value,
        relevant=relevant,
        ratings=tuple((s.id, table.reliability(s)[0], _family(table, s)) for s in sources.values()),
    )


def _family(table: PublisherTable, source: Source) -> str:
    """The publisher family as the table writes it (or the publisher itself)."""
    pub = table.lookup(source)
    return (pub.family or pub.name) if pub else (source.publisher or "")


def word_budget(extractions: Sequence[Extraction], profile: ProfileConfig) -> int:
    """The body's word budget: ``share`` of the sources' kept words, within the floor
    and the ceiling for one source or several."""
    cfg = profile.budget
    source_words = sum(len(f.text.split()) for e in extractions for f in e.facts)
    ceiling = cfg.max_words if len(extractions) <= 1 else cfg.max_words_merged
    return max(cfg.min_words, min(ceiling, round(cfg.share * source_words)))


def _reward_story(scores: dict[str, float], story: Story, profile: ProfileConfig) -> None:
    """Of several sources, what the story keeps coming back to matters most: each
    group's quote gains ``corroboration_weight`` x the share of the other origins that
    carry it, and ``centrality_weight`` x its centrality over the whole story."""
    others = story.origin_count - 1
    for n, group in enumerate(story.groups):
        bonus = profile.centrality_weight * (story.centrality[n] if story.centrality else 0.0)
        if others >= 1:
            carried = story.corroboration(group.evidence).publishers - 1
            bonus += profile.corroboration_weight * carried / others
        scores[group.quote.id] = round(scores[group.quote.id] + bonus, 4)


@dataclass(frozen=True, slots=True)
class _ItemMaker:
    """Brief items from chosen facts: evidence and corroboration from the story."""

    story: Story
    several: bool
    order: dict[str, int]
    scores: dict[str, float]
    repaired: dict[str, tuple[Repair, ...]]
    grades: dict[str, Grade]

    def item(self, fact: Fact) -> BriefItem:
        evidence = self.story.evidence(fact)
        fixes = self.repaired.get(fact.id, ())
        return BriefItem(
            text=" ".join(repaired_text(fact, fixes).split()),
            quote=fact,
            evidence=evidence,
            corroboration=self.story.corroboration(evidence) if self.several else None,
            repairs=fixes,
            grade=self.grades.get(fact.id),
        )

    def items(self, facts: Iterable[Fact], order: Order = "source") -> tuple[BriefItem, ...]:
        return tuple(self.item(f) for f in self.ordered(list(facts), order))

    def ordered(self, facts: list[Fact], order: Order) -> list[Fact]:
        # stable sorts with the source position as the tie-break: golden files stay put
        if order == "salience":
            return sorted(facts, key=lambda f: (-self.scores[f.id], self.place(f)))
        if order == "grade":
            return sorted(facts, key=lambda f: (*self._grade_key(f), self.place(f)))
        return sorted(facts, key=self.place)

    def _grade_key(self, fact: Fact) -> tuple[int, str]:
        found = self.grades.get(fact.id)
        return (found.credibility, found.reliability) if found else (6, "F")

    def place(self, fact: Fact) -> tuple[int, int]:
        """Where the story first tells it: the earliest report among its evidence."""
        return min((self.order[f.doc], f.position) for f in self.story.evidence(fact))


def _timeline(eligible: Sequence[Fact], picker: _Picker, make: _ItemMaker) -> tuple[BriefItem, ...]:
    """Dated events not already shown, in date order (each report once)."""
    cfg = picker.profile.timeline
    if not cfg.enabled or cfg.max_items == 0:
        return ()
    taken = {f.id for f in picker.chosen}
    dated = [
        (day, f)
        for f in eligible
        if f.id not in taken and f.kind in {"event", "statement"}
        for day in [_event_day(f)]
        if day is not None
    ]
    day = {f.id: d for d, f in dated}
    best = picker.pick([f for _, f in dated], cfg.max_items, "the timeline", body=False)
    best.sort(key=lambda f: (day[f.id], make.place(f)))
    return tuple(make.item(f) for f in best)


def repaired_text(fact: Fact, fixes: Sequence[Repair]) -> str:
    """The fact's sentence with each repair's span shown as ``[text]``."""
    text, shift = fact.text, fact.start
    for fix in sorted(fixes, key=lambda r: r.start, reverse=True):
        text = f"{text[: fix.start - shift]}[{fix.text}]{text[fix.end - shift :]}"
    return text


def _is_sentence(fact: Fact) -> bool:
    """A full sentence, not a dateline or a headline: ends as sentences do and has
    a few content words."""
    return len(set(fact.lemmas)) >= MIN_SENTENCE_LEMMAS and fact.text.rstrip()[-1:] in ".!?\"”’'"


def _event_day(fact: Fact) -> str | None:
    """The first resolved date of ``fact`` that names a day or a few (not a year)."""
    for t in fact.times:
        if t.date and (
            t.until is None or (date.fromisoformat(t.until) - date.fromisoformat(t.date)).days <= 7
        ):
            return t.date
    return None


def _excluded(
    facts: Sequence[Fact],
    picker: _Picker,
    used: set[str],
    perspectives: Sequence[Perspective],
    story: Story,
    timeline: Sequence[BriefItem],
) -> tuple[Excluded, ...]:
    """Every fact outside the summary and sections, with its reason.

    A statement shown only under Perspectives (or the timeline) is listed too (the
    brief's body does not hold it), with a note saying where it does appear; a fact
    another source's sentence stands for says which.
    """
    speakers = {i.fact.id: p.speaker for p in perspectives for i in p.items}
    speakers.update({i.fact.id: "timeline" for i in timeline})
    out = []
    for fact in facts:
        if fact.id in used:
            continue
        quote = story.groups[story.group_of[fact.id]].quote if fact.id in story.group_of else fact
        if quote.id != fact.id:
            where = "in the brief" if quote.id in used else "left out too"
            out.append(Excluded(fact.id, f"same report as {quote.id}, which is quoted ({where})"))
            continue
        reason = picker.reasons.get(fact.id) or _unplaced(fact)
        if fact.id in speakers:
            reason = f"shown only under perspectives ({speakers[fact.id]}); {reason}"
        out.append(Excluded(fact.id, reason))
    return tuple(out)


def _unplaced(fact: Fact) -> str:
    topics = ", ".join(f"{t.topic} {t.score:g}" for t in fact.topics[:3]) or "none"
    return f"no section of this profile selects it (kind '{fact.kind}'; topics {topics})"


def _eligible(
    fact: Fact, picker: _Picker, superseded: set[str] | frozenset[str] = frozenset()
) -> bool:
    p = picker.profile
    if not _is_sentence(fact):
        picker.reasons[fact.id] = (
            "not a sentence (a headline, caption, subheading or date line): no brief item"
        )
        return False
    if len(fact.text) > MAX_ITEM_CHARS:
        picker.reasons[fact.id] = (
            f"{len(fact.text)} characters: too long to stand as one sentence of a brief"
        )
        return False
    if fact.id in superseded:
        picker.reasons[fact.id] = (
            "a later report gives its figure differently (see conflicting reports)"
        )
        return False
    if fact.kind in p.drop_kinds:
        picker.reasons[fact.id] = f"kind '{fact.kind}' is dropped by this profile"
        return False
    score = picker.scores[fact.id]
    if score < p.min_score:
        picker.reasons[fact.id] = f"relevance {score:.2f} is below min_score {p.min_score:g}"
        return False
    return True


def _summary(candidates: list[Fact], picker: _Picker) -> list[Fact]:
    """The summary: with ``lead``, a source's first sentence first (news puts the event
    there), then the rest by value per word."""
    cfg = picker.profile.summary
    first: list[Fact] = []
    if cfg.lead and cfg.max_items > 0:
        leads = [f for f in candidates if f.position == 0]
        first = picker.pick(leads, 1, "the summary (its lead)", cfg.max_words)
    budget = None if cfg.max_words is None else cfg.max_words - sum(words(f) for f in first)
    rest = picker.pick(candidates, cfg.max_items - len(first), "the summary", budget)
    return [*first, *rest]


def _section(
    cfg: SectionConfig, eligible: list[Fact], picker: _Picker, make: _ItemMaker
) -> Section:
    def matches(f: Fact) -> bool:
        best = max((f.topic_score(t) for t in cfg.topics), default=0.0)
        on_topic = not cfg.topics or best >= max(cfg.min_topic_score, 1e-9)
        return on_topic and (not cfg.kinds or f.kind in cfg.kinds)

    picked = picker.pick(
        filter(matches, eligible), cfg.max_items, f"section '{cfg.id}'", cfg.max_words
    )
    return Section(cfg.id, cfg.title, make.items(picked, cfg.order))


def _perspectives(
    facts: Sequence[Fact], picker: _Picker, make: _ItemMaker
) -> tuple[Perspective, ...]:
    """Each speaker's most relevant eligible statements, speakers by first appearance.

    Name variants of one speaker ("David Cameron", "Mr Cameron", "Cameron") are one
    speaker, within and across sources (:func:`briefgen.speakers.speaker_names`);
    a pronoun is never a speaker heading.
    """
    if not picker.profile.perspectives.enabled:
        return ()
    shown = {f.id for f in picker.chosen}  # a statement already in the body is not repeated
    said = [
        f
        for f in facts
        if f.attribution is not None and f.id in picker.normalised and f.id not in shown
    ]
    names = speaker_names([f.attribution.speaker for f in said if f.attribution])
    groups: dict[str, list[Fact]] = {}
    for fact in said:
        assert fact.attribution is not None
        name = names.get(fact.attribution.speaker)
        if name is not None:
            groups.setdefault(name, []).append(fact)
    cfg = picker.profile.perspectives
    ranked = sorted(groups, key=lambda s: -max(picker.scores[f.id] for f in groups[s]))
    chosen: dict[str, list[Fact]] = {}
    budget = cfg.max_words
    for speaker in ranked[: cfg.max_speakers]:
        where = f"perspectives ({speaker})"
        best = picker.pick(groups[speaker], cfg.max_per_speaker, where, budget, body=False)
        if best:
            chosen[speaker] = best
            budget = None if budget is None else budget - sum(words(f) for f in best)
    return tuple(
        Perspective(speaker, make.items(chosen[speaker])) for speaker in groups if speaker in chosen
    )


def _glossary(facts: Sequence[Fact], glossary: GlossaryConfig) -> tuple[GlossaryEntry, ...]:
    """The acronyms the shown facts use, alphabetically."""
    text = " ".join(f.text for f in facts)
    return tuple(
        GlossaryEntry(term, t.expansion, t.definition)
        for term, t in sorted(glossary.terms.items())
        if acronym_pattern(term).search(text)
    )


def _title(extractions: Sequence[Extraction]) -> str:
    for e in extractions:
        if e.document.source.title:
            return e.document.source.title
    if not extractions:
        return "Brief"
    # no headline anywhere: the first file's name as the user wrote it, never the
    # made-unique output folder name ("doc1-2")
    path = extractions[0].document.source.path
    return "stdin" if path == "-" else Path(path).stem or extractions[0].document.source.id
