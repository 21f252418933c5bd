"""Audience profiles that are invalid, hostile YAML or carry unknown keys.

Part of the bad-input battery (issues 8 and 13), grouped by what it attacks.
"""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from briefgen.config import loading
from briefgen.config.profiles import load_profile
from briefgen.config.shared import config_dirs
from briefgen.errors import ConfigError
from tests.helpers import (
    alias_bomb,
    article,
    deadline,
    one_error_line,
    run_cli,
    write_article,
)

# -- audiences and profiles -----------------------------------------------------------


def test_unknown_audience_exits_2_listing_available_ones(tmp_path: Path) -> None:
    (tmp_path / "cfg" / "audiences").mkdir(parents=True)
    (tmp_path / "cfg" / "audiences" / "desk.yaml").write_text("extends: nato\nname: Desk\n")
    result = run_cli("-a", "navy", "--configs", str(tmp_path / "cfg"), "-o", str(tmp_path))
    assert result.code == 2
    assert one_error_line(result.stderr) == (
        "briefgen: error: unknown audience 'navy' (available: desk, eu, nato, public, all)\n"
    )


BAD_PROFILES = [
    ("id: desk\nname: Desk\nsummary:\n  max_items: 3\n   title: x\n", ":5: invalid YAML: "),
    ("id: desk\nname: Desk\nsummary: {max_items: 3\n", ":4: invalid YAML: "),
    ("id: desk\nname: [a, b]\nmin_score: high\n", ":2: name: expected a string, got a list"),
    (alias_bomb(), ":8: YAML too large: more than 100000 values after expanding aliases"),
    ("id: d\nname: D\nx: " + "[" * 10_000 + "]" * 10_000 + "\n", ":3: invalid YAML: nested deeper"),
    ("id: d\nname: D\nloop: &a [*a]\n", ":3: YAML too large: nested deeper than 50 levels"),
    ("id: d\nname: D\nintro: a\nname: E\n", ":4: name: key given twice (first on line 2)"),
    ("id: d\nname: D\nintro: 2024-13-45\n", ":3: invalid YAML: invalid timestamp: month must"),
    ("id: d\nname: D\nintro: \x07bell\n", ":3: invalid YAML: U+0007 is not allowed"),
    ("id: d\nname: D\n" + "# padding\n" * 110_000, ": larger than the config size limit"),
]


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    BAD_PROFILES,
    ids=[
        "bad-indent",
        "unclosed",
        "wrong-types",
        "alias-bomb",
        "deep",
        "recursive-alias",
        "duplicate-key",
        "bad-date",
        "control-char",
        "oversized",
    ],
)
def test_bad_profile_exits_2_with_file_and_line(
    tmp_path: Path, yaml_text: str, message: str
) -> None:
    path = tmp_path / "desk.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    with deadline(5):  # refused fast, not after expanding anything
        result = run_cli("-a", str(path), "-f", "md", "-o", str(tmp_path / "out"))
    assert result.code == 2
    assert result.stderr.startswith(f"briefgen: error: {path}{message}"), result.stderr
    assert all(line.startswith("briefgen: error: ") for line in result.stderr.splitlines())
    assert "Traceback" not in result.stderr and not (tmp_path / "out").exists()


def test_too_many_values_are_refused_while_composing(monkeypatch: pytest.MonkeyPatch) -> None:

    monkeypatch.setattr(loading, "MAX_NODES", 1000)  # the mechanism, without 100,000 nodes
    with pytest.raises(ConfigError, match=r"^big\.yaml:998: invalid YAML: more than 1000 values"):
        loading.parse_yaml("id: d\nname: D\nx:\n" + "- 1\n" * 2000, "big.yaml")


def test_every_schema_error_is_its_own_prefixed_line(tmp_path: Path) -> None:
    path = tmp_path / "desk.yaml"
    path.write_text("id: desk\nname: [a, b]\nmin_score: high\n")
    result = run_cli("-a", str(path), "-f", "md", "-o", str(tmp_path / "out"))
    assert result.stderr == (
        f"briefgen: error: {path}:2: name: expected a string, got a list\n"
        f"briefgen: error: {path}:3: min_score: expected a number, got 'high'\n"
    )


def test_error_in_a_list_that_replaces_the_parents_names_the_users_file(tmp_path: Path) -> None:
    path = tmp_path / "desk.yaml"
    path.write_text("extends: nato\nname: Desk\nsections:\n  - title: No id\n")
    result = run_cli("-a", str(path), "-f", "md", "-o", str(tmp_path / "out"))
    assert result.code == 2
    assert one_error_line(result.stderr) == (
        f"briefgen: error: {path}:4: sections[0].id: required key is missing\n"
    )


def test_alias_bomb_is_refused_in_bounded_memory(tmp_path: Path) -> None:

    path = tmp_path / "bomb.yaml"
    path.write_text(alias_bomb())
    tracemalloc.start()
    with deadline(10), pytest.raises(ConfigError, match="alias bomb"):
        load_profile(str(path), config_dirs(()))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 64_000_000  # 9**9 strings expanded would be gigabytes


def test_unknown_key_warns_with_line_and_strict_refuses(tmp_path: Path) -> None:
    path = tmp_path / "desk.yaml"
    path.write_text("extends: nato\nname: Desk\nsumary:\n  max_items: 2\n")
    source = write_article(tmp_path, "a.txt", article())
    result = run_cli("-a", str(path), "-f", "md", "-o", str(tmp_path / "out"), str(source))
    assert result.code == 0, result.stderr
    warning = f"briefgen: warning: {path}:3: sumary: unknown key (did you mean `summary`?)\n"
    assert warning in result.stderr
    assert (tmp_path / "out" / "a" / "desk.md").is_file()
    strict = run_cli(
        "--strict", "-a", str(path), "-f", "md", "-o", str(tmp_path / "o2"), str(source)
    )
    assert strict.code == 2
    assert one_error_line(strict.stderr) == warning.replace("warning", "error")
