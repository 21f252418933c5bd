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


# -- issue 13: ids, one-line fields, page setup, extends ------------------------------


def profile_error(tmp_path: Path, yaml_text: str, name: str = "desk.yaml") -> str:
    """The one error line of running with the profile ``yaml_text`` (exit 2, nothing written)."""
    path = tmp_path / name
    path.write_text(yaml_text, encoding="utf-8")
    source = write_article(tmp_path, "a.txt", article())
    result = run_cli("-a", str(path), "-f", "md", "-o", str(tmp_path / "out"), str(source))
    assert result.code == 2, result.stderr
    assert not (tmp_path / "out").exists()
    return one_error_line(result.stderr)


@pytest.mark.parametrize("bad_id", ["../../escaped", "/tmp/abs", "a/b", ".hidden", "x" * 245, ""])
def test_profile_id_must_be_a_safe_slug(tmp_path: Path, bad_id: str) -> None:
    line = profile_error(tmp_path, f"extends: nato\nid: '{bad_id}'\nname: Desk\n")
    assert line.startswith(f"briefgen: error: {tmp_path}/desk.yaml:2: id: not a safe id: ")
    assert not list(tmp_path.parent.glob("escaped*")) and not Path("/tmp/abs").exists()


def test_profile_id_from_an_unsafe_file_name_is_refused(tmp_path: Path) -> None:
    line = profile_error(tmp_path, "extends: nato\nname: Desk\n", name="my desk.yaml")
    assert "id: not a safe id: 'my desk'" in line


@pytest.mark.parametrize("field", ["marking", "issuer", "name", "description", "intro"])
@pytest.mark.parametrize("char", ["\\r", "\\f", "\\n", "\\x85", "\\u2028", "\\x1b"])
def test_control_characters_in_one_line_profile_fields_are_refused(
    tmp_path: Path, field: str, char: str
) -> None:
    # a marking or issuer reaches CSS content: "A\r} body { display: none }" hid the brief
    text = f'extends: nato\n{field}: "A{char}}} body {{ display: none }}"\n'
    line = profile_error(tmp_path, text + ("name: Desk\n" if field != "name" else ""))
    assert line.startswith(f"briefgen: error: {tmp_path}/desk.yaml:2: {field}: control character ")
    assert "\x1b" not in line


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("page_size", "A4x", "not a page size: 'A4x'"),
        ("page_size", "huge landscape", "not a page size"),
        ("margin", "500mm", "margin '500mm' is larger than 100 mm"),
        ("margin", "20mm 18mm 1 2 3", "not a margin"),
        ("margin", "auto", "not a margin"),
    ],
)
def test_garbage_page_setup_is_refused_with_line(
    tmp_path: Path, key: str, value: str, message: str
) -> None:
    line = profile_error(tmp_path, f"extends: nato\nname: Desk\npdf:\n  {key}: '{value}'\n")
    assert line.startswith(f"briefgen: error: {tmp_path}/desk.yaml:4: pdf.{key}: {message}")


@pytest.mark.parametrize(
    "value", ["A4", "letter landscape", "A5 portrait", "210mm 297mm", "8.5in 11in"]
)
def test_real_page_sizes_are_accepted(value: str) -> None:
    from briefgen.config.profiles import PdfConfig

    assert PdfConfig(page_size=value, margin="1in 2cm 10mm 20pt").page_size == value


def test_extends_chain_thousands_deep_is_refused_not_a_recursion_error(tmp_path: Path) -> None:
    for n in range(3000):
        parent = f"p{n + 1}.yaml" if n < 2999 else "nato"
        (tmp_path / f"p{n}.yaml").write_text(f"extends: {parent}\nname: P{n}\n")
    source = write_article(tmp_path, "a.txt", article())
    args = ("-a", str(tmp_path / "p0.yaml"), "-f", "md", "-o", str(tmp_path / "out"))
    result = run_cli(*args, str(source))
    assert result.code == 2
    assert one_error_line(result.stderr) == (
        f"briefgen: error: {tmp_path}/p19.yaml:1: extends: more than 20 profiles deep\n"
    )


SHADOW = (
    "root:$6$s3cr3tsalt$hashofrootpassword0123456789:19000:0:99999:7:::\n"
    "daemon:*:19000:0:99999:7:::\n"
    "alice:$6$alicesalt$hashofalicepassword987654321:19000:0:99999:7:::\n"
)


@pytest.mark.parametrize("name", ["shadow", "shadow.yaml"])
def test_extends_pointing_at_a_system_file_never_echoes_it(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_text(SHADOW)
    line = profile_error(tmp_path, f"extends: {tmp_path / name}\nname: Desk\n")
    assert "not a profile" in line or "not an audience profile" in line
    line = line.replace(str(tmp_path), "")  # the folder may be under /root
    for secret in ("s3cr3t", "hashof", "root", "alice", "daemon"):
        assert secret not in line


def test_a_profile_that_is_a_link_to_a_system_file_never_echoes_it(tmp_path: Path) -> None:
    (tmp_path / "shadow").write_text(SHADOW)
    (tmp_path / "desk.yaml").symlink_to(tmp_path / "shadow")
    source = write_article(tmp_path, "a.txt", article())
    result = run_cli("-a", str(tmp_path / "desk.yaml"), "-o", str(tmp_path / "out"), str(source))
    assert result.code == 2
    assert "not an audience profile" in one_error_line(result.stderr)
    assert "s3cr3t" not in result.stderr and "alice" not in result.stderr
    assert "daemon" not in result.stderr


def test_quoted_keys_and_values_are_truncated(tmp_path: Path) -> None:
    key = "k" * 300
    path = tmp_path / "desk.yaml"
    path.write_text(f"extends: nato\nname: Desk\n{key}: 1\nmin_score: '{'v' * 300}'\n")
    result = run_cli("-a", str(path), "-f", "md", "-o", str(tmp_path / "out"))
    assert result.code == 2
    unknown, error = result.stderr.splitlines()
    assert unknown == f"briefgen: error: {path}:3: {'k' * 39}…: unknown key"
    assert error.startswith(f"briefgen: error: {path}:4: min_score: expected a number, got 'vvv")
    assert len(error) < len(str(path)) + 120
