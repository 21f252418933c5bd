"""briefgen as a library: read sources, make a brief for an audience, render it.

>>> from briefgen import Briefgen
>>> bg = Briefgen()
>>> sources = bg.read("seeds/china-belarus-exercises.txt")
>>> brief = bg.brief(sources, "nato")
>>> markdown = bg.render(brief, "md").decode()

The same stages, configs and folders as the command line (:mod:`briefgen.pipeline`);
nothing is written anywhere unless you write it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from briefgen.config.profiles import LoadedProfile
from briefgen.config.shared import SharedConfig, config_dirs, load_shared
from briefgen.config.workspace import search_folders
from briefgen.pipeline import BuildRequest, resolve_audiences
from briefgen.records import Brief, Extraction
from briefgen.render import JobRenderer, RenderOptions, load_renderers
from briefgen.select import select
from briefgen.sources import DEFAULT_MAX_SIZE

PathLike = str | Path


class Briefgen:
    """One configuration (template and config folders, model, cache, brief date).

    Args:
        configs: folders searched for profiles and configs before the built-ins.
        templates: folders searched for templates before the built-ins.
        workspace: a folder whose ``briefgen.yaml`` adds folders (None: none is read).
        models: spaCy model names to try (default: the configured list).
        cache_dir: where extractions are cached (None: no cache).
        today: the brief date (default: today).
        jobs: worker processes for parsing many sources.
        scheduler: a Dask scheduler's address: parse on that cluster instead
            (``briefgen[dask]``; see the README).
        strict: config warnings become errors.

    Raises:
        ConfigError: an invalid config file or folder.
    """

    def __init__(
        self,
        *,
        configs: Sequence[PathLike] = (),
        templates: Sequence[PathLike] = (),
        workspace: PathLike | None = None,
        models: Sequence[str] = (),
        cache_dir: PathLike | None = None,
        today: date | None = None,
        jobs: int = 1,
        scheduler: str | None = None,
        strict: bool = False,
    ) -> None:
        folders = search_folders(
            [Path(t) for t in templates],
            [Path(c) for c in configs],
            Path(workspace) if workspace is not None else None,
            strict,
        )
        self.template_dirs = folders.template_dirs
        self.config_dirs = config_dirs(folders.config_dirs)
        self.shared: SharedConfig = load_shared(self.config_dirs)
        self.warnings: list[str] = [*folders.warnings, *self.shared.warnings]
        self.today = today or date.today()
        self.strict = strict
        self._profiles: dict[str, LoadedProfile] = {}  # by id, for render()
        self._request = BuildRequest(
            sources=(),
            audiences=(),
            formats=(),
            out="-",
            today=self.today,
            models=tuple(models),
            strict=strict,
            max_size=DEFAULT_MAX_SIZE,
            keep_going=False,
            cache_dir=Path(cache_dir) if cache_dir is not None else None,
            jobs=jobs,
            scheduler=scheduler,
            workspace=None,
        )

    def read(self, *paths: PathLike) -> list[Extraction]:
        """Read, clean and extract each source (``.txt``/``.md``/``.html``; ``-`` is stdin).

        Raises:
            SourceError: a source that cannot be read (naming it).
        """
        from briefgen.pipeline import read_and_extract

        names = [str(p) for p in paths]
        extractions, _ = read_and_extract(names, self.shared, self._request, self.warnings.append)
        return extractions

    def profile(self, audience: str) -> LoadedProfile:
        """The profile ``audience`` (an id or a profile file's path).

        Raises:
            ConfigError: unknown audience or invalid profile.
        """
        (loaded,) = resolve_audiences([audience], self.config_dirs, self.strict)
        self._profiles[loaded.config.id] = loaded
        return loaded

    def brief(self, extractions: Sequence[Extraction], audience: str) -> Brief:
        """The brief of ``audience`` made from ``extractions``."""
        loaded = self.profile(audience)
        return select(
            extractions, loaded.config, self.shared.glossary, self.today,
            publishers=self.shared.publishers,
        )  # fmt: skip

    def render(self, brief: Brief, fmt: str = "md") -> bytes:
        """``brief`` in format ``fmt`` (``md``, ``html``, ``pdf``, ``json`` or a plugin's).

        Raises:
            ConfigError: unknown format.
        """
        (renderer,) = load_renderers([fmt]).values()
        loaded = self._profiles.get(brief.audience) or self.profile(brief.audience)
        glossary = {term: t.expansion for term, t in self.shared.glossary.terms.items()}
        options = RenderOptions(
            loaded.config, self.template_dirs, glossary, self.today, lineage=loaded.audiences
        )
        if isinstance(renderer, JobRenderer):  # a page of several briefs, here of one
            return renderer.render_job([(brief, options)])
        return renderer.render(brief, options)
