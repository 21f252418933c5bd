"""The command-line contract other tools and tests rely on (issue: end to end)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import ROOT, SEED, run_cli, run_process, write_article

STEM = SEED.stem


def test_default_run_writes_md_and_pdf_for_every_audience(tmp_path: Path) -> None:
    result = run_cli("-o", str(tmp_path / "out"))
    assert result.code == 0, result.stderr
    expected = sorted(
        str(tmp_path / "out" / STEM / f"{a}.{ext}")
        for a in ("eu", "nato", "public")
        for ext in ("md", "pdf")
    )
    assert sorted(result.stdout.split()) == expected
    for path in expected:
        assert Path(path).stat().st_size > 0


def test_all_formats_all_audiences_writes_twelve_files(tmp_path: Path) -> None:
    result = run_cli("--audience", "all", "--format", "md,html,pdf,json", "-o", str(tmp_path))
    assert result.code == 0, result.stderr
    files = sorted(p.name for p in (tmp_path / STEM).iterdir())
    assert files == sorted(
        f"{a}.{e}" for a in ("eu", "nato", "public") for e in ("html", "json", "md", "pdf")
    )
    assert len(result.stdout.split()) == 12


def test_audience_is_repeatable_and_keeps_order(tmp_path: Path) -> None:
    result = run_cli("-a", "public", "-a", "nato", "-f", "md", "-o", str(tmp_path))
    assert result.code == 0, result.stderr
    assert [Path(p).name for p in result.stdout.split()] == ["public.md", "nato.md"]


def test_out_dash_prints_the_single_brief(tmp_path: Path) -> None:
    result = run_cli("-a", "nato", "-f", "md", "-o", "-", cwd=tmp_path)
    assert result.code == 0, result.stderr
    assert result.stdout.startswith("**NATO UNCLASSIFIED**")
    assert not (tmp_path / "output").exists()


def test_out_dash_refuses_several_briefs() -> None:
    result = run_cli("-a", "nato", "-f", "md,json", "-o", "-")
    assert result.code == 2
    assert result.stderr == (
        "briefgen: error: -o - prints one brief: give one source, one --audience and one --format\n"
    )


def test_stdin_source(tmp_path: Path) -> None:
    text = "Officials said on Monday that the bridge reopened after repairs lasting three weeks.\n"
    result = run_cli("-a", "public", "-f", "json", "-o", "-", "-", stdin=text.encode())
    assert result.code == 0, result.stderr
    brief = json.loads(result.raw)
    assert brief["sources"][0]["id"] == "stdin"
    assert brief["facts"][0]["text"] == text.strip()


def test_each_source_gets_its_own_briefs(tmp_path: Path) -> None:
    a = write_article(tmp_path, "alpha.txt", "The council approved the new budget on Tuesday.\n")
    b = write_article(tmp_path, "beta.md", "Rescue teams reached the village after the flood.\n")
    result = run_cli("-a", "eu", "-f", "md", "-o", str(tmp_path / "out"), str(a), str(b))
    assert result.code == 0, result.stderr
    assert (tmp_path / "out" / "alpha" / "eu.md").is_file()
    assert (tmp_path / "out" / "beta" / "eu.md").is_file()


def test_list_audiences() -> None:
    result = run_cli("--list-audiences")
    assert result.code == 0
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert [r[0] for r in rows] == ["eu", "nato", "public"]
    assert rows[1][1] == "NATO staff"
    assert all(r[2] for r in rows)  # every profile has a description


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["-a", "navy"],
            2,
            "briefgen: error: unknown audience 'navy' (available: eu, nato, public, all)",
        ),
        (
            ["-f", "odt"],
            2,
            "briefgen: error: unknown format 'odt' (available: compare, docx, html, json, md, pdf)",
        ),
        (["missing.txt"], 1, "briefgen: error: missing.txt: no such file"),
        # click words this one itself (and rewords it between versions)
        (["--no-such-option"], 2, "briefgen: error: No such option"),
    ],
)
def test_errors_are_one_line_with_exit_status(
    args: list[str], code: int, message: str, tmp_path: Path
) -> None:
    result = run_cli(*args, "-o", str(tmp_path), cwd=tmp_path)
    assert result.code == code
    assert result.stderr.startswith(message)
    assert result.stderr.count("\n") == 1 and result.stderr.endswith("\n")


def test_empty_source_is_a_processing_error(tmp_path: Path) -> None:
    empty = write_article(tmp_path, "empty.txt", "   \n\n")
    result = run_cli(str(empty), "-o", str(tmp_path / "out"))
    assert result.code == 1
    assert result.stderr == f"briefgen: error: {empty}: no text in this source\n"
    assert not (tmp_path / "out").exists()


def test_bad_source_among_several_is_skipped_and_reported(tmp_path: Path) -> None:
    good = write_article(
        tmp_path, "good.txt", "The port reopened on Friday after the strike ended.\n"
    )
    result = run_cli(
        "-a", "eu", "-f", "md", "-o", str(tmp_path / "out"), str(tmp_path / "nope.txt"), str(good)
    )
    assert result.code == 1
    assert (tmp_path / "out" / "good" / "eu.md").is_file()
    assert "nope.txt: no such file (skipped)" in result.stderr
    assert result.stderr.endswith("briefgen: error: 1 of 2 sources failed\n")


def test_installed_command_runs_from_any_folder(tmp_path: Path) -> None:
    """The real console script, in a real process, from an empty folder."""
    proc = run_process("--audience", "nato", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout.decode().split() == [f"output/{STEM}/nato.md", f"output/{STEM}/nato.pdf"]
    assert (tmp_path / "output" / STEM / "nato.pdf").read_bytes().startswith(b"%PDF")


def test_usage_error_in_a_real_process_has_no_traceback(tmp_path: Path) -> None:
    proc = run_process("--audience", "nope", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.decode().count("\n") == 1
    assert b"Traceback" not in proc.stderr


def test_explain_reports_removed_lines_and_each_fact_per_audience(tmp_path: Path) -> None:
    result = run_cli("--explain", "-a", "nato", "-a", "public", "-o", str(tmp_path / "out"))
    assert result.code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("== ") and lines[0].endswith("facts")
    assert (
        "L14 removed (outlet's request for comment, not news): CNN has reached out" in result.stdout
    )
    assert any(line.strip().startswith("nato: summary") for line in lines)
    assert sum(line.strip().startswith("public: ") for line in lines) == int(lines[0].split()[-2])
    assert not (tmp_path / "out").exists()  # explaining writes nothing


def test_json_carries_sources_facts_removed_and_excluded(tmp_path: Path) -> None:
    result = run_cli("-a", "nato", "-f", "json", "-o", "-")
    brief = json.loads(result.raw)
    source = brief["sources"][0]
    assert source["id"] == STEM and source["publisher"] == "CNN"
    assert source["published"] == "2024-07-08"
    text = SEED.read_text(encoding="utf-8")
    for fact in brief["facts"]:
        assert fact["doc"] == STEM
        assert text[fact["start"] : fact["end"]] == fact["text"]
    used = {i for item in brief["summary"] for i in item["facts"]}
    used |= {i for s in brief["sections"] for item in s["items"] for i in item["facts"]}
    assert used | {e["fact"] for e in brief["excluded"]} == {f["id"] for f in brief["facts"]}
    assert {r["reason"] for r in brief["removed"]} >= {"photo caption", "photo credit"}


RUN_WITH_A_BUG = """
import sys
import briefgen.pipeline
def build(*args, **kwargs):
    raise RuntimeError("boom")
briefgen.pipeline.build = build
from briefgen.cli import run
sys.argv = ["briefgen", *sys.argv[1:]]
run()
"""


@pytest.mark.parametrize(
    ("args", "code", "stderr"),
    [
        ([], 1, "briefgen: internal error: RuntimeError: boom (rerun with --verbose)\n"),
        (["--jobs", "0"], 2, "briefgen: error: "),
        (["--verbose"], 1, "Traceback (most recent call last):"),
    ],
)
def test_console_script_exit_status_and_messages_survive_the_fast_exit(
    tmp_path: Path, args: list[str], code: int, stderr: str
) -> None:
    """run() leaves with os._exit: statuses, messages and tracebacks must still come out."""
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-c", RUN_WITH_A_BUG, *args, "-o", str(tmp_path)],
        capture_output=True,
        timeout=120,
    )
    assert proc.returncode == code
    assert proc.stderr.decode().startswith(stderr)
    if "--verbose" in args:
        assert proc.stderr.decode().rstrip().endswith("RuntimeError: boom")


def test_console_script_writes_and_announces_everything_before_leaving(tmp_path: Path) -> None:
    proc = run_process("-a", "all", "-f", "md,json", "-o", str(tmp_path / "out"), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr.decode()
    written = sorted(p for p in (tmp_path / "out").glob("*/*") if p.is_file())  # not the index
    assert sorted(proc.stdout.decode().split()) == [str(p) for p in written]
    assert len(written) == 6
    assert json.loads((tmp_path / "out" / SEED.stem / "nato.json").read_bytes())["audience"]


def test_exit_status_follows_sys_exit() -> None:
    from briefgen.cli import _exit_status

    assert (_exit_status(None), _exit_status(0), _exit_status(130), _exit_status(256)) == (
        0,
        0,
        130,
        0,
    )


def test_audiences_as_a_comma_list_or_repeated(tmp_path: Path) -> None:
    odd = tmp_path / "desk,copy.yaml"  # a profile path holding a comma stays whole
    odd.write_text("extends: nato\nname: Desk\n")
    result = run_cli("-a", "nato,eu", "-a", str(odd), "-f", "md", "-o", str(tmp_path / "o"))
    assert result.code == 0, result.stderr
    written = [Path(line).name for line in result.stdout.split()]
    assert written == ["nato.md", "eu.md", "desk,copy.md"]


def test_the_bundled_seed_is_shown_as_seeds_name_not_the_install_path(tmp_path: Path) -> None:
    # the install's own path (site-packages/…) reached every JSON and compare page
    result = run_cli("-a", "nato", "-f", "json,compare", "-o", str(tmp_path / "out"))
    assert result.code == 0, result.stderr
    folder = tmp_path / "out" / "china-belarus-exercises"
    brief = json.loads((folder / "nato.json").read_text())
    assert [s["path"] for s in brief["sources"]] == ["seeds/china-belarus-exercises.txt"]
    assert str(ROOT) not in (folder / "compare.html").read_text()
