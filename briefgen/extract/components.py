"""Two spaCy pipeline components for what news prose does to the stock English model.

* ``briefgen_spaced_ellipsis`` (before the parser): British papers elide words from a
  quotation with a spaced ellipsis, ". . .".  The parser reads its first full stop
  as a sentence end, so "'The language . . . rather resembles the verbal jousting of
  the Cold War era,' the spokesman said." became two facts and the quote lost its
  first half.  An ellipsis followed by a word that is not capitalised continues the
  sentence, so no sentence starts inside it or right after it.  Before a capital the
  parser still decides (". . . The next day" may begin a sentence).
* ``briefgen_place_pairs`` (after the recogniser): "Washington, D.C." is one place,
  but the recogniser tags "Washington" and "D.C." as two, and the brief listed two
  actors ("Washington · D.C").  A place followed by a comma and an abbreviated place
  (``D.C.``, ``N.Y.``, ``U.K.``) in the same sentence becomes one entity.

Both only set annotations spaCy already has (sentence starts, ``doc.ents``): every
span keeps its character offsets, so the offset contract is untouched.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from spacy.language import Language
from spacy.tokens import Span

if TYPE_CHECKING:
    from spacy.tokens import Doc

SPACED_ELLIPSIS = "briefgen_spaced_ellipsis"
PLACE_PAIRS = "briefgen_place_pairs"
MIN_DOTS = 3
# "D.C.", "D.C" (its last full stop taken as the sentence's), "N.Y.", "U.K."
_ABBREVIATED_PLACE = re.compile(r"^(?:[A-Z]\.){1,2}[A-Z]?\.?$")
_PLACES = frozenset({"GPE", "LOC"})


@Language.component(SPACED_ELLIPSIS)
def spaced_ellipsis(doc: Doc) -> Doc:
    """No sentence starts inside a spaced ellipsis, nor after one before lower case."""
    i = 0
    while i < len(doc):
        end = _dots_end(doc, i)
        if end - i < MIN_DOTS:
            i += 1
            continue
        for k in range(i + 1, end):
            doc[k].is_sent_start = False
        if end < len(doc) and not doc[end].text[:1].isupper():
            doc[end].is_sent_start = False
        i = end
    return doc


def _dots_end(doc: Doc, i: int) -> int:
    """Where the run of space-separated single full stops starting at ``i`` ends."""
    end = i
    while end < len(doc) and doc[end].text == "." and (end == i or doc[end - 1].whitespace_):
        end += 1
    return end


def sentences(doc: Doc) -> Iterator[Span]:
    """``doc.sents``, with a sentence the parser ended inside a spaced ellipsis joined
    to the next when that one goes on in lower case.

    The parser keeps a start :func:`spaced_ellipsis` marked as no start only when its
    own reading agrees: in '"we will not sign . . . a deal that hurts Britain," aides
    said' it still began a sentence at "a", and the fragment became a brief item.
    """
    pending: Span | None = None
    for sent in doc.sents:
        if pending is not None:
            sent = doc[pending.start : sent.end]
        if sent.end < len(doc) and _ends_in_ellipsis(sent) and doc[sent.end].text[:1].islower():
            pending = sent
            continue
        pending = None
        yield sent
    if pending is not None:
        yield pending


def _ends_in_ellipsis(sent: Span) -> bool:
    i = sent.end - 1
    while i > sent.start and sent.doc[i].text == ".":
        i -= 1
    return sent.end - 1 - i >= MIN_DOTS


@Language.component(PLACE_PAIRS)
def place_pairs(doc: Doc) -> Doc:
    """``Washington`` ``,`` ``D.C.`` as one place entity, "Washington, D.C."."""
    ents = list(doc.ents)
    merged: list[Span] = []
    i = 0
    while i < len(ents):
        ent = ents[i]
        nxt = ents[i + 1] if i + 1 < len(ents) else None
        if nxt is not None and _pair(doc, ent, nxt):
            merged.append(Span(doc, ent.start, nxt.end, label=ent.label_))
            i += 2
        else:
            merged.append(ent)
            i += 1
    if len(merged) != len(ents):
        doc.ents = merged
    return doc


def _pair(doc: Doc, place: Span, abbreviation: Span) -> bool:
    return (
        place.label_ in _PLACES
        and abbreviation.label_ in _PLACES
        and abbreviation.start == place.end + 1
        and doc[place.end].text == ","
        and bool(_ABBREVIATED_PLACE.match(abbreviation.text))
        and place.sent.start == abbreviation.sent.start
    )


def add_components(nlp: Language) -> Language:
    """``nlp`` with both components in place (once; loading is cached)."""
    if SPACED_ELLIPSIS not in nlp.pipe_names and "parser" in nlp.pipe_names:
        nlp.add_pipe(SPACED_ELLIPSIS, before="parser")
    if PLACE_PAIRS not in nlp.pipe_names and "ner" in nlp.pipe_names:
        nlp.add_pipe(PLACE_PAIRS, after="ner")
    return nlp
