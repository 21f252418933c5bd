"""Terminal control sequences in names and values never reach the terminal raw.

Part of the bad-input battery (issues 8 and 13), grouped by what it attacks.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.helpers import article, run_cli, write_article


def test_terminal_control_characters_in_messages_are_escaped(tmp_path: Path) -> None:
    path = tmp_path / "a\x1b]0;pwned\x07.txt"
    path.write_text('---\npublished: "\u202eyesterday"\n---\nText here.\n')
    result = run_cli("-a", "nato", "-f", "md", "-o", "-", str(path))
    assert result.code == 1
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "\u202e" not in result.stderr
    assert "a\\x1b]0;pwned\\x07.txt:2: published: expected a date" in result.stderr
    assert "'\\u202eyesterday'" in result.stderr  # the bidi override, shown not obeyed


# -- issue 13: what briefgen prints on stdout is escaped too ---------------------------

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029\u202a-\u202e]")


def test_written_paths_are_escaped_one_per_line(tmp_path: Path) -> None:
    names = ["a\x1b]0;pwned\x07.txt", "b\nc.txt", "d\u202eexe.txt"]
    paths = [write_article(tmp_path, name, article()) for name in names]
    out = tmp_path / "out\x1b[1m"  # the user's own folder name is printed escaped
    result = run_cli("-a", "nato", "-f", "md,json", "-o", str(out), *map(str, paths))
    assert result.code == 0, result.stderr
    assert not CONTROL.search(result.stdout)
    lines = result.stdout.splitlines()
    assert len(lines) == 6  # one line per brief, whatever the file names hold
    shown = f"{tmp_path}/out\\x1b[1m"
    # folder names made from file names are safe names: no control character survives
    assert f"{shown}/a-0-pwned-/nato.md" in lines
    assert f"{shown}/b-c/nato.md" in lines and f"{shown}/d-exe/nato.json" in lines


def test_explain_escapes_article_text(tmp_path: Path) -> None:
    body = (
        "Officials said on Monday that the bridge \x1b]0;pwned\x07 reopened after repairs.\n"
        "The mayor said \u202ethe work\u202c cost 2 million euros and ended early.\n"
    )
    path = write_article(tmp_path, "e\x1b[2J.txt", body)
    result = run_cli("--explain", "-a", "nato", str(path))
    assert result.code == 0, result.stderr
    assert not CONTROL.search(result.stdout)
    assert "bridge \\x1b]0;pwned\\x07 reopened" in result.stdout
    assert "said \\u202ethe work\\u202c cost" in result.stdout
    assert f"== {tmp_path}/e\\x1b[2J.txt" in result.stdout


def test_list_audiences_escapes_names_descriptions_and_folders(tmp_path: Path) -> None:
    configs = tmp_path / "c\x1b[31m"
    (configs / "audiences").mkdir(parents=True)
    (configs / "audiences" / "desk.yaml").write_text(
        'extends: nato\nname: "Desk \u202eksed"\ndescription: "\u2066quiet\u2069"\n'
    )  # format characters: allowed in a profile (names need them), escaped on a terminal
    result = run_cli("--list-audiences", "--configs", str(configs))
    assert result.code == 0, result.stderr
    assert not CONTROL.search(result.stdout) and "\u2066" not in result.stdout
    desk = next(line for line in result.stdout.splitlines() if line.startswith("desk\t"))
    assert desk.split("\t")[1] == "Desk \\u202eksed"
    assert "c\\x1b[31m" in desk
