"""Numbers too large to be figures (issue 13, point 15, the quantity half).

A 400-digit number was parsed to ``float('inf')``: the brief read "moved inf km"
and JSON carried ``Infinity``. Decided: a number above 10**18 (or not finite) is not
a quantity; the sentence is still quoted as written.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from briefgen.extract.number_words import MAX_NUMBER, parse_number
from tests.helpers import run_cli, write_article

HUGE = "1" + "0" * 400


@pytest.mark.parametrize("text", [HUGE, f"{HUGE} billion", "9" * 30, "1" + "0" * 19])
def test_number_beyond_the_cap_is_not_a_number(text: str) -> None:
    assert parse_number(text) is None


def test_numbers_up_to_the_cap_are_read() -> None:
    assert parse_number("1" + "0" * 18) == MAX_NUMBER
    assert parse_number("5 billion") == 5e9


def test_huge_distance_is_never_inf_in_any_format(tmp_path: Path) -> None:
    body = (
        f"Officials said on Monday that the probe moved {HUGE} miles past the station.\n"
        f"The agency said the budget was ${HUGE} and the crew of {HUGE} people was safe.\n"
        "The mayor said the bridge 40 miles north reopened after repairs.\n"
    )
    path = write_article(tmp_path, "a.txt", body)
    out = tmp_path / "out"
    result = run_cli("-a", "nato,public", "-f", "json,md", "-o", str(out), str(path))
    assert result.code == 0, result.stderr
    for audience in ("nato", "public"):
        raw = (out / "a" / f"{audience}.json").read_text()
        assert "Infinity" not in raw and "NaN" not in raw
        facts = json.loads(raw)["facts"]
        values = [q["value"] for f in facts for q in f["quantities"]]
        assert all(math.isfinite(v) and v <= MAX_NUMBER for v in values)
        assert 40 in values  # ordinary figures still are
        md = (out / "a" / f"{audience}.md").read_text()
        assert "inf " not in md and "inf\u00a0" not in md
