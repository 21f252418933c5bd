"""Times that cannot be dates: out of datetime's range (years 1-9999), or nonsense.

"The hottest month in the last 125,000 years" crashed the whole run with
``ValueError: year -122977 is out of range`` (issue 13, point 4). Such a time stays
unresolved text.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from briefgen.extract.time_resolution import resolve
from tests.helpers import run_cli, write_article

JULY = date(2024, 7, 8)


@pytest.mark.parametrize(
    ("text", "published"),
    [
        ("the last 125,000 years", JULY),
        ("the past 5,000 years", JULY),
        ("the 0th century", JULY),
        ("past 999,999,999 days", JULY),
        ("tomorrow", date(9999, 12, 31)),
        ("next weekend", date(9999, 12, 31)),
        ("July 8", date(9999, 12, 31)),
        ("yesterday", date(1, 1, 1)),
        ("Sunday", date(1, 1, 1)),
    ],
)
def test_time_out_of_range_stays_unresolved(text: str, published: date) -> None:
    assert resolve(text, published) == (None, None)


def test_time_in_range_still_resolves() -> None:
    assert resolve("tomorrow", date(9999, 12, 30)) == (date(9999, 12, 31), None)
    assert resolve("yesterday", date(1, 1, 2)) == (date(1, 1, 1), None)


BODY = (
    "Scientists said on Monday that July was the hottest month in the last 125,000 years.\n"
    "The glacier has not been this small in the past 5,000 years, the institute said.\n"
    "Historians said the custom dates from the 0th century and will end tomorrow.\n"
    "Officials said the registry had recorded floods for the past 999,999,999 days.\n"
    "The minister said yesterday that the talks would resume on Sunday.\n"
)


@pytest.mark.parametrize("published", ["2024-07-08", "9999-12-31", "0001-01-01"])
def test_article_with_impossible_times_is_briefed(tmp_path: Path, published: str) -> None:
    path = write_article(tmp_path, "a.txt", BODY, published=published)
    result = run_cli("-a", "nato", "-f", "json,md", "-o", str(tmp_path / "out"), str(path))
    assert result.code == 0, result.stderr
    brief = json.loads((tmp_path / "out" / "a" / "nato.json").read_bytes())
    times = {t["text"]: t["date"] for f in brief["facts"] for t in f["times"]}
    assert any("125,000 years" in text for text in times)
    impossible = ("125,000", "0th", "999,999,999") + (("5,000",) if published < "5" else ())
    for text, when in times.items():
        if any(part in text for part in impossible):
            assert when is None, text
