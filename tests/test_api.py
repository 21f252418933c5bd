"""The README's Python API example runs as written."""

from __future__ import annotations

import contextlib
import io
import os
import re
from pathlib import Path

from tests.helpers import ROOT


def readme_python_example() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Python API", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, "the README's Python API section has no python block"
    return match.group(1)


def test_readme_python_api_example_runs_as_written() -> None:
    out = io.StringIO()
    old = Path.cwd()
    os.chdir(ROOT)  # the example names the seed relative to the checkout, as a user runs it
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(readme_python_example(), "README.md", "exec"), {})
    finally:
        os.chdir(old)
    printed = out.getvalue()
    assert printed.startswith("**NATO UNCLASSIFIED**\n\n# China and Belarus")
    assert "## Bottom line up front" in printed
    assert "[('china-belarus-exercises', " in printed  # evidence with offsets


def test_api_brief_matches_the_command_line(tmp_path: Path) -> None:
    from datetime import date

    from briefgen import Briefgen
    from tests.helpers import SEED, run_cli

    bg = Briefgen(today=date(2024, 7, 9))
    brief = bg.brief(bg.read(SEED), "eu")
    os.environ["SOURCE_DATE_EPOCH"] = "1720483200"  # 2024-07-09
    try:
        cli = run_cli("-a", "eu", "-f", "md", "-o", "-", str(SEED), "--no-cache")
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]
    assert bg.render(brief, "md") == cli.raw
