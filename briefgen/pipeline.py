"""The whole job, read as a list of stages: load -> clean -> analyze -> classify ->
select (per audience) -> render (per format) -> write.

Extraction runs once per source however many audiences and formats are asked
for; only :func:`briefgen.sources.read_source` and :func:`write_outputs` do I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from briefgen.config.profiles import LoadedProfile, find_profiles, load_profile, unknown_topics
from briefgen.config.shared import SharedConfig, config_dirs, load_shared
from briefgen.errors import BriefgenError, ConfigError, printable
from briefgen.extract.cache import ExtractionCache
from briefgen.extract.run import extract_facts
from briefgen.extract.spacy_model import model_names, resolve_model
from briefgen.files import private_folder, write_atomic
from briefgen.records import Brief, Document, Extraction
from briefgen.render import Renderer, RenderOptions, load_renderers, prepared
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


@dataclass(frozen=True, slots=True)
class Output:
    """One rendered brief, ready to be written."""

    path: Path
    data: bytes


@dataclass(frozen=True, slots=True)
class BuildResult:
    extractions: tuple[Extraction, ...]
    briefs: tuple[Brief, ...]
    failures: tuple[str, ...]


Report = Callable[[str], None]
Emit = Callable[[Output], None]


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


def load_documents(
    paths: Sequence[str],
    shared: SharedConfig,
    warn: Report,
    max_size: int = DEFAULT_MAX_SIZE,
    keep_going: bool | None = None,
) -> tuple[list[Document], list[str]]:
    """Read and clean every source; with keep-going, a failing one is reported and skipped."""
    documents: list[Document] = []
    failures: list[str] = []
    for path, source_id in zip(paths, _source_ids(paths), strict=True):
        try:
            documents.append(shared.cleaner.clean(read_source(path, source_id, max_size)))
        except BriefgenError as exc:
            if not (len(paths) > 1 if keep_going is None else keep_going):
                raise
            warn(f"briefgen: error: {printable(exc.format_message())} (skipped)")
            failures.append(path)
    return documents, failures


def extract(
    paths: Sequence[str],
    shared: SharedConfig,
    models: tuple[str, ...],
    warn: Report,
    max_size: int = DEFAULT_MAX_SIZE,
    keep_going: bool | None = None,
    cache_dir: Path | None = None,
    jobs: int = 1,
) -> tuple[list[Extraction], list[str]]:
    """Load, clean, analyze and classify every source (cached when ``cache_dir`` is set)."""
    documents, failures = load_documents(paths, shared, warn, max_size, keep_going)
    if not documents:
        return [], failures
    model = resolve_model(models or model_names())
    cache = None
    if cache_dir is not None:
        if private_folder(cache_dir, below=cache_dir):
            cache = ExtractionCache(cache_dir, model, shared.fingerprint)
        else:  # others could plant facts (or, for templates, code) there
            where = printable(str(cache_dir))
            warn(f"briefgen: warning: {where}: not used as a cache (others can write to it)")
    return extract_facts(documents, shared, model, cache, jobs), failures


def _source_ids(paths: Sequence[str]) -> list[str]:
    """File stems, made unique (``a``, ``a-2``) so two sources never share an output folder."""
    ids: list[str] = []
    for path in paths:
        stem = "stdin" if path == "-" else Path(path).stem
        candidate, n = stem, 1
        while candidate in ids:
            n += 1
            candidate = f"{stem}-{n}"
        ids.append(candidate)
    return ids


def build(request: BuildRequest, warn: Report, emit: Emit) -> BuildResult:
    """Run the pipeline for ``request``, handing each rendered output to ``emit`` as soon
    as it is ready (so a long run over many sources keeps what it has finished).

    Raises:
        ConfigError: bad profile, template, format or option (exit 2).
        BriefgenError: a failure while processing (exit 1).
    """
    dirs = config_dirs(request.config_dirs)
    shared = load_shared(dirs)
    profiles = resolve_audiences(request.audiences, dirs, request.strict)
    _report_warnings(shared, profiles, request.strict, warn)
    renderers = load_renderers(list(request.formats))
    if (
        renderers
        and request.out == "-"
        and len(request.sources) * len(profiles) * len(renderers) != 1
    ):
        raise ConfigError("-o - prints one brief: give one source, one --audience and one --format")
    with prepared(renderers.values()):
        extractions, failures = extract(
            request.sources, shared, request.models, warn, request.max_size,
            request.keep_going, request.cache_dir, request.jobs,
        )  # fmt: skip
        briefs = _render_all(request, shared, extractions, profiles, renderers, emit)
    return BuildResult(tuple(extractions), tuple(briefs), tuple(failures))


def _render_all(
    request: BuildRequest,
    shared: SharedConfig,
    extractions: list[Extraction],
    profiles: list[LoadedProfile],
    renderers: dict[str, Renderer],
    emit: Emit,
) -> list[Brief]:
    """Select each audience's brief from each extraction and emit it in every format."""
    glossary = {term: t.expansion for term, t in shared.glossary.terms.items()}
    briefs: list[Brief] = []
    for extraction in extractions:
        folder = Path(request.out) / extraction.document.source.id
        for loaded in profiles:
            brief = select([extraction], loaded.config, shared.glossary)
            brief = replace(brief, generated=request.today.isoformat())
            briefs.append(brief)
            options = RenderOptions(
                loaded.config, request.template_dirs, glossary, request.today, request.cache_dir
            )
            for renderer in renderers.values():
                emit(
                    Output(
                        folder / f"{brief.audience}{renderer.suffix}",
                        renderer.render(brief, options),
                    )
                )
    return briefs


def _report_warnings(
    shared: SharedConfig, profiles: list[LoadedProfile], strict: bool, warn: Report
) -> None:
    """Config warnings (unknown keys, unknown topic ids); errors under ``--strict``."""
    topics = list(shared.taxonomy.topics)
    warnings = [
        *shared.warnings,
        *(w for p in profiles for w in (*p.warnings, *unknown_topics(p.config, topics))),
    ]
    if strict and warnings:
        raise ConfigError("\n".join(warnings))
    for message in warnings:
        warn(f"briefgen: warning: {message}")


class OutputWriter:
    """Writes outputs atomically as they come; refuses to write one path twice in a run."""

    def __init__(self, on_written: Callable[[Path], None] | None = None) -> None:
        self.written: list[Path] = []
        # told about each path as soon as it is complete, so an interrupted run over
        # many sources still says which briefs it finished
        self.on_written = on_written

    def __call__(self, output: Output) -> None:
        if output.path in self.written:
            raise BriefgenError(f"{output.path}: would be written twice in one run")
        write_atomic(output.path, output.data)
        self.written.append(output.path)
        if self.on_written is not None:
            self.on_written(output.path)
