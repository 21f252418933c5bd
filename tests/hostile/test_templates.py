"""Broken user templates: syntax, runtime errors, missing includes.

Part of the bad-input battery (issues 8 and 13), grouped by what it attacks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.helpers import (
    article,
    one_error_line,
    run_cli,
    write_article,
)

# -- templates ------------------------------------------------------------------------


def run_template(tmp_path: Path, template: str) -> tuple[Any, Path]:
    (tmp_path / "tpl").mkdir()
    path = tmp_path / "tpl" / "brief.md.j2"
    path.write_text(template)
    source = write_article(tmp_path, "a.txt", article())
    args = ("-a", "nato", "-f", "md", "--templates", str(tmp_path / "tpl"))
    return run_cli(*args, "-o", str(tmp_path / "out"), str(source)), path


def test_template_syntax_error_exits_2_naming_template_and_line(tmp_path: Path) -> None:
    broken = '{% extends "!builtin/brief.md.j2" %}\n{% block sources %}\n{% if %}\n{% endblock %}\n'
    result, path = run_template(tmp_path, broken)
    assert result.code == 2
    assert one_error_line(result.stderr).startswith(
        f"briefgen: error: {path}:3: template syntax error: "
    )
    assert not (tmp_path / "out").exists()


def test_template_including_a_missing_file_exits_2(tmp_path: Path) -> None:
    result, _ = run_template(tmp_path, "# x\n{% include 'nothere.j2' %}\n")
    assert result.code == 2
    assert "nothere.j2" in one_error_line(result.stderr)


def test_template_runtime_error_exits_2_naming_template_and_line(tmp_path: Path) -> None:
    result, path = run_template(tmp_path, "# {{ brief.title }}\n\n{{ 1 / 0 }}\n")
    assert result.code == 2
    assert one_error_line(result.stderr).startswith(f"briefgen: error: {path}:3: template error: ")
    assert "division by zero" in result.stderr
