"""Speaker names: variants of one speaker become one heading, a pronoun none.

The analysis names a speaker as the sentence does: "Prime Minister David Cameron",
"Mr Cameron", "Cameron"; "Belarus’ Ministry of Defense", "the Belarusian Ministry
of Defense"; once in a while "Its Secretary General Mr Rasmussen".  For headings:

* a leading article or possessive determiner goes ("the", "its", "their"…);
* leading titles ("Mr", "Prime Minister", "Secretary General"…) do not count when
  names are compared (they stay in the heading when the longest variant has them);
* two names match when every word of the shorter one matches a word of the longer,
  equal or one a prefix of the other of at least :data:`MIN_PREFIX` letters
  ("Belarus" / "Belarusian");
* a shorter name that matches one longer name only is that speaker; one that
  matches two ("Smith" / "John Smith", "Jane Smith") stays itself;
* a bare pronoun (he, she, it, they…) or a role in lower case ("officials",
  "several news agencies", "new information about…") is never a speaker heading:
  a heading names someone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

MIN_PREFIX = 5
PRONOUNS = frozenset(
    {"he", "she", "it", "they", "we", "i", "you", "this", "that", "these", "those"}
)
_LEADING = frozenset({"the", "a", "an", "its", "his", "her", "their", "our", "my"})
TITLES = frozenset(
    {
        "mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady", "prof", "professor",
        "president", "prime", "minister", "secretary", "general", "chancellor", "senator",
        "sen", "rep", "representative", "governor", "gov", "mayor", "king", "queen", "prince",
        "princess", "pope", "gen", "col", "colonel", "adm", "admiral", "lt", "capt", "captain",
        "sgt", "commander", "chief", "deputy", "vice", "foreign", "defence", "defense",
        "spokesman", "spokeswoman", "spokesperson", "ambassador", "judge", "justice",
    }
)  # fmt: skip
_FILLER = frozenset({"of", "and", "the", "for"})
# words that name a body, not a person: a title in front of one is part of the name
# ("Foreign Ministry"), and a name made of them alone ("the ministry") is too vague
# to stand for any longer one
INSTITUTIONS = frozenset(
    {
        "ministry", "office", "department", "agency", "council", "government", "army",
        "forces", "police", "service", "committee", "commission", "party", "union",
        "organization", "organisation", "bank", "court", "spokesman", "spokeswoman",
        "officials", "official", "authorities", "military", "navy", "embassy",
    }
)  # fmt: skip
_WORD = re.compile(r"[^\W_]+(?:[’'][^\W_]+)*")


def _words(name: str) -> list[str]:
    return [re.sub(r"[’']s?$", "", w) for w in _WORD.findall(name)]


def display(name: str) -> str:
    """``name`` without a leading article or possessive determiner before a name
    ("the Belarusian Ministry"; "the ministry" keeps its article)."""
    words = name.split()
    while len(words) > 1 and words[0].lower() in _LEADING and words[1][:1].isupper():
        words = words[1:]
    return " ".join(words)


def name_key(name: str) -> tuple[str, ...]:
    """The words that identify a speaker: lower-cased, titles and fillers left out
    (a name of titles only keeps them: "the President" is still someone)."""
    words = [w.lower() for w in _words(display(name))]
    core = [w for w in words if w not in TITLES and w not in _FILLER]
    if core and words[0] in TITLES and not set(core) & INSTITUTIONS:
        # titles count only in front of a name; "Ministry of Defense" keeps "defense"
        lead = next(i for i, w in enumerate(words) if w not in TITLES)
        words = words[lead:]
    return tuple(w for w in words if w not in _FILLER) or tuple(words)


def _word_match(a: str, b: str) -> bool:
    if a == b:
        return True
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) >= MIN_PREFIX and long.startswith(short)


def names_match(shorter: tuple[str, ...], longer: tuple[str, ...]) -> bool:
    """Whether every word of ``shorter`` matches a word of ``longer``."""
    if not shorter or set(shorter) <= INSTITUTIONS:
        return False
    return all(any(_word_match(w, x) for x in longer) for w in shorter)


def speaker_names(speakers: Sequence[str]) -> dict[str, str | None]:
    """Each speaker as given -> the heading it is shown under (None: no heading)."""
    variants = list(dict.fromkeys(speakers))
    keys = {v: name_key(v) for v in variants}
    # longest first; among equals, the first seen
    by_length = sorted(variants, key=lambda v: -len(keys[v]))
    heads: list[str] = []
    out: dict[str, str | None] = {}
    for variant in by_length:
        shown = display(variant)
        if shown.lower() in PRONOUNS or not shown[:1].isupper():
            out[variant] = None
            continue
        matching = [h for h in heads if names_match(keys[variant], keys[h])]
        if len(matching) == 1:
            out[variant] = out[matching[0]]
        else:
            heads.append(variant)
            out[variant] = display(variant)
    return out
