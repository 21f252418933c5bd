"""Ctrl-C and SIGTERM at any point, and two runs writing one folder.

Part of the bad-input battery (issues 8 and 13), grouped by what it attacks.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from briefgen.render.markdown import MarkdownRenderer
from tests.helpers import (
    EXE,
    article,
    assert_complete,
    fail_inside,
    interrupt_once,
    needs_proc,
    run_cli,
    sources,
    without_closing_line,
    write_article,
)

# -- Ctrl-C ---------------------------------------------------------------------------


@pytest.fixture
def reference(tmp_path: Path) -> tuple[list[str], Path]:
    """Four sources and their briefs from an uninterrupted run."""
    (tmp_path / "src").mkdir()
    paths = sources(tmp_path / "src", 4)
    result = run_cli("-a", "nato", "-f", "md,json", "-o", str(tmp_path / "ref"), *paths)
    assert result.code == 0, result.stderr
    return paths, tmp_path / "ref"


def test_ctrl_c_between_briefs_keeps_finished_ones_complete(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reference: tuple[list[str], Path]
) -> None:
    paths, ref = reference
    real = MarkdownRenderer.render
    calls = [0]

    def interrupted(self: MarkdownRenderer, *args: Any) -> bytes:
        calls[0] += 1
        if calls[0] == 3:  # rendering the third source
            raise KeyboardInterrupt
        return real(self, *args)

    monkeypatch.setattr(MarkdownRenderer, "render", interrupted)
    result = run_cli("-a", "nato", "-f", "md,json", "-o", str(tmp_path / "out"), *paths)
    # click prints a newline first, to end the terminal's "^C" line
    assert result.code == 130
    assert without_closing_line(result.stderr).strip() == "briefgen: interrupted"
    files = assert_complete(tmp_path / "out", reference=ref)
    assert [str(p.relative_to(tmp_path / "out")) for p in files] == [
        "a0/nato.json",
        "a0/nato.md",
        "a1/nato.json",
        "a1/nato.md",
    ]


@needs_proc
def test_ctrl_c_while_writing_leaves_no_partial_or_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reference: tuple[list[str], Path]
) -> None:
    paths, ref = reference
    fail_inside(monkeypatch, tmp_path / "out", "write", 2, KeyboardInterrupt())
    result = run_cli("-a", "nato", "-f", "md,json", "-o", str(tmp_path / "out"), *paths)
    assert result.code == 130
    files = assert_complete(tmp_path / "out", reference=ref)
    assert [str(p.relative_to(tmp_path / "out")) for p in files] == ["a0/nato.md"]


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_signal_to_a_real_process_leaves_only_complete_briefs(tmp_path: Path, signum: int) -> None:
    paths = sources(tmp_path, 8)
    out = tmp_path / "out"
    args = ["-a", "nato", "-f", "md,json,pdf", "-o", str(out), *paths]
    proc = interrupt_once(args, out / "a0" / "nato.pdf", signum)
    stdout, stderr = proc.stdout, proc.stderr
    assert proc.returncode == 130, stderr.decode()
    # the closing line says what was done, then one line, no blank line first
    assert without_closing_line(stderr.decode()) == "briefgen: interrupted\n"
    files = assert_complete(out)
    assert 3 <= len(files) < 24  # some briefs written, not all
    # every finished brief was announced before the interruption, and only those
    assert sorted(stdout.decode().split()) == sorted(str(f) for f in files)


def test_two_processes_writing_one_folder_leave_every_file_complete(tmp_path: Path) -> None:
    paths = sources(tmp_path, 3)
    out = tmp_path / "out"
    command = [str(EXE), "-a", "nato", "-f", "md,json,pdf", "-o", str(out), *paths]
    procs = [subprocess.Popen(command, stderr=subprocess.PIPE) for _ in range(2)]
    for proc in procs:
        _, stderr = proc.communicate(timeout=180)
        assert proc.returncode == 0, stderr.decode()
    ref = tmp_path / "ref"
    assert run_cli("-a", "nato", "-f", "md,json", "-o", str(ref), *paths).code == 0
    assert len(assert_complete(out, reference=ref)) == 9


def imported(lines: list[str], module: str) -> bool:
    """Whether ``-X importtime`` output shows ``module`` loaded."""
    return any(re.fullmatch(rf"import time:.*\|\s+{module}", line) for line in lines)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_signal_while_starting_up_is_a_quiet_130(tmp_path: Path, signum: int) -> None:
    """Ctrl-C while the modules load printed an import traceback; SIGTERM exited 143.

    ``-X importtime`` tells how far each run got: a run stopped before briefgen.cli
    set its early handlers (Python starting, or loading briefgen.cli: a window no
    handler of briefgen's can cover) is not counted; one that got further must end in
    a quiet 130, whatever the machine's load.
    """
    source = write_article(tmp_path, "a.txt", article())
    # a first run compiles what changed: later ones start as fast as a user's would
    subprocess.run([str(EXE), "--version"], capture_output=True, timeout=60, check=True)
    env = {**os.environ, "PYTHONPROFILEIMPORTTIME": "1"}
    counted = 0
    for delay in (0.02, 0.03, 0.04, 0.05, 0.07, 0.1, 0.14, 0.2, 0.3, 0.45):
        proc = subprocess.Popen(
            [str(EXE), "-a", "nato", "-f", "md", "-o", str(tmp_path / "out"), str(source)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        time.sleep(delay)
        proc.send_signal(signum)
        _, raw = proc.communicate(timeout=60)
        lines = raw.decode().splitlines()
        said = [line for line in lines if not line.startswith("import time:")]
        if not imported(lines, "signal"):
            # stopped before briefgen.cli imported `signal`, its first import after
            # setting the early handlers: Python starting up, or loading briefgen.cli
            continue
        if proc.returncode == 0:
            continue  # finished before the signal
        assert (proc.returncode, said) == (130, ["briefgen: interrupted"]), raw.decode()[-500:]
        counted += 1
        if counted == 3:
            break
    assert counted >= 2
    assert not list(tmp_path.rglob("*.tmp"))
