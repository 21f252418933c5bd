"""Progress bars on a terminal (a real pseudo-terminal), silence elsewhere, and the
closing line always."""

from __future__ import annotations

import fcntl
import io
import os
import pty
import re
import struct
import sys
import termios
import threading
from pathlib import Path

import pytest

from briefgen.cli import main
from briefgen.progress import RunProgress
from tests.helpers import CLOSING_LINE, run_cli, sources, write_article


def _run_on_a_terminal(monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str, str]:
    """``briefgen ARGS`` in this process, stderr a pseudo-terminal, stdout a pipe-like
    buffer; returns the status, stdout and what the terminal received."""
    master, slave = pty.openpty()
    # a terminal of 100 columns (a new pseudo-terminal has none: nothing would fit)
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    received: list[bytes] = []

    def drain() -> None:  # a full terminal buffer would block the writer
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the slave end closed
                return
            if not chunk:
                return
            received.append(chunk)

    reader = threading.Thread(target=drain)
    reader.start()
    terminal = open(slave, "w", encoding="utf-8", buffering=1)  # noqa: SIM115
    stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setattr(sys, "stdout", stdout)
    monkeypatch.setenv("BRIEFGEN_PDF_WORKER", "0")
    code = 0
    try:
        main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    finally:
        monkeypatch.undo()
        terminal.close()
        reader.join(timeout=10)
        os.close(master)
    stdout.flush()
    assert isinstance(stdout.buffer, io.BytesIO)
    return code, stdout.buffer.getvalue().decode(), b"".join(received).decode()


def test_a_terminal_gets_bars_and_stdout_stays_one_path_a_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = sources(tmp_path, 3)
    out = tmp_path / "out"
    code, stdout, terminal = _run_on_a_terminal(monkeypatch, "-a", "nato,eu", "-f", "md", "-o",
                                                str(out), *paths)  # fmt: skip
    assert code == 0, terminal
    assert stdout.splitlines() == [
        str(out / f"a{n}" / f"{a}.md") for n in range(3) for a in ("nato", "eu")
    ]
    assert "sources parsed" in terminal and "briefs written" in terminal
    assert re.search(r"\d/3 \[\d\d:\d\d<(\?|\d\d:\d\d)", terminal)  # count [elapsed<ETA
    assert "\r" in terminal  # redrawn in place
    # the bars are cleared (the cursor back where they began), then the closing line
    assert re.search(r"(\r|\x1b\[A)3 sources → 6 briefs in \d+\.\d s\r\n$", terminal)


def test_quiet_on_a_terminal_is_the_closing_line_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = sources(tmp_path, 2)
    code, _, terminal = _run_on_a_terminal(monkeypatch, "-q", "-a", "nato", "-f", "md", "-o",
                                           str(tmp_path / "out"), *paths)  # fmt: skip
    assert code == 0, terminal
    assert CLOSING_LINE.fullmatch(terminal.strip()), terminal
    assert "\r" not in terminal.replace("\r\n", "\n")


def test_not_a_terminal_gets_no_bar_and_the_closing_line(tmp_path: Path) -> None:
    paths = sources(tmp_path, 2)
    bad = write_article(tmp_path, "empty.txt", "")
    result = run_cli("-a", "all", "-f", "md", "-o", str(tmp_path / "out"), *paths, str(bad))
    assert result.code == 1
    lines = result.stderr.splitlines()
    assert "\r" not in result.stderr and "sources parsed" not in result.stderr
    assert re.fullmatch(r"3 sources → 6 briefs in \d+\.\d s; 1 skipped", lines[-2])
    assert lines[-1] == "briefgen: error: 1 of 3 sources failed"


def test_closing_line_counts() -> None:
    ticks = iter([10.0, 22.34])
    progress = RunProgress(None, bars=False, clock=lambda: next(ticks))
    progress.planned(53, 159)
    progress.parsed(52)
    progress.skipped(1)
    progress.written(159)
    assert progress.closing_line() == "53 sources → 159 briefs in 12.3 s; 1 skipped"
    stopped = RunProgress(None, bars=False, clock=lambda: 0.0)
    stopped.planned(4, 4)
    stopped.parsed(1)
    stopped.written(1)
    assert stopped.closing_line() == "1 of 4 sources → 1 brief in 0.0 s"
    assert stopped.closing_line(wrote=False) == "1 of 4 sources explained in 0.0 s"
