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
from tests.helpers import SAMPLES, SEED, run_cli, without_closing_line

EXE = Path(sys.executable).with_name("briefgen")

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the worker forks (Linux)")
# a real run starts the worker only with a second core to run it on
two_cores = pytest.mark.skipif(
    sys.platform == "linux" and len(os.sched_getaffinity(0)) < 2, reason="needs 2 cores"
)


@pytest.fixture(scope="module")
def print_html() -> str:
    """The seed's NATO brief as the HTML WeasyPrint lays out."""
    from briefgen.config.profiles import load_profile
    from briefgen.config.shared import config_dirs, load_shared
    from briefgen.render import RenderOptions
    from briefgen.select import select
    from tests.helpers import extract_paths

    dirs = config_dirs(())
    shared = load_shared(dirs)
    extractions, _ = extract_paths([str(SEED)], shared)
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
    monkeypatch: pytest.MonkeyPatch, print_html: str
) -> None:
    import briefgen.render.pdf as pdf

    def fails_for_eu(html: str, variant: str, audience: str) -> bytes:
        if audience == "eu":
            raise BriefgenError("PDF rendering failed for 'eu': no room on the page")
        return layout_pdf(html, variant, audience)

    monkeypatch.setattr(pdf, "layout_pdf", fails_for_eu)  # the fork inherits it
    handle = LayoutWorker()
    try:
        with pytest.raises(BriefgenError, match=r"^PDF rendering failed for 'eu': no room"):
            handle.layout(print_html, "plain", "eu")
        assert handle.layout(print_html, "plain", "nato").startswith(b"%PDF-")
    finally:
        handle.close()


def test_a_bug_in_the_worker_is_an_internal_error_as_in_process(
    worker: LayoutWorker, print_html: str
) -> None:
    with pytest.raises(
        RuntimeError, match=r"^in the PDF layout process: KeyError: 'x' \(.*pdf\.py"
    ):
        worker.layout(print_html, "x", "eu")
    with pytest.raises(KeyError):  # the same mistake in the main process
        layout_pdf(print_html, "x", "eu")


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
    assert process.exitcode == -signal.SIGKILL


def test_worker_only_when_it_can_overlap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    for name in ("weasyprint", "spacy"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    monkeypatch.delenv(ENV, raising=False)
    assert worker_helps()
    for off in ("0", "false", "No", " off "):
        monkeypatch.setenv(ENV, off)
        assert not worker_helps()
    monkeypatch.setenv(ENV, "1")
    assert worker_helps()
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


@two_cores
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


def test_a_failing_run_closes_its_worker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """build() closes the worker itself, not the interpreter's exit handlers."""
    import multiprocessing

    import briefgen.render.pdf as pdf
    from briefgen.output import OutputWriter
    from briefgen.pipeline import BuildRequest, build

    monkeypatch.setattr(pdf, "worker_helps", lambda: True)
    request = BuildRequest(
        sources=(str(tmp_path / "missing.txt"),),
        audiences=("nato",),
        formats=("pdf",),
        out=str(tmp_path / "out"),
        today=date(2024, 7, 9),
    )
    started: list[LayoutWorker] = []
    init = LayoutWorker.__init__

    def spy(self: LayoutWorker) -> None:
        started.append(self)
        init(self)

    monkeypatch.setattr(LayoutWorker, "__init__", spy)
    with pytest.raises(BriefgenError, match="no such file"):
        build(request, warn=print, emit=OutputWriter())
    assert len(started) == 1
    assert multiprocessing.active_children() == []


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


def _start(tmp_path: Path, marker: str, *args: str) -> subprocess.Popen[bytes]:
    """A real run in its own session, once its worker(s) exist (they share its command line)."""
    out = tmp_path / marker
    proc = subprocess.Popen(
        [str(EXE), "-a", "nato", "-f", "pdf", "--no-cache", "-o", str(out), *args],
        env=_cli_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # a process group of its own, as a terminal job is
    )
    deadline = time.monotonic() + 60
    while len(_processes_mentioning(marker)) < 2:
        assert proc.poll() is None, "the run ended before its worker was seen"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    return proc


def _none_left(marker: str) -> bool:
    deadline = time.monotonic() + 10
    while _processes_mentioning(marker) and time.monotonic() < deadline:
        time.sleep(0.05)
    return _processes_mentioning(marker) == []


@two_cores
@pytest.mark.parametrize(
    ("to_group", "signum"),
    [(True, signal.SIGINT), (True, signal.SIGTERM), (False, signal.SIGTERM)],
    ids=["ctrl-c", "group-sigterm", "parent-sigterm"],
)
def test_interrupting_a_run_leaves_no_layout_process(
    tmp_path: Path, to_group: bool, signum: int
) -> None:
    """Ctrl-C and a service manager's SIGTERM reach the whole group; the worker ignores
    them, so the run reports the interruption, not a dead layout process."""
    proc = _start(tmp_path, "out-marker", str(SEED))
    if to_group:
        os.killpg(proc.pid, signum)
    else:
        proc.send_signal(signum)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr.decode()
    assert without_closing_line(stderr.decode()) == "briefgen: interrupted\n"
    assert _none_left("out-marker")


@two_cores
def test_a_killed_run_leaves_no_worker_behind(tmp_path: Path) -> None:
    """SIGKILL (the OOM killer) gives the main process no chance to clean up: the
    kernel stops the layout and --jobs workers with it."""
    samples = sorted((SAMPLES).glob("*.txt"))
    sources = [str(SEED), *(str(p) for p in samples)]
    proc = _start(tmp_path, "killed-marker", "--jobs", "2", *sources)
    deadline = time.monotonic() + 60  # until the --jobs workers exist too
    while len(_processes_mentioning("killed-marker")) < 4:
        assert proc.poll() is None, "the run ended before its --jobs workers were seen"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    proc.kill()
    proc.communicate(timeout=60)
    assert _none_left("killed-marker")
