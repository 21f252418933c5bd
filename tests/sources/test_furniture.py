"""Furniture of real news text: label captions, sidebar bullets, spaced ellipses and
"Washington, D.C." (samples written here, shaped like the corpus's)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from briefgen.config.shared import config_dirs, load_shared
from briefgen.extract.analyze import analyze
from briefgen.records import Document, Paragraph, Source
from briefgen.sources import read_source
from tests.helpers import write_article

SHARED = load_shared(config_dirs(()))
LEAD = "The summit in Brussels ended on Friday with an agreement on the budget."
CAPTION = 'photo caption ("Label: what the picture shows")'
BULLET = "sidebar bullet (a link to another story)"


def removed(tmp_path: Path, line: str) -> list[tuple[str, str]]:
    body = f"{LEAD}\n\n{line}\n\nMinisters will meet again in March to sign it.\n"
    doc = SHARED.cleaner.clean(read_source(str(write_article(tmp_path, "a.txt", body))))
    return [(r.text, r.reason) for r in doc.removed]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Talks: Mr Cameron speaks to the press at the EU headquarters on Thursday", CAPTION),
        ("Build-up: Russian soldiers prepare to move a tank at the railway station", CAPTION),
        ("On the move: Armoured carriers heading north in February", CAPTION),
        ("Third suspect: Jane Doe, 21, has been charged with two counts of neglect", CAPTION),
        ("Crush: 96 fans were killed against the barriers", CAPTION),
        ("■  The European Court of Justice has rejected calls to scrap the meetings.", BULLET),
        ("▪ Police name the victim of the weekend crash", BULLET),
        ("By Jane Roe, Example News, New York", "byline"),
        ("- Tweet this", "page furniture (share button)"),
        ("- Reprints", "page furniture (share button)"),
        ("Share", "page furniture (share button)"),
    ],
)
def test_furniture_lines_are_removed(tmp_path: Path, line: str, reason: str) -> None:
    assert removed(tmp_path, line) == [(line, reason)]


@pytest.mark.parametrize(
    "line",
    [
        "He said: 'We will not sign this agreement until the banks are covered'",
        "Mr Cameron told reporters: 'This is a good deal for Britain'",
        "Judge Leonard added: 'The evidence was clear to everyone in the court'",
        "Tour de France: Cancellara wins the prologue in London",
        "Warning: The ministry said the storm would reach the coast by Sunday.",
        "- The ministry will publish its figures on Monday",
        "Share prices fell sharply in London on Friday afternoon.",
    ],
)
def test_lines_that_are_not_furniture_stay(tmp_path: Path, line: str) -> None:
    assert removed(tmp_path, line) == []


def test_a_labelled_headline_on_the_first_line_is_the_headline(tmp_path: Path) -> None:
    body = f"Climate: Talks begin in Bali\n\n{LEAD}\n"
    doc = SHARED.cleaner.clean(read_source(str(write_article(tmp_path, "a.txt", body))))
    assert doc.source.title == "Climate: Talks begin in Bali"


def test_an_inline_byline_is_told_from_a_sentence_opening_with_by(tmp_path: Path) -> None:
    # past the first 8 lines, where the older `byline` rule does not look
    filler = "\n".join(f"Paragraph {n} of the report on the summit." for n in range(9))
    body = (
        f"{filler}\nBy Monday the troops had left the border area.\n"
        "By Jane Roe, who covered the summit for ten years\nBy Jane Roe, BBC News\n"
    )
    doc = SHARED.cleaner.clean(read_source(str(write_article(tmp_path, "a.txt", body))))
    assert [(r.text, r.reason) for r in doc.removed] == [("By Jane Roe, BBC News", "byline")]


def test_a_place_alone_above_the_first_paragraph_is_a_dateline(tmp_path: Path) -> None:
    body = f"Healthcare worker diagnosed with Ebola\nLONDON\n{LEAD}\nNATO\n"
    doc = SHARED.cleaner.clean(read_source(str(write_article(tmp_path, "a.txt", body))))
    assert [(r.text, r.reason) for r in doc.removed][1] == (
        "LONDON",
        "dateline (place name alone on a line)",
    )


def parse(nlp: Any, text: str) -> Any:
    doc = Document(Source("d", "d.txt"), text, 0, paragraphs=(Paragraph(0, len(text), 1),))
    return analyze([doc], nlp, SHARED.aliases)[0]


def test_a_spaced_ellipsis_does_not_cut_the_sentence(nlp: Any) -> None:
    text = (
        "‘The language . . . rather resembles the verbal jousting of the Cold War era,’ "
        "the ministry spokesman said. ‘We must . . . search for ways to return.’ "
        "It was over . . . The next day the delegates left."
    )
    facts = parse(nlp, text).facts
    assert [f.text for f in facts] == [
        "‘The language . . . rather resembles the verbal jousting of the Cold War era,’ "
        "the ministry spokesman said.",
        "‘We must . . . search for ways to return.’",
        "It was over . . .",
        "The next day the delegates left.",
    ]
    for fact in facts:
        assert text[fact.start : fact.end] == fact.text


def test_an_ellipsis_inside_a_quote_the_parser_cut_is_one_sentence(nlp: Any) -> None:
    # the parser began a sentence at "a" although the ellipsis component said not to
    text = (
        'The Prime Minister said on Thursday that "we will not sign . . . a deal that hurts '
        'Britain," according to aides. He left for Brussels.'
    )
    facts = parse(nlp, text).facts
    assert [f.text for f in facts] == [text[: text.index(" He")], "He left for Brussels."]
    assert all(text[f.start : f.end] == f.text for f in facts)


def test_washington_dc_is_one_place(nlp: Any) -> None:
    text = (
        "The president flew to Washington, D.C. on Monday. "
        "Thousands marched in Washington, D.C., on Saturday. "
        "Talks moved from Paris, France, to Berlin."
    )
    extraction = parse(nlp, text)
    places = [[e.text for e in f.entities if e.label == "GPE"] for f in extraction.facts]
    assert places[0] == ["Washington, D.C."] and places[1] == ["Washington, D.C."]
    assert places[2] == ["Paris", "France", "Berlin"]  # a country named in full stays apart
    for fact in extraction.facts:
        for ent in fact.entities:
            assert text[ent.start : ent.end] == ent.text
