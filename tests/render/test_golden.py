"""Golden files: the seed's Markdown and HTML briefs for each built-in audience, and the
merged brief of the two-outlet sample (``tests/samples/merge/latvia``).

Regenerate after an intended change with ``pytest tests/render/test_golden.py --update-golden``
and review the diff (``git diff tests/golden``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import GOLDEN, SAMPLES, SEED, run_cli

AUDIENCES = ("nato", "eu", "public")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("golden")
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", "1720483200")
    try:
        result = run_cli("-a", "all", "-f", "md,html", "-o", str(out), str(SEED))
    finally:
        mp.undo()
    assert result.code == 0, result.stderr
    return out / SEED.stem


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("ext", ["md", "html"])
def test_seed_brief_matches_golden(
    rendered: Path, audience: str, ext: str, update_golden: bool
) -> None:
    _compare(
        rendered / f"{audience}.{ext}", GOLDEN / audience / f"{SEED.stem}.{ext}", update_golden
    )


def _compare(output: Path, golden: Path, update: bool) -> None:
    actual = output.read_text(encoding="utf-8")
    if update:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert golden.is_file(), f"no golden file {golden}; run pytest --update-golden"
    assert actual == golden.read_text(encoding="utf-8")


def test_audiences_differ_in_the_facts_they_keep(rendered: Path) -> None:
    import re

    refs = {
        a: set(re.findall(r"^- (.+) \(S1 ¶\d+\)$", (rendered / f"{a}.md").read_text(), re.M))
        for a in AUDIENCES
    }
    assert refs["nato"] != refs["eu"] != refs["public"] != refs["nato"]


@pytest.fixture(scope="module")
def merged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("golden-merged")
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", "1725580800")  # 2024-09-06
    try:
        args = ["--merge", "-a", "all", "-f", "md,html", "-o", str(out)]
        result = run_cli(*args, str(SAMPLES / "merge" / "latvia"))
    finally:
        mp.undo()
    assert result.code == 0, result.stderr
    return out / "latvia"


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("ext", ["md", "html"])
def test_merged_brief_matches_golden(
    merged: Path, audience: str, ext: str, update_golden: bool
) -> None:
    _compare(merged / f"{audience}.{ext}", GOLDEN / "merged" / f"{audience}.{ext}", update_golden)
