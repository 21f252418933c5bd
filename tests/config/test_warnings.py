"""Plausible customising mistakes that used to succeed silently are warnings with
file, line and "did you mean"."""

from __future__ import annotations

from pathlib import Path

from briefgen.config.checks import profile_warnings
from briefgen.config.folders import folder_warning
from briefgen.config.profiles import load_profile
from briefgen.config.workspace import search_folders
from briefgen.render.blocks import unknown_blocks
from tests.factories import DIRS, SHARED
from tests.helpers import run_cli


def export_like(folder: Path) -> Path:
    """A folder laid out as ``--export-templates`` writes it."""
    (folder / "templates" / "press").mkdir(parents=True)
    (folder / "templates" / "press" / "brief.md.j2").write_text('{% extends "brief.md.j2" %}')
    (folder / "configs" / "audiences").mkdir(parents=True)
    (folder / "configs" / "audiences" / "press.yaml").write_text("extends: public\nname: Press\n")
    return folder


def test_the_export_folder_itself_suggests_its_subfolders(tmp_path: Path) -> None:
    mine = export_like(tmp_path / "mybrief")
    folders = search_folders([mine], [mine], workspace=None)
    assert folders.warnings == (
        f"--templates {mine}: holds none of the files briefgen looks for there (*.j2 or "
        f"*.css, or <audience>/*.j2); did you mean `{mine / 'templates'}`?",
        f"--configs {mine}: holds none of the files briefgen looks for there "
        f"(audiences/*.yaml, topics.yaml, aliases.yaml, ...); did you mean `{mine / 'configs'}`?",
    )


def test_a_config_folder_given_as_templates_says_so(tmp_path: Path) -> None:
    configs = export_like(tmp_path / "mybrief") / "configs"
    warning = folder_warning("templates", configs, f"--templates {configs}")
    assert warning is not None and warning.endswith("; it holds configs: give it to --configs")


def test_folders_that_hold_what_briefgen_reads_give_no_warning(tmp_path: Path) -> None:
    mine = export_like(tmp_path / "mybrief")
    assert search_folders([mine / "templates"], [mine / "configs"], workspace=None).warnings == ()


def test_a_folder_named_in_briefgen_yaml_is_checked_with_its_line(tmp_path: Path) -> None:
    export_like(tmp_path / "mybrief")
    (tmp_path / "briefgen.yaml").write_text("configs: [mybrief/configs]\ntemplates:\n  - mybrief\n")
    (warning,) = search_folders([], [], workspace=tmp_path).warnings
    assert warning.startswith(f"briefgen.yaml:3: templates[0]: {tmp_path / 'mybrief'}: holds none")
    assert warning.endswith(f"did you mean `{tmp_path / 'mybrief' / 'templates'}`?")


def test_an_audience_in_a_subfolder_of_configs_is_hinted(tmp_path: Path) -> None:
    mine = export_like(tmp_path / "mybrief")
    result = run_cli("--configs", str(mine), "-a", "press", "-f", "md", "-o", str(tmp_path / "o"))
    assert result.code == 2
    assert f"did you mean `{mine / 'configs'}`?" in result.stderr  # the folder warning
    assert result.stderr.strip().splitlines()[-1] == (
        f"briefgen: error: unknown audience 'press'; {mine / 'configs'} holds it: give "
        f"--configs {mine / 'configs'} (available: eu, nato, public, all)"
    )


def test_a_misspelled_block_in_an_override_names_file_line_and_closest(tmp_path: Path) -> None:
    (tmp_path / "press").mkdir()
    template = tmp_path / "press" / "brief.md.j2"
    template.write_text(
        '{% extends "!builtin/nato/brief.md.j2" %}\n{% block meta %}ok{% endblock %}\n'
        "{% block metta %}lost{% endblock %}\n{% block extra %}ok{% endblock %}\n"
    )
    (tmp_path / "plain.md.j2").write_text("no extends: {% block anything %}{% endblock %}")
    assert unknown_blocks([tmp_path]) == [
        f"{template}:3: block 'metta' is not a block of !builtin/nato/brief.md.j2 "
        "(did you mean `meta`?); it is never shown"
    ]


def test_blocks_are_known_through_the_whole_extends_chain(tmp_path: Path) -> None:
    (tmp_path / "mid.md.j2").write_text(
        '{% extends "!builtin/base.md.j2" %}'
        "{% block sources %}{% block new %}{% endblock %}{% endblock %}"
    )
    (tmp_path / "top.md.j2").write_text('{% extends "mid.md.j2" %}{% block new %}x{% endblock %}'
                                        "{% block sources %}y{% endblock %}")  # fmt: skip
    assert unknown_blocks([tmp_path]) == []


def test_misspelled_entities_and_topics_name_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "desk.yaml"
    path.write_text(
        "extends: nato\nname: Desk\nentity_weights:\n  Chna's Ministry of Defense: 1.0\n"
        "  PLA: 2.0\n  Poland: 1.0\ntopic_weights:\n  militray: 1.0\n"
    )
    warnings = profile_warnings(load_profile(str(path), DIRS), SHARED)
    assert warnings == [
        f"{path}:8: topic_weights.militray: unknown topic 'militray' (did you mean `military`?)",
        f'{path}:4: entity_weights."Chna\'s Ministry of Defense": unknown entity '
        "'Chna's Ministry of Defense': not a name in aliases.yaml or topics.yaml "
        "(did you mean `China's Ministry of Defense`?)",
        f"{path}:5: entity_weights.PLA: unknown entity 'PLA': facts carry the canonical "
        "name (did you mean `People's Liberation Army`?)",
    ]  # Poland: not in the tables and close to nothing listed, so it may match as written


def test_the_built_in_profiles_warn_of_nothing() -> None:
    for audience in ("nato", "eu", "public"):
        assert profile_warnings(load_profile(audience, DIRS), SHARED) == []
