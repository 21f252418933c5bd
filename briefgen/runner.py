"""Running the plan: each job's work as tasks, in this process or in ``--jobs`` workers.

A job's work is read → clean → extract its sources, then per audience select →
render every format (:func:`briefgen.pipeline.brief_job`). Only the writing stays
in this process: a finished job comes back as rendered outputs, and
:class:`RunTally` writes them, reports its warnings, and counts it.

Jobs are started in plan order, at most a few per worker ahead of the oldest
unfinished one, and are written in plan order as they finish. So a run over
thousands of sources holds only the jobs in progress (memory does not grow with
the run), and the files, the printed paths and the warnings are the same
whatever ``--jobs`` says.

With ``--jobs N`` (N ≥ 2) the tasks go to N forked processes, parsing and PDF
layout alike (layout is most of the time of a PDF run). A job of one source is one
task; a merged story is one task per source, then one per audience once they are
all parsed. A run that will parse loads spaCy's model before forking, so the
workers share it (a run whose sources are all cached never loads it); each worker
imports WeasyPrint on its first PDF.
"""

from __future__ import annotations

import gc
import os
import signal
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from briefgen.errors import BriefgenError
from briefgen.extract.cache import ExtractionCache
from briefgen.extract.dask_executor import DaskExecutor
from briefgen.extract.spacy_model import model_names, resolve_model
from briefgen.output import Output
from briefgen.pipeline import (
    BriefJob,
    BuildRequest,
    BuildResult,
    Emit,
    Failures,
    MadeBrief,
    MadeJob,
    Progress,
    Setup,
    SourceRef,
    _cache,
    _read_and_clean,
    brief_job,
    extract_with,
    read_all,
)
from briefgen.processes import die_with_parent
from briefgen.records import Brief, Extraction
from briefgen.render import JobRenderer, prepared
from briefgen.render.pdf_worker import ENV as PDF_WORKER_ENV

T = TypeVar("T")
AHEAD = 4
"""Jobs started per worker ahead of the oldest unfinished one: enough that a worker
never waits for work behind one long article, few enough to bound memory."""


@dataclass(frozen=True, slots=True)
class Work:
    """What every task needs, resolved once per run (forked workers inherit it)."""

    setup: Setup
    request: BuildRequest
    model: str
    cache: ExtractionCache | None
    keep_going: bool


@dataclass(frozen=True, slots=True)
class Done:
    """What a task hands back: all of it plain data, sent back from a worker."""

    parsed: int = 0
    """Sources this task parsed (or found in the cache)."""
    extractions: tuple[Extraction, ...] = ()
    """A source task's extraction; a job task's only when the run keeps its results."""
    made: tuple[MadeBrief, ...] = ()
    outputs: tuple[Output, ...] = ()
    """What is made once per job (``compare``)."""
    warnings: tuple[str, ...] = ()
    failed: tuple[str, ...] = ()
    unavailable: tuple[tuple[str, str], ...] = ()
    """(format, why) of the formats this worker found it cannot write (no Pango)."""


# --- the tasks (module functions: a worker process finds them by name) ---------------

_work: Work | None = None
"""The run's :class:`Work`: a module global so forked workers inherit it and a task
sends only its job or source."""


def _current() -> Work:
    assert _work is not None, "a task ran outside a run"
    return _work


def extract_task(ref: SourceRef) -> Done:
    """Read, clean and extract one source of a merged story."""
    work, log = _current(), Log()
    failures = Failures(work.keep_going, 0, log, work.request.verbose)
    found = _extract([ref], work, failures)
    return Done(len(found), tuple(found), warnings=tuple(log), failed=tuple(failures.paths))


def job_task(
    job: BriefJob,
    extractions: tuple[Extraction, ...] | None = None,
    audiences: tuple[str, ...] | None = None,
) -> Done:
    """A job's briefs (of ``audiences``, default all), parsing its sources first
    unless their ``extractions`` are given."""
    work, log = _current(), Log()
    failures = Failures(work.keep_going, 0, log, work.request.verbose)
    parsed = 0
    if extractions is None:
        extractions = tuple(_extract(list(job.sources), work, failures))
        parsed = len(extractions)
    made: MadeJob | None = None
    if extractions:
        made = failures.guard(
            job.name, brief_job, job, list(extractions), work.setup, work.request, log, audiences
        )
    made = made or MadeJob(())
    keep = work.request.keep_results
    # without the records, a brief travels back as its outputs and index line only
    sent = tuple(m if keep else replace(m, brief=None) for m in made.briefs)
    return Done(
        parsed,
        extractions if keep else (),
        sent,
        made.outputs,
        tuple(log),
        tuple(failures.paths),
        tuple(work.setup.unavailable.formats.items()),
    )


def _extract(refs: Sequence[SourceRef], work: Work, failures: Failures) -> list[Extraction]:
    shared = work.setup.shared
    documents = read_all(refs, shared, work.request.max_size, failures)
    if not documents:
        return []
    # --executor dask: the cluster parses; the task (this process or a --jobs worker)
    # selects and renders
    executor = DaskExecutor(work.request.scheduler) if work.request.scheduler else None
    return extract_with(documents, shared, work.model, work.cache, executor, failures)


class Log(list[str]):
    """A task's warnings, kept to be reported in plan order by the main process."""

    def __call__(self, message: str) -> None:
        self.append(message)


# --- where tasks run -----------------------------------------------------------------


class InThisProcess(Executor):
    """Runs each task at once, in this process (``--jobs 1``)."""

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        future: Future[T] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:  # handed to whoever asks for the result, as a pool would
            future.set_exception(exc)
        return future


def _start_worker(work: Work, parent_pid: int) -> None:
    """A ``--jobs`` worker: the parent handles Ctrl-C and SIGTERM and stops us (we hold
    nothing to clean up: the parent writes every file); we die with it."""
    global _work
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    die_with_parent(parent_pid)
    _work = work
    os.environ[PDF_WORKER_ENV] = "0"  # it lays out its own PDFs: no layout process of its own
    # the workers already use every core between them: no BLAS threads on top
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = "1"
    for renderer in work.setup.renderers.values():
        getattr(renderer, "prepare", lambda: None)()


@contextmanager
def workers(work: Work, count: int, first: SourceRef | None = None) -> Iterator[Executor]:
    """``count`` forked worker processes, or this process when that is 1 or forking
    is not possible (a daemonic process); stopped on the way out, at once when the
    run failed or was interrupted. ``first`` is the run's first source (whether it is
    cached says whether the model is worth loading before the fork)."""
    global _work
    _work = work
    if count <= 1 or _is_daemon():
        with prepared(work.setup.renderers.values()):
            try:
                yield InThisProcess()
            finally:
                _work = None
        return
    from concurrent.futures import ProcessPoolExecutor  # only here: ~10 ms to import
    from multiprocessing import get_context

    if first is not None and not work.request.scheduler and _will_parse(work, first):
        # A cold run: load the model once, before forking; the workers inherit it
        # (copy-on-write) instead of each paying spaCy's import and load (measured:
        # 19% more CPU time than -j 1 with each loading its own).
        _load_model(work.model)
    # Frozen objects are left out of garbage collection: a worker's collector would
    # otherwise write to every inherited object of the model, copying its pages.
    gc.freeze()
    pool = ProcessPoolExecutor(
        count,
        mp_context=get_context("fork"),
        initializer=_start_worker,
        initargs=(work, os.getpid()),  # inherited through fork, not pickled
    )
    finished = False
    try:
        yield pool
        finished = True
    finally:
        _work = None
        if not finished:
            _kill(pool)
        pool.shutdown(wait=True, cancel_futures=True)
        gc.unfreeze()


def _will_parse(work: Work, first: SourceRef) -> bool:
    """Whether the run parses: no cache, or its first source is not in the cache (a
    run whose sources are cached never loads spaCy)."""
    if work.cache is None:
        return True
    try:
        document = _read_and_clean(first, work.setup.shared, work.request.max_size, _ignore)
    except Exception:  # its task reports it; this is only a guess
        return True
    return work.cache.get(document) is None


def _ignore(message: str) -> None:
    """A note of the guess in :func:`_will_parse` (its task gives the note again)."""


def _load_model(model: str) -> None:
    import briefgen.extract.analyze  # noqa: F401  (imports spaCy, dateparser and the extractors)
    from briefgen.extract.spacy_model import load_pipeline

    load_pipeline(model)


def _kill(pool: Executor) -> None:
    # Busy workers ignore SIGINT and SIGTERM, and ProcessPoolExecutor has no public way
    # to stop one before Python 3.14 (kill_workers): without this, an interrupted run
    # would wait for every task in progress.
    stop = getattr(pool, "kill_workers", None)
    if stop is not None:
        stop()
        return
    for process in list(getattr(pool, "_processes", {}).values()):
        process.kill()


def _is_daemon() -> bool:
    from multiprocessing import current_process

    return bool(current_process().daemon)


# --- the schedule ---------------------------------------------------------------------


@dataclass(slots=True)
class _Slot:
    """One job on its way through the workers."""

    job: BriefJob
    sources: list[Future[Done]]
    parts: list[Future[Done]]
    keep: bool
    reported: set[int] = field(default_factory=set)
    settled: bool = False
    """Every task is done and counted (only :meth:`advance` decides)."""

    @classmethod
    def start(cls, job: BriefJob, pool: Executor, split: bool, keep: bool) -> _Slot:
        """Submit the job's first tasks. ``split``: a story's sources are parsed in
        parallel, then its audiences."""
        if split and len(job.sources) > 1:  # a story: its sources in parallel first
            return cls(job, [pool.submit(extract_task, ref) for ref in job.sources], [], keep)
        return cls(job, [], [pool.submit(job_task, job)], keep)

    def running(self) -> list[Future[Done]]:
        return [f for f in (*self.sources, *self.parts) if not f.done()]

    def advance(self, pool: Executor, progress: Progress) -> None:
        """Count what finished; once a story's sources are parsed, start its briefs."""
        tasks = (*self.sources, *self.parts)
        done = [f for f in tasks if f.done()]  # looked at once: tasks finish meanwhile
        for future in done:
            if id(future) not in self.reported:
                self.reported.add(id(future))
                if future.exception() is None and future.result().parsed:
                    progress.parsed(future.result().parsed)
        if len(done) < len(tasks):
            return
        if self.sources and not self.parts:
            found = tuple(e for f in self.sources for e in f.result().extractions)
            # a format of the whole job (compare) needs every audience in one task
            whole = any(isinstance(r, JobRenderer) for r in _current().setup.renderers.values())
            groups = [self.job.audiences] if whole else [(a,) for a in self.job.audiences]
            self.parts = [
                pool.submit(job_task, self.job, found, group) for group in (groups if found else [])
            ]
            if self.parts:
                return self.advance(pool, progress)  # they may be done already
        self.settled = True

    def outcome(self) -> list[Done]:
        """Every task's result; a task's error (under ``--fail-fast``) is raised here.

        Raises:
            BriefgenError: a worker process stopped (killed, out of memory).
        """
        from concurrent.futures.process import BrokenProcessPool

        try:
            found = [f.result() for f in self.sources]
            parts = [f.result() for f in self.parts]
        except BrokenProcessPool as exc:
            raise BriefgenError(
                f"{self.job.name}: a --jobs worker process stopped ({exc}); "
                "the briefs written before are complete"
            ) from None
        # a story's extractions went to its briefs; kept only when asked
        return [*(d if self.keep else replace(d, extractions=()) for d in found), *parts]


def finished_jobs(
    jobs: Sequence[BriefJob], pool: Executor, progress: Progress, ahead: int, keep: bool
) -> Iterator[tuple[BriefJob, list[Done]]]:
    """Each job with its tasks' results, in plan order, as soon as it is finished."""
    inline = isinstance(pool, InThisProcess)
    ahead = 1 if inline else ahead  # in this process, a job is done once started
    todo = iter(jobs)
    slots: deque[_Slot] = deque()
    while True:
        while len(slots) < ahead and (job := next(todo, None)) is not None:
            slots.append(_Slot.start(job, pool, not inline, keep))
        if not slots:
            return
        running = [f for slot in slots for f in slot.running()]
        if running:
            wait(running, return_when=FIRST_COMPLETED)
        for slot in slots:
            slot.advance(pool, progress)
        while slots and slots[0].settled:
            slot = slots.popleft()
            yield slot.job, slot.outcome()


def run_jobs(
    jobs: Sequence[BriefJob],
    setup: Setup,
    request: BuildRequest,
    failures: Failures,
    tally: RunTally,
) -> None:
    """Run every job of the plan and hand each, in plan order, to ``tally``."""
    refs = {ref for job in jobs for ref in job.sources}
    if not refs:
        return
    model = resolve_model(request.models or model_names())
    cache = _cache(request.cache_dir, model, setup.shared, failures.warn)
    work = Work(setup, request, model, cache, failures.keep_going)
    count = min(request.jobs, len(refs))
    if any(ref.path == "-" for ref in refs):
        count = 1  # standard input is this process's to read
    with workers(work, count, jobs[0].sources[0]) as pool:
        ahead = count * AHEAD
        for job, results in finished_jobs(jobs, pool, tally.progress, ahead, request.keep_results):
            tally.add(job, results)


# --- what the main process does with finished jobs ------------------------------------


class RunTally:
    """Writes each finished job's outputs, reports its warnings and failures, and
    keeps the counts (and, when asked, the records and the index) of the run."""

    def __init__(
        self,
        request: BuildRequest,
        setup: Setup,
        failures: Failures,
        emit: Emit,
        progress: Progress,
    ) -> None:
        self.request = request
        self.setup = setup
        self.failures = failures
        self.emit = emit
        self.progress = progress
        self.extractions: list[Extraction] = []
        self.briefs: list[Brief] = []
        self.written = 0
        self.index = None
        if request.index and request.out != "-" and setup.renderers:
            from briefgen.index import RunIndex

            self.index = RunIndex(Path(request.out), setup.renderers, failures.warn)

    def add(self, job: BriefJob, results: list[Done]) -> None:
        before = len(self.failures.paths)
        for done in results:
            for message in done.warnings:
                self.failures.warn(message)
            self.failures.paths.extend(p for p in done.failed if p not in self.failures.paths)
            for name, why in done.unavailable:
                self.setup.unavailable.formats.setdefault(name, why)
            if self.request.keep_results:
                self.extractions.extend(done.extractions)
            for made in done.made:
                self._write(job, made)
            for output in done.outputs:  # the job's own formats, once its briefs are there
                if self.failures.guard(job.name, self._emit, output) and self.index:
                    self.index.add_job_file(job, output.path)
        if len(self.failures.paths) > before:
            self.progress.skipped(len(self.failures.paths) - before)

    def _write(self, job: BriefJob, made: MadeBrief) -> None:
        if made.brief is not None:
            self.briefs.append(made.brief)
        written: list[Output] = []
        for output in made.outputs:
            if self.failures.guard(job.name, self._emit, output) is None:
                break  # reported (a write failure): the job's other outputs are not written
            written.append(output)
        if written:
            self.written += 1
            self.progress.written(1)
            if self.index is not None:
                self.index.add(job, made, [o.path for o in written])

    def _emit(self, output: Output) -> bool:
        self.emit(output)
        return True

    @contextmanager
    def index_kept(self) -> Iterator[None]:
        """Write the index on the way out, however the run ends (interrupted, or
        stopped by an error): it then lists exactly the briefs that exist."""
        try:
            yield
        finally:
            if self.index is not None:
                self.index.write()

    def result(self, sources: int) -> BuildResult:
        return BuildResult(
            tuple(self.extractions),
            tuple(self.briefs),
            tuple(self.failures.paths),
            sources,
            self.setup.unavailable.messages(),
            self.written,
        )
