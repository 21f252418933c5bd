"""Profiles (validation, inheritance, errors with file:line) and template overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.config.profiles import load_profile
from briefgen.config.shared import config_dirs
from briefgen.errors import ConfigError
from tests.helpers import run_cli

DIRS = config_dirs(())


def test_builtin_profiles_validate_and_differ() -> None:
    nato, eu, public = (load_profile(a, DIRS).config for a in ("nato", "eu", "public"))
    assert nato.marking == "NATO UNCLASSIFIED" and public.marking == "PUBLIC"
    assert (nato.wording.units, eu.wording.units, public.wording.units) == (
        "metric",
        "metric",
        "both",
    )
    assert (nato.wording.date_style, public.wording.acronyms) == ("military", "expand")
    assert nato.topic_weights != eu.topic_weights != public.topic_weights


def test_profile_extends_and_overrides_one_key(tmp_path: Path) -> None:
    path = tmp_path / "desk.yaml"
    path.write_text("extends: nato\nname: Regional desk\nwording:\n  units: both\n")
    profile = load_profile(str(path), DIRS).config
    assert (profile.id, profile.name) == ("desk", "Regional desk")
    assert profile.wording.units == "both"
    assert profile.wording.date_style == "military"  # inherited from nato
    assert profile.marking == "NATO UNCLASSIFIED"


def test_all_schema_errors_at_once_with_file_line_and_key(tmp_path: Path) -> None:
    path = tmp_path / "desk.yaml"
    path.write_text(
        "id: desk\nname: [a, b]\nsummary:\n  max_items: ten\nsections:\n  - id: s\n    title: S\n"
        "    kinds: [rumour]\n"
    )
    with pytest.raises(ConfigError) as err:
        load_profile(str(path), DIRS)
    lines = err.value.format_message().splitlines()
    assert lines[0] == f"{path}:2: name: expected a string, got a list"
    assert lines[1] == f"{path}:4: summary.max_items: expected an integer, got 'ten'"
    assert lines[2].startswith(f"{path}:8: sections[0].kinds[0]: Input should be 'event',")


def test_unknown_key_is_a_warning_with_a_suggestion(tmp_path: Path) -> None:
    path = tmp_path / "desk.yaml"
    path.write_text("id: desk\nname: Desk\nsumary:\n  max_items: 2\n")
    loaded = load_profile(str(path), DIRS)
    assert loaded.warnings == (f"{path}:3: sumary: unknown key (did you mean `summary`?)",)
    with pytest.raises(ConfigError, match="did you mean `summary`"):
        load_profile(str(path), DIRS, strict=True)


def test_yaml_syntax_error_names_line(tmp_path: Path) -> None:
    path = tmp_path / "desk.yaml"
    path.write_text("id: desk\nname: [unclosed\n")
    with pytest.raises(ConfigError, match=rf"^{path}:3: invalid YAML"):
        load_profile(str(path), DIRS)


def test_bad_profile_on_the_command_line_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "desk.yaml"
    path.write_text("id: desk\nname: Desk\nmin_score: high\n")
    result = run_cli("-a", str(path), "-f", "md", "-o", str(tmp_path))
    assert result.code == 2
    assert result.stderr == f"briefgen: error: {path}:3: min_score: expected a number, got 'high'\n"


def test_user_template_overrides_one_block_via_builtin_prefix(tmp_path: Path) -> None:
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "brief.md.j2").write_text(
        '{% extends "!builtin/base.md.j2" %}\n{% block sources %}## Provenance\n{% endblock %}\n'
    )
    result = run_cli("-a", "eu", "-f", "md", "-o", "-", "--templates", str(tmp_path / "tpl"))
    assert result.code == 0, result.stderr
    assert "## Provenance" in result.stdout and "## Sources" not in result.stdout
    assert "## Key points" in result.stdout  # other blocks still come from the built-in


def test_template_error_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "brief.md.j2").write_text("# {{ brief.title }}\n{{ brief.nope }}\n")
    result = run_cli("-a", "eu", "-f", "md", "-o", "-", "--templates", str(tmp_path / "tpl"))
    assert result.code == 2
    assert result.stderr.startswith(f"briefgen: error: {tmp_path / 'tpl' / 'brief.md.j2'}:2: ")
    assert "has no attribute 'nope'" in result.stderr


def test_builtin_configs_parse_the_same_with_libyaml_and_the_bounded_loader(
    tmp_path: Path,
) -> None:
    """Built-in files take the fast libyaml path; a copy in a user folder the bounded one."""
    import briefgen.config.loading as configfile
    from briefgen.resources import builtin_dir

    builtin = builtin_dir("configs")
    files = sorted(builtin.rglob("*.yaml"))
    assert len(files) >= 7
    for path in files:
        copy = tmp_path / path.relative_to(builtin)
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_bytes(path.read_bytes())
        assert configfile._is_builtin(path) and not configfile._is_builtin(copy)
        fast, bounded = configfile.load_yaml(path, "f"), configfile.load_yaml(copy, "f")
        assert fast.data == bounded.data and fast.lines == bounded.lines, path.name
