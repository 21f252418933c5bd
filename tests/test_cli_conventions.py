"""Command-line conventions: ids in any case, ``-o -`` defaults, binary never to a
terminal, and piped text that is not read without ``-``."""

from __future__ import annotations

import os
import pty
import subprocess
from pathlib import Path

from tests.helpers import EXE, SEED, one_error_line, run_cli, without_closing_line


def test_audience_ids_ignore_case_like_formats() -> None:
    result = run_cli("-a", "NATO", "-f", "MD", "-o", "-")
    assert result.code == 0, result.stderr
    assert result.stdout.startswith("**NATO UNCLASSIFIED**")


def test_stdout_prints_markdown_of_the_one_audience_asked_for() -> None:
    result = run_cli("-a", "eu", "-o", "-")
    assert result.code == 0, result.stderr
    assert result.stdout.startswith("**OPEN SOURCES")  # Markdown, not md+pdf


def test_stdout_without_an_audience_is_a_clear_error() -> None:
    result = run_cli("-o", "-")
    assert result.code == 2
    assert one_error_line(result.stderr) == (
        "briefgen: error: -o - prints one brief: give one --audience (e.g. -a nato; see "
        "--list-audiences)\n"
    )


def test_binary_to_a_pipe_is_written() -> None:
    result = run_cli("-a", "nato", "-f", "pdf", "-o", "-")
    assert result.code == 0, result.stderr
    assert result.raw.startswith(b"%PDF")


def test_binary_to_a_terminal_is_refused(tmp_path: Path) -> None:
    for fmt in ("pdf", "docx"):
        main, child = pty.openpty()
        try:
            proc = subprocess.run(
                [str(EXE), "-a", "nato", "-f", fmt, "-o", "-"],
                stdout=child, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                cwd=tmp_path, timeout=120,
            )  # fmt: skip
        finally:
            os.close(child)
            os.close(main)
        assert proc.returncode == 2
        assert one_error_line(proc.stderr.decode()) == (
            f"briefgen: error: -o -: {fmt} is binary and stdout is a terminal: redirect it "
            f"(> brief.{fmt}) or give -o DIR\n"
        )


def test_piped_text_without_dash_briefs_the_seed_and_says_so(tmp_path: Path) -> None:
    args = [str(EXE), "-a", "nato", "-f", "md", "-o", "-"]
    piped = subprocess.run(
        args, input=b"Troops crossed the river.\n", capture_output=True, cwd=tmp_path, timeout=300
    )
    assert piped.returncode == 0, piped.stderr
    assert b"China and Belarus" in piped.stdout  # the seed, as before
    assert without_closing_line(piped.stderr.decode()) == (
        f"briefgen: note: no SOURCE given, so the bundled seed is briefed ({SEED.name}); "
        "standard input is read only with - (briefgen -a nato -)\n"
    )
    quiet = subprocess.run(
        args, stdin=subprocess.DEVNULL, capture_output=True, cwd=tmp_path, timeout=300
    )  # a run without a terminal (cron, CI): the seed, nothing to say but the closing line
    assert quiet.returncode == 0 and without_closing_line(quiet.stderr.decode()) == ""
    assert quiet.stdout == piped.stdout
