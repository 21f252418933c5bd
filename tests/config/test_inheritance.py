"""A profile that ``extends:`` another keeps its templates and merges its sections by id."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.config.profiles import load_profile
from briefgen.errors import ConfigError
from briefgen.records import Brief
from briefgen.render import RenderOptions
from briefgen.render.html import render_html
from briefgen.render.markdown import render_markdown
from tests.factories import DIRS
from tests.helpers import ROOT
from tests.render.test_figures_and_frame import TODAY, brief, fact, quantity


def profile_file(folder: Path, text: str, name: str = "desk.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def figures_brief() -> Brief:
    text = "Troops moved 130 miles toward the border."
    return brief(fact(text, 0, quantities=(quantity(text, "130 miles", 130, "mile", "distance"),)))


def options_for(path: Path, template_dirs: tuple[Path, ...] = ()) -> RenderOptions:
    loaded = load_profile(str(path), DIRS)
    return RenderOptions(loaded.config, template_dirs, {}, TODAY, lineage=loaded.audiences)


def test_a_child_of_nato_keeps_the_key_figures_table(tmp_path: Path) -> None:
    path = profile_file(tmp_path, "extends: nato\nname: Regional desk\n")
    loaded = load_profile(str(path), DIRS)
    assert loaded.audiences == ("desk", "nato")
    options = options_for(path)
    assert "## Key figures" in render_markdown(figures_brief(), options)
    assert "Key figures" in render_html(figures_brief(), options)


def test_a_grandchild_follows_the_whole_chain(tmp_path: Path) -> None:
    profile_file(tmp_path, "extends: nato\nname: Desk\n")
    path = profile_file(tmp_path, "extends: desk.yaml\nname: Night desk\n", "night.yaml")
    assert load_profile(str(path), DIRS).audiences == ("night", "desk", "nato")
    assert "## Key figures" in render_markdown(figures_brief(), options_for(path))


def test_the_childs_own_template_comes_before_the_parents(tmp_path: Path) -> None:
    path = profile_file(tmp_path, "extends: nato\nname: Desk\n")
    templates = tmp_path / "tpl"
    (templates / "desk").mkdir(parents=True)
    (templates / "desk" / "brief.md.j2").write_text(
        '{% extends "!builtin/nato/brief.md.j2" %}{% block sources %}MINE\n{% endblock %}'
    )
    out = render_markdown(figures_brief(), options_for(path, (templates,)))
    assert "MINE" in out and "## Key figures" in out


def test_a_section_override_changes_only_the_keys_it_sets(tmp_path: Path) -> None:
    nato = load_profile("nato", DIRS).config
    first = nato.sections[0]
    path = profile_file(
        tmp_path, f"extends: nato\nname: Desk\nsections:\n  - id: {first.id}\n    max_items: 9\n"
    )
    desk = load_profile(str(path), DIRS).config
    assert [s.id for s in desk.sections] == [s.id for s in nato.sections]  # none dropped
    assert desk.sections[0].max_items == 9
    assert desk.sections[0].title == first.title and desk.sections[0].topics == first.topics
    assert desk.sections[1:] == nato.sections[1:]


def test_sections_are_added_and_removed_by_id(tmp_path: Path) -> None:
    nato = [s.id for s in load_profile("nato", DIRS).config.sections]
    path = profile_file(
        tmp_path,
        "extends: nato\nname: Desk\nsections:\n"
        f"  - id: {nato[1]}\n    remove: true\n"
        "  - id: ports\n    title: Ports\n    topics: [military]\n",
    )
    desk = load_profile(str(path), DIRS)
    assert [s.id for s in desk.config.sections] == [nato[0], *nato[2:], "ports"]
    assert desk.warnings == ()


def test_an_empty_list_still_means_no_sections(tmp_path: Path) -> None:
    path = profile_file(tmp_path, "extends: public\nname: Press\nsections: []\n")
    assert load_profile(str(path), DIRS).config.sections == []


def test_removing_an_unknown_section_warns_with_file_line_and_closest_id(tmp_path: Path) -> None:
    path = profile_file(
        tmp_path, "extends: nato\nname: Desk\nsections:\n  - id: activty\n    remove: true\n"
    )
    (warning,) = load_profile(str(path), DIRS).warnings
    assert warning.startswith(f"{path}:4: sections[0]: no section 'activty' to remove")
    assert "(did you mean `activity`?)" in warning
    with pytest.raises(ConfigError):
        load_profile(str(path), DIRS, strict=True)


def test_errors_in_a_merged_section_name_the_childs_line(tmp_path: Path) -> None:
    path = profile_file(
        tmp_path,
        "extends: nato\nname: Desk\nsections:\n  - id: new\n    title: New\n    max_items: ten\n"
        "  - id: activity\n    remove: maybe\n",
    )
    with pytest.raises(ConfigError) as err:
        load_profile(str(path), DIRS)
    assert err.value.format_message() == f"{path}:8: sections[1].remove: expected true or false"
    path.write_text(
        "extends: nato\nname: Desk\nsections:\n  - id: new\n    title: New\n    max_items: ten\n"
    )
    with pytest.raises(ConfigError) as err:
        load_profile(str(path), DIRS)
    assert err.value.format_message().startswith(f"{path}:6: sections[")
    assert "max_items: expected an integer, got 'ten'" in err.value.format_message()


def test_a_parents_line_is_kept_for_a_key_the_child_does_not_set(tmp_path: Path) -> None:
    parent = profile_file(
        tmp_path,
        "name: Base\nsections:\n  - id: a\n    title: A\n    max_items: ten\n",
        "base.yaml",
    )
    path = profile_file(
        tmp_path, "extends: base.yaml\nname: Desk\nsections:\n  - id: a\n    title: B\n"
    )
    with pytest.raises(ConfigError) as err:
        load_profile(str(path), DIRS)
    assert err.value.format_message().startswith(f"{parent}:5: sections[0].max_items")


def test_an_unknown_parent_names_file_line_and_closest_id(tmp_path: Path) -> None:
    path = profile_file(tmp_path, "name: Desk\nextends: natoo\n")
    with pytest.raises(ConfigError) as err:
        load_profile(str(path), DIRS)
    assert err.value.format_message() == (
        f"{path}:2: extends: unknown profile 'natoo' (did you mean `nato`?) "
        "(available: eu, nato, public)"
    )


def test_ids_ignore_case() -> None:
    assert load_profile("NATO", DIRS).config.id == "nato"
    with pytest.raises(ConfigError) as err:
        load_profile("Nat", DIRS)
    assert "unknown audience 'Nat' (did you mean `nato`?)" in err.value.format_message()


def test_the_guides_desk_example_loads_as_described(tmp_path: Path) -> None:
    guide = (ROOT / "docs" / "customizing.md").read_text(encoding="utf-8")
    example = guide.split('```yaml title="desk.yaml"\n', 1)[1].split("```", 1)[0]
    desk = load_profile(str(profile_file(tmp_path, example)), DIRS)
    assert [s.id for s in desk.config.sections] == ["activity", "implications", "ports"]
    assert desk.config.sections[0].max_items == 6 and desk.audiences == ("desk", "nato")
