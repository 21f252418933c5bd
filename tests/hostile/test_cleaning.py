"""Cleaning rules against hostile lines: backtracking, huge lines, broken user patterns.

A rule is searched in every line of untrusted text, and a user's rule may come from
an untrusted folder, so no line and no pattern may hang a run (issue 13, point 1).
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from briefgen.config.shared import config_dirs, load_shared
from briefgen.sources import read_source
from briefgen.sources.clean import MAX_RULE_LINE, Cleaner, CleaningConfig, CleaningRule
from tests.helpers import EXE, article, one_error_line, run_cli, write_article


def clean_seconds(path: Path) -> float:
    cleaner = load_shared(config_dirs(())).cleaner
    doc = read_source(str(path))
    started = time.monotonic()
    cleaner.clean(doc)
    return time.monotonic() - started


def test_timestamp_rule_does_not_backtrack_on_a_line_of_spaces(tmp_path: Path) -> None:
    # three whitespace quantifiers in a row took 15 s on this 1.5 KB line
    path = write_article(
        tmp_path, "ts.txt", "Officials said the bridge reopened.\n12:30" + " " * 1500 + "x\n"
    )
    assert clean_seconds(path) < 1


def test_updated_prefix_and_spaces_is_not_quadratic(tmp_path: Path) -> None:
    lines = "".join(f"Updated{' ' * 900}{n}\n" for n in range(30))  # ~30 KB
    path = write_article(tmp_path, "up.txt", "Officials said the bridge reopened.\n" + lines)
    assert clean_seconds(path) < 1


def test_no_rule_looks_at_a_line_longer_than_the_bound() -> None:
    from briefgen.records import Document, Source

    rule = CleaningRule(id="any", reason="anything", pattern=".")
    cleaner = Cleaner(CleaningConfig(rules=[rule]))
    text = "short line\n" + "x" * MAX_RULE_LINE + ".\n"  # punctuated: not a headline
    doc = cleaner.clean(Document(Source(id="s", path="s.txt"), text, body_start=0))
    assert [r.text for r in doc.removed] == ["short line"]  # the long one is never furniture


def user_rules(tmp_path: Path, pattern: str) -> Path:
    configs = tmp_path / "cfg"
    configs.mkdir()
    (configs / "cleaning.yaml").write_text(
        f"rules:\n  - id: ok\n    reason: fine\n    pattern: '^x$'\n"
        f"  - id: mine\n    reason: mine\n    pattern: '{pattern}'\n"
    )
    return configs


def test_invalid_user_regex_is_file_line_exit_2(tmp_path: Path) -> None:
    configs = user_rules(tmp_path, "(unclosed")
    source = write_article(tmp_path, "a.txt", article())
    result = run_cli("--configs", str(configs), "-a", "nato", "-f", "md", "-o", "-", str(source))
    assert result.code == 2
    assert one_error_line(result.stderr).startswith(
        f"briefgen: error: {configs}/cleaning.yaml:7: rules[1].pattern: invalid regular "
        "expression: missing )"
    )


def test_exponential_user_pattern_fails_fast_naming_its_file_and_line(tmp_path: Path) -> None:
    # a real process: a stdlib re search cannot be interrupted, it would hang the suite
    configs = user_rules(tmp_path, "^(a|aa)+$")
    source = write_article(tmp_path, "a.txt", article() + "a" * 80 + "b\n")
    started = time.monotonic()
    proc = subprocess.run(
        [str(EXE), "--configs", str(configs), "-a", "nato", "-f", "md", "-o", "-", str(source)],
        capture_output=True,
        timeout=60,
    )
    assert time.monotonic() - started < 30
    assert proc.returncode == 2
    assert one_error_line(proc.stderr.decode()) == (
        f"briefgen: error: {configs}/cleaning.yaml:7: cleaning rule 'mine': pattern took over "
        f"0.25 s on {source}:3 (catastrophic backtracking?); simplify it\n"
    )
