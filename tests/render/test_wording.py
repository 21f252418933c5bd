"""Wording filters: units, date styles, acronym expansion and the glossary.

Each filter is tested on a small fact built here; the spans are found in the text
so the tests read like the sentences they word.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

import pytest

from briefgen.config.profiles import WordingConfig
from briefgen.records import Fact, Quantity, TimeRef
from briefgen.render.wording import Wording, format_date, format_distance, format_range
from tests.factories import brief_of, make_fact
from tests.helpers import SEED, run_cli, unbudgeted_configs

GLOSSARY = {
    "NATO": "North Atlantic Treaty Organization",
    "SCO": "Shanghai Cooperation Organization",
    "EU": "European Union",
}
START = 100  # facts do not start at 0 in a real source: offsets must be rebased


def distance(text: str, figure: str, value: float, unit: str, km: float) -> Quantity:
    at = START + text.index(figure)
    return Quantity(figure, at, at + len(figure), value, unit, "distance", km, "km")


def time(text: str, words: str, iso: str, until: str | None = None) -> TimeRef:
    at = START + text.index(words)
    return TimeRef(words, at, at + len(words), iso, until)


def fact_with(text: str, **parts: Any) -> Fact:
    return make_fact(text, start=START, **parts)


def wording(**config: Any) -> Wording:
    return Wording(WordingConfig.model_validate(config), GLOSSARY)


# --- dates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("military", "08 JUL 2024"),
        ("long", "8 July 2024"),
        ("iso", "2024-07-08"),
        ("weekday", "Monday, July 8, 2024"),
        ("us", "July 8, 2024"),
    ],
)
def test_date_styles(style: str, expected: str) -> None:
    assert format_date("2024-07-08", style) == expected


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("military", "08–19 JUL 2024"),
        ("long", "8–19 July 2024"),
        ("iso", "2024-07-08/2024-07-19"),
        ("weekday", "July 8–19, 2024"),  # no weekday names inside a range
        ("us", "July 8–19, 2024"),
    ],
)
def test_ranges_within_a_month_are_compact(style: str, expected: str) -> None:
    assert format_range("2024-07-08", "2024-07-19", style) == expected


def test_whole_months_and_years_read_as_such() -> None:
    assert format_range("2022-02-01", "2022-02-28", "military") == "FEB 2022"
    assert format_range("2024-02-01", "2024-02-29", "long") == "February 2024"  # leap year
    assert format_range("2022-02-01", "2022-02-28", "iso") == "2022-02"
    assert format_range("2001-01-01", "2001-12-31", "weekday") == "2001"
    assert format_range("2022-02-01", "2022-02-27", "military") == "01–27 FEB 2022"


def test_ranges_across_months_and_single_days() -> None:
    assert format_range("2024-06-28", "2024-07-03", "military") == "28 JUN 2024 to 03 JUL 2024"
    assert format_range("2024-06-28", "2024-07-03", "weekday") == "June 28, 2024 to July 3, 2024"
    assert format_range("2024-07-08", None, "long") == "8 July 2024"
    assert format_range("2024-07-08", "2024-07-08", "military") == "08 JUL 2024"


def test_relative_dates_get_the_resolved_date_in_parentheses() -> None:
    text = "The drills last from Monday to July 19, officials said."
    fact = fact_with(text, times=(time(text, "Monday to July 19", "2024-07-08", "2024-07-19"),))
    assert wording(date_style="military").apply(fact) == (
        "The drills last from Monday to July 19 (08–19 JUL 2024), officials said."
    )
    assert wording(date_style="long").apply(fact) == (
        "The drills last from Monday to July 19 (8–19 July 2024), officials said."
    )


def test_weekday_style_does_not_repeat_a_weekday_the_source_names() -> None:
    on_sunday = "The ministry said on Sunday that drills begin."
    later = "Drills begin on July 8."
    sunday = fact_with(on_sunday, times=(time(on_sunday, "Sunday", "2024-07-07"),))
    july = fact_with(later, times=(time(later, "July 8", "2024-07-08"),))
    words = wording(date_style="weekday")
    assert words.apply(sunday) == "The ministry said on Sunday (July 7, 2024) that drills begin."
    assert words.apply(july) == "Drills begin on July 8 (Monday, July 8, 2024)."


def test_an_expression_with_its_year_or_unresolved_gets_no_gloss() -> None:
    text = "It began in February 2022, just days after the talks."
    fact = fact_with(
        text,
        times=(
            time(text, "February 2022", "2022-02-01", "2022-02-28"),
            TimeRef("just days", START + text.index("just days"), START + 33, None),
        ),
    )
    assert wording(date_style="military").apply(fact) == text


@pytest.mark.parametrize(
    ("words", "iso", "until"),
    [
        ("the 1990s", "1990-01-01", "1999-12-31"),
        ("the 1990's", "1990-01-01", "1999-12-31"),
        ("the 20th century", "1901-01-01", "2000-12-31"),
        ("2001", "2001-01-01", "2001-12-31"),
    ],
)
def test_a_named_decade_century_or_year_gets_no_gloss(words: str, iso: str, until: str) -> None:
    text = f"The bloc grew in {words}, officials said."
    fact = fact_with(text, times=(time(text, words, iso, until),))
    assert wording(date_style="military").apply(fact) == text
    assert wording(date_style="long").apply(fact) == text


def test_whole_years_read_as_years() -> None:
    assert format_range("1990-01-01", "1999-12-31", "military") == "1990–1999"
    assert format_range("1901-01-01", "2000-12-31", "long") == "1901–2000"
    assert format_range("1990-01-01", "1999-12-31", "iso") == "1990/1999"
    assert format_range("1990-01-01", "1999-06-30", "long") == "1 January 1990 to 30 June 1999"


# --- units ------------------------------------------------------------------------------

MILES = "Brest is around 130 miles from Warsaw."
KM = "Brest is around 209 km from Warsaw."


@pytest.mark.parametrize(
    ("units", "from_miles", "from_km"),
    [
        ("metric", "209 km (130 miles)", "209 km"),
        ("imperial", "130 miles", "130 miles (209 km)"),
        ("both", "130 miles (209 km)", "209 km (130 miles)"),
    ],
)
def test_distance_units(units: str, from_miles: str, from_km: str) -> None:
    miles = distance(MILES, "130 miles", 130, "mile", 209.2)
    km = distance(KM, "209 km", 209, "km", 209.0)
    assert format_distance(miles, units) == from_miles
    assert format_distance(km, units) == from_km


def test_distance_is_reworded_at_its_span_only() -> None:
    fact = fact_with(MILES, quantities=(distance(MILES, "130 miles", 130, "mile", 209.2),))
    assert wording(units="metric").apply(fact) == "Brest is around 209 km (130 miles) from Warsaw."
    assert wording(units="both").apply(fact) == "Brest is around 130 miles (209 km) from Warsaw."
    assert wording(units="imperial").apply(fact) == MILES


@pytest.mark.parametrize(
    ("figure", "value", "unit", "km", "units", "expected"),
    [
        ("1 mile", 1, "mile", 1.609, "metric", "1.6 km (1 mile)"),
        ("1.6 km", 1.6, "km", 1.6, "imperial", "1 mile (1.6 km)"),
        ("5 km", 5, "km", 5.0, "both", "5 km (3.1 miles)"),
        ("500 feet", 500, "ft", 0.1524, "metric", "150 m (500 feet)"),
        ("200 m", 200, "m", 0.2, "imperial", "660 feet (200 m)"),
        ("12 nautical miles", 12, "nautical mile", 22.2, "metric", "22 km (12 nautical miles)"),
        ("12 nautical miles", 12, "nautical mile", 22.2, "imperial", "12 nautical miles"),
    ],
)
def test_small_and_odd_distances_convert_sensibly(
    figure: str, value: float, unit: str, km: float, units: str, expected: str
) -> None:
    q = Quantity(figure, 0, len(figure), value, unit, "distance", km, "km")
    assert format_distance(q, units) == expected


def test_non_distances_are_left_as_written() -> None:
    q = Quantity("11 days", 0, 7, 11, "day", "duration")
    assert format_distance(q, "both") == "11 days"


# --- acronyms ---------------------------------------------------------------------------


def test_acronym_expanded_on_first_use_only_across_the_brief() -> None:
    first = fact_with("Belarus joined the SCO on Thursday.")
    second = fact_with("The SCO has grown.", position=1)
    words = wording(acronyms="expand")
    assert (
        words.apply(first)
        == "Belarus joined the Shanghai Cooperation Organization (SCO) on Thursday."
    )
    assert words.apply(second) == "The SCO has grown."


def test_acronym_the_source_spells_out_is_not_expanded_again() -> None:
    fact = fact_with("It joined the Shanghai Cooperation Organization (SCO) on Thursday.")
    assert wording(acronyms="expand").apply(fact) == fact.text


def test_acronym_only_as_a_whole_word() -> None:
    fact = fact_with("The SCOTUS and NATOs are not acronyms here; Belarus-EU talks are.")
    assert wording(acronyms="expand").apply(fact) == (
        "The SCOTUS and NATOs are not acronyms here; Belarus-European Union (EU) talks are."
    )


@pytest.mark.parametrize("mode", ["keep", "expand"])
def test_keep_leaves_acronyms_expand_expands_each(mode: Literal["keep", "expand"]) -> None:
    fact = fact_with("NATO and the EU accused Belarus.")
    expanded = (
        "North Atlantic Treaty Organization (NATO) and the European Union (EU) accused Belarus."
    )
    assert wording(acronyms=mode).apply(fact) == (fact.text if mode == "keep" else expanded)


def test_possessive_after_the_moves_the_s_onto_both() -> None:
    fact = fact_with("Frontex is the EU’s border agency.")
    assert wording(acronyms="expand").apply(fact) == (
        "Frontex is the European Union’s (EU’s) border agency."
    )


def test_possessive_without_article_is_left_and_the_next_use_expanded() -> None:
    # "North Atlantic Treaty Organization (Nato)'s" breaks the possessive, and
    # "North Atlantic Treaty Organization's" would need an article the source lacks
    first = fact_with("NATO's supreme military commander spoke.")
    later = fact_with("Officials said NATO would respond.", position=1)
    words = wording(acronyms="expand")
    assert words.apply(first) == first.text
    assert words.apply(later) == (
        "Officials said North Atlantic Treaty Organization (NATO) would respond."
    )


@pytest.mark.parametrize(
    "text",
    [
        "He thanked US Air Force General Philip Breedlove.",
        "The US-led coalition met.",
        "The EU Commission replied.",
    ],
)
def test_acronym_inside_a_longer_name_or_compound_is_left_as_written(text: str) -> None:
    gloss = {"US": "United States", "EU": "European Union"}
    assert Wording(WordingConfig(acronyms="expand"), gloss).apply(fact_with(text)) == text


def test_a_later_plain_use_in_the_same_sentence_is_expanded() -> None:
    fact = fact_with("US Air Force jets flew as the US warned Russia.")
    words = Wording(WordingConfig(acronyms="expand"), {"US": "United States"})
    assert words.apply(fact) == ("US Air Force jets flew as the United States (US) warned Russia.")


def test_acronym_the_source_glosses_in_its_own_spelling_is_not_expanded() -> None:
    fact = fact_with("It joined the Shanghai Cooperation Organisation (SCO) on Thursday.")
    words = wording(acronyms="expand")
    assert words.apply(fact) == fact.text
    assert words.apply(fact_with("The SCO has grown.")) == "The SCO has grown."


def test_all_wording_at_once_keeps_every_source_word_in_order() -> None:
    text = "NATO said the PLA arrived on Sunday, 130 miles from Warsaw."
    fact = fact_with(
        text,
        times=(time(text, "Sunday", "2024-07-07"),),
        quantities=(distance(text, "130 miles", 130, "mile", 209.2),),
    )
    out = wording(units="metric", date_style="military", acronyms="expand").apply(fact)
    assert out == (
        "North Atlantic Treaty Organization (NATO) said the PLA arrived on Sunday "
        "(07 JUL 2024), 209 km (130 miles) from Warsaw."
    )
    words = iter(re.findall(r"\w+", out))
    assert all(word in words for word in re.findall(r"\w+", text))  # nothing dropped or moved


def test_overlapping_spans_never_garble_the_sentence() -> None:
    text = "They met 130 miles away."
    q = distance(text, "130 miles", 130, "mile", 209.2)
    t = TimeRef("miles away", q.start + 4, q.start + 14, "2024-07-07")
    fact = fact_with(text, quantities=(q,), times=(t,))
    assert wording(units="metric", date_style="military").apply(fact) == (
        "They met 209 km (130 miles) away."
    )


# --- glossary and the rendered seed ---------------------------------------------------


def test_glossary_lists_acronyms_of_shown_facts_only() -> None:
    facts = [
        make_fact("Belarus joined the SCO on Thursday.", position=0, salience=0.9),
        make_fact("The SCOTUS ruled, unrelated.", position=1, salience=0.1),
    ]
    wanted = brief_of(facts, summary={"max_items": 1}, wording={"glossary": True})
    assert [(g.term, g.expansion) for g in wanted.glossary] == [
        ("SCO", "Shanghai Cooperation Organization")
    ]
    assert brief_of(facts, wording={"glossary": False}).glossary == ()
    other = [facts[1]]
    assert brief_of(other, wording={"glossary": True}).glossary == ()  # "SCOTUS" is not "SCO"


@pytest.mark.parametrize(
    ("audience", "expected", "unexpected"),
    [
        (
            "nato",
            ["**NATO UNCLASSIFIED**", "209 km (130 miles)", "08–19 JUL 2024", "| distance |"],
            ["130 miles (209 km)"],
        ),
        (
            "eu",
            ["OPEN SOURCES", "6–7 July 2024", "## Key points"],
            ["North Atlantic Treaty Organization"],
        ),
        (
            "public",
            [
                "**PUBLIC**",
                "130 miles (209 km)",
                "a North Atlantic Treaty Organization (NATO) and European Union member",
                "Shanghai Cooperation Organization (SCO)",
                "| SCO | Shanghai Cooperation Organization |",
                "## Background",
            ],
            ["209 km (130 miles)"],
        ),
    ],
)
def test_rendered_seed_brief_is_worded_for_its_audience(
    audience: str, expected: list[str], unexpected: list[str], tmp_path: Path
) -> None:
    configs = unbudgeted_configs(tmp_path / "configs")  # the whole selection, worded
    result = run_cli("-a", audience, "-f", "md", "-o", "-", "--configs", str(configs), str(SEED))
    assert result.code == 0, result.stderr
    for text in expected:
        assert text in result.stdout, text
    for text in unexpected:
        assert text not in result.stdout, text
    # expanded once only: the second NATO of the public brief stays an acronym
    assert result.stdout.count("North Atlantic Treaty Organization (NATO)") <= 1


def test_a_quote_that_names_its_speaker_with_a_curly_apostrophe_is_not_signed_again(
    tmp_path: Path,
) -> None:
    configs = unbudgeted_configs(tmp_path / "configs")
    result = run_cli("-a", "nato", "-f", "md", "-o", "-", "--configs", str(configs), str(SEED))
    line = next(x for x in result.stdout.splitlines() if "said on Sunday" in x)
    assert line.startswith("- China’s Ministry of Defense said on Sunday")
    assert "— China's Ministry of Defense" not in line  # the text already says who


# --- pieces: what the compare page shows as changed ----------------------------------------


def test_pieces_tell_the_sources_words_from_each_change() -> None:
    from briefgen.records import Repair

    text = "It said the PLA arrived on Sunday, 130 miles from NATO's border."
    fact = fact_with(
        text,
        times=(time(text, "on Sunday", "2024-07-07"),),
        quantities=(distance(text, "130 miles", 130, "mile", 209.2),),
    )
    repair = Repair(START, START + 2, "China’s ministry")
    words = wording(units="metric", date_style="military", acronyms="expand")
    pieces = words.pieces(fact, (repair,))
    assert [(p.kind, p.text, p.original) for p in pieces if p.kind != "source"] == [
        ("repair", "[China’s ministry]", "It"),
        ("date", "on Sunday (07 JUL 2024)", "on Sunday"),
        ("unit", "209 km (130 miles)", "130 miles"),
    ]  # "NATO's" without "the" is left as written
    # the source's own words are the rest of the sentence, in order
    source = [p.text for p in pieces if p.kind == "source"]
    assert source == [" said the PLA arrived ", ", ", " from NATO's border."]
    again = wording(units="metric", date_style="military", acronyms="expand")
    assert "".join(p.text for p in pieces) == again.apply(fact, (repair,))


def test_an_expanded_acronym_is_a_piece_of_its_own_even_inside_a_repair() -> None:
    from briefgen.records import Repair

    text = "It said the talks would resume."
    fact = fact_with(text)
    pieces = wording(acronyms="expand").pieces(fact, (Repair(START, START + 2, "the EU"),))
    assert [(p.kind, p.text) for p in pieces[:3]] == [
        ("repair", "[the "),
        ("acronym", "European Union (EU)"),
        ("repair", "]"),
    ]
    assert pieces[1].original == "EU"
