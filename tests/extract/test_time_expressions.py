"""Tests for briefgen.extract.time_expressions: finding and resolving time expressions."""

from __future__ import annotations

from datetime import date

import pytest
from spacy.language import Language

from briefgen.extract.time_expressions import extract_times, is_duration, resolve
from briefgen.records import TimeRef
from tests.helpers import seed_body

MONDAY = date(2024, 7, 8)


def times(nlp: Language, text: str, published: date | None = MONDAY) -> list[TimeRef]:
    doc = nlp(text)
    return [ref for sent in doc.sents for ref in extract_times(sent, 0, published)]


def by_text(refs: list[TimeRef]) -> dict[str, tuple[str | None, str | None]]:
    return {ref.text: (ref.date, ref.until) for ref in refs}


def test_weekday_opening_a_forward_range_is_the_publication_day(nlp: Language) -> None:
    refs = times(nlp, "The drills will last for 11 days, from Monday to July 19.")
    ranges = [r for r in refs if "July 19" in r.text]
    assert len(ranges) == 1
    assert ranges[0].text.endswith("Monday to July 19")
    assert (ranges[0].date, ranges[0].until) == ("2024-07-08", "2024-07-19")


def test_range_start_weekday_is_next_occurrence_not_last_week() -> None:
    # Published on a Wednesday: "from Friday" is two days later, not five days earlier.
    assert resolve("Friday to July 19", date(2024, 7, 10)) == (date(2024, 7, 12), date(2024, 7, 19))


@pytest.mark.parametrize(
    ("sentence", "text", "expected"),
    [
        ("The ministry said on Sunday that the drills began.", "Sunday", "2024-07-07"),
        ("The country joined the bloc on Thursday.", "Thursday", "2024-07-04"),
        ("The troops arrived on Monday.", "Monday", "2024-07-08"),
    ],
)
def test_bare_weekday_in_past_narrative_is_latest_on_or_before_publication(
    nlp: Language, sentence: str, text: str, expected: str
) -> None:
    assert by_text(times(nlp, sentence))[text] == (expected, None)


def test_weekday_in_future_tense_looks_ahead(nlp: Language) -> None:
    assert by_text(times(nlp, "The leaders will meet on Thursday."))["Thursday"] == (
        "2024-07-11",
        None,
    )


def test_future_tense_weekend_and_month_look_ahead(nlp: Language) -> None:
    refs = by_text(times(nlp, "More troops will arrive this weekend."))
    assert refs["this weekend"] == ("2024-07-13", "2024-07-14")
    assert by_text(times(nlp, "The summit will be held in December."))["December"] == (
        "2024-12-01",
        "2024-12-31",
    )
    assert by_text(times(nlp, "The summit was held in December."))["December"] == (
        "2023-12-01",
        "2023-12-31",
    )


def test_regex_pass_finds_dates_spacy_missed(nlp: Language) -> None:
    doc = nlp("The report, dated July 19, 2024, was read on Monday and filed 2024-07-01.")
    doc.ents = []  # simulate the small model missing every date
    refs = by_text([r for sent in doc.sents for r in extract_times(sent, 0, MONDAY)])
    assert refs == {
        "July 19, 2024": ("2024-07-19", None),
        "Monday": ("2024-07-08", None),
        "2024-07-01": ("2024-07-01", None),
    }


def test_regex_pass_ignores_lowercase_month_words(nlp: Language) -> None:
    doc = nlp("Officials may 5 times review it and march 2 miles.")
    doc.ents = []
    assert [r for sent in doc.sents for r in extract_times(sent, 0, MONDAY)] == []


def test_month_and_year_is_a_month_range(nlp: Language) -> None:
    refs = by_text(times(nlp, "Russia invaded Ukraine in February 2022 after a build-up."))
    assert refs["February 2022"] == ("2022-02-01", "2022-02-28")


def test_year_only_is_a_year_range_not_a_day(nlp: Language) -> None:
    refs = by_text(times(nlp, "Founded in 2001 by China and Russia, the bloc has grown."))
    assert refs["2001"] == ("2001-01-01", "2001-12-31")


def test_the_weekend_before_a_monday_publication(nlp: Language) -> None:
    refs = by_text(times(nlp, "Troops arrived in the country over the weekend."))
    assert refs["the weekend"] == ("2024-07-06", "2024-07-07")


@pytest.mark.parametrize(
    "sentence",
    [
        "The drills will last for 11 days.",
        "The exercise lasted three weeks.",
        "Talks went on for more than a year.",
    ],
)
def test_durations_are_not_time_references(nlp: Language, sentence: str) -> None:
    assert times(nlp, sentence) == []


def test_ordinals_are_not_time_references(nlp: Language) -> None:
    refs = times(nlp, "They meet on the eve of the alliance's 75th anniversary summit.")
    assert all("75th" not in r.text for r in refs)


@pytest.mark.parametrize(
    ("sentence", "text"),
    [
        ("The soldiers arrived just days after the country joined the alliance.", "just days"),
        ("The group has grown in recent years as trade expanded.", "recent years"),
    ],
)
def test_vague_expressions_are_kept_unresolved(nlp: Language, sentence: str, text: str) -> None:
    assert by_text(times(nlp, sentence))[text] == (None, None)


def test_without_publication_date_only_absolute_dates_resolve(nlp: Language) -> None:
    text = (
        "The deal was signed on July 19, 2024, weeks after talks in February 2022 "
        "and a visit on Sunday."
    )
    refs = by_text(times(nlp, text, published=None))
    assert refs["July 19, 2024"] == ("2024-07-19", None)
    assert refs["February 2022"] == ("2022-02-01", "2022-02-28")
    assert refs["Sunday"] == (None, None)
    assert resolve("the weekend", None) == (None, None)
    assert resolve("July 19", None) == (None, None)
    assert resolve("yesterday", None) == (None, None)


def test_offsets_index_the_source_with_a_nonzero_base(nlp: Language) -> None:
    header = "title: Drills\npublished: 2024-07-08\n\n"
    body = "Troops arrived over the weekend and the drills run from Monday to July 19."
    source = header + body + "\nTrailing line."
    doc = nlp(body)
    refs = [r for sent in doc.sents for r in extract_times(sent, len(header), MONDAY)]
    assert len(refs) == 2
    for ref in refs:
        assert ref.start >= len(header)
        assert source[ref.start : ref.end] == ref.text


def test_ages_scores_and_frequencies_are_skipped(nlp: Language) -> None:
    sentence = "The prince, 20, apologised; a 64-year-old man said the paper is printed daily."
    assert times(nlp, sentence) == []


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("3-5 March 2023", None, (date(2023, 3, 3), date(2023, 3, 5))),
        ("12 to 14 December 2012", None, (date(2012, 12, 12), date(2012, 12, 14))),
        ("between 2003 and 2005", None, (date(2003, 1, 1), date(2005, 12, 31))),
        ("the 1990s", None, (date(1990, 1, 1), date(1999, 12, 31))),
        ("the 20th century", None, (date(1901, 1, 1), date(2000, 12, 31))),
        ("2024-07-19", None, (date(2024, 7, 19), None)),
        ("Saturday, January 8, 2005", None, (date(2005, 1, 8), None)),
        ("yesterday", MONDAY, (date(2024, 7, 7), None)),
        ("last night", MONDAY, (date(2024, 7, 7), None)),
        ("last week", MONDAY, (date(2024, 7, 1), date(2024, 7, 7))),
        ("two years ago", MONDAY, (date(2022, 1, 1), date(2022, 12, 31))),
        ("earlier this month", MONDAY, (date(2024, 7, 1), date(2024, 7, 31))),
        ("the past three years", MONDAY, (date(2021, 7, 8), MONDAY)),
        ("last Monday", MONDAY, (date(2024, 7, 1), None)),
        ("December", MONDAY, (date(2023, 12, 1), date(2023, 12, 31))),
        ("28 December", date(2024, 1, 5), (date(2023, 12, 28), None)),
        ("from May to August", MONDAY, (date(2024, 5, 1), date(2024, 8, 31))),
        ("November to February", MONDAY, (date(2023, 11, 1), date(2024, 2, 29))),
        ("July 5-9", MONDAY, (date(2024, 7, 5), date(2024, 7, 9))),
        ("Saturday 12 February", date(2005, 2, 20), (date(2005, 2, 12), None)),
        ("the new year", MONDAY, (None, None)),
        ("the six months", MONDAY, (None, None)),
    ],
)
def test_resolve(
    text: str, published: date | None, expected: tuple[date | None, date | None]
) -> None:
    assert resolve(text, published) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("11 days", True),
        ("more than a year", True),
        ("between three and five days", True),
        ("two-day", True),
        ("six months old", True),
        ("aged 64", True),
        ("just days", False),
        ("two years ago", False),
        ("recent years", False),
        ("the weekend", False),
    ],
)
def test_is_duration(text: str, expected: bool) -> None:
    assert is_duration(text) is expected


def test_seed_article(nlp: Language) -> None:
    source = seed_body()
    base = 5  # as if a front-matter line preceded the text
    doc = nlp(source)
    refs = [r for sent in doc.sents for r in extract_times(sent, base, MONDAY)]
    assert all((" " * base + source)[r.start : r.end] == r.text for r in refs)
    found = by_text(refs)
    assert found["the weekend"] == ("2024-07-06", "2024-07-07")
    assert found["Monday to July 19"] == ("2024-07-08", "2024-07-19")
    assert found["Sunday"] == ("2024-07-07", None)
    assert found["Thursday"] == ("2024-07-04", None)
    assert found["February 2022"] == ("2022-02-01", "2022-02-28")
    assert found["2001"] == ("2001-01-01", "2001-12-31")
    assert found["recent years"] == (None, None)
    assert "11 days" not in found
