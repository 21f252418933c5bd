"""Stage 6, render: a :class:`Brief` becomes bytes in one output format.

Formats are plugins: a third-party package registers a renderer under the
``briefgen.renderers`` entry point group. The built-ins are registered there too
(so they are listed with the others) but are loaded from :data:`BUILTINS` without
scanning the installed packages, which costs more than rendering a Markdown brief;
the scan happens only when a format is not built in.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from briefgen.config.profiles import ProfileConfig
from briefgen.errors import ConfigError, FormatUnavailable
from briefgen.records import Brief

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

GROUP = "briefgen.renderers"
# format -> "module:class", the same values as the entry points in pyproject.toml
BUILTINS = {
    "md": "briefgen.render.markdown:MarkdownRenderer",
    "html": "briefgen.render.html:HtmlRenderer",
    "pdf": "briefgen.render.pdf:PdfRenderer",
    "json": "briefgen.render.json:JsonRenderer",
    "compare": "briefgen.render.compare:CompareRenderer",
    "docx": "briefgen.render.docx:DocxRenderer",
}


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """Everything a renderer needs besides the brief."""

    profile: ProfileConfig
    template_dirs: tuple[Path, ...]
    glossary: dict[str, str]
    today: date
    cache_dir: Path | None = None
    """Where compiled templates are kept between runs (None: nowhere)."""
    lineage: tuple[str, ...] = ()
    """The profile's id and those it extends, nearest first (``desk``, ``nato``):
    templates are looked up under each in turn (empty: the profile's id alone)."""
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    """What the formats of one brief share (its context, the HTML body): one
    ``RenderOptions`` per brief, so ``-f md,html,pdf`` builds each once."""

    @property
    def audiences(self) -> tuple[str, ...]:
        """The ids an audience's own templates are looked up under, in order."""
        return self.lineage or (self.profile.id,)


@dataclass(slots=True)
class Unavailable:
    """Formats found unwritable during a run (:class:`FormatUnavailable`): each is
    left out from then on, and its message is reported once, at the end."""

    formats: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, exc: FormatUnavailable) -> None:
        self.formats.setdefault(name, exc.format_message())

    def messages(self) -> tuple[str, ...]:
        return tuple(self.formats.values())


@runtime_checkable
class Renderer(Protocol):
    """A format. It may also define ``prepare()``, called before the sources are
    parsed (to start slow set-up alongside), and ``close()``, called at the end of
    the run even when it fails; see :func:`prepared`."""

    name: str
    suffix: str

    def render(self, brief: Brief, options: RenderOptions) -> bytes: ...


@runtime_checkable
class JobRenderer(Protocol):
    """A format made once per job from every audience's brief (``compare``), written
    to ``OUT/<job>/<filename>``. It may define ``prepare()`` and ``close()`` too."""

    name: str
    filename: str

    def render_job(self, briefs: Sequence[tuple[Brief, RenderOptions]]) -> bytes: ...


AnyRenderer = Renderer | JobRenderer


@contextmanager
def prepared(renderers: Iterable[AnyRenderer]) -> Iterator[None]:
    """Call each renderer's optional ``prepare()``, then ``close()`` on the way out
    (every one that was prepared, even if another's ``close()`` fails)."""
    with ExitStack() as stack:
        for renderer in renderers:
            getattr(renderer, "prepare", lambda: None)()
            stack.callback(getattr(renderer, "close", lambda: None))
        yield


def load_renderers(names: list[str]) -> dict[str, AnyRenderer]:
    """Load the renderers for ``names``: built-ins directly, others from the entry points.

    Raises:
        ConfigError: an unknown format (listing the available ones) or a renderer
            that is not a Renderer.
    """
    plugins = _plugins() if any(n not in BUILTINS for n in names) else {}
    out: dict[str, AnyRenderer] = {}
    for name in names:
        if name in BUILTINS:
            renderer = _load(BUILTINS[name])
        elif name in plugins:
            renderer = plugins[name].load()()
        else:
            known = ", ".join(sorted({*BUILTINS, *plugins}))
            raise ConfigError(f"unknown format '{name}' (available: {known})")
        if not isinstance(renderer, (Renderer, JobRenderer)):
            raise ConfigError(f"renderer '{name}' does not implement Renderer")
        out[name] = renderer
    return out


def _load(target: str) -> object:
    module, _, attr = target.partition(":")
    return getattr(import_module(module), attr)()


def _plugins() -> dict[str, EntryPoint]:
    """Third-party renderers. A built-in format name always means the built-in, so a
    plugin registering one is left out (a brief's format never depends on what else
    happens to be installed)."""
    from importlib.metadata import entry_points  # ~20 ms to import: only when needed

    return {ep.name: ep for ep in entry_points(group=GROUP) if ep.name not in BUILTINS}
