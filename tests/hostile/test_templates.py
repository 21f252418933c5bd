"""Broken user templates: syntax, runtime errors, missing includes.

Part of the bad-input battery (issues 8 and 13), grouped by what it attacks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

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


# -- issue 13: templates run in Jinja's sandbox ----------------------------------------


@pytest.mark.parametrize(
    "expression",
    [
        "cycler.__init__.__globals__.os.popen('id').read()",
        "lipsum.__globals__['os'].popen('id').read()",
        "brief.__class__.__mro__[1].__subclasses__()",
        "(brief.sources | first).__class__.__init__.__globals__",
        "joiner.__init__.__globals__.__builtins__.open('/etc/hostname').read()",
        "[1].append(2)",
    ],
)
def test_template_cannot_reach_python_internals(tmp_path: Path, expression: str) -> None:
    marker = tmp_path / "ran"
    template = f"# {{{{ brief.title }}}}\n{{{{ {expression} }}}}\n"
    result, path = run_template(tmp_path, template.replace("'id'", f"'touch {marker}'"))
    assert result.code == 2, result.stdout
    line = one_error_line(result.stderr)
    assert line.startswith(f"briefgen: error: {path}:2: template error: SecurityError: ")
    assert not marker.exists() and not (tmp_path / "out").exists()


def test_sandboxed_template_still_has_the_brief_filters_loops_and_macros(tmp_path: Path) -> None:
    template = (
        "{% macro shout(text) %}{{ text | upper }}{% endmacro %}"
        "# {{ shout(brief.title | md) }}\n"
        "{% for item in brief.summary %}- {{ item | worded | md }} ({{ item | cite }})\n"
        "{% endfor %}{{ today }} {{ brief.sources | length }} {{ actors | join(', ') }}\n"
        "{{ 'a,b'.split(',') | join('-') }}\n"
    )
    result, _ = run_template(tmp_path, template)
    assert result.code == 0, result.stderr
    text = (tmp_path / "out" / "a" / "nato.md").read_text()
    assert text.startswith("# A\n- ") and "(S1 ¶1)" in text and "2024-07-09" in text
    assert text.endswith("a-b\n")


def test_a_template_linking_outside_its_folder_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("PRIVATE KEY MATERIAL")
    folder = tmp_path / "tpl"
    (folder / "nato").mkdir(parents=True)
    (folder / "nato" / "brief.md.j2").symlink_to(secret)
    (folder / "inside.md.j2").write_text('{% extends "brief.md.j2" %}')
    result = run_cli("-a", "nato", "-f", "md", "--templates", str(folder), "-o", "-")
    assert result.code == 2 and "PRIVATE" not in result.stdout
    assert one_error_line(result.stderr).endswith(
        f"nato/brief.md.j2: a template may not link outside its folder (it leads to {secret})\n"
    )
    # a link that stays inside the folder is an ordinary template
    (folder / "nato" / "brief.md.j2").unlink()
    (folder / "nato" / "brief.md.j2").symlink_to(folder / "inside.md.j2")
    result = run_cli("-a", "nato", "-f", "md", "--templates", str(folder), "-o", "-")
    assert result.code == 0 and "BOTTOM LINE UP FRONT" in result.stdout.upper(), result.stderr
