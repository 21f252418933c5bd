"""Stage 6, render: a :class:`Brief` becomes bytes in one output format.

Formats are plugins: the built-ins are registered under the ``briefgen.renderers``
entry point group in ``pyproject.toml`` and load through the same code path as a
third-party renderer, so the CLI never special-cases a format.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from importlib.metadata import entry_points
from pathlib import Path
from typing import Protocol, runtime_checkable

from briefgen.errors import ConfigError
from briefgen.model import Brief
from briefgen.profiles import ProfileConfig

GROUP = "briefgen.renderers"
BUILTIN_FORMATS = ("md", "html", "pdf", "json")


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """Everything a renderer needs besides the brief."""

    profile: ProfileConfig
    template_dirs: tuple[Path, ...]
    glossary: dict[str, str]
    today: date


@runtime_checkable
class Renderer(Protocol):
    name: str
    suffix: str

    def render(self, brief: Brief, options: RenderOptions) -> bytes: ...


def load_renderers(names: list[str]) -> dict[str, Renderer]:
    """Load the renderers for ``names`` from the entry point group.

    Raises:
        ConfigError: an unknown format (listing the available ones), a renderer
            that is not a Renderer, or a third-party one shadowing a built-in.
    """
    available = {ep.name: ep for ep in entry_points(group=GROUP)}
    out: dict[str, Renderer] = {}
    for name in names:
        if name not in available:
            known = ", ".join(sorted(available))
            raise ConfigError(f"unknown format '{name}' (available: {known})")
        ep = available[name]
        if name in BUILTIN_FORMATS and not ep.value.startswith("briefgen."):
            raise ConfigError(f"renderer '{name}' from {ep.value} shadows a built-in format")
        renderer = ep.load()()
        if not isinstance(renderer, Renderer):
            raise ConfigError(f"renderer '{name}' ({ep.value}) does not implement Renderer")
        out[name] = renderer
    return out
