"""The NATO key-figures table and the frame of every Markdown brief (header, footer).

Briefs are built here from facts directly, not selected, so each test reads the
table or line it is about whatever a profile would choose.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from briefgen.records import Brief, BriefItem, Document, Extraction, Fact, Quantity, Source, TimeRef
from briefgen.render import RenderOptions
from briefgen.render.context import number
from briefgen.render.markdown import render_markdown
from tests.factories import make_fact, make_profile

TODAY = date(2024, 7, 9)


def quantity(fact_text: str, figure: str, value: float, unit: str, kind: Any) -> Quantity:
    at = fact_text.index(figure)
    return Quantity(figure, at, at + len(figure), value, unit, kind)


def year(fact_text: str, words: str, first: str, last: str) -> TimeRef:
    at = fact_text.index(words)
    return TimeRef(words, at, at + len(words), first, last)


def fact(text: str, paragraph: int, **parts: Any) -> Fact:
    return make_fact(text, position=paragraph, **parts)


def brief(*facts: Fact) -> Brief:
    source = Document(Source(id="d", path="d.txt", title="T"), text="", body_start=0)
    items = tuple(BriefItem(f.text, f, (f,)) for f in facts)
    return Brief("t", "T", items, (), (), (), (Extraction(source, facts),), ())


def render(b: Brief, audience: str = "nato", style: str = "military") -> str:
    profile = make_profile(id=audience, wording={"date_style": style})
    return render_markdown(b, RenderOptions(profile, (), {}, TODAY))


def rows(markdown: str) -> list[str]:
    table = markdown.split("## Key figures", 1)[1].split("\n\n", 2)[1]
    return [line for line in table.splitlines() if line.startswith("| ") and "---" not in line][1:]


# --- key figures ------------------------------------------------------------------------


def test_a_figure_reported_twice_is_one_row_citing_each_place() -> None:
    first = "The deployment will last nine months, officials said."
    again = "Troops will stay for nine months."
    b = brief(
        fact(first, 0, quantities=(quantity(first, "nine months", 9, "month", "duration"),)),
        fact(again, 2, quantities=(quantity(again, "nine months", 9, "month", "duration"),)),
    )
    assert rows(render(b)) == ["| duration | nine months | 9 months | S1 ¶1; S1 ¶3 |"]


def test_one_distance_in_two_units_is_one_row() -> None:
    miles, km = "Brest is 130 miles from Warsaw.", "Warsaw lies 209 km away."
    at_miles, at_km = miles.index("130 miles"), km.index("209 km")
    b = brief(
        fact(
            miles,
            0,
            quantities=(
                Quantity("130 miles", at_miles, at_miles + 9, 130, "mile", "distance", 209.2, "km"),
            ),
        ),
        fact(
            km,
            1,
            quantities=(Quantity("209 km", at_km, at_km + 6, 209, "km", "distance", 209.0, "km"),),
        ),
    )
    assert rows(render(b)) == ["| distance | 130 miles | 209 km | S1 ¶1; S1 ¶2 |"]


def test_a_bare_year_has_no_row_but_a_month_keeps_its_date() -> None:
    text = "Founded in 2001, it was tested in February 2022."
    b = brief(
        fact(
            text,
            0,
            times=(
                year(text, "2001", "2001-01-01", "2001-12-31"),
                year(text, "February 2022", "2022-02-01", "2022-02-28"),
            ),
        )
    )
    assert rows(render(b)) == ["| date | February 2022 | FEB 2022 | S1 ¶1 |"]


def test_counts_print_with_thousands_separators() -> None:
    text = "Some 40000 troops and 1400000 rounds arrived."
    b = brief(
        fact(
            text,
            0,
            quantities=(
                quantity(text, "40000 troops", 40000, "troop", "count"),
                quantity(text, "1400000 rounds", 1400000, "round", "count"),
            ),
        )
    )
    assert rows(render(b)) == [
        "| count | 40000 troops | 40,000 | S1 ¶1 |",
        "| count | 1400000 rounds | 1,400,000 | S1 ¶1 |",
    ]


def test_numbers_read_as_numbers() -> None:
    assert [number(v) for v in (40000, 2.5, 12.75, 1400000.0, 1)] == [
        "40,000",
        "2.5",
        "12.75",
        "1,400,000",
        "1",
    ]


# --- header and footer ------------------------------------------------------------------


def test_header_date_follows_the_audience_date_style() -> None:
    b = brief(fact("Troops arrived.", 0))
    assert "brief of 09 JUL 2024 ·" in render(b, style="military")
    assert "brief of 9 July 2024 ·" in render(b, audience="eu", style="long")
    assert "2024-07-09" not in render(b, style="military")


def test_footer_explains_a_citation_the_brief_has() -> None:
    out = render(brief(fact("Troops arrived.", 4), fact("They left.", 6)))
    assert "(S1 ¶5) is source 1, paragraph 5" in out
    assert "¶2" not in out


def test_footer_of_a_brief_without_lines_explains_in_general_words() -> None:
    out = render(brief(), audience="public", style="long")
    assert "Each line quotes one source sentence; each cites its source and paragraph." in out
    assert "¶" not in out
