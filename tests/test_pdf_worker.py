"""The PDF layout process: same bytes as laying out in process, errors as one line,
nothing left running."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from briefgen.errors import BriefgenError
from briefgen.render import pdf_worker
from briefgen.render.html import render_html
from briefgen.render.pdf import VARIANTS, layout_pdf
from briefgen.render.pdf_worker import ENV, LayoutWorker, worker_helps
from tests.conftest import FIXED_EPOCH
from tests.helpers import SEED, run_cli

EXE = Path(sys.executable).with_name("briefgen")

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the worker forks (Linux)")


@pytest.fixture(scope="module")
def print_html() -> str:
    """The seed's NATO brief as the HTML WeasyPrint lays out."""
    from briefgen.pipeline import extract
    from briefgen.profiles import load_profile
    from briefgen.render import RenderOptions
    from briefgen.select import select
    from briefgen.settings import config_dirs, load_shared

    dirs = config_dirs(())
    shared = load_shared(dirs)
    extractions, _ = extract([str(SEED)], shared, (), print)
    profile = load_profile("nato", dirs).config
    brief = select(extractions, profile, shared.glossary)
    options = RenderOptions(profile, (), {}, date(2024, 7, 9))
    return render_html(brief, options, for_print=True)


@pytest.fixture
def worker() -> Iterator[LayoutWorker]:
    handle = LayoutWorker()
    yield handle
    handle.close()


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_worker_lays_out_the_same_bytes_as_the_main_process(
    worker: LayoutWorker, print_html: str, variant: str
) -> None:
    assert worker.layout(print_html, variant, "nato") == layout_pdf(print_html, variant, "nato")


def test_worker_serves_several_briefs_then_stops_when_closed(print_html: str) -> None:
    handle = LayoutWorker()
    first = handle.layout(print_html, "plain", "nato")
    assert handle.layout(print_html, "plain", "nato") == first
    process = handle._process
    handle.close()
    assert process.exitcode == 0  # it left its loop at the end of the pipe, not killed


def test_a_failed_layout_is_a_briefgen_error_and_the_worker_goes_on(
    worker: LayoutWorker, print_html: str
) -> None:
    with pytest.raises(BriefgenError, match=r"^PDF rendering failed for 'eu': KeyError\('x'\)$"):
        worker.layout(print_html, "x", "eu")
    assert worker.layout(print_html, "plain", "eu").startswith(b"%PDF-")


def test_a_dead_worker_is_a_briefgen_error(worker: LayoutWorker, print_html: str) -> None:
    worker._process.kill()
    worker._process.join()
    with pytest.raises(BriefgenError, match="the layout process stopped"):
        worker.layout(print_html, "plain", "nato")


def test_a_worker_that_cannot_load_weasyprint_reports_why(
    monkeypatch: pytest.MonkeyPatch, print_html: str
) -> None:
    message = "PDF output needs WeasyPrint and its system libraries (Pango): no libpango"
    monkeypatch.setattr(pdf_worker, "_warm_up", lambda: message)  # inherited by the fork
    handle = LayoutWorker()
    try:
        with pytest.raises(BriefgenError) as err:
            handle.layout(print_html, "plain", "nato")
        assert str(err.value) == message
    finally:
        handle.close()


def test_a_worker_still_starting_is_stopped_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A run that fails before its first PDF does not wait for WeasyPrint to load."""
    monkeypatch.setattr(pdf_worker, "_warm_up", lambda: time.sleep(60))
    handle = LayoutWorker()
    process = handle._process
    handle.close()
    assert process.exitcode == -signal.SIGTERM


def test_worker_only_when_it_can_overlap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    for name in ("weasyprint", "spacy"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    monkeypatch.delenv(ENV, raising=False)
    assert worker_helps()
    monkeypatch.setenv(ENV, "0")
    assert not worker_helps()
    monkeypatch.delenv(ENV)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
    assert not worker_helps()
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    monkeypatch.setitem(sys.modules, "spacy", sys)
    assert not worker_helps()  # a caller with a model loaded: little left to overlap


def _cli_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH, **extra}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    env.pop(ENV, None)
    return {**env, **extra}


def test_a_real_run_uses_the_worker_and_writes_the_in_process_bytes(tmp_path: Path) -> None:
    args = ["-a", "all", "-f", "pdf", "--no-cache"]
    code = (
        "import sys, briefgen.render.pdf_worker as w\n"
        "started = []\n"
        "init = w.LayoutWorker.__init__\n"
        "def spy(self): started.append(1); init(self)\n"
        "w.LayoutWorker.__init__ = spy\n"
        "from briefgen.cli import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit: pass\n"
        "print('workers started:', len(started), file=sys.stderr)\n"
        "print('weasyprint imported here:', 'weasyprint' in sys.modules, file=sys.stderr)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, *args, "-o", str(tmp_path / "worker")],
        env=_cli_env(tmp_path),
        capture_output=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    assert "workers started: 1" in proc.stderr.decode()
    # the main process never holds WeasyPrint: its memory stays the parse's
    assert "weasyprint imported here: False" in proc.stderr.decode()
    assert run_cli(*args, "-o", str(tmp_path / "inproc")).code == 0
    for audience in ("nato", "eu", "public"):
        name = f"china-belarus-exercises/{audience}.pdf"
        assert (tmp_path / "worker" / name).read_bytes() == (
            tmp_path / "inproc" / name
        ).read_bytes()


def _processes_mentioning(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if marker.encode() in cmdline:
                found.append(int(entry.name))
    return found


def test_a_failing_run_stops_its_worker(tmp_path: Path) -> None:
    out = tmp_path / "fail-marker"
    proc = subprocess.run(
        [str(EXE), "-a", "nato", "-f", "pdf", "-o", str(out), str(tmp_path / "missing.txt")],
        env=_cli_env(tmp_path),
        capture_output=True,
        timeout=120,
    )
    assert proc.returncode == 1
    assert proc.stderr.decode() == f"briefgen: error: {tmp_path / 'missing.txt'}: no such file\n"
    assert _processes_mentioning(str(out)) == []


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_interrupting_a_run_leaves_no_layout_process(tmp_path: Path, signum: int) -> None:
    out = tmp_path / "out-marker"
    proc = subprocess.Popen(
        [str(EXE), "-a", "nato", "-f", "pdf", "--no-cache", "-o", str(out), str(SEED)],
        env=_cli_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 60
    # the worker is forked from the CLI, so it shares its command line
    while len(_processes_mentioning(str(out))) < 2 and proc.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    proc.send_signal(signum)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr.decode()
    assert stderr.decode() == "briefgen: interrupted\n"
    deadline = time.monotonic() + 5
    while _processes_mentioning(str(out)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _processes_mentioning(str(out)) == []
