"""Who said it: find the speaker, speech verb and direct quote of one sentence.

Everything is read off spaCy's dependency parse, so "NATO and the EU have long accused
Belarus of ..." yields the whole conjoined subject and "It published ... and said ..."
lets the coordinated "said" inherit "It".  Decisions worth knowing:

* Only speech verbs in *main-clause* position count: the root, or a verb reached from it
  through ``conj`` / ``ccomp`` / ``parataxis`` (``ccomp`` because the small model often
  hangs the real main clause under a later verb).  A speech verb in a relative clause,
  a prepositional complement ("during what it said were exercises") or a temporal
  clause ("Markets fell after the bank said ...") covers only that subordinate clause,
  so the sentence is *not* attributed; the exceptions are "..., as X said." and "He went
  on to say ...".  "according to X" counts anywhere; nothing inside a quotation does.
* Pronoun speakers (it/he/she/they), and "the ministry" after a speaker whose name
  contains "ministry", resolve to ``previous_speaker`` when the caller has one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from spacy.tokens import Span, Token

from briefgen.records import Attribution

# fmt: off
# Verbs that always report speech or a claim, whatever their complement.
_ALWAYS_SPEECH = frozenset({
    "say", "accuse", "allege", "warn", "deny", "insist", "argue", "announce", "tell",
    "urge", "explain", "stress", "admit", "acknowledge", "predict", "vow", "pledge",
    "promise", "complain", "reply", "confess",
})
# Verbs that are speech only with reported content: "reported a profit", "added a goal",
# "claimed 300 lives" are events, "reported that ..." and "“...,” he added" are not.
_CONTENT_SPEECH = frozenset({
    "add", "report", "claim", "confirm", "state", "note", "write", "declare", "reveal",
})
# Phrasal speech verbs: lemma -> {particle or preposition: label}.  "called for a strike"
# and "dismissed the plan as desperate" are claims; "called a meeting" is not.
_PHRASAL_SPEECH = {
    "call": {"for": "call for", "on": "call on"},
    "dismiss": {"as": "dismiss"},
    "describe": {"as": "describe"},
}
# "He went on to say ...": verbs whose infinitive complement is still the main claim.
_ASPECT_VERBS = frozenset({"go", "continue", "proceed"})
# "will announce" / "may claim" report nothing yet.
_UNREALISED_MODALS = frozenset({"will", "shall", "may", "might", "can", "could", "must"})
# Dependency links a speech verb may sit under and still head the sentence's claim.
_MAIN_CLAUSE_DEPS = frozenset({"conj", "ccomp", "parataxis"})
# Clausal complements that carry reported content.
_CONTENT_DEPS = frozenset({"ccomp", "parataxis", "xcomp"})
# Sub-phrases dropped from a speaker noun phrase: who-clauses, participles, appositions.
_SPEAKER_CUT_DEPS = frozenset({"relcl", "acl", "appos", "advcl", "parataxis"})
_PRONOUNS = frozenset({"it", "he", "she", "they"})
# "the ministry said" after "Belarus' Ministry of Defense said" is the same speaker.
_ANAPHORIC_NOUNS = frozenset({
    "ministry", "government", "department", "agency", "company", "firm", "group",
    "organisation", "organization", "office", "alliance", "bloc", "military", "army",
    "council", "committee", "commission", "bank", "regulator", "union", "authority",
    "authorities", "spokesman", "spokeswoman", "spokesperson", "minister", "president",
})
# Containers in "according to a statement from X" / "according to X's report".
_DOCUMENT_NOUNS = frozenset({
    "statement", "report", "data", "figure", "survey", "poll", "study", "document",
    "release", "filing", "estimate", "analysis", "post", "letter", "interview",
})
# fmt: on
_ARTICLES = frozenset({"the", "a", "an"})
_OPEN_DOUBLE = "“«"
_CLOSE_DOUBLE = "”»"
# In a sentence nobody is said to speak, a quoted run shorter than this (and not ending
# in punctuation) is a scare quote: Russia calls it a “special military operation”.
_MIN_QUOTE_WORDS = 4
_SINGLE_OPEN = re.compile(r"(?<![^\s(\[—–:])[‘'](?=[^\W\d_])")
_SINGLE_CLOSE = re.compile(r"(?<=\S)[’'](?![^\W_])")
_SINGLE_DANGLING_CLOSE = re.compile(r"(?<=[,.!?])[’'](?=\s|$)")
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


@dataclass(frozen=True, slots=True)
class AttributionResult:
    """The attribution of one sentence, if any, and whether it quotes someone directly."""

    attribution: Attribution | None
    has_quote: bool  # the sentence contains a direct quotation


@dataclass(frozen=True, slots=True)
class _Candidate:
    depth: int  # dependency steps from the sentence root; shallower wins
    position: int
    verb: str
    speaker: Token


def attribute(
    sent: Span, previous_speaker: str | None, canonical: Callable[[str], str]
) -> AttributionResult:
    """Find who a sentence attributes its content to, from the dependency parse.

    Args:
        sent: one sentence of a parsed spaCy ``Doc``.
        previous_speaker: canonical speaker of the latest attributed sentence earlier in
            the same document; pronoun speakers ("it added") resolve to it.
        canonical: maps a speaker's noun-phrase text to its canonical name.

    Returns:
        The attribution (None when no main-clause speech verb or "according to" is
        found) and whether the sentence contains a direct quotation.  ``quote`` is the
        text between the quote marks, verbatim (inner punctuation kept); several quoted
        runs are joined with " … ".
    """
    spans = _quote_spans(sent.text)
    base = sent.start_char
    inside = [(base + s, base + e) for s, e in spans]
    candidates = [
        c
        for c in _candidates(sent, bool(spans))
        if not _in_spans(c.position, inside) and not _in_spans(c.speaker.idx, inside)
    ]
    quotes = [sent.text[s:e].strip() for s, e in spans]
    quotes = [q for q in quotes if _is_direct_quote(q, bool(candidates))]
    if not candidates:
        return AttributionResult(None, bool(quotes))
    best = min(candidates, key=lambda c: (c.depth, c.position))
    speaker = _speaker_name(best.speaker, previous_speaker, canonical)
    quote = " … ".join(quotes) if quotes else None
    return AttributionResult(Attribution(speaker, best.verb, quote), bool(quotes))


def _candidates(sent: Span, quoted: bool) -> list[_Candidate]:
    """Every speech verb or "according to" in the sentence that names a speaker."""
    found: list[_Candidate] = []
    for token in sent:
        if token.lower_ == "according":
            cand = _according_to(token)
        else:
            cand = _speech_verb(token, sent, quoted)
        if cand is not None:
            found.append(cand)
    return found


def _speech_verb(token: Token, sent: Span, quoted: bool) -> _Candidate | None:
    """A candidate for a main-clause speech verb with a recoverable subject, else None."""
    if token.pos_ not in ("VERB", "AUX") or token.dep_ in ("amod", "compound"):
        return None
    verb = _speech_lemma(token, quoted)
    if verb is None or _is_unrealised(token):
        return None
    depth = _main_clause_depth(token, sent)
    if depth is None:
        return None
    speaker = _subject(token, sent)
    if speaker is None:
        return None
    return _Candidate(depth, token.idx, verb, speaker)


def _speech_lemma(token: Token, quoted: bool) -> str | None:
    """The verb label ("say", "call for") if ``token`` reports speech here, else None."""
    lemma = token.lemma_.lower()
    if lemma in _ALWAYS_SPEECH:
        return lemma
    if lemma in _CONTENT_SPEECH:
        has_content = any(c.dep_ in _CONTENT_DEPS for c in token.children)
        # "“...,” it added." hangs the quote as ccomp, but a fragment may not.
        return lemma if has_content or quoted else None
    labels = _PHRASAL_SPEECH.get(lemma, {})
    for child in token.children:
        if child.dep_ in ("prep", "prt") and child.lower_ in labels:
            return labels[child.lower_]
    return None


def _is_unrealised(verb: Token) -> bool:
    """True for "The White House will announce its budget": a plan, not a statement."""
    return any(c.dep_ == "aux" and c.lemma_.lower() in _UNREALISED_MODALS for c in verb.children)


def _main_clause_depth(token: Token, sent: Span) -> int | None:
    """Steps from the sentence root through main-clause links, or None if subordinate."""
    depth = 0
    node = token
    while node.dep_ != "ROOT" and sent.start <= node.head.i < sent.end:
        if node.dep_ in _MAIN_CLAUSE_DEPS or _is_as_clause(node) or _is_aspectual(node):
            depth += 1
            node = node.head
        else:
            return None
    return depth


def _is_as_clause(verb: Token) -> bool:
    """True for a bare reporting clause "..., as analysts had warned." (no own object)."""
    if verb.dep_ != "advcl":
        return False
    children = list(verb.children)
    marked = any(c.dep_ == "mark" and c.lower_ == "as" for c in children)
    return marked and not any(c.dep_ in ("ccomp", "dobj", "xcomp") for c in children)


def _is_aspectual(verb: Token) -> bool:
    """True for the "say" of "He went on to say ..." (an xcomp of go/continue)."""
    return verb.dep_ == "xcomp" and verb.head.lemma_.lower() in _ASPECT_VERBS


def _subject(verb: Token, sent: Span) -> Token | None:
    """The speaker token: the subject, a passive's "by" agent, or a conjunct's subject."""
    deps = {c.dep_: c for c in verb.children}
    subject = deps.get("nsubj")
    if subject is not None and subject.lower_ not in ("who", "which", "that", "what"):
        return subject
    if "agent" in deps:
        return next((c for c in deps["agent"].children if c.dep_ == "pobj"), None)
    if deps.keys() & {"nsubjpass", "expl", "csubj"}:
        return None  # "It was announced that ..." names no speaker
    if verb.dep_ in ("conj", "xcomp") and sent.start <= verb.head.i < sent.end:
        # "It published ... and said ...", "He went on to say": the subject is shared.
        return _subject(verb.head, sent)
    return None


def _according_to(token: Token) -> _Candidate | None:
    """A candidate for "according to X"; X is the document's author when one is named."""
    to = next((c for c in token.children if c.lower_ == "to"), None)
    obj = None if to is None else next((c for c in to.children if c.dep_ == "pobj"), None)
    if obj is None:
        return None
    depth = len(list(token.ancestors))
    return _Candidate(depth, token.idx, "according to", _document_author(obj))


def _document_author(obj: Token) -> Token:
    """For "a statement from the ministry" or "the ministry's report", the ministry."""
    if obj.lemma_.lower() not in _DOCUMENT_NOUNS:
        return obj
    for child in obj.children:
        if child.dep_ == "poss" and child.pos_ != "PRON":
            return child
    for child in obj.children:
        if child.dep_ == "prep" and child.lower_ in ("from", "by", "of"):
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return pobj
    return obj


def _speaker_name(
    head: Token, previous_speaker: str | None, canonical: Callable[[str], str]
) -> str:
    """The speaker's canonical name; pronouns and "the ministry" resolve to the last one."""
    tokens = _speaker_tokens(_named_head(head))
    text = head.doc[tokens[0].i : tokens[-1].i + 1].text  # Doc.text would join the whole Doc
    words = [t.lower_ for t in tokens]
    if len(words) == 1 and words[0] in _PRONOUNS:
        # Nothing to resolve against: keep "it" as written.
        return previous_speaker if previous_speaker is not None else text
    if previous_speaker is not None and _is_anaphor(words, previous_speaker):
        return previous_speaker
    # "The Kremlin" -> "Kremlin", but "the organisers of the play" stays whole, with its
    # article lower-cased so the same speaker reads alike at and after a sentence start.
    if tokens[0].lower_ in _ARTICLES and len(tokens) > 1:
        if tokens[1].text[:1].isupper():
            text = text[tokens[1].idx - tokens[0].idx :]
        else:
            text = tokens[0].lower_ + text[len(tokens[0]) :]
    return canonical(text)


def _is_anaphor(words: list[str], previous_speaker: str) -> bool:
    """True for "the ministry" after "Belarus' Ministry of Defense" (never after a person)."""
    if len(words) != 2 or words[0] != "the" or words[1] not in _ANAPHORIC_NOUNS:
        return False
    return words[1] in previous_speaker.lower().split()


def _named_head(head: Token) -> Token:
    """Prefer the name in "The Shadow Secretary ..., Theresa May, said" over the title.

    A bare name ("John Smith, the defence minister") is kept; a common noun or "the ..."
    title gives way to a name in its (nested) apposition, unless bracketed: "(ERAA)".
    """
    if head.pos_ == "PROPN" and not any(c.dep_ == "det" for c in head.children):
        return head
    pending = [c for c in head.children if c.dep_ == "appos"]
    while pending:
        appos = pending.pop(0)
        edge = appos.left_edge
        if appos.pos_ == "PROPN" and "(" not in (edge.text, edge.nbor(-1).text):
            return appos
        pending.extend(c for c in appos.children if c.dep_ == "appos")
    return head


def _speaker_tokens(head: Token) -> list[Token]:
    """The contiguous noun phrase around ``head`` minus clauses and appositions."""
    cut: set[int] = set()
    for tok in head.subtree:
        if tok.i != head.i and tok.dep_ in _SPEAKER_CUT_DEPS:
            cut.update(t.i for t in tok.subtree)
    for child in head.rights:
        # "Lord Harrison, of the Lords committee, said": a parenthetical, not the name.
        if child.dep_ == "prep" and child.i > 0 and child.nbor(-1).text == ",":
            cut.update(t.i for t in child.subtree)
    keep = {t.i for t in head.subtree} - cut
    left = right = head.i
    while left - 1 in keep:
        left -= 1
    while right + 1 in keep:
        right += 1
    tokens = [head.doc[i] for i in range(left, right + 1)]
    # Edge punctuation is left over from cut appositions or quote marks.
    while len(tokens) > 1 and tokens[0].is_punct:
        tokens.pop(0)
    while len(tokens) > 1 and tokens[-1].is_punct:
        tokens.pop()
    return tokens


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of quoted material (inside the marks) in one sentence's text.

    Double marks (“ ” " « ») pair up in order; unmatched, an opening mark runs to the end
    and a closing one starts at the beginning, as spaCy splits long quotations.  Single
    marks go through ``_single_spans``, which tells them apart from apostrophes.
    """
    spans: list[tuple[int, int]] = []
    start: int | None = None
    for i, ch in enumerate(text):
        opening = ch in _OPEN_DOUBLE or (ch == '"' and start is None and _opens(text, i))
        closing = ch in _CLOSE_DOUBLE or (ch == '"' and not opening)
        if opening and start is None:
            start = i + 1
        elif closing:
            spans.append((0 if start is None else start, i))
            start = None
    if start is not None:
        spans.append((start, len(text)))
    return spans + _single_spans(text, spans)


def _opens(text: str, i: int) -> bool:
    """Whether a straight double quote at ``i`` opens a quotation (by its neighbours)."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if '"' in text[i + 1 :]:
        return True  # a later mark can close it: pair them in order
    return (before.isspace() or before in "([—–-") and not after.isspace()


def _single_spans(text: str, doubles: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans quoted with single marks (‘…’ or '…'), told apart from apostrophes.

    An opening mark starts a word (Belarus’ and China’s never open); a closing mark ends
    one and is not followed by a letter.  Unpaired, an opening mark that is curly or comes
    before a capital runs to the end, and a closing mark counts only after punctuation
    ("... era,’ he said"): apostrophes never follow a comma.
    """
    spans: list[tuple[int, int]] = []
    used = 0
    for match in _SINGLE_OPEN.finditer(text):
        if match.start() < used or _in_spans(match.start(), doubles):
            continue
        close = _SINGLE_CLOSE.search(text, match.end())
        if close is None:
            # ‘ never serves as an apostrophe, nor ' before a capital: the quotation
            # runs on past a sentence split.
            if match.group() == "‘" or text[match.end()].isupper():
                spans.append((match.end(), len(text)))
            break
        spans.append((match.end(), close.start()))
        used = close.end()
    if not spans and not doubles:
        dangling = _SINGLE_DANGLING_CLOSE.search(text)
        if dangling is not None:
            spans.append((0, dangling.start()))
    return spans


def _is_direct_quote(quote: str, attributed: bool) -> bool:
    """A quotation, not a title; beside a speech verb even one quoted word is one."""
    words = _WORD.findall(quote)
    if not words:
        return False
    if quote.rstrip()[-1:] in ".,!?…":
        return True
    # 'No More Mr Nasty' is a title: every word capitalised, nothing like a sentence.
    if all(w[0].isupper() or w[0].isdigit() for w in words):
        return False
    return attributed or len(words) >= _MIN_QUOTE_WORDS


def _in_spans(position: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in spans)
