"""Stage 3, analyze: the cleaned paragraphs of a document become anchored facts.

Each paragraph is parsed as its own spaCy Doc whose text is exactly
``document.text[p.start:p.end]``, so every offset is ``p.start`` + an offset in
that Doc and ``document.text[fact.start:fact.end] == fact.text`` always holds.
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from briefgen.extract.aliases import AliasTable
from briefgen.extract.attribution import attribute
from briefgen.extract.components import sentences
from briefgen.extract.quantities import extract_quantities
from briefgen.extract.time_expressions import extract_times
from briefgen.records import Document, Entity, Extraction, Fact, FactKind, Paragraph, TimeRef

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Span, Token

# Dependencies that open a subordinate clause (ClearNLP labels, as spaCy's English
# models use): adverbial clauses (incl. purpose "to combat ..." and participial
# "Founded in ..."), clausal noun modifiers and relative clauses.
SUBORDINATE_DEPS = frozenset({"advcl", "acl", "relcl"})
ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT"})
# lemmas that mark a sentence as background rather than news
CONTEXT_CUES = frozenset({"found", "establish", "history", "since", "long", "traditionally"})
CONTEXT_AGE_DAYS = 365
# spaCy needs ~3 MB per 1,000 characters of one Doc (and refuses more than
# nlp.max_length, 1,000,000): a long paragraph is parsed in pieces cut after a
# sentence end, and a batch holds at most BATCH_CHARS characters (longest piece x
# batch size), so memory stays bounded (~120 MB) while ordinary paragraphs still go
# in batches big enough to parse fast (batch 8 -> 40 on the corpus: ~15% faster).
MAX_PARSE_CHARS = 5_000
# A run this long without a sentence end is no sentence (news sentences are ~150
# characters; the longest in the dev corpus ~700): unpunctuated text, a transcript, a
# list.  Parsed whole it is one "sentence" whose parse and per-sentence walks cost
# the square of its length (1 MB of it took 7 minutes, 10x ordinary text), so it is
# parsed in fragments of MAX_RUN_CHARS / 2 to MAX_RUN_CHARS.  A fragment is over
# select.MAX_ITEM_CHARS (800), so one cut out of a run never becomes an item alone.
MAX_RUN_CHARS = 2_000
CUT_WINDOW = 100  # how far back from a fragment's end a space is looked for
BATCH_CHARS = 40_000
MAX_BATCH = 128
_SENTENCE_CUT = re.compile(r"[.!?…][\"'”’)\]]*\s+")


@dataclass(slots=True)
class _State:
    """What analysing one document carries from sentence to sentence."""

    speaker: str | None = None
    position: int = 0


def analyze(documents: list[Document], nlp: Language, aliases: AliasTable) -> list[Extraction]:
    """Extract facts from every document, parsing all paragraphs in one ``nlp.pipe`` run."""
    jobs = [
        (n, i, piece)
        for n, d in enumerate(documents)
        for i, p in enumerate(d.paragraphs)
        for piece in split_paragraph(d.text, p)
    ]
    texts = (documents[n].text[p.start : p.end] for n, _, p in jobs)
    parsed = nlp.pipe(texts, batch_size=batch_size(p.end - p.start for _, _, p in jobs))
    # keyed by position, not source id: two sources may share a file stem
    facts: list[list[Fact]] = [[] for _ in documents]
    states = [_State() for _ in documents]
    for (n, index, para), spacy_doc in zip(jobs, parsed, strict=True):
        for sent in sentences(spacy_doc):
            fact = _fact(documents[n], para.start, sent, states[n], aliases, paragraph=index)
            if fact is not None:
                facts[n].append(fact)
    return [
        Extraction(document=d, facts=tuple(_unique_ids(f)))
        for d, f in zip(documents, facts, strict=True)
    ]


def batch_size(lengths: Iterable[int]) -> int:
    """Pieces per ``nlp.pipe`` batch: as many as keep a batch within BATCH_CHARS."""
    longest = max(lengths, default=1)
    return max(1, min(MAX_BATCH, BATCH_CHARS // max(longest, 1)))


def split_paragraph(
    text: str, para: Paragraph, limit: int = MAX_PARSE_CHARS, run_limit: int = MAX_RUN_CHARS
) -> Iterator[Paragraph]:
    """``para`` in pieces of at most ``limit`` characters, cut after a sentence end
    (else at a space, else anywhere), each keeping the paragraph's line.  A run of
    more than ``run_limit`` characters without a sentence end comes in fragments of
    its own (:func:`_fragments`)."""
    start = para.start
    for run_start, run_end in _long_runs(text, para.start, para.end, run_limit):
        if run_start > start:
            yield from _pieces(text, replace(para, start=start, end=run_start), limit)
        yield from _fragments(text, replace(para, start=run_start, end=run_end), run_limit)
        start = run_end
    if start < para.end or start == para.start:
        yield from _pieces(text, replace(para, start=start), limit)


def _pieces(text: str, para: Paragraph, limit: int) -> Iterator[Paragraph]:
    start = para.start
    while para.end - start > limit:
        cut = _cut(text, start, start + limit)
        yield replace(para, start=start, end=cut)
        start = cut
    yield replace(para, start=start)


def _long_runs(text: str, start: int, end: int, limit: int) -> Iterator[tuple[int, int]]:
    """Stretches of ``text[start:end]`` over ``limit`` characters between sentence ends."""
    previous = start
    for match in _SENTENCE_CUT.finditer(text, start, end):
        if match.end() - previous > limit:
            yield previous, match.end()
        previous = match.end()
    if end - previous > limit:
        yield previous, end


def _fragments(text: str, run: Paragraph, limit: int) -> Iterator[Paragraph]:
    """``run`` in equal fragments of about ``limit`` characters or less, each cut at a
    space near its end (else at its end): equal, so that none, the last included (which
    ends as a sentence does), is short enough to stand as a brief item."""
    start = run.start
    count = -(-(run.end - run.start) // limit)
    for n in range(count - 1, 0, -1):
        target = start + (run.end - start) // (n + 1)
        space = text.rfind(" ", target - CUT_WINDOW, target)
        cut = space + 1 if space > start else target
        yield replace(run, start=start, end=cut)
        start = cut
    yield replace(run, start=start)


def _cut(text: str, start: int, stop: int) -> int:
    ends = [m.end() for m in _SENTENCE_CUT.finditer(text, start, stop)]
    if ends and ends[-1] > start:
        return ends[-1]
    space = text.rfind(" ", start + 1, stop)
    return space + 1 if space > start else stop


def _fact(
    doc: Document, base: int, sent: Span, state: _State, aliases: AliasTable, paragraph: int
) -> Fact | None:
    start, end = _trimmed(doc.text, base + sent.start_char, base + sent.end_char)
    text = doc.text[start:end]
    if not any(ch.isalpha() for ch in text):
        return None
    found = attribute(sent, state.speaker, aliases.canonical)
    if found.attribution is not None:
        state.speaker = found.attribution.speaker
    times = extract_times(sent, base, doc.source.published)
    kind: FactKind = (
        "quote"
        if found.has_quote and found.attribution
        else (
            "statement"
            if found.attribution
            else _event_or_context(sent, times, doc.source.published)
        )
    )
    state.position += 1
    return Fact(
        id=_fact_id(doc.source.id, text),
        doc=doc.source.id,
        start=start,
        end=end,
        text=text,
        kind=kind,
        position=state.position - 1,
        paragraph=paragraph,
        entities=tuple(_entities(sent, base, aliases)),
        times=times,
        quantities=extract_quantities(sent, base),
        attribution=found.attribution,
        lemmas=tuple(_lemmas(sent)),
        main_lemmas=tuple(_lemmas(main_clause(sent))),
    )


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _entities(sent: Span, base: int, aliases: AliasTable) -> Iterable[Entity]:
    for ent in sent.ents:
        if ent.label_ in ENTITY_LABELS:
            start = base + ent.start_char
            yield Entity(
                ent.text, ent.label_, aliases.canonical(ent.text), start, start + len(ent.text)
            )


def _lemmas(tokens: Iterable[Token]) -> Iterable[str]:
    for tok in tokens:
        if tok.is_alpha and not tok.is_stop:
            # one string per distinct lemma, not one per occurrence: facts are kept for
            # the whole run, and their lemmas were a sixth of their memory
            yield sys.intern(tok.lemma_.lower())


def main_clause(sent: Span) -> list[Token]:
    """The tokens of the sentence's main clause, in sentence order.

    That is the root and what hangs from it (subject, objects, complements, reported
    speech, coordinated main clauses), but not what a subordinate clause says: an
    adverbial clause (``advcl``: "Founded in 2001 ... to combat terrorism and promote
    border security, the SCO has grown"; "after migrants crossed"), a clause modifying
    a noun (``acl``: "photographs showing troops") or a relative clause (``relcl``:
    "the minister, who visited the border, announced tariffs").  Those background the
    main predication; the main clause states what the sentence is about.
    """
    keep: list[Token] = []
    todo = [sent.root]
    while todo:
        tok = todo.pop()
        keep.append(tok)
        todo.extend(child for child in tok.children if child.dep_ not in SUBORDINATE_DEPS)
    return sorted(keep, key=lambda t: t.i)


def _event_or_context(sent: Span, times: tuple[TimeRef, ...], published: date | None) -> FactKind:
    """Background sentences: definitions ("X is Y"), history, or only old dates."""
    root = sent.root
    if root.lemma_ == "be" and not times and root.tag_ in {"VBZ", "VBP"}:
        return "context"
    if any(tok.lemma_.lower() in CONTEXT_CUES and tok.i <= root.i for tok in sent):
        return "context"
    dated = [t for t in times if t.date is not None]
    if (
        published is not None
        and dated
        and all(_age_days(t, published) > CONTEXT_AGE_DAYS for t in dated)
    ):
        return "context"
    return "event"


def _age_days(time: TimeRef, published: date) -> int:
    assert time.date is not None
    return (published - date.fromisoformat(time.until or time.date)).days


def _fact_id(doc_id: str, text: str) -> str:
    # content-addressed, so an id survives reruns and edits elsewhere in the source
    digest = hashlib.sha1(" ".join(text.split()).encode("utf-8")).hexdigest()[:8]
    return f"{doc_id}-{digest}"


def _unique_ids(facts: list[Fact]) -> Iterable[Fact]:
    seen: dict[str, int] = {}
    for fact in facts:
        count = seen.get(fact.id, 0)
        seen[fact.id] = count + 1
        yield fact if count == 0 else replace(fact, id=f"{fact.id}-{count + 1}")
