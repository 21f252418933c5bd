"""stdout that is closed, full or goes away: the briefs are written all the same.

Decided for issue 13 (point 6): a reader that goes away (``| head -n 1``) is no
reason to stop: every brief is written and the run ends with its usual status,
quietly. Any other failure to print (stdout closed, a full device) is one error
line at the end, exit 1, and the briefs are still written. With ``-o -`` the brief
itself is the output, so failing to print it is an error at once.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.helpers import (
    EXE,
    assert_complete,
    run_cli,
    sources,
    without_closing_line,
    write_article,
)


def briefgen(*args: str, **popen: object) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(EXE), "-a", "nato,eu", "-f", "md", *args], stderr=subprocess.PIPE, **popen
    )


def test_reader_going_away_still_writes_every_brief_quietly(tmp_path: Path) -> None:
    paths = sources(tmp_path, 4)
    out = tmp_path / "out"
    proc = briefgen("-o", str(out), *paths, stdout=subprocess.PIPE)
    assert proc.stdout is not None
    first = proc.stdout.readline()  # what `| head -n 1` does: read one line, then leave
    proc.stdout.close()
    _, stderr = proc.communicate(timeout=120)
    assert first.decode().strip() == str(out / "a0" / "nato.md")
    assert proc.returncode == 0, stderr.decode()
    assert without_closing_line(stderr.decode()) == ""
    assert len(assert_complete(out)) == 8


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_full_device_on_stdout_is_one_line_and_the_briefs_are_written(tmp_path: Path) -> None:
    paths = sources(tmp_path, 2)
    out = tmp_path / "out"
    with open("/dev/full", "wb") as full:
        proc = briefgen("-o", str(out), *paths, stdout=full)
        _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 1
    assert (
        without_closing_line(stderr.decode())
        == "briefgen: error: stdout: cannot write: No space left on device\n"
    )
    assert len(assert_complete(out)) == 4


def test_closed_stdout_is_one_line_and_the_briefs_are_written(tmp_path: Path) -> None:
    paths = sources(tmp_path, 2)
    out = tmp_path / "out"
    proc = briefgen("-o", str(out), *paths, preexec_fn=lambda: os.close(1))
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 1
    assert (
        without_closing_line(stderr.decode())
        == "briefgen: error: stdout: cannot write: stdout is closed\n"
    )
    assert len(assert_complete(out)) == 4


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_brief_to_a_full_stdout_is_an_error(tmp_path: Path) -> None:
    source = write_article(tmp_path, "a.txt", "Officials said the bridge reopened on Monday.\n")
    with open("/dev/full", "wb") as full:
        proc = subprocess.run(
            [str(EXE), "-a", "public", "-f", "md", "-o", "-", str(source)],
            stdout=full, stderr=subprocess.PIPE, timeout=120,
        )  # fmt: skip
    assert proc.returncode == 1
    assert (
        proc.stderr.decode() == "briefgen: error: stdout: cannot write: No space left on device\n"
    )


@pytest.mark.parametrize("option", ["--templates", "--configs"])
def test_template_or_config_folder_that_does_not_exist_is_an_error(
    tmp_path: Path, option: str
) -> None:
    source = write_article(tmp_path, "a.txt", "Officials said the bridge reopened on Monday.\n")
    missing = tmp_path / "tepmlates"
    result = run_cli(option, str(missing), "-a", "nato", "-o", str(tmp_path / "out"), str(source))
    assert result.code == 2
    assert result.stderr == f"briefgen: error: {option}: {missing}: no such folder\n"
    assert not (tmp_path / "out").exists()
