"""Loading sources (front matter, offsets, bad input) and line cleaning."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from briefgen.config.shared import config_dirs, load_shared
from briefgen.errors import SourceError
from briefgen.sources import read_source
from tests.helpers import ROOT, SEED, write_article

CLEANER = load_shared(config_dirs(())).cleaner


def test_seed_front_matter_and_body_kept_byte_for_byte() -> None:
    doc = read_source(str(SEED))
    assert doc.source.publisher == "CNN"
    assert doc.source.published == date(2024, 7, 8)
    assert doc.source.title == "China and Belarus hold joint military exercises near Polish border"
    assert doc.text[doc.body_start :].startswith("Belarus Ministry of Defence\nChinese troops")
    original = ROOT / "seeds" / SEED.name
    assert original.read_bytes().endswith(doc.text[doc.body_start :].encode("utf-8"))


def test_seed_furniture_lines_are_removed_with_reasons() -> None:
    doc = CLEANER.clean(read_source(str(SEED)))
    reasons = {r.text: r.reason for r in doc.removed}
    assert reasons == {
        "Belarus Ministry of Defence": "photo credit",
        "Chinese troops are shown arriving in Belarus in this photo provided by the Belarusian "
        "Ministry of Defense.": "photo caption",
        "CNN": "dateline (outlet name alone on a line)",
        "—": "separator line (dash or rule)",
        "CNN has reached out to NATO for comment.": "outlet's request for comment, not news",
    }
    for removed in doc.removed:
        assert doc.text[removed.start : removed.end] == removed.text
    first = doc.paragraphs[0]
    assert doc.text[first.start : first.end].startswith("China and Belarus announced")


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Scroll down for video", 'page furniture ("Scroll down for video")'),
        ("By . Daily Mail Reporter . PUBLISHED: 10:01 EST, 3 March 2014", "byline"),
        ("READ MORE: Why the summit matters", 'link prompt ("Read more", "Related")'),
        ("Sign up for our morning newsletter here.", "newsletter or subscription prompt"),
        ("The ministry has been contacted for comment.", "outlet's request for comment, not news"),
        ("18:27 EST, 13 December 2012", "publication timestamp"),
        ("Soldiers at the base (AP Photo/Jane Doe)", "photo caption"),
        ("On the move: armoured carriers pictured heading north in May", "photo caption"),
        ("The general (second left) speaks to colleagues in Brussels", "photo caption"),
    ],
)
def test_cleaning_rules(tmp_path: Path, line: str, reason: str) -> None:
    body = f"{line}\nThe mayor opened the new bridge on Friday after two years of work.\n"
    doc = CLEANER.clean(read_source(str(write_article(tmp_path, "a.txt", body, title="T"))))
    assert [(r.text, r.reason) for r in doc.removed] == [(line, reason)]


def test_byline_split_over_two_lines(tmp_path: Path) -> None:
    body = "By\nJane Smith\n\nThe mayor opened the bridge on Friday.\n"
    doc = CLEANER.clean(read_source(str(write_article(tmp_path, "a.txt", body, title="T"))))
    assert [r.text for r in doc.removed] == ["By", "Jane Smith"]


def test_headline_becomes_title_when_front_matter_has_none(tmp_path: Path) -> None:
    body = "Mayor opens new bridge\nThe mayor opened the new bridge on Friday.\n"
    doc = CLEANER.clean(read_source(str(write_article(tmp_path, "a.txt", body))))
    assert doc.source.title == "Mayor opens new bridge"
    assert [r.reason for r in doc.removed] == ["headline"]


def test_hard_wrapped_paragraphs_stay_together(tmp_path: Path) -> None:
    body = "The council met on Monday\nand approved the plan.\n\nIt will start in May.\n"
    doc = CLEANER.clean(read_source(str(write_article(tmp_path, "a.txt", body, title="T"))))
    texts = [doc.text[p.start : p.end] for p in doc.paragraphs]
    assert texts == ["The council met on Monday\nand approved the plan.", "It will start in May."]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "no text in this source"),
        (b"  \n\t\n", "no text in this source"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not a text file (contains NUL bytes)"),
        (b"caf\x81 au lait", "not UTF-8 text (byte 3), and not confidently Windows-1252"),
        (
            b"---\ntitle: T\npublished: yesterday\n---\nText.",
            "3: published: expected a date YYYY-MM-DD",
        ),
        (b"---\ntags: X\n---\nText.", "2: tags: unknown front matter key"),
        (b"---\ndate: 2024-01-02\npublished: 2024-01-02\n---\nText.", "3: published: the same"),
    ],
)
def test_bad_sources_name_the_path(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(SourceError) as err:
        read_source(str(path))
    assert err.value.format_message().startswith(f"{path}")
    assert message in err.value.format_message()


def test_directory_and_unsupported_type(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="is a directory"):
        read_source(str(tmp_path))
    (tmp_path / "a.pdf").write_bytes(b"%PDF")
    with pytest.raises(SourceError, match=r"unsupported source type '\.pdf'"):
        read_source(str(tmp_path / "a.pdf"))
    # a mistyped folder or file name is missing, not of an unsupported type
    for missing in ("no-such-folder", "no-such.pdf"):
        with pytest.raises(SourceError, match=f"{missing}: no such file or folder$"):
            read_source(str(tmp_path / missing))


def test_sign_up_inside_a_sentence_is_not_a_newsletter_prompt(tmp_path: Path) -> None:
    body = "He said it ran through all\nof the conclusions that we now sign up to'.\n\nNext.\n"
    doc = CLEANER.clean(read_source(str(write_article(tmp_path, "a.txt", body, title="T"))))
    assert doc.removed == ()
