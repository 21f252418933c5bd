"""Sentences that stand alone: repair an opening pronoun or connective, as editors do.

A brief item is read on its own, so "It published a series of photographs…" (who?)
or "But the ministry said…" (but what?) needs its referent.  The analysis often
knows it; the repair shows it as a bracketed insertion over the exact source span
(a :class:`~briefgen.records.Repair`), so provenance stays exact.  The rules, in
order:

1. **A leading connective** ("But", "However,", "And", "Meanwhile,"…) is dropped and
   the next letter capitalised in brackets: "[T]he ministry said…".  Then the rest
   is checked again ("But he adds" -> rule 2).
2. **A pronoun that is the speaker** ("She said…", "He added:", or "It published …
   and said …", where the attribution resolved the pronoun to someone the sentence
   never names) is replaced by that speaker: "[Ms Hewitt] said…".
3. **"He"/"She"/"His"/"Her"** (never expletive, unlike "it") take the one person the
   previous sentence of the same source names (its speaker, or its only PERSON
   entity): "[Mr Howard’s] comments…".  Two candidates: no repair.

Anything else that opens with a pronoun or demonstrative ("It would mean…", "This
move…", "They were jailed…") has no safe repair, and selection leaves it out: even
next to the sentence before it, a bullet is read on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefgen.records import Fact, Repair

CONNECTIVES = frozenset(
    {
        "but", "however", "and", "also", "meanwhile", "yet", "so", "still", "instead",
        "moreover", "furthermore", "nevertheless", "nonetheless", "therefore", "thus",
        "besides", "additionally", "likewise", "similarly", "otherwise", "indeed", "or",
        "nor", "then", "hence", "consequently",
    }
)  # fmt: skip
PERSONAL = frozenset({"he", "she"})
POSSESSIVE = frozenset({"his", "her"})
# not "we"/"I": first person in news is quoted speech, shown with its speaker
PRONOUNS = frozenset({"it", "they", "its", "their", "them", *PERSONAL, *POSSESSIVE})
DEMONSTRATIVES = frozenset({"this", "that", "these", "those", "such"})
OPENERS = CONNECTIVES | PRONOUNS | DEMONSTRATIVES
SPEECH = re.compile(
    r"(?:also |later |then |further |previously |earlier )?"
    r"(?:said|says|say|added|adds|told|tells|stated|states|warned|warns|argued|argues|"
    r"claimed|claims|insisted|insists|explained|explains|wrote|writes|noted|notes|"
    r"replied|replies|continued|continues|went on)\b"
)
_WORD = re.compile(r"[A-Za-z]+")  # "It's" opens with "It"
_LEAD = re.compile(r"[\"“‘'(\[\s]*")


@dataclass(frozen=True, slots=True)
class Opening:
    """The first word of a sentence (after opening quotes), with its offsets in the
    fact's text and the separator after it (", " after "However")."""

    word: str
    start: int
    end: int
    rest: int
    """Where the next word starts."""


def opening(text: str, at: int = 0) -> Opening | None:
    """The first word of ``text`` from ``at``, if it is an opener briefgen knows."""
    lead = _LEAD.match(text, at)
    start = lead.end() if lead else at
    match = _WORD.match(text, start)
    if match is None or match.group().lower() not in OPENERS:
        return None
    rest = re.compile(r"[,;]?\s+").match(text, match.end())
    return Opening(match.group().lower(), start, match.end(), rest.end() if rest else match.end())


def repairs(fact: Fact, previous: Fact | None) -> tuple[Repair, ...] | None:
    """The repairs that make ``fact`` stand alone: ``()`` when it needs none, None
    when it needs one and none is safe."""
    first = opening(fact.text)
    if first is None:
        return ()
    if first.word in CONNECTIVES:
        return _after_connective(fact, first, previous)
    referent = _referent(fact, first, previous)
    if referent is None:
        return None
    return (Repair(fact.start + first.start, fact.start + first.end, referent),)


def _after_connective(
    fact: Fact, first: Opening, previous: Fact | None
) -> tuple[Repair, ...] | None:
    text = fact.text
    second = opening(text, first.rest)
    if second is not None and second.word in CONNECTIVES:
        return None  # "And yet…": leave it to the sentence before
    if second is not None:
        referent = _referent(fact, second, previous)
        if referent is None:
            return None
        return (Repair(fact.start + first.start, fact.start + second.end, referent),)
    if first.rest >= len(text) or not text[first.rest].isalpha():
        return None
    # "But the ministry" -> "[T]he ministry": the connective goes, the capital shows it
    return (
        Repair(fact.start + first.start, fact.start + first.rest + 1, text[first.rest].upper()),
    )


def _referent(fact: Fact, first: Opening, previous: Fact | None) -> str | None:
    speaker = fact.attribution.speaker if fact.attribution else None
    # the pronoun is the speaker when a speech verb follows it, or when the attribution
    # named someone the sentence itself never names: it resolved the opening pronoun
    # ("It published … and said …")
    if (
        first.word not in POSSESSIVE
        and speaker
        and _is_name(speaker)
        and (SPEECH.match(fact.text, first.rest) or _fold(speaker) not in _fold(fact.text))
    ):
        return _as_written(speaker, previous)
    if first.word in PERSONAL | POSSESSIVE:
        person = _one_person(previous)
        if person is not None:
            return _possessive(person) if first.word in POSSESSIVE else person
    return None


def _as_written(name: str, previous: Fact | None) -> str:
    """``name`` as the source spells it in the sentence before (its curly apostrophe,
    its capitals), when it is there; the analysis normalises names."""
    if previous is not None:
        at = _fold(previous.text).find(_fold(name))
        if at >= 0:
            return previous.text[at : at + len(name)]
    return name


def _fold(text: str) -> str:
    return text.replace("’", "'").lower()


def _one_person(previous: Fact | None) -> str | None:
    if previous is None:
        return None
    names = {e.canonical: e.text for e in previous.entities if e.label == "PERSON"}
    said = previous.attribution.speaker if previous.attribution else None
    if said and _is_name(said) and not any(c in said or said in c for c in names):
        names[said] = said
    return next(iter(names.values())) if len(names) == 1 else None


def _is_name(speaker: str) -> bool:
    return speaker[:1].isupper() and speaker.lower() not in OPENERS


def _possessive(name: str) -> str:
    return f"{name}’" if name.endswith("s") else f"{name}’s"
