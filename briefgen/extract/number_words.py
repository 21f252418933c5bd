"""Number words, scales and unit tables shared by the quantity and time extractors."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from functools import lru_cache

_UNITS_WORDS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS_WORDS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]

#: Word numbers; values < 10 may follow a tens word ("twenty-five"), others may not.
NUMBER_WORDS: dict[str, int] = {w: i for i, w in enumerate(_UNITS_WORDS)}
NUMBER_WORDS.update({w: 20 + 10 * i for i, w in enumerate(_TENS_WORDS)})
NUMBER_WORDS.update({"a": 1, "an": 1})

#: Multipliers, including the newsroom abbreviations used after digits ("£5bn", "$9m").
SCALES: dict[str, float] = {
    "hundred": 1e2,
    "dozen": 12.0,
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
}

#: Distance units -> (canonical unit, kilometres per unit).
DISTANCE_UNITS: dict[str, tuple[str, float]] = {
    "mile": ("mile", 1.609344),
    "miles": ("mile", 1.609344),
    "mi": ("mile", 1.609344),
    "nautical mile": ("nautical mile", 1.852),
    "nautical miles": ("nautical mile", 1.852),
    "km": ("km", 1.0),
    "kms": ("km", 1.0),
    "kilometre": ("km", 1.0),
    "kilometres": ("km", 1.0),
    "kilometer": ("km", 1.0),
    "kilometers": ("km", 1.0),
    "metre": ("m", 0.001),
    "metres": ("m", 0.001),
    "meter": ("m", 0.001),
    "meters": ("m", 0.001),
    "foot": ("ft", 0.0003048),
    "feet": ("ft", 0.0003048),
    "ft": ("ft", 0.0003048),
    "yard": ("yd", 0.0009144),
    "yards": ("yd", 0.0009144),
    "yd": ("yd", 0.0009144),
}

#: Measures that are not distances in km terms (too small, or weights): kind "other".
OTHER_UNITS: dict[str, str] = {
    "cm": "cm",
    "centimetre": "cm",
    "centimetres": "cm",
    "centimeter": "cm",
    "centimeters": "cm",
    "mm": "mm",
    "millimetre": "mm",
    "millimetres": "mm",
    "millimeter": "mm",
    "millimeters": "mm",
    "kg": "kg",
    "kilogram": "kg",
    "kilograms": "kg",
    "kilogrammes": "kg",
    "tonne": "tonne",
    "tonnes": "tonne",
    "ton": "ton",
    "tons": "ton",
    "gigaton": "gigaton",
    "gigatons": "gigaton",
    "gigatonne": "gigaton",
    "gigatonnes": "gigaton",
    "barrel": "barrel",
    "barrels": "barrel",
    "litre": "litre",
    "litres": "litre",
    "liter": "litre",
    "liters": "litre",
}

#: Currency words and symbols -> ISO 4217 code (and the factor for minor units).
CURRENCIES: dict[str, tuple[str, float]] = {
    "$": ("USD", 1.0),
    "us$": ("USD", 1.0),
    "u.s.$": ("USD", 1.0),
    "c$": ("CAD", 1.0),
    "a$": ("AUD", 1.0),
    "hk$": ("HKD", 1.0),
    "£": ("GBP", 1.0),
    "€": ("EUR", 1.0),
    "¥": ("JPY", 1.0),
    "dollar": ("USD", 1.0),
    "dollars": ("USD", 1.0),
    "cent": ("USD", 0.01),
    "cents": ("USD", 0.01),
    "pound": ("GBP", 1.0),
    "pounds": ("GBP", 1.0),
    "pence": ("GBP", 0.01),
    "euro": ("EUR", 1.0),
    "euros": ("EUR", 1.0),
    "yuan": ("CNY", 1.0),
    "renminbi": ("CNY", 1.0),
    "yen": ("JPY", 1.0),
    "rouble": ("RUB", 1.0),
    "roubles": ("RUB", 1.0),
    "ruble": ("RUB", 1.0),
    "rubles": ("RUB", 1.0),
    "rupee": ("INR", 1.0),
    "rupees": ("INR", 1.0),
    "usd": ("USD", 1.0),
    "gbp": ("GBP", 1.0),
    "eur": ("EUR", 1.0),
    "cny": ("CNY", 1.0),
    "rub": ("RUB", 1.0),
    "jpy": ("JPY", 1.0),
}
#: A qualifier before "dollars" names another dollar ("Canadian dollars").
DOLLAR_QUALIFIERS: dict[str, str] = {
    "us": "USD",
    "u.s.": "USD",
    "american": "USD",
    "canadian": "CAD",
    "australian": "AUD",
    "hong kong": "HKD",
    "singapore": "SGD",
}

#: Duration units -> canonical singular unit.
DURATION_UNITS: dict[str, str] = {
    "second": "second",
    "seconds": "second",
    "minute": "minute",
    "minutes": "minute",
    "min": "minute",
    "mins": "minute",
    "hour": "hour",
    "hours": "hour",
    "hr": "hour",
    "hrs": "hour",
    "day": "day",
    "days": "day",
    "week": "week",
    "weeks": "week",
    "fortnight": "fortnight",
    "fortnights": "fortnight",
    "month": "month",
    "months": "month",
    "year": "year",
    "years": "year",
    "decade": "decade",
    "decades": "decade",
    "century": "century",
    "centuries": "century",
}


_WORD_BREAK = re.compile(r"[\s-]+")
_GLUED = re.compile(r"(\d+(?:\.\d+)?)([a-z]+)")
_DIGITS = re.compile(r"\d+(?:\.\d+)?")


def _number_tokens(text: str) -> Iterator[str]:
    for word in _WORD_BREAK.split(text.lower().replace(",", "")):
        # "5bn" / "160million" glue digits to a scale; split them apart.
        match = _GLUED.fullmatch(word)
        if match:
            yield match.group(1)
            yield match.group(2)
        elif word:
            yield word


MAX_NUMBER = 1e18
"""Largest value read as a number (a quintillion); above it, digits are just text."""


# Quantity extraction asks this of every token of every sentence, and most tokens
# repeat ("the", "said"): a cache makes it a dictionary lookup.
@lru_cache(maxsize=8192)
def parse_number(text: str) -> float | None:
    """Convert a number expression to its value.

    Args:
        text: Digits or words, optionally scaled, e.g. "1,000", "1.2 billion", "5bn",
            "twenty-five", "two hundred and fifty", "half a million".

    Returns:
        The value, or None when the text is not a well-formed cardinal number (this
        rejects ordinals such as "75th" or "third" and runs such as "three five") or
        is larger than :data:`MAX_NUMBER`.
    """
    total, current, last = 0.0, 0.0, "start"
    for tok in _number_tokens(text):
        if tok == "half" and last == "start":
            current, last = 0.5, "half"
        elif tok in ("a", "an") and last in ("start", "half"):
            current, last = current or 1.0, "unit"
        elif _DIGITS.fullmatch(tok) and last == "start":
            current, last = float(tok), "digits"
        elif tok in NUMBER_WORDS and tok not in ("a", "an"):
            value = NUMBER_WORDS[tok]
            ok = last in ("start", "scale") or (last == "tens" and value < 10)
            if not ok or last == "digits":
                return None
            current, last = current + value, "tens" if value >= 20 else "unit"
        elif tok in SCALES and last not in ("start", "half"):
            if SCALES[tok] < 1e3:
                current *= SCALES[tok]
            else:
                total, current = total + current * SCALES[tok], 0.0
            last = "scale"
        elif not (tok == "and" and last == "scale"):
            return None
    if last in ("start", "half"):
        return None
    number = total + current
    # a 400-digit "number" is float('inf') ("moved inf km", "value": Infinity in JSON);
    # nothing in the news is counted beyond 10**18, so such a run is text, not a number
    return number if math.isfinite(number) and number <= MAX_NUMBER else None
