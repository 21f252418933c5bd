"""Amounts in a sentence: distances, durations, money, percentages and counts of things.

Lexical patterns (number + unit) are found with regexes over the sentence text, because
spaCy's QUANTITY/MONEY entities are inconsistent about hedges ("around 130 miles") and
often drop the currency symbol ("£" + "1,400").  Counts of things ("1,000 troops") need
the dependency parse to find the counted noun.  Every ``Quantity.text`` is the amount
expression only: leading hedges (around, some, about, more than...) are never included.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal

from spacy.tokens import Span, Token

from briefgen.extract.number_words import (
    CURRENCIES,
    DISTANCE_UNITS,
    DOLLAR_QUALIFIERS,
    DURATION_UNITS,
    NUMBER_WORDS,
    OTHER_UNITS,
    SCALES,
    parse_number,
)
from briefgen.records import Quantity

QuantityKind = Literal["distance", "duration", "count", "money", "percent", "other"]


def _alternation(words: list[str]) -> str:
    # Longest first so "nautical miles" wins over "miles" and "miles" over "mile".
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_WORD = _alternation(
    [
        *NUMBER_WORDS.keys() - {"a", "an"},
        "hundred",
        "thousand",
        "million",
        "billion",
        "trillion",
        "dozen",
    ]
)
_WORD_NUM = (
    rf"(?:(?:half\s+)?an?(?=\s+(?:hundred|thousand|million|billion|trillion|dozen)\b)|{_WORD})"
    rf"(?:(?:(?:(?<=hundred)|(?<=thousand))\s+and\s+|[\s-]+)(?:{_WORD})\b)*"
)
_DIGIT_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = r"(?:\s?(?:million|billion|trillion|thousand|bn|mn|tn|m|k)\b)"
#: A number in digits or words, optionally scaled ("1.2 billion", "5bn", "two hundred").
# Not preceded by a digit, a currency symbol, ":" (clock times) or "/" (dates).
NUMBER = rf"(?<![\w.,:/$£€¥-])(?:(?:{_DIGIT_NUM}){_SCALE}?|\b{_WORD_NUM}\b)"

_CURRENCY_SYMBOL = r"(?:US\$|U\.S\.\s?\$|C\$|A\$|HK\$|\$|£|€|¥)"
_CURRENCY_WORD = (
    r"(?:(?:U\.S\.|US|American|Canadian|Australian|Hong\s+Kong|Singapore)\s+)?"
    r"(?:dollars?|cents?|pounds?|pence|euros?|yuan|renminbi|yen|roubles?|rubles?|rupees?)\b"
    r"|(?:USD|GBP|EUR|CNY|RUB|JPY)\b"
)
_MONEY_RE = re.compile(
    rf"(?P<sym>{_CURRENCY_SYMBOL})\s?(?P<num>(?:{_DIGIT_NUM}){_SCALE}?)"
    rf"|(?P<num2>{NUMBER})[\s-](?P<cur>{_CURRENCY_WORD})",
    re.IGNORECASE,
)
_PERCENT_RE = re.compile(
    rf"(?P<num>{NUMBER})(?:\s?%|\s(?P<pp>percentage\s+points?)\b|\s?per\s?cent\b|\s?percent\b)",
    re.IGNORECASE,
)
_DISTANCE_RE = re.compile(
    rf"(?P<num>{NUMBER})[\s-]?(?P<square>(?:square|sq\.?)\s+)?"
    rf"(?P<unit>{_alternation(list(DISTANCE_UNITS))})\b"
    r"(?P<speed>\s+(?:per|an|a)\s+hour\b|/h\b)?",
    re.IGNORECASE,
)
_DURATION_RE = re.compile(
    rf"(?P<num>{NUMBER})[\s-]+(?P<unit>{_alternation(list(DURATION_UNITS))})\b"
    # Ages ("64-year-old", "six months old") and offsets ("two years ago") are not amounts
    # of time; the times extractor owns "ago".
    r"(?![\s-]+old\b|\s+ago\b)",
    re.IGNORECASE,
)
_OTHER_RE = re.compile(
    rf"(?P<num>{NUMBER})[\s-]?(?P<unit>{_alternation(list(OTHER_UNITS))})\b", re.IGNORECASE
)
_YEAR_RE = re.compile(r"1[89]\d\d|20\d\d")
#: "10.000" / "80.000": dots grouping thousands, as in translated wire copy.
_DOT_GROUPS_RE = re.compile(r"^\d{1,3}(?:\.\d{3})+(?=\D|$)")


def _amount(text: str) -> float | None:
    """``parse_number`` that also reads dot-grouped thousands ("10.500 citizens").

    Only used where a three-decimal fraction is implausible (counts, currency words,
    measures); amounts after a currency symbol keep decimals ("$1.2871").
    """
    return parse_number(_DOT_GROUPS_RE.sub(lambda m: m.group().replace(".", ","), text))


def _currency(sym: str | None, cur: str | None) -> tuple[str, float]:
    if sym:
        return CURRENCIES[re.sub(r"\s", "", sym).lower()]
    assert cur is not None
    words = cur.lower().split()
    code, factor = CURRENCIES[words[-1]]
    qualifier = " ".join(words[:-1])
    if qualifier and words[-1].startswith("dollar"):
        code = DOLLAR_QUALIFIERS.get(qualifier, code)
    return code, factor


Found = tuple[int, int, float, str, QuantityKind, float | None]


def _money(text: str) -> Iterator[Found]:
    for m in _MONEY_RE.finditer(text):
        value = parse_number(m.group("num")) if m.group("sym") else _amount(m.group("num2"))
        if value is None:
            continue
        code, factor = _currency(m.group("sym"), m.group("cur"))
        yield m.start(), m.end(), value * factor, code, "money", None


def _percent(text: str) -> Iterator[Found]:
    for m in _PERCENT_RE.finditer(text):
        value = parse_number(m.group("num"))
        if value is not None:
            unit = "percentage point" if m.group("pp") else "%"
            yield m.start(), m.end(), value, unit, "percent", None


def _distance(text: str) -> Iterator[Found]:
    for m in _DISTANCE_RE.finditer(text):
        value = _amount(m.group("num"))
        if value is None:
            continue
        unit, km = DISTANCE_UNITS[re.sub(r"\s+", " ", m.group("unit").lower())]
        if m.group("square"):  # an area, not a distance
            yield m.start(), m.end(), value, f"square {unit}", "other", None
        elif m.group("speed"):
            yield m.start(), m.end(), value, f"{unit} per hour", "other", None
        else:
            yield m.start("num"), m.end("unit"), value, unit, "distance", round(value * km, 1)


def _other(text: str) -> Iterator[Found]:
    for m in _OTHER_RE.finditer(text):
        value = _amount(m.group("num"))
        if value is not None:
            yield m.start(), m.end(), value, OTHER_UNITS[m.group("unit").lower()], "other", None


def _duration(text: str) -> Iterator[Found]:
    for m in _DURATION_RE.finditer(text):
        value = parse_number(m.group("num"))
        if value is not None:
            unit = DURATION_UNITS[m.group("unit").lower()]
            yield m.start(), m.end(), value, unit, "duration", None


#: Nouns that are units: their amounts belong to the regex passes (or are ages/offsets).
#: Fractions ("two thirds") are proportions, not counts of things.
_UNIT_NOUNS = frozenset(
    [
        *DISTANCE_UNITS,
        *DURATION_UNITS,
        *CURRENCIES,
        *OTHER_UNITS,
        "percent",
        "cent",
        "point",
        "points",
        "half",
        "halves",
        "third",
        "thirds",
        "quarter",
        "quarters",
        "fifth",
        "fifths",
        "tenth",
        "tenths",
    ]
)


def _is_number_part(tok: Token) -> bool:
    doc, nxt = tok.doc, tok.i + 1
    if tok.lower_ in ("a", "an"):
        # "a" counts only before a scale word ("a million people").
        return nxt < len(doc) and doc[nxt].lower_ in SCALES
    return tok.lower_ in SCALES or parse_number(tok.text) is not None


def _number_runs(sent: Span) -> Iterator[tuple[int, int]]:
    """Yield [start, end) token indices of maximal runs forming one number."""
    i = sent.start
    while i < sent.end:
        if not _is_number_part(sent.doc[i]) or sent.doc[i].lower_ in SCALES:
            i += 1
            continue
        j = i + 1
        while j < sent.end:
            tok = sent.doc[j]
            joiner = tok.text == "-" or (
                tok.lower_ == "and" and sent.doc[j - 1].lower_ in ("hundred", "thousand")
            )
            if not (
                _is_number_part(tok)
                or (joiner and j + 1 < sent.end and _is_number_part(sent.doc[j + 1]))
            ):
                break
            j += 1
        yield i, j
        i = j


def _counted_noun(sent: Span, start: int, end: int) -> Token | None:
    """The noun a number run counts: right after it, past at most two modifiers."""
    last = sent.doc[end - 1]
    for k in range(end, min(end + 3, sent.end)):
        tok = sent.doc[k]
        if tok.pos_ == "NOUN" and (last.head == tok or tok in last.ancestors):
            return tok
        if tok.pos_ not in ("ADJ", "NOUN", "PROPN") or tok.dep_ not in ("amod", "compound"):
            return None
    return None


def _counts(sent: Span) -> Iterator[Found]:
    offset = sent.start_char
    for start, end in _number_runs(sent):
        first, noun = sent.doc[start], _counted_noun(sent, start, end)
        if noun is None or noun.lower_ in _UNIT_NOUNS or noun.lemma_.lower() in _UNIT_NOUNS:
            continue
        if first.ent_type_ in ("ORDINAL", "TIME", "PERCENT", "MONEY"):
            continue
        # "One" is mostly a determiner ("one such article"), not a reported amount.
        if end - start == 1 and first.lower_ == "one":
            continue
        # A year or a day is a date ("the 2022 invasion", "2004 tax returns", "a Jan. 10
        # meeting") unless it sits right before a plural noun ("2000 troops").
        is_date = first.ent_type_ == "DATE" or _YEAR_RE.fullmatch(first.text)
        if end - start == 1 and is_date and (noun.tag_ != "NNS" or noun.i != end):
            continue
        value = _amount(sent.doc[start:end].text)
        if value is not None:
            text_end = noun.idx + len(noun.text) - offset
            yield first.idx - offset, text_end, value, noun.lemma_.lower(), "count", None


def extract_quantities(sent: Span, base: int) -> tuple[Quantity, ...]:
    """Find the amounts stated in one sentence.

    Args:
        sent: A sentence span of a Doc whose text is ``source[base : base + len(doc.text)]``.
        base: Offset of the Doc's text in the source text.

    Returns:
        Non-overlapping quantities in text order; ``text == source[start:end]``.  Distances
        carry ``si_value`` in km (1 decimal); years, dates, ordinals and clock times are
        never quantities.
    """
    text, offset = sent.text, base + sent.start_char
    found: list[Found] = []
    # Earlier passes win overlaps: "$5m" is money before "5m" could be anything else.
    for hits in (
        _money(text),
        _percent(text),
        _distance(text),
        _other(text),
        _duration(text),
        _counts(sent),
    ):
        for hit in hits:
            if all(hit[1] <= f[0] or hit[0] >= f[1] for f in found):
                found.append(hit)
    return tuple(
        Quantity(
            text=text[start:end],
            start=offset + start,
            end=offset + end,
            value=value,
            unit=unit,
            kind=kind,
            si_value=si,
            si_unit="km" if si is not None else None,
        )
        for start, end, value, unit, kind, si in sorted(found)
    )
