"""Terminal control sequences in names and values never reach the terminal raw.

Part of the bad-input battery (issues 8 and 13), grouped by what it attacks.
"""

from __future__ import annotations

from pathlib import Path

from tests.helpers import (
    run_cli,
)


def test_terminal_control_characters_in_messages_are_escaped(tmp_path: Path) -> None:
    path = tmp_path / "a\x1b]0;pwned\x07.txt"
    path.write_text('---\npublished: "\u202eyesterday"\n---\nText here.\n')
    result = run_cli("-a", "nato", "-f", "md", "-o", "-", str(path))
    assert result.code == 1
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "\u202e" not in result.stderr
    assert "a\\x1b]0;pwned\\x07.txt:2: published: expected a date" in result.stderr
    assert "'\\u202eyesterday'" in result.stderr  # the bidi override, shown not obeyed
