"""Customisation without code: export, search order, briefgen.yaml, the documented example."""

from __future__ import annotations

import io
import re
import shlex
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefgen.config import reference
from tests.helpers import ROOT, SEED, run_cli, without_closing_line

DOCS = ROOT / "docs" / "customizing.md"
FENCE = re.compile(r"```(\w+)(?: title=\"([^\"]+)\")?\n(.*?)```", re.S)


def test_export_templates_writes_builtins_and_readme(tmp_path: Path) -> None:
    result = run_cli("--export-templates", str(tmp_path / "x"))
    assert result.code == 0, result.stderr
    readme = (tmp_path / "x" / "README.md").read_text()
    assert "- `summary`" in readme and "- `perspectives`" in readme  # blocks
    assert "- `worded`:" in readme and "- `md`:" in readme  # filters
    # the built-ins to read, outside the searched folders: nothing shadows a built-in
    assert (tmp_path / "x" / "builtin" / "templates" / "base.md.j2").is_file()
    assert (tmp_path / "x" / "builtin" / "configs" / "audiences" / "nato.yaml").is_file()
    mine = sorted(
        str(p.relative_to(tmp_path / "x"))
        for folder in ("templates", "configs")
        for p in (tmp_path / "x" / folder).rglob("*")
        if p.is_file()
    )
    assert mine == ["configs/audiences/example.yaml", "templates/example/brief.md.j2"]
    listed = run_cli("--configs", str(tmp_path / "x" / "configs"), "--list-audiences")
    origins = {row.split("\t")[0]: row.split("\t")[3] for row in listed.stdout.splitlines()}
    assert origins["example"].startswith(f"({tmp_path / 'x' / 'configs'}:")
    assert all(origins[a].startswith("(built-in:") for a in ("nato", "eu", "public"))
    example = run_cli(
        "--configs", str(tmp_path / "x" / "configs"), "--templates",
        str(tmp_path / "x" / "templates"), "-a", "example", "-f", "md", "-o", "-",
    )  # fmt: skip
    assert example.code == 0, example.stderr
    assert without_closing_line(example.stderr) == ""
    assert example.stdout.startswith("**EXAMPLE — NOT FOR DISTRIBUTION**")
    assert "*Example audience · prepared " in example.stdout
    again = run_cli("--export-templates", str(tmp_path / "x"))
    assert again.code == 1
    assert "already exists; export into an empty folder" in again.stderr


def test_list_audiences_notes_a_copy_identical_to_the_builtin(tmp_path: Path) -> None:
    (tmp_path / "audiences").mkdir()
    for name in ("nato", "eu"):
        shutil.copy(ROOT / "configs" / "audiences" / f"{name}.yaml", tmp_path / "audiences")
    changed = tmp_path / "audiences" / "eu.yaml"
    changed.write_text(changed.read_text().replace("name: EU officials", "name: EU desk"))
    listed = run_cli("--configs", str(tmp_path), "--list-audiences").stdout.splitlines()
    notes = {row.split("\t")[0]: row.split("\t")[3] for row in listed}
    assert notes["nato"].endswith("; same as the built-in: delete it to follow upgrades)")
    assert "same as the built-in" not in notes["eu"] + notes["public"]


def test_export_imports_no_heavy_library(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys; from briefgen.cli import main\n"
        f"main(['--export-templates', {str(tmp_path / 'e')!r}])\n"
        "print('spacy' in sys.modules or 'weasyprint' in sys.modules)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120)
    assert proc.stdout.decode().splitlines()[-1] == "False", proc.stderr.decode()


def test_new_audience_from_yaml_alone_and_listed_with_origin(tmp_path: Path) -> None:
    (tmp_path / "c" / "audiences").mkdir(parents=True)
    (tmp_path / "c" / "audiences" / "desk.yaml").write_text(
        "name: Regional desk\ndescription: For the desk.\nmarking: DESK ONLY\n"
        "sections:\n  - id: all\n    title: Everything\n    max_items: 2\n"
    )
    listed = run_cli("--configs", str(tmp_path / "c"), "--list-audiences")
    row = next(r for r in listed.stdout.splitlines() if r.startswith("desk\t"))
    assert row.split("\t")[1:3] == ["Regional desk", "For the desk."]
    assert f"({tmp_path / 'c'}:" in row
    assert "(built-in:" in next(r for r in listed.stdout.splitlines() if r.startswith("nato\t"))
    result = run_cli("--configs", str(tmp_path / "c"), "-a", "desk", "-f", "md", "-o", "-")
    assert result.code == 0, result.stderr
    assert result.stdout.startswith("**DESK ONLY**")
    assert "## Everything" in result.stdout


def test_search_order_cli_then_project_file_then_builtin(tmp_path: Path) -> None:
    for name, heading in (("first", "FIRST"), ("second", "SECOND")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "brief.md.j2").write_text(
            f'{{% extends "!builtin/base.md.j2" %}}{{% block title %}}# {heading}\n{{% endblock %}}'
        )
    (tmp_path / "briefgen.yaml").write_text("templates: [second]\n")
    args = ("-a", "eu", "-f", "md", "-o", "-")
    assert "# SECOND" in run_cli(*args, cwd=tmp_path).stdout
    both = run_cli(*args, "--templates", str(tmp_path / "first"), cwd=tmp_path).stdout
    assert "# FIRST" in both and "# SECOND" not in both
    (tmp_path / "briefgen.yaml").unlink()
    assert "# China and Belarus" in run_cli(*args, cwd=tmp_path).stdout


def test_project_file_errors_name_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "briefgen.yaml").write_text("templates: [nowhere]\n")
    result = run_cli("--list-audiences", cwd=tmp_path)
    assert result.code == 2
    assert result.stderr == (
        "briefgen: error: briefgen.yaml:1: templates[0]: folder 'nowhere' does not exist\n"
    )
    (tmp_path / "briefgen.yaml").write_text("template: [x]\n")
    result = run_cli("--list-audiences", cwd=tmp_path)
    assert "briefgen.yaml:1: template: unknown key (did you mean `templates`?)" in result.stderr


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{% block title %}\n# {{ brief.title }\n", "brief.md.j2:2: template syntax error: "),
        ('{% extends "nothere.md.j2" %}\n', "template nothere.md.j2 not found in ["),
    ],
)
def test_template_errors(tmp_path: Path, template: str, message: str) -> None:
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "brief.md.j2").write_text(template)
    result = run_cli("-a", "eu", "-f", "md", "-o", "-", "--templates", str(tmp_path / "t"))
    assert result.code == 2
    assert message in result.stderr
    assert result.stderr.count("\n") == 1


def test_profile_reference_in_docs_is_up_to_date() -> None:
    text = DOCS.read_text(encoding="utf-8")
    start = text.index(reference.BEGIN)
    end = text.index(reference.END) + len(reference.END)
    assert text[start:end] == reference.render(), (
        "run: python -m briefgen.config.reference --write docs/customizing.md"
    )
    assert "| `wording.units` |" in text and "| `sections[].max_items` |" in text


def test_worked_example_from_the_docs(tmp_path: Path) -> None:
    """Follow docs/customizing.md step by step: run its commands, write its files, in order."""
    commands = 0
    for lang, title, body in FENCE.findall(DOCS.read_text(encoding="utf-8")):
        if title:
            target = tmp_path / title
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(body)
        elif lang == "sh":
            result = run_cli(*shlex.split(body.strip())[1:], cwd=tmp_path)  # drop "briefgen"
            assert result.code == 0, result.stderr
            commands += 1
    assert commands == 2
    md = (tmp_path / "output" / SEED.stem / "press.md").read_text()
    assert md.startswith("**FOR PUBLICATION**")
    assert "## Lines to take" in md and "## On the record" in md
    assert "*Press office · prepared 2024-07-09" in md
    assert "North Atlantic Treaty Organization (NATO)" in md  # the public wording
    pdf = (tmp_path / "output" / SEED.stem / "press.pdf").read_bytes()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        assert "FOR PUBLICATION" in " ".join(page.extract_text().split())
