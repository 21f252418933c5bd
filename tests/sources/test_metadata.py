"""Metadata read off the text when front matter gives none, and front matter aliases."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from briefgen.config.shared import config_dirs, load_shared
from briefgen.errors import SourceError
from briefgen.extract.analyze import analyze
from briefgen.records import Document, Extraction, Source
from briefgen.select import _title
from briefgen.sources import read_source
from briefgen.sources.metadata import line_date, publication_date
from tests.helpers import write_article

SHARED = load_shared(config_dirs(()))

DAILY = """By
Anna Writer and Ben Writer

PUBLISHED:

18:27 EST, 13 December 2012

|

UPDATED:

08:25 EST, 14 December 2012

The prime minister said yesterday that the summit had agreed a plan for the banks.

Ministers met on Thursday to sign the agreement in Brussels.
"""


def cleaned(tmp_path: Path, body: str, **front: str) -> Document:
    return SHARED.cleaner.clean(read_source(str(write_article(tmp_path, "a.txt", body, **front))))


def test_published_block_dates_the_source_and_relative_times_resolve(
    tmp_path: Path, nlp: Any
) -> None:
    doc = cleaned(tmp_path, DAILY)
    assert doc.source.published == date(2012, 12, 13)  # PUBLISHED, not UPDATED
    facts = analyze([doc], nlp, SHARED.aliases)[0].facts
    times = {t.text: t.date for f in facts for t in f.times}
    assert times["yesterday"] == "2012-12-12"
    assert times["Thursday"] == "2012-12-13"  # 13 December 2012 was a Thursday


def test_weekday_date_line_under_the_headline(tmp_path: Path) -> None:
    body = (
        "Aid pledges rise after the tsunami\n\nSaturday, January 1, 2005\n\n"
        "Japan promised on Friday to give 500 million dollars in aid.\n"
    )
    doc = cleaned(tmp_path, body)
    assert doc.source.published == date(2005, 1, 1)
    assert doc.source.title == "Aid pledges rise after the tsunami"
    assert [r.reason for r in doc.removed] == ["headline", "dateline (date alone on a line)"]


def test_date_prefix_on_a_headline_ending_in_an_abbreviation(tmp_path: Path) -> None:
    body = (
        "2005/01/08 Tsunami aid donations in 2005 deductible for 2004 in the U.S.\n\n"
        "Donors who gave before January 31 can deduct the gift from last year's taxes.\n"
    )
    doc = cleaned(tmp_path, body)
    assert doc.source.title == "Tsunami aid donations in 2005 deductible for 2004 in the U.S."
    assert doc.source.published == date(2005, 1, 8)
    first = doc.text[doc.paragraphs[0].start : doc.paragraphs[0].end]
    assert first.startswith("Donors who gave")  # the headline is not a BLUF bullet


def test_headline_ending_in_a_quoted_name(tmp_path: Path) -> None:
    doc = cleaned(tmp_path, "Tour: One day until 'Le Grand Départ'\n\nThe race starts tomorrow.\n")
    assert doc.source.title == "Tour: One day until 'Le Grand Départ'"


def test_url_line_gives_the_url(tmp_path: Path) -> None:
    body = (
        "Much of the world is perplexed that the climate debate continues in U.S.\n"
        "http://www.example.org/2015/12/09/climate-debate\n\n"
        "At the climate summit in Paris, the delegation has a big footprint.\n"
    )
    doc = cleaned(tmp_path, body)
    assert doc.source.url == "http://www.example.org/2015/12/09/climate-debate"
    assert doc.source.title and doc.source.title.startswith("Much of the world")


def test_front_matter_wins_over_the_text(tmp_path: Path) -> None:
    doc = cleaned(tmp_path, DAILY, published="2020-05-05", url="https://a.example/x")
    assert doc.source.published == date(2020, 5, 5)
    assert doc.source.url == "https://a.example/x"


@pytest.mark.parametrize(
    ("line", "day"),
    [
        ("BRUSSELS, March 3, 2014 (Reuters) - Ministers met.", date(2014, 3, 3)),
        ("MOSCOW, 13 December 2012 - The ministry said.", date(2012, 12, 13)),
        ("PUBLISHED: 18:27 EST, 13 December 2012 | UPDATED: 08:25 EST, 14 December 2012", None),
        ("Saturday, March 26, 2005 Up to four times as many women died.", date(2005, 3, 26)),
        ("Updated 2 June 2021", date(2021, 6, 2)),
        ("The talks of 13 December 2012 failed after the minister walked out in anger.", None),
        ("Yesterday", None),
    ],
)
def test_line_dates(line: str, day: date | None) -> None:
    if day is None and line.startswith("PUBLISHED"):
        assert line_date(line) == date(2012, 12, 13)
    else:
        assert line_date(line) == day


def test_an_updated_stamp_alone_still_dates_the_source() -> None:
    assert publication_date(["UPDATED:", "08:25 EST, 14 December 2012"]) == date(2012, 12, 14)


def test_front_matter_aliases(tmp_path: Path) -> None:
    front = {
        "date": "2024-03-14T09:00:00Z",
        "author": "Jane Roe",
        "source": "Example News",
        "link": "https://news.example.org/a",
    }
    doc = read_source(str(write_article(tmp_path, "a.txt", "Text here.\n", **front)))
    s = doc.source
    assert (s.published, s.author, s.publisher, s.url) == (
        date(2024, 3, 14),
        "Jane Roe",
        "Example News",
        "https://news.example.org/a",
    )
    long = read_source(str(write_article(tmp_path, "b.txt", "Text.\n", date="March 14, 2024")))
    assert long.source.published == date(2024, 3, 14)


def test_an_alias_and_its_field_together_are_one_error(tmp_path: Path) -> None:
    path = write_article(tmp_path, "a.txt", "Text.\n", link="https://a", url="https://b")
    with pytest.raises(SourceError, match=r"a\.txt:3: url: the same field as link; give one"):
        read_source(str(path))


def test_title_falls_back_to_the_file_name_not_the_output_folder() -> None:
    untitled = Extraction(Document(Source("doc1-2", "cluster/doc1.txt"), "x", 0), ())
    titled = Extraction(Document(Source("doc2", "cluster/doc2.txt", title="Headline"), "x", 0), ())
    assert _title([untitled]) == "doc1"
    assert _title([untitled, titled]) == "Headline"
    assert _title([Extraction(Document(Source("stdin", "-"), "x", 0), ())]) == "stdin"


def test_a_weekday_date_glued_to_the_first_sentence_is_a_dateline(tmp_path: Path) -> None:
    body = (
        "Romanians raise money for tsunami victims\n\n"
        "Tuesday, January 18, 2005Through a telethon, Romanians have raised 15 billion lei.\n"
    )
    doc = cleaned(tmp_path, body)
    assert doc.source.published == date(2005, 1, 18)
    date_line = doc.removed[1]
    assert (date_line.text, date_line.line) == ("Tuesday, January 18, 2005", 3)
    assert doc.text[date_line.start : date_line.end] == date_line.text
    first = doc.text[doc.paragraphs[0].start : doc.paragraphs[0].end]
    assert first == "Through a telethon, Romanians have raised 15 billion lei."
    assert doc.paragraphs[0].line == 3


def test_a_headline_after_a_weekday_date_is_not_split(tmp_path: Path) -> None:
    doc = cleaned(tmp_path, "Saturday, March 26, 2005 Tsunami deaths mount\n\nThe toll rose.\n")
    assert doc.source.title == "Tsunami deaths mount"
    assert doc.source.published == date(2005, 3, 26)
