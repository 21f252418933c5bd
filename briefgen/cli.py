"""The ``briefgen`` command: thin, it parses options and calls :func:`briefgen.pipeline.build`.

Heavy libraries (spaCy, WeasyPrint) are imported only by the stages that need
them, so ``--help`` and ``--list-audiences`` start fast.
"""

from __future__ import annotations

# _signal, the C module under `signal`, is loaded with the interpreter; importing
# `signal` itself builds enums first (a few ms in which Ctrl-C gave a traceback)
import _signal  # type: ignore[import-not-found]  # CPython's C module, no stub
import os
import sys


def _interrupted_early(signum: int, frame: object) -> None:
    # nothing is open or written while the modules load: leave at once, quietly
    os.write(2, b"briefgen: interrupted\n")
    os._exit(130)


# Ctrl-C or SIGTERM while the imports below run (~100 ms) gave an import traceback or
# exit 143; main() installs the real handlers. Only in the console script: a program
# importing briefgen.cli keeps its own handlers.
if os.path.basename(sys.argv[0] if sys.argv else "") == "briefgen":
    _signal.signal(_signal.SIGINT, _interrupted_early)
    _signal.signal(_signal.SIGTERM, _interrupted_early)

import errno  # noqa: E402
import signal  # noqa: E402
import traceback  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from contextlib import contextmanager, suppress  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from datetime import date, datetime, timezone  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import TYPE_CHECKING, Any  # noqa: E402

import click  # noqa: E402

from briefgen import __version__  # noqa: E402
from briefgen.errors import BriefgenError, ConfigError, printable  # noqa: E402

if TYPE_CHECKING:
    from briefgen.output import Output
    from briefgen.pipeline import BuildRequest, BuildResult

DEFAULT_FORMATS = "md,pdf"


def _today() -> date:
    """The brief date: ``SOURCE_DATE_EPOCH`` when set (reproducible builds), else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date()
        except (ValueError, OverflowError):
            raise ConfigError(
                f"SOURCE_DATE_EPOCH: expected seconds since 1970, got {epoch!r}"
            ) from None
    return date.today()


def _audiences(values: tuple[str, ...]) -> tuple[str, ...]:
    """``-a nato,eu -a public`` -> nato, eu, public; a profile file's path is kept whole
    (it may hold a comma)."""
    out: list[str] = []
    for value in values:
        if "," in value and not Path(value).is_file():
            out.extend(v.strip() for v in value.split(",") if v.strip())
        else:
            out.append(value)
    return tuple(out) or ("all",)


def _formats(value: str) -> tuple[str, ...]:
    names = tuple(dict.fromkeys(f.strip().lower() for f in value.split(",") if f.strip()))
    if not names:
        raise ConfigError("--format: give at least one of md, html, pdf, json, docx, compare")
    return names


def _sources(given: tuple[str, ...]) -> tuple[str, ...]:
    if given:
        return given
    from briefgen.resources import bundled_seeds

    seeds = tuple(str(p) for p in bundled_seeds())
    if _stdin_has_input():
        # never read it unasked: a run without a terminal (cron, CI) must still brief
        # the seed; but text piped in and silently ignored looks like a brief of it
        names = ", ".join(Path(p).name for p in seeds)
        click.echo(
            f"briefgen: note: no SOURCE given, so the bundled seed is briefed ({names}); "
            "standard input is read only with - (briefgen -a nato -)",
            err=True,
        )
    return seeds


def _stdin_has_input() -> bool:
    """Whether standard input is a pipe or a non-empty file (not a terminal, not
    /dev/null, not closed): text someone meant briefgen to read."""
    import stat

    try:
        mode = os.fstat(sys.stdin.fileno())
    except (AttributeError, OSError, ValueError):  # closed, or not a real file
        return False
    return stat.S_ISFIFO(mode.st_mode) or (stat.S_ISREG(mode.st_mode) and mode.st_size > 0)


BINARY_FORMATS = frozenset({"pdf", "docx"})


def _chosen_formats(opts: CliOptions) -> tuple[str, ...]:
    """The formats asked for; with ``-o -`` (one brief on stdout), Markdown unless
    told, and no binary format to a terminal (the plan checks it is one brief).

    Raises:
        ConfigError: binary output to a terminal.
    """
    if opts.out != "-":
        return _formats(opts.formats or DEFAULT_FORMATS)
    formats = _formats(opts.formats or "md")
    binary = sorted(BINARY_FORMATS.intersection(formats))
    if binary and _is_terminal(sys.stdout):
        raise ConfigError(
            f"-o -: {binary[0]} is binary and stdout is a terminal: redirect it "
            f"(> brief.{binary[0]}) or give -o DIR"
        )
    return formats


def _is_terminal(stream: object) -> bool:
    try:
        return bool(stream is not None and stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError, OSError):  # closed
        return False


def _list_audiences(config_dirs: tuple[Path, ...], strict: bool) -> None:
    from briefgen.config.profiles import find_profiles, load_profile
    from briefgen.config.shared import config_dirs as search

    dirs = search(config_dirs)
    for ref in find_profiles(dirs).values():
        cfg = load_profile(str(ref.path), dirs, strict=strict).config
        origin = f"({ref.origin}: {ref.path}{_same_as_builtin(ref.path, dirs[-1])})"
        STDOUT.echo("\t".join(_cell(str(f)) for f in (ref.id, cfg.name, cfg.description, origin)))


def _same_as_builtin(path: Path, builtin: Path) -> str:
    """A note for a user's copy of a built-in profile left unchanged: it hides the
    built-in and would go stale on upgrade, for nothing."""
    original = builtin / "audiences" / path.name
    if path == original or not original.is_file():
        return ""
    try:
        same = path.read_bytes() == original.read_bytes()
    except OSError:
        return ""
    return "; same as the built-in: delete it to follow upgrades" if same else ""


def _cell(text: str) -> str:
    """One tab-separated field for the terminal: control characters escaped, tabs too."""
    return printable(text).replace("\t", "\\t")


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("source", nargs=-1, type=str)
@click.option(
    "-a",
    "--audience",
    "audiences",
    multiple=True,
    metavar="ID|PATH|all",
    help="Profile id (nato, eu, public), a profile file, or all. Repeatable or a comma "
    "list. Default: all.",
)
@click.option(
    "-f",
    "--format",
    "formats",
    default=None,
    metavar="LIST",
    help="Comma list of md, html, pdf, json, docx, compare (one page: every audience beside "
    "the source). Default: md,pdf (md with -o -).",
)
@click.option(
    "-o",
    "--out",
    default="output",
    show_default=True,
    metavar="DIR",
    help="Output folder (briefs go to DIR/<source>/<audience>.<ext>); - prints to stdout.",
)
@click.option(
    "--templates",
    "template_dirs",
    multiple=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder searched for templates before the built-ins. Repeatable.",
)
@click.option(
    "--configs",
    "config_dirs",
    multiple=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder searched for configs (audiences/, topics.yaml, ...) before the built-ins.",
)
@click.option(
    "--export-templates",
    "export_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write the built-in templates, stylesheets and profiles into DIR to edit, and exit.",
)
@click.option("--list-audiences", is_flag=True, help="List the audience profiles found and exit.")
@click.option(
    "--check",
    is_flag=True,
    help="Report what this installation has (spaCy model, WeasyPrint and Pango, fonts, "
    "cache, folders) and exit; non-zero when something needed is missing.",
)
@click.option(
    "--explain",
    is_flag=True,
    help="Print what happened to every source line and fact for each audience; write nothing.",
)
@click.option(
    "--max-size",
    type=click.IntRange(min=1),
    default=None,
    metavar="BYTES",
    help="Refuse sources larger than this (default 10000000: what is known to finish, in "
    "about a quarter of an hour).",
)
@click.option(
    "--merge",
    is_flag=True,
    help="Make ONE brief per audience from all sources (each folder given: one of its own), "
    "written to OUT/<name>/.",
)
@click.option(
    "--skip-irrelevant",
    is_flag=True,
    help="Write nothing for an audience a source holds little for (below the profile's "
    "min_relevance) instead of a short brief that says so.",
)
@click.option(
    "--exclude",
    multiple=True,
    metavar="GLOB",
    help="Leave out a folder's files whose name matches (e.g. 'summary*'). Repeatable.",
)
@click.option(
    "-r",
    "--recursive",
    is_flag=True,
    help="A folder stands for the articles in its subfolders too (hidden ones left out).",
)
@click.option(
    "--name",
    metavar="NAME",
    help="Folder name of the merged brief (default: the folder the sources share, else merged).",
)
@click.option(
    "--keep-going/--fail-fast",
    default=None,
    help="On a bad source: report it and go on (default with several sources), or stop.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Worker processes for parsing many sources.",
)
@click.option(
    "--executor",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="Where sources are parsed: this machine (--jobs), or a Dask cluster (--scheduler).",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    default=None,
    help="The Dask scheduler for --executor dask (tcp://host:8786).",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Do not read or write the cache of extractions and compiled templates "
    "($XDG_CACHE_HOME/briefgen).",
)
@click.option("--strict", is_flag=True, help="Treat config warnings (unknown keys) as errors.")
@click.option("-v", "--verbose", is_flag=True, help="Show tracebacks on errors.")
@click.option(
    "-q",
    "--quiet",
    is_flag=True,
    help="No progress bar (drawn on stderr only when it is a terminal); the closing line stays.",
)
@click.version_option(__version__, prog_name="briefgen")
def command(**options: Any) -> None:
    """Turn news articles (SOURCE: .txt/.md files, saved .html pages, folders of them,
    or - for stdin) into briefs for each audience. With no SOURCE, the bundled seed
    article is used.

    Template and config folders given here are searched first, then those named in a
    briefgen.yaml in the working folder, then the built-ins."""
    try:
        _command(CliOptions(**options))
    except KeyboardInterrupt:
        # out of click's reach: it would print a blank line before our message
        raise Interrupted from None


class Interrupted(BaseException):
    """Ctrl-C or SIGTERM during the run (a BaseException, like KeyboardInterrupt)."""


def _command(opts: CliOptions) -> None:
    if opts.export_dir is not None:
        from briefgen.render.export import export_templates

        STDOUT.echo("\n".join(printable(str(p)) for p in export_templates(opts.export_dir)))
        return
    _existing_folders("--templates", opts.template_dirs)
    _existing_folders("--configs", opts.config_dirs)
    if opts.check:
        _check(opts)
    elif opts.list_audiences:
        from briefgen.config.workspace import search_folders

        folders = search_folders((), opts.config_dirs, Path.cwd(), opts.strict)
        for message in folders.warnings:
            click.echo(f"briefgen: warning: {message}", err=True)
        _list_audiences(folders.config_dirs, opts.strict)
    else:
        _run(opts)  # the library reads briefgen.yaml itself
    STDOUT.check()


def _check(opts: CliOptions) -> None:
    from briefgen.check import CheckRequest, missing, report, run_checks
    from briefgen.extract.cache import default_cache_dir

    cache = None if opts.no_cache else default_cache_dir()
    request = CheckRequest(opts.template_dirs, opts.config_dirs, Path.cwd(), cache)
    findings = run_checks(request)
    STDOUT.echo(report(findings), nl=False)
    problem = missing(findings)
    if problem is not None:
        raise problem


def _existing_folders(option: str, folders: tuple[Path, ...]) -> None:
    """A folder given on the command line must exist (a typo would be searched in vain)."""
    for folder in folders:
        if not folder.is_dir():
            raise ConfigError(f"{option}: {printable(str(folder))}: no such folder")


class _Stdout:
    """What briefgen prints on stdout: the paths written, --explain, --list-audiences.

    Decided for issue 13: a reader that goes away (``| head -n 1``) is no reason to
    stop; every brief is still written and the run ends with its usual status,
    quietly. Any other failure to print (stdout closed, a full device) stops the
    printing but not the briefs, and is one error line at the end, exit 1.
    """

    def __init__(self) -> None:
        self.failed: str | None = None
        self.stopped = False

    def reset(self) -> None:
        """A fresh run (a program or a test may call :func:`main` repeatedly)."""
        self.failed, self.stopped = None, False

    def echo(self, text: str, nl: bool = True) -> None:
        if self.stopped:
            return
        try:
            if sys.stdout is None:  # started with stdout closed (>&-)
                raise OSError(errno.EBADF, "stdout is closed")
            click.echo(text, nl=nl)
        except (OSError, ValueError) as exc:
            self.stop(exc)

    def write_bytes(self, data: bytes) -> None:
        """``-o -``: the brief itself is the output, so any failure but EPIPE is fatal."""
        try:
            if sys.stdout is None:
                raise OSError(errno.EBADF, "stdout is closed")
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        except (OSError, ValueError) as exc:
            self.stop(exc)
            self.check()

    def stop(self, exc: Exception) -> None:
        self.stopped = True
        if not isinstance(exc, BrokenPipeError):
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self.failed = self.failed or reason

    def check(self) -> None:
        if self.failed:
            raise BriefgenError(f"stdout: cannot write: {self.failed}")


STDOUT = _Stdout()


@dataclass(frozen=True, slots=True)
class CliOptions:
    """The command's options as click parses them (names are the option names)."""

    source: tuple[str, ...]
    audiences: tuple[str, ...]
    formats: str | None
    out: str
    template_dirs: tuple[Path, ...]
    config_dirs: tuple[Path, ...]
    export_dir: Path | None
    list_audiences: bool
    check: bool
    explain: bool
    max_size: int | None
    merge: bool
    skip_irrelevant: bool
    exclude: tuple[str, ...]
    recursive: bool
    name: str | None
    keep_going: bool | None
    jobs: int
    executor: str
    scheduler: str | None
    no_cache: bool
    strict: bool
    verbose: bool
    quiet: bool


def _scheduler(opts: CliOptions) -> str | None:
    """The Dask scheduler's address for ``--executor dask``, checked before any work."""
    if opts.executor != "dask":
        if opts.scheduler is not None:
            raise ConfigError("--scheduler is for --executor dask")
        return None
    if not opts.scheduler:
        raise ConfigError("--executor dask needs --scheduler ADDRESS (tcp://host:8786)")
    from briefgen.extract.dask_executor import require_distributed

    require_distributed()
    return opts.scheduler


def _run(opts: CliOptions) -> None:
    if opts.name is not None and not opts.merge:
        raise ConfigError("--name names a merged brief: give --merge too")
    result = _build(_request(opts), opts)
    if opts.explain:
        from briefgen.render.explain import explain as report

        STDOUT.echo(report(result.extractions, result.briefs), nl=False)
    # the formats not written (what to install), then the sources that failed
    lines = list(result.unavailable)
    if result.failures:
        lines.append(f"{len(result.failures)} of {result.sources} sources failed")
    if lines:
        raise BriefgenError("\n".join(lines))


def _request(opts: CliOptions) -> BuildRequest:
    from briefgen.extract.cache import default_cache_dir
    from briefgen.pipeline import BuildRequest
    from briefgen.sources import DEFAULT_MAX_SIZE

    return BuildRequest(
        sources=_sources(opts.source),
        audiences=_audiences(opts.audiences),
        formats=() if opts.explain else _chosen_formats(opts),
        out=opts.out,
        today=_today(),
        template_dirs=opts.template_dirs,
        config_dirs=opts.config_dirs,
        strict=opts.strict,
        keep_going=opts.keep_going,
        max_size=opts.max_size or DEFAULT_MAX_SIZE,
        cache_dir=None if opts.no_cache else default_cache_dir(),
        jobs=opts.jobs,
        scheduler=_scheduler(opts),
        workspace=Path.cwd(),
        verbose=opts.verbose,
        merge=opts.merge,
        skip_irrelevant=opts.skip_irrelevant,
        exclude=opts.exclude,
        recursive=opts.recursive,
        name=opts.name,
        keep_results=opts.explain,  # otherwise each job's records go once it is written
        index=not opts.explain,
    )


def _build(request: BuildRequest, opts: CliOptions) -> BuildResult:
    """The run, with its progress bars (on a terminal) and its closing line, which is
    printed when the run ends or is interrupted (an error line replaces it)."""
    from briefgen.output import OutputWriter
    from briefgen.pipeline import build
    from briefgen.progress import RunProgress

    progress = RunProgress(sys.stderr, bars=not opts.quiet and _is_terminal(sys.stderr))

    def announce(path: Path) -> None:
        # a path is printed escaped: a file name can hold a newline (breaking one path
        # per line) or a terminal control sequence
        with progress.paused():
            STDOUT.echo(printable(str(path)))

    emit = _print_output if opts.out == "-" else OutputWriter(Path(opts.out), announce)
    try:
        result = build(request, warn=progress.message, emit=emit, progress=progress)
    except (Interrupted, KeyboardInterrupt):
        progress.close()
        if progress.was_planned:  # what the interrupted run did finish
            click.echo(progress.closing_line(not opts.explain), err=True)
        raise
    finally:
        progress.close()
    click.echo(progress.closing_line(not opts.explain), err=True)
    return result


def _print_output(output: Output) -> None:
    STDOUT.write_bytes(output.data)


def _interrupt(signum: int, frame: object) -> None:
    # not KeyboardInterrupt: click catches that while it parses the arguments and
    # prints a blank line before its Abort
    raise Interrupted


@contextmanager
def _stop_signals() -> Iterator[None]:
    """Ctrl-C and SIGTERM (timeout, systemd) raise :class:`Interrupted` while the
    command runs, so they clean up alike: no temporary file is left behind. A calling
    program's handlers (the early ones, pytest's) are back afterwards."""
    stops = (signal.SIGINT, signal.SIGTERM)
    previous = {stop: signal.getsignal(stop) for stop in stops}
    for stop in stops:
        signal.signal(stop, _interrupt)
    try:
        yield
    finally:
        for stop, handler in previous.items():
            if handler is not None:
                signal.signal(stop, handler)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the command, turning errors into one line and an exit status."""
    verbose = "-v" in (argv or sys.argv) or "--verbose" in (argv or sys.argv)
    # briefgen's config models use no pydantic plugin; unless told so, pydantic scans
    # every installed package's entry points for plugins when the first one is built
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    STDOUT.reset()
    with _stop_signals():
        _main(argv, verbose)


def _main(argv: list[str] | None, verbose: bool) -> None:
    try:
        command.main(args=argv, prog_name="briefgen", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("briefgen: interrupted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        if verbose and exc.__cause__ is not None:
            raise
        if isinstance(exc, BriefgenError):
            exc.show()
        else:
            click.echo(f"briefgen: error: {exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except (KeyboardInterrupt, Interrupted):
        click.echo("briefgen: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # a bug, not a user mistake: still one line unless --verbose
        if _caused_by_interrupt(exc):
            click.echo("briefgen: interrupted", err=True)
            sys.exit(130)
        if verbose:
            raise
        click.echo(
            f"briefgen: internal error: {type(exc).__name__}: {printable(str(exc))} "
            "(rerun with --verbose)",
            err=True,
        )
        sys.exit(1)


def _caused_by_interrupt(exc: BaseException) -> bool:
    """Whether ``exc`` wraps a Ctrl-C: Python 3.11 turns one raised while a class is
    being created (a module loading) into ``RuntimeError: Error calling __set_name__``."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, (KeyboardInterrupt, Interrupted)):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def run() -> None:
    """The console script: :func:`main`, then leave without tearing the interpreter down.

    Freeing spaCy's model and WeasyPrint object by object at exit takes ~0.35 s after
    the last brief is written and announced. By then every brief is complete
    (written, synced and renamed), every message printed, and the layout and
    ``--jobs`` workers are stopped, so there is nothing left for the teardown to do.
    """
    code = 0
    try:
        main()
    except SystemExit as exc:
        code = _exit_status(exc.code)
    except BaseException:  # --verbose re-raises: show what Python would have shown
        traceback.print_exc()
        code = 1
    for stream in (sys.stdout, sys.stderr):
        with suppress(OSError, ValueError, AttributeError):  # gone (| head) or closed (>&-)
            stream.flush()
    os._exit(code)


def _exit_status(code: object) -> int:
    """The status ``sys.exit(code)`` would give: None is 0, a message is printed and 1."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1
