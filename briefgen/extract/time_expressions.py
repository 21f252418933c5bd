"""Time expressions in a sentence, resolved to ISO dates against the publication date.

Candidates are spaCy DATE entities (plus a few TIME phrases such as "last night") and a
regex pass for explicit dates spaCy missed; :mod:`briefgen.extract.time_resolution`
resolves each one.
Amounts of time ("11 days") are durations (see ``briefgen.extract.quantities``), not time
references, and are never emitted here.
"""

from __future__ import annotations

import re
from datetime import date

from spacy.tokens import Doc, Span

from briefgen.extract.time_resolution import (
    DAY_OFFSETS,
    DAYS_BEFORE_RE,
    EXPLICIT_RE,
    FREQUENCY_WORDS,
    JUNK_CHARS,
    MONTH_ALTERNATION,
    TIME_WORD_RE,
    is_duration,
    normalise,
    resolve,
)
from briefgen.records import TimeRef

__all__ = ["extract_times", "is_duration", "resolve"]


def _doc_text(doc: Doc) -> str:
    """``doc.text``, joined once per Doc: spaCy rebuilds it from every token on each
    access, which made analysing a paragraph quadratic in its length."""
    text = doc.user_data.get("briefgen.text")
    if text is None:
        text = doc.user_data["briefgen.text"] = doc.text
    return str(text)


def _extend_days(sent: Span, start: int, end: int) -> int:
    """Pull day numbers spaCy left out back into a DATE that starts with a month."""
    if not re.match(rf"(?:{MONTH_ALTERNATION})\b", _doc_text(sent.doc)[start:end], re.IGNORECASE):
        return start
    window_start = max(sent.start_char, start - 20)
    match = DAYS_BEFORE_RE.search(_doc_text(sent.doc)[window_start:start])
    return window_start + match.start() if match else start


def _candidates(sent: Span) -> list[tuple[int, int]]:
    """Character spans (relative to the Doc) of the sentence's time expressions."""
    spans = [
        (_extend_days(sent, ent.start_char, ent.end_char), ent.end_char)
        for ent in sent.ents
        if ent.label_ == "DATE" or (ent.label_ == "TIME" and normalise(ent.text) in DAY_OFFSETS)
    ]
    taken = [(ent.start_char, ent.end_char) for ent in sent.ents] + spans
    for match in EXPLICIT_RE.finditer(sent.text):
        start, end = sent.start_char + match.start(), sent.start_char + match.end()
        # Skip text inside any entity: a DATE is already a candidate, and anything else
        # ("the July 4 Committee" as an ORG) is not a time reference.
        if all(end <= s or start >= e for s, e in taken):
            spans.append((start, end))
    return sorted(spans)


def _is_time_text(text: str) -> bool:
    """Filter spaCy DATE noise: ages, scores, frequencies, durations, stray words."""
    # Bare small numbers tagged DATE are ages or scores ("The prince, 20, ...").
    if re.fullmatch(r"\d{1,2}", text) or text.lower() in FREQUENCY_WORDS or is_duration(text):
        return False
    return bool(re.search(r"\d", text) or TIME_WORD_RE.search(text))


def _resolvable_end(text: str, start: int, end: int, published: date | None) -> int:
    """Cut trailing comma parts spaCy glued on ("July 19, 2024, weeks") if that helps."""
    if "," not in text or resolve(text, published)[0] is not None:
        return end
    cut = text.rfind(",")
    while cut > 0:
        if resolve(text[:cut], published)[0] is not None:
            return start + cut
        cut = text.rfind(",", 0, cut)
    return end


def _is_future(sent: Span, start: int, end: int) -> bool:
    """Whether the verb governing a time expression is in the future ("will", "shall")."""
    span = sent.doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    verb = span.root
    for _ in range(4):  # climb from "Thursday" via "on" to the verb it modifies
        if verb.pos_ in ("VERB", "AUX") or verb.head is verb:
            break
        verb = verb.head
    if verb.lower_ in ("will", "shall", "'ll"):
        return True
    auxes = [child.lower_ for child in verb.children if child.dep_ in ("aux", "auxpass")]
    # "is going to leave": the "going" is an auxiliary-like head with a "to" infinitive.
    return any(aux in ("will", "shall", "'ll", "wo") for aux in auxes) or (
        verb.head.lower_ == "going" and "to" in auxes
    )


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span past surrounding quotes, punctuation and spaces."""
    while start < end and text[start] in JUNK_CHARS:
        start += 1
    while end > start and text[end - 1] in JUNK_CHARS:
        end -= 1
    return start, end


def extract_times(sent: Span, base: int, published: date | None) -> tuple[TimeRef, ...]:
    """Find and resolve the time expressions in one sentence.

    Args:
        sent: A sentence span of a Doc whose text is ``source[base : base + len(doc.text)]``.
        base: Offset of the Doc's text in the source text.
        published: Publication date anchoring relative expressions; None leaves only
            absolute dates ("July 19, 2024", "February 2022", "2001") resolvable.

    Returns:
        Time references in text order, ``text == source[start:end]``.  Durations ("11
        days"), ages and frequencies ("daily") are skipped; vague expressions ("recent
        years") are kept with ``date=None``.
    """
    doc_text = _doc_text(sent.doc)
    refs: list[TimeRef] = []
    for raw_start, raw_end in _candidates(sent):
        start, end = _trim(doc_text, raw_start, raw_end)
        text = doc_text[start:end]
        if not _is_time_text(text):
            continue
        end = _resolvable_end(text, start, end, published)
        text = doc_text[start:end]
        first, until = resolve(text, published, _is_future(sent, start, end))
        refs.append(
            TimeRef(
                text=text,
                start=base + start,
                end=base + end,
                date=first.isoformat() if first else None,
                until=until.isoformat() if until else None,
            )
        )
    return tuple(refs)
