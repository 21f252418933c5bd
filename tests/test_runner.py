"""Where the jobs run (--jobs), in what order they are written, and what a run holds."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from briefgen.output import Output
from briefgen.pipeline import BuildRequest, build
from tests.helpers import article, one_error_line, run_cli, sources, write_article


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.mark.parametrize("merge", [False, True], ids=["per-source", "merged"])
def test_two_workers_write_the_same_bytes_in_the_same_order(tmp_path: Path, merge: bool) -> None:
    """Parsing and PDF layout in two worker processes: the same files, byte for byte
    (PDFs too, SOURCE_DATE_EPOCH is set), announced in the same order."""
    (tmp_path / "src").mkdir()
    paths = sources(tmp_path / "src", 3)
    runs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"j{jobs}" / "out"  # one name: the index page shows it
        args = ["-a", "all", "-f", "md,pdf,json,compare", "--no-cache", "-j", jobs, "-o", str(out)]
        result = run_cli(*args, *(["--merge", str(tmp_path / "src")] if merge else paths))
        assert result.code == 0, result.stderr
        runs[jobs] = (_tree(out), result.stdout.replace(str(out), "OUT"), result.stderr)
    (one, printed, err), (two, printed2, err2) = runs["1"], runs["2"]
    # 3 audiences x 3 formats and a compare page per job, and the index
    assert len(one) == (1 if merge else 3) * 10 + 2
    assert one == two
    assert printed == printed2
    assert err.splitlines()[:-1] == err2.splitlines()[:-1]  # the same warnings, in order


def test_fail_fast_in_a_worker_is_one_error_line(tmp_path: Path) -> None:
    good = sources(tmp_path, 2)
    empty = write_article(tmp_path, "empty.txt", "")
    result = run_cli("-j", "2", "--fail-fast", "-a", "nato", "-f", "md", "-o",
                     str(tmp_path / "out"), good[0], str(empty), good[1])  # fmt: skip
    assert result.code == 1
    assert one_error_line(result.stderr) == f"briefgen: error: {empty}: no text in this source\n"


def test_each_job_is_written_before_the_next_is_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bounded memory: in one process, a job's briefs are handed to the writer before
    the next source is read, and the run keeps no records unless asked."""
    from briefgen import pipeline

    paths = sources(tmp_path, 3)
    events: list[str] = []
    real_read = pipeline._read_and_clean

    def reading(ref: pipeline.SourceRef, *args: object) -> object:
        events.append(f"read {Path(ref.path).stem}")
        return real_read(ref, *args)  # type: ignore[arg-type]

    # the read stage (pipeline.read_all), which every job's task runs
    monkeypatch.setattr(pipeline, "_read_and_clean", reading)

    def emit(output: Output) -> None:
        events.append(f"write {output.path.parent.name}")

    request = BuildRequest(
        tuple(paths), ("nato",), ("md",), str(tmp_path / "out"), date(2024, 7, 9),
        workspace=None, keep_results=False,
    )  # fmt: skip
    result = build(request, lambda message: None, emit)
    assert events == ["read a0", "write a0", "read a1", "write a1", "read a2", "write a2"]
    assert (result.extractions, result.briefs, result.written) == ((), (), 3)
    kept = build(request.__class__(**{**_fields(request), "keep_results": True}), print, emit)
    assert len(kept.extractions) == 3 and len(kept.briefs) == 3


def _fields(request: BuildRequest) -> dict[str, object]:
    return {name: getattr(request, name) for name in request.__dataclass_fields__}


def test_standard_input_is_read_in_this_process(tmp_path: Path) -> None:
    path = write_article(tmp_path, "b.txt", article(2))
    out = tmp_path / "out"
    result = run_cli("-j", "2", "-a", "nato", "-f", "md", "-o", str(out), "-", str(path),
                     stdin=article(1).encode())  # fmt: skip
    assert result.code == 0, result.stderr
    assert result.stdout.splitlines() == [
        str(out / "stdin" / "nato.md"),
        str(out / "b" / "nato.md"),
    ]


def test_a_worker_that_dies_is_one_error_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A --jobs worker killed outright (the OOM killer): one line naming the job, exit 1,
    and what was written before is complete."""
    import os

    from briefgen import runner

    real = runner.brief_job

    def dies_on_a1(job: runner.BriefJob, *args: Any) -> Any:
        if job.name == "a1":
            os._exit(9)  # no cleanup, like SIGKILL
        return real(job, *args)

    # called inside the task, in the worker: the forked workers inherit the patch
    monkeypatch.setattr(runner, "brief_job", dies_on_a1)
    paths = sources(tmp_path, 3)
    out = tmp_path / "out"
    result = run_cli("-j", "2", "-a", "nato", "-f", "md", "-o", str(out), *paths)
    assert result.code == 1
    line = one_error_line(result.stderr)
    assert line.startswith("briefgen: error: a")
    assert "a --jobs worker process stopped" in line
    assert all(p.stat().st_size for p in out.rglob("*.md"))
