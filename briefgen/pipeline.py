"""The whole job: plan the briefs, then run the stages you can read in :func:`build`.

``configure`` resolves the folders (command line, then ``briefgen.yaml``, then the
built-ins), the shared configs, the audience profiles and the renderers.  ``plan``
says which sources make which brief into which folder (a :class:`BriefJob` each).
Then each job runs (:mod:`briefgen.runner`: in this process or in ``--jobs``
workers), per source: ``read`` → ``clean`` → ``extract`` (cached); then ``merge``
(once), then per audience ``select`` → ``render`` (per format); the main process
``write``s each job's outputs as soon as it is done, in plan order.

Extraction runs once per source however many audiences and formats use it.
Only the read stage and the writer do I/O.  With several sources, a failing one
(bad input, or a bug met on its text) is reported with its path and skipped; the
others still get their briefs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import ParamSpec, Protocol, TypeVar

from briefgen.config.checks import profile_warnings
from briefgen.config.profiles import LoadedProfile, find_profiles, load_profile
from briefgen.config.shared import SharedConfig, config_dirs, load_shared
from briefgen.config.workspace import search_folders
from briefgen.errors import BriefgenError, ConfigError, FormatUnavailable, SourceError, printable
from briefgen.extract.cache import ExtractionCache
from briefgen.extract.dask_executor import ClusterError, DaskExecutor
from briefgen.extract.run import Executor, InProcess, extract_facts, local_executor
from briefgen.extract.spacy_model import model_names, resolve_model
from briefgen.files import folder_problem
from briefgen.folders import excluded, folder_articles
from briefgen.folders import natural_key as natural_key  # where it was before folders.py
from briefgen.merge import merge
from briefgen.output import Output
from briefgen.records import Brief, Document, Extraction
from briefgen.render import (
    AnyRenderer,
    JobRenderer,
    Renderer,
    RenderOptions,
    Unavailable,
    load_renderers,
)
from briefgen.render.blocks import unknown_blocks
from briefgen.select import select
from briefgen.sources import DEFAULT_MAX_SIZE, read_source


@dataclass(frozen=True, slots=True)
class BuildRequest:
    """What the user asked for (the CLI's options, validated)."""

    sources: tuple[str, ...]
    audiences: tuple[str, ...]
    formats: tuple[str, ...]
    out: str
    today: date
    template_dirs: tuple[Path, ...] = ()
    config_dirs: tuple[Path, ...] = ()
    models: tuple[str, ...] = ()
    strict: bool = False
    max_size: int = DEFAULT_MAX_SIZE
    keep_going: bool | None = None  # None: keep going when there are several sources
    cache_dir: Path | None = None  # None: no cache
    jobs: int = 1
    scheduler: str | None = None
    """A Dask scheduler's address: parse on that cluster (``--executor dask``)."""
    workspace: Path | None = field(default_factory=Path.cwd)
    """Where ``briefgen.yaml`` is looked for (the working folder); None: nowhere."""
    verbose: bool = False
    """Let unexpected errors through (with their traceback) instead of skipping the source."""
    merge: bool = False
    """One brief per audience from all sources (each folder given: one of its own)."""
    exclude: tuple[str, ...] = ()
    """Glob patterns of file names (or paths below a folder given) left out
    (``*.summary.txt``): of folders' articles and of the files given loose."""
    recursive: bool = False
    """A folder stands for the articles in its subfolders too."""
    keep_results: bool = True
    """Hold every extraction and brief in the result (``--explain``, a library caller).
    The command turns it off: over thousands of sources, each job's records are
    dropped once its briefs are written, so memory does not grow with the run."""
    index: bool = False
    """Write ``OUT/index.json`` and ``OUT/index.html`` listing the briefs in ``out``
    (see :mod:`briefgen.index`)."""
    skip_irrelevant: bool = False
    """Write nothing for an audience the sources hold little for (below its
    ``min_relevance``), instead of a short brief that says so."""
    name: str | None = None
    """The merged brief's folder name (default: the folder the sources share, else
    ``merged``)."""


@dataclass(frozen=True, slots=True)
class SourceRef:
    """One source of a job: its path and the id its facts carry."""

    path: str
    id: str


@dataclass(frozen=True, slots=True)
class BriefJob:
    """One brief per audience and format, made from ``sources``, written to ``folder``."""

    name: str
    sources: tuple[SourceRef, ...]
    audiences: tuple[str, ...]
    formats: tuple[str, ...]
    folder: Path


@dataclass(frozen=True, slots=True)
class Setup:
    """The resolved configuration of one run."""

    shared: SharedConfig
    profiles: tuple[LoadedProfile, ...]
    renderers: dict[str, AnyRenderer]
    template_dirs: tuple[Path, ...]
    config_dirs: tuple[Path, ...]
    unavailable: Unavailable = field(default_factory=Unavailable)
    """Formats this machine cannot write (found while rendering): the others are."""


@dataclass(frozen=True, slots=True)
class BuildResult:
    extractions: tuple[Extraction, ...]
    """Every extraction (only with ``request.keep_results``)."""
    briefs: tuple[Brief, ...]
    """Every brief (only with ``request.keep_results``)."""
    failures: tuple[str, ...]
    sources: int = 0
    """How many source files the plan held (folders expanded)."""
    unavailable: tuple[str, ...] = ()
    """Why a format asked for was not written (a system library missing): one line each."""
    written: int = 0
    """How many briefs (a job's audience, in one or more formats) were written."""


@dataclass(frozen=True, slots=True)
class MadeBrief:
    """One audience's brief of a job, rendered in every format, not yet written."""

    audience: str
    title: str
    relevance: float
    relevant: bool
    outputs: tuple[Output, ...]
    """Empty when ``--skip-irrelevant`` left the brief out."""
    brief: Brief | None = None
    """The brief itself (dropped when the run does not keep its records)."""


@dataclass(frozen=True, slots=True)
class MadeJob:
    """A job's briefs, and the outputs made once for the whole job (``compare``)."""

    briefs: tuple[MadeBrief, ...]
    outputs: tuple[Output, ...] = ()


class Progress(Protocol):
    """Told how a run advances (the command draws a progress bar from it)."""

    def planned(self, sources: int, briefs: int) -> None: ...

    def parsed(self, sources: int) -> None: ...

    def written(self, briefs: int) -> None: ...

    def skipped(self, sources: int) -> None: ...


class NoProgress:
    """A run nobody watches."""

    def planned(self, sources: int, briefs: int) -> None:
        pass

    def parsed(self, sources: int) -> None:
        pass

    def written(self, briefs: int) -> None:
        pass

    def skipped(self, sources: int) -> None:
        pass


Report = Callable[[str], None]
Emit = Callable[[Output], None]
P = ParamSpec("P")
T = TypeVar("T")


def build(
    request: BuildRequest, warn: Report, emit: Emit, progress: Progress | None = None
) -> BuildResult:
    """Run the pipeline for ``request``, handing each rendered output to ``emit`` as soon
    as its job is done (so a long run over many sources keeps what it has finished,
    and holds only the jobs in progress).

    Raises:
        ConfigError: bad profile, template, format or option (exit 2).
        BriefgenError: a failure while processing (exit 1).
    """
    # the runner builds on the stages below: imported here, not at the top
    from briefgen.runner import RunTally, run_jobs

    setup = configure(request, warn)
    jobs = plan(request, setup)
    refs = list(dict.fromkeys(ref for job in jobs for ref in job.sources))
    failures = Failures(request.keep_going, len(refs), warn, request.verbose)
    progress = progress or NoProgress()
    progress.planned(len(refs), len(jobs) * len(setup.profiles))
    tally = RunTally(request, setup, failures, emit, progress)
    with tally.index_kept():
        run_jobs(jobs, setup, request, failures, tally)
    return tally.result(len(refs))


# --- configure and plan ----------------------------------------------------------------


def configure(request: BuildRequest, warn: Report) -> Setup:
    """Folders, shared configs, profiles and renderers for ``request``.

    Raises:
        ConfigError: an invalid config, profile or format.
    """
    folders = search_folders(
        request.template_dirs, request.config_dirs, request.workspace, request.strict
    )
    for message in (*folders.warnings, *unknown_blocks(folders.template_dirs)):
        warn(f"briefgen: warning: {message}")
    dirs = config_dirs(folders.config_dirs)
    shared = load_shared(dirs)
    profiles = resolve_audiences(request.audiences, dirs, request.strict)
    _report_warnings(shared, profiles, request.strict, warn)
    renderers = load_renderers(list(request.formats))
    return Setup(shared, tuple(profiles), renderers, folders.template_dirs, folders.config_dirs)


def plan(request: BuildRequest, setup: Setup) -> list[BriefJob]:
    """Which sources make which brief, into which folder.

    Without ``merge``: one job per source file (a folder stands for its article
    files), into ``OUT/<source id>/``.  With ``merge``: each folder given is one job
    named after it; the files given loose make one more, named ``request.name``, or
    after the folder they share, or ``merged``.

    Raises:
        SourceError: a folder holding no article.
        ConfigError: ``-o -`` asked for more than one brief.
    """
    audiences = tuple(p.config.id for p in setup.profiles)
    formats = tuple(setup.renderers)
    batches = _batches(request.sources, request.merge, request.exclude, request.recursive)
    stems = [_stems(folder, paths, request.recursive) for folder, paths in batches]
    if request.merge:
        # ids unique within each brief, so a brief reads the same whatever else the run holds
        ids = [_ids(batch) for batch in stems]
    else:  # one brief per source: ids (and folder names) unique over the run
        every = iter(_ids([stem for batch in stems for stem in batch]))
        ids = [[next(every) for _ in batch] for batch in stems]
    refs = [
        (folder, [SourceRef(p, i) for p, i in zip(paths, batch_ids, strict=True)])
        for (folder, paths), batch_ids in zip(batches, ids, strict=True)
    ]
    if request.merge:
        named = [(_job_name(folder, group, request.name), group) for folder, group in refs]
    else:
        named = [(ref.id, [ref]) for _, group in refs for ref in group]
    names = unique_names([n for n, _ in named])
    jobs = [
        BriefJob(name, tuple(group), audiences, formats, Path(request.out) / name)
        for name, (_, group) in zip(names, named, strict=True)
    ]
    # a job format (compare) is one output per job, whatever the audiences
    per_brief = sum(isinstance(r, Renderer) for r in setup.renderers.values())
    outputs = len(jobs) * (len(audiences) * per_brief + len(formats) - per_brief)
    if formats and request.out == "-" and outputs != 1:
        if per_brief and len(audiences) > 1:  # -a left at all: say what is missing
            raise ConfigError(
                "-o - prints one brief: give one --audience (e.g. -a nato; see --list-audiences)"
            )
        raise ConfigError("-o - prints one brief: give one source, one --audience and one --format")
    return jobs


def _stems(folder: str | None, paths: list[str], recursive: bool) -> list[str]:
    """The names that become source ids. Below a folder walked recursively, the path
    says more than the file name (``2024-05-01/report.txt``, ``2024-05-02/report.txt``)."""
    if not recursive or folder is None:
        return ["stdin" if p == "-" else Path(p).stem for p in paths]
    return [Path(p).relative_to(folder).with_suffix("").as_posix() for p in paths]


def _batches(
    sources: Sequence[str], merge: bool, exclude: Sequence[str] = (), recursive: bool = False
) -> list[tuple[str | None, list[str]]]:
    """Sources as (folder or None, paths): each folder argument its own batch; loose
    files one batch when merging (a batch each otherwise).

    Raises:
        SourceError: a folder holding no article, or ``exclude`` leaving no source.
    """
    batches: list[tuple[str | None, list[str]]] = []
    loose: list[str] = []
    for source in sources:
        if source != "-" and Path(source).is_dir():
            batches.append((source, folder_articles(Path(source), exclude, recursive)))
        elif source != "-" and excluded(Path(source).name, exclude):
            continue  # `briefgen --exclude '*.summary.txt' articles/*.txt`
        elif merge:
            loose.append(source)
        else:
            batches.append((None, [source]))
    if loose:
        batches.append((None, loose))
    if sources and not batches:
        raise SourceError(f"--exclude {' '.join(exclude)}: leaves none of the sources given")
    return batches


def _job_name(folder: str | None, refs: Sequence[SourceRef], name: str | None) -> str:
    if folder is not None:
        return safe_name(Path(folder).resolve().name)
    if name:
        return safe_name(name)
    parents = {str(Path(r.path).resolve().parent) for r in refs if r.path != "-"}
    if len(parents) == 1 and len(refs) > 1:
        return safe_name(Path(parents.pop()).name)
    return "merged"


def unique_names(names: Sequence[str]) -> list[str]:
    """``names`` with repeats numbered (``a``, ``a-2``), so no two jobs share a folder."""
    out: list[str] = []
    for name in names:
        candidate, n = name, 1
        while candidate in out:
            n += 1
            candidate = f"{name}-{n}"
        out.append(candidate)
    return out


def resolve_audiences(
    specs: Sequence[str], dirs: Sequence[Path], strict: bool
) -> list[LoadedProfile]:
    """Profiles for ``specs`` (ids, paths, or ``all``), in the order asked, without repeats."""
    names: list[str] = []
    for spec in specs or ("all",):
        names.extend(sorted(find_profiles(dirs)) if spec == "all" else [spec])
    loaded = [load_profile(n, dirs, strict=strict) for n in dict.fromkeys(names)]
    ids = [p.config.id for p in loaded]
    if len(set(ids)) != len(ids):
        raise ConfigError(
            f"two audiences share the id '{_first_repeat(ids)}'; output names would clash"
        )
    return loaded


def _first_repeat(items: list[str]) -> str:
    return next(i for n, i in enumerate(items) if i in items[:n])


# a file stem as a folder name: letters, digits and . _ -; never "." or ".."
_UNSAFE_NAME = re.compile(r"[^\w.-]+")


def safe_name(stem: str) -> str:
    """``stem`` as one safe folder name: other characters become ``-``, leading dots
    go (``...txt`` has the stem ``..``), and nothing left gives ``source``."""
    name = _UNSAFE_NAME.sub("-", stem).lstrip(".-")
    return name[:100] or "source"


def source_ids(paths: Sequence[str]) -> list[str]:
    """Safe file stems, made unique (``a``, ``a-2``) so two sources never share a folder."""
    return _ids(["stdin" if p == "-" else Path(p).stem for p in paths])


def _ids(stems: Sequence[str]) -> list[str]:
    return unique_names([safe_name(stem) for stem in stems])


# --- per source: read, clean, extract ---------------------------------------------------


def read_all(
    refs: Sequence[SourceRef], shared: SharedConfig, max_size: int, failures: Failures
) -> list[Document]:
    """The read and clean stages for every source; a failing one is reported and skipped."""
    documents = []
    for ref in refs:
        doc = failures.guard(ref.path, _read_and_clean, ref, shared, max_size, failures.warn)
        if doc is not None:
            documents.append(doc)
    return documents


def _read_and_clean(ref: SourceRef, shared: SharedConfig, max_size: int, note: Report) -> Document:
    return clean(read_source(ref.path, ref.id, max_size, note), shared)


def read_and_extract(
    paths: Sequence[str],
    shared: SharedConfig,
    request: BuildRequest | None = None,
    warn: Report = print,
) -> tuple[list[Extraction], list[str]]:
    """Read, clean and extract ``paths`` (the stages before a brief), with the cache,
    models, size limit, jobs and keep-going of ``request``; returns the extractions
    and the paths that failed."""
    request = request or BuildRequest(tuple(paths), (), (), "-", date.today(), workspace=None)
    failures = Failures(request.keep_going, len(paths), warn, request.verbose)
    refs = [SourceRef(p, i) for p, i in zip(paths, source_ids(paths), strict=True)]
    documents = read_all(refs, shared, request.max_size, failures)
    return extract(documents, shared, request, warn, failures), failures.paths


def clean(document: Document, shared: SharedConfig) -> Document:
    """The cleaning stage: furniture removed, paragraphs kept.

    Raises:
        SourceError: nothing is left to brief (listing what the cleaner removed).
    """
    cleaned = shared.cleaner.clean(document)
    if not cleaned.paragraphs:
        reasons = sorted({r.reason for r in cleaned.removed})
        removed = f"{len(cleaned.removed)} lines removed: {', '.join(reasons)}"
        raise SourceError(f"{document.source.path}: nothing left after cleaning ({removed})")
    return cleaned


def extract(
    documents: Sequence[Document],
    shared: SharedConfig,
    request: BuildRequest,
    warn: Report,
    failures: Failures | None = None,
) -> list[Extraction]:
    """Facts of every document (cached when the request has a cache folder).

    If parsing the whole batch meets an unexpected error, each document is parsed on
    its own so the error is charged to the source whose text caused it.
    """
    if not documents:
        return []
    model = resolve_model(request.models or model_names())
    cache = _cache(request.cache_dir, model, shared, warn)
    executor = _executor(request)
    return extract_with(documents, shared, model, cache, executor, failures)


def extract_with(
    documents: Sequence[Document],
    shared: SharedConfig,
    model: str,
    cache: ExtractionCache | None,
    executor: Executor | None = None,
    failures: Failures | None = None,
) -> list[Extraction]:
    """:func:`extract` with the model and cache already resolved (a run resolves them
    once, not once per job)."""
    executor = executor or InProcess()
    if failures is None or not failures.keep_going:
        return extract_facts(documents, shared, model, cache, executor)
    try:
        return extract_facts(documents, shared, model, cache, executor)
    except ClusterError:  # the cluster failed, not a source: retrying each would too
        raise
    except Exception:  # a bug met on some text: find which source, keep the others
        out: list[Extraction] = []
        for doc in documents:
            one = failures.guard(
                doc.source.path, extract_facts, [doc], shared, model, cache, executor
            )
            out.extend(one or ())
        return out


def _executor(request: BuildRequest) -> Executor:
    if request.scheduler is None:
        return local_executor(request.jobs)
    return DaskExecutor(request.scheduler)


def _cache(
    cache_dir: Path | None, model: str, shared: SharedConfig, warn: Report
) -> ExtractionCache | None:
    if cache_dir is None:
        return None
    problem = folder_problem(cache_dir, below=cache_dir)
    if problem is None:
        return ExtractionCache(cache_dir, model, shared.fingerprint)
    # others could plant facts (or, for templates, code) there: say which level and why
    warn(f"briefgen: warning: {printable(problem)}; not used as a cache")
    return None


# --- per job: select, render, write -----------------------------------------------------


def brief_job(
    job: BriefJob,
    extractions: list[Extraction],
    setup: Setup,
    request: BuildRequest,
    warn: Report,
    audiences: Sequence[str] | None = None,
) -> MadeJob:
    """The select and render stages of one job: its brief for each audience (or those
    of ``audiences``), in every format, and the formats made once per job."""
    made = []
    rendered: list[tuple[Brief, RenderOptions]] = []  # for the formats of the whole job
    story = merge(extractions, setup.shared.publishers)  # once for every audience
    for loaded in setup.profiles:
        if audiences is not None and loaded.config.id not in audiences:
            continue
        brief = select(
            extractions, loaded.config, setup.shared.glossary, request.today, story,
            setup.shared.publishers,
        )  # fmt: skip
        outputs: tuple[Output, ...] = ()
        if not brief.relevant:
            what = "skipped" if request.skip_irrelevant else "a short brief says so"
            where = job.sources[0].path if len(job.sources) == 1 else job.name
            warn(
                f"briefgen: warning: {printable(where)}: holds little for "
                f"'{brief.audience}' (relevance {brief.relevance:.2f} < "
                f"{loaded.config.min_relevance:g}); {what}"
            )
        if brief.relevant or not request.skip_irrelevant:
            options = render_options(loaded, setup, request)
            rendered.append((brief, options))
            outputs = tuple(render(brief, job, setup.renderers, options, setup.unavailable))
        made.append(
            MadeBrief(brief.audience, brief.title, brief.relevance, brief.relevant, outputs, brief)
        )
    return MadeJob(tuple(made), tuple(render_job(rendered, job, setup.renderers)))


def render_options(loaded: LoadedProfile, setup: Setup, request: BuildRequest) -> RenderOptions:
    glossary = {term: t.expansion for term, t in setup.shared.glossary.terms.items()}
    return RenderOptions(
        loaded.config, setup.template_dirs, glossary, request.today, request.cache_dir,
        lineage=loaded.audiences,
    )  # fmt: skip


def render(
    brief: Brief,
    job: BriefJob,
    renderers: dict[str, AnyRenderer],
    options: RenderOptions,
    unavailable: Unavailable | None = None,
) -> Iterator[Output]:
    """The render stage: ``brief`` in every format of ``job``, one output each.

    With ``unavailable``, a format this machine cannot write (WeasyPrint without
    Pango) is recorded there and skipped, so the other formats are still written.
    """
    for name, renderer in renderers.items():
        if not isinstance(renderer, Renderer):
            continue
        if unavailable is not None and name in unavailable.formats:
            continue
        try:
            data = renderer.render(brief, options)
        except FormatUnavailable as exc:
            if unavailable is None:
                raise
            unavailable.add(name, exc)
            continue
        yield Output(job.folder / f"{brief.audience}{renderer.suffix}", data)


def render_job(
    rendered: Sequence[tuple[Brief, RenderOptions]],
    job: BriefJob,
    renderers: dict[str, AnyRenderer],
) -> Iterator[Output]:
    """The formats made once per job from every audience's brief (``compare``)."""
    for renderer in renderers.values():
        if isinstance(renderer, JobRenderer) and rendered:
            yield Output(job.folder / renderer.filename, renderer.render_job(rendered))


# --- failures ------------------------------------------------------------------------


class Failures:
    """Keep-going bookkeeping: which sources (or jobs) failed, each reported once."""

    def __init__(
        self, keep_going: bool | None, sources: int, warn: Report, verbose: bool = False
    ) -> None:
        self.keep_going = sources > 1 if keep_going is None else keep_going
        self.warn = warn
        self.verbose = verbose
        self.paths: list[str] = []

    def guard(
        self, where: str, stage: Callable[P, T], *args: P.args, **kwargs: P.kwargs
    ) -> T | None:
        """``stage(...)``, or None after reporting its failure (when keeping going)."""
        try:
            return stage(*args, **kwargs)
        except BriefgenError as exc:
            if not self.keep_going or isinstance(exc, ConfigError):
                raise
            self.warn(f"briefgen: error: {printable(exc.format_message())} (skipped)")
        except Exception as exc:  # a bug, not the user's mistake: say so, keep the rest
            if not self.keep_going or self.verbose:
                raise
            self.warn(
                f"briefgen: internal error: {printable(where)}: {type(exc).__name__}: "
                f"{printable(str(exc))} (skipped; rerun with --verbose)"
            )
        if where not in self.paths:
            self.paths.append(where)
        return None


def _report_warnings(
    shared: SharedConfig, profiles: list[LoadedProfile], strict: bool, warn: Report
) -> None:
    """Config warnings (unknown keys, unknown topic ids); errors under ``--strict``."""
    warnings = [
        *shared.warnings,
        *(w for p in profiles for w in (*p.warnings, *profile_warnings(p, shared))),
    ]
    if strict and warnings:
        raise ConfigError("\n".join(warnings))
    for message in warnings:
        warn(f"briefgen: warning: {message}")
