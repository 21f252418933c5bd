"""Tests for briefgen.extract.quantities: amounts, their units and metric values."""

from __future__ import annotations

import pytest
from spacy.language import Language

from briefgen.extract.number_words import parse_number
from briefgen.extract.quantities import extract_quantities
from briefgen.records import Quantity
from tests.helpers import seed_body


def quantities(nlp: Language, text: str) -> list[Quantity]:
    doc = nlp(text)
    return [q for sent in doc.sents for q in extract_quantities(sent, 0)]


def by_text(found: list[Quantity]) -> dict[str, Quantity]:
    return {q.text: q for q in found}


def test_miles_are_normalised_to_km_and_hedges_excluded(nlp: Language) -> None:
    found = by_text(
        quantities(
            nlp, "The city is around 130 miles from the capital and some 40 miles from the border."
        )
    )
    assert set(found) == {"130 miles", "40 miles"}
    miles = found["130 miles"]
    assert (miles.kind, miles.value, miles.unit) == ("distance", 130.0, "mile")
    assert (miles.si_value, miles.si_unit) == (209.2, "km")
    assert found["40 miles"].si_value == 64.4


@pytest.mark.parametrize(
    ("sentence", "text", "unit", "value", "km"),
    [
        ("The convoy drove 25 km to the base.", "25 km", "km", 25.0, 25.0),
        ("The road runs twenty-five kilometres east.", "twenty-five kilometres", "km", 25.0, 25.0),
        ("The missile flew 1,600 kilometres.", "1,600 kilometres", "km", 1600.0, 1600.0),
        ("The wall is 500 metres long.", "500 metres", "m", 500.0, 0.5),
        ("The jet climbed 30,000 feet.", "30,000 feet", "ft", 30000.0, 9.1),
        ("They planned a 540-mile pipeline.", "540-mile", "mile", 540.0, 869.0),
    ],
)
def test_distances(
    nlp: Language, sentence: str, text: str, unit: str, value: float, km: float
) -> None:
    found = by_text(quantities(nlp, sentence))[text]
    assert (found.kind, found.unit, found.value, found.si_value, found.si_unit) == (
        "distance",
        unit,
        value,
        km,
        "km",
    )


def test_areas_and_speeds_are_not_distances(nlp: Language) -> None:
    found = by_text(
        quantities(nlp, "The fire burned 1,000 square miles as winds reached 70 miles per hour.")
    )
    assert found["1,000 square miles"].kind == "other"
    assert found["70 miles per hour"].kind == "other"
    assert all(q.si_value is None for q in found.values())


@pytest.mark.parametrize(
    ("sentence", "text", "unit", "value"),
    [
        ("The drills will last for 11 days.", "11 days", "day", 11.0),
        ("The exercise lasted three weeks.", "three weeks", "week", 3.0),
        ("The meeting ran for two hours.", "two hours", "hour", 2.0),
        ("Leaders attended a two-day summit.", "two-day", "day", 2.0),
    ],
)
def test_durations(nlp: Language, sentence: str, text: str, unit: str, value: float) -> None:
    found = by_text(quantities(nlp, sentence))[text]
    assert (found.kind, found.unit, found.value) == ("duration", unit, value)


@pytest.mark.parametrize(
    ("sentence", "text", "unit", "value"),
    [
        (
            "The bank lent 322 million U.S. dollars to the city.",
            "322 million U.S. dollars",
            "USD",
            322e6,
        ),
        ("The government will spend £5bn on roads.", "£5bn", "GBP", 5e9),
        ("The firm raised $1.2 billion last year.", "$1.2 billion", "USD", 1.2e9),
        (
            "The deficit is close to half a trillion dollars.",
            "half a trillion dollars",
            "USD",
            0.5e12,
        ),
        ("Fines rose to 250 euros.", "250 euros", "EUR", 250.0),
        ("The donation totalled 10.000 dollars.", "10.000 dollars", "USD", 10000.0),
    ],
)
def test_money(nlp: Language, sentence: str, text: str, unit: str, value: float) -> None:
    found = by_text(quantities(nlp, sentence))[text]
    assert (found.kind, found.unit) == ("money", unit)
    assert found.value == pytest.approx(value)


def test_currency_symbol_keeps_decimals(nlp: Language) -> None:
    found = by_text(quantities(nlp, "The dollar reached $1.2871 against the euro."))
    assert found["$1.2871"].value == pytest.approx(1.2871)


@pytest.mark.parametrize(
    ("sentence", "text", "unit", "value"),
    [
        ("Prices rose 5% in June.", "5%", "%", 5.0),
        ("Sales fell 5 per cent in June.", "5 per cent", "%", 5.0),
        ("Unemployment rose 12 percent.", "12 percent", "%", 12.0),
        ("Rates rose by 2.5 percentage points.", "2.5 percentage points", "percentage point", 2.5),
    ],
)
def test_percentages(nlp: Language, sentence: str, text: str, unit: str, value: float) -> None:
    found = by_text(quantities(nlp, sentence))[text]
    assert (found.kind, found.unit, found.value) == ("percent", unit, value)


@pytest.mark.parametrize(
    ("sentence", "text", "unit", "value"),
    [
        ("About 1,000 troops took part.", "1,000 troops", "troop", 1000.0),
        ("The armies of the two countries trained.", "two countries", "country", 2.0),
        (
            "They sent two hundred and fifty soldiers.",
            "two hundred and fifty soldiers",
            "soldier",
            250.0,
        ),
        ("Some 1.5 million people voted.", "1.5 million people", "people", 1.5e6),
        ("About 1,000 Chinese troops arrived.", "1,000 Chinese troops", "troop", 1000.0),
        ("The base houses 2000 troops.", "2000 troops", "troop", 2000.0),
    ],
)
def test_counts(nlp: Language, sentence: str, text: str, unit: str, value: float) -> None:
    found = by_text(quantities(nlp, sentence))[text]
    assert (found.kind, found.unit, found.value) == ("count", unit, value)


@pytest.mark.parametrize(
    "sentence",
    [
        "The group was founded in 2001 by China and Russia.",
        "The invasion began in February 2022.",
        "The 2022 invasion changed the region.",
        "They met on the eve of the alliance's 75th anniversary summit.",
        "Migrants came from third countries.",
        "The talks started at 10:30 on Monday.",
        "A 64-year-old man was arrested two years ago.",
        "The baby was six months old.",
        "The exercises took place just miles from the border.",
        "The council met at a Jan. 10 meeting.",
        "Two thirds of voters agreed.",
        "He wrote one such article.",
    ],
)
def test_non_quantities(nlp: Language, sentence: str) -> None:
    assert quantities(nlp, sentence) == []


def test_offsets_index_the_source_with_a_nonzero_base(nlp: Language) -> None:
    header = "title: Drills\npublished: 2024-07-08\n\n"
    body = (
        "Intro line.\nThe 1,000 troops drove 130 miles in 11 days and spent £5bn, "
        "up 5% on two countries' budgets."
    )
    source = header + body + "\n"
    doc = nlp(body)
    found = [q for sent in doc.sents for q in extract_quantities(sent, len(header))]
    assert {q.text for q in found} >= {"1,000 troops", "130 miles", "11 days", "£5bn", "5%"}
    for q in found:
        assert q.start > len(header)
        assert source[q.start : q.end] == q.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,000", 1000.0),
        ("1.2 billion", 1.2e9),
        ("5bn", 5e9),
        ("160million", 1.6e8),
        ("twenty-five", 25.0),
        ("two hundred and fifty", 250.0),
        ("a million", 1e6),
        ("half a trillion", 5e11),
        ("three thousand four hundred", 3400.0),
        ("75th", None),
        ("third", None),
        ("three five", None),
        ("and", None),
        ("", None),
    ],
)
def test_parse_number(text: str, expected: float | None) -> None:
    assert parse_number(text) == expected


def test_seed_article(nlp: Language) -> None:
    source = seed_body()
    base = 9
    doc = nlp(source)
    found = [q for sent in doc.sents for q in extract_quantities(sent, base)]
    assert all((" " * base + source)[q.start : q.end] == q.text for q in found)
    summary = {(q.text, q.kind, q.value, q.unit, q.si_value) for q in found}
    assert summary == {
        ("11 days", "duration", 11.0, "day", None),
        ("two countries", "count", 2.0, "country", None),
        ("130 miles", "distance", 130.0, "mile", 209.2),
        ("40 miles", "distance", 40.0, "mile", 64.4),
    }
