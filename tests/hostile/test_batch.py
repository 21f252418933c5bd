"""Several sources, some bad: each reported and skipped, the others written.

Part of the bad-input battery (issues 8 and 13), grouped by what it attacks.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.helpers import (
    assert_complete,
    one_error_line,
    png,
    run_cli,
    sources,
)


def test_many_sources_bad_ones_reported_and_skipped(tmp_path: Path) -> None:
    good = sources(tmp_path, 2)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "photo.txt").write_bytes(png())
    (tmp_path / "russian.txt").write_bytes(
        "Министр заявил, что учения завершены.\n".encode("cp1251")
    )
    bad = [str(tmp_path / n) for n in ("empty.txt", "photo.txt", "russian.txt", "gone.txt")]
    mixed = [bad[0], good[0], bad[1], bad[2], good[1], bad[3]]
    result = run_cli("-a", "nato", "-f", "md", "-o", str(tmp_path / "out"), *mixed)
    assert result.code == 1
    lines = result.stderr.splitlines()
    assert [line.split(": ")[2] for line in lines[:-2]] == bad
    assert all(line.endswith("(skipped)") for line in lines[:-2])
    assert re.fullmatch(r"6 sources → 2 briefs in \d+\.\d s; 4 skipped", lines[-2])
    assert lines[-1] == "briefgen: error: 4 of 6 sources failed"
    assert sorted(result.stdout.split()) == [
        str(tmp_path / "out" / s / "nato.md") for s in ("a0", "a1")
    ]
    assert_complete(tmp_path / "out")
    fast = run_cli("--fail-fast", "-a", "nato", "-f", "md", "-o", str(tmp_path / "o2"), *mixed)
    assert fast.code == 1 and one_error_line(fast.stderr).endswith("no text in this source\n")
    assert not (tmp_path / "o2").exists()
