"""Markdown: the brief through ``brief.md.j2`` (per-audience folder first)."""

from __future__ import annotations

from collections.abc import Sequence

from briefgen.records import Brief
from briefgen.render import RenderOptions
from briefgen.render.context import build_context
from briefgen.render.templates import forget_environments, make_environment, render_template


def template_names(audience: str | Sequence[str], fmt: str) -> list[str]:
    """An audience's own template first (``nato/brief.md.j2``), then the shared one.

    ``audience`` may be a profile's lineage (its id, then those it extends): a
    profile that ``extends: nato`` uses ``nato/brief.md.j2`` unless it has its own.
    """
    lineage = [audience] if isinstance(audience, str) else list(audience)
    suffix = f"brief.{fmt}.j2" if fmt != "css" else "brief.css"
    return [*(f"{a}/{suffix}" for a in lineage), suffix]


def render_markdown(brief: Brief, options: RenderOptions) -> str:
    env = make_environment("md", options.template_dirs, options.cache_dir)
    names = template_names(options.audiences, "md")
    return render_template(env, names, build_context(brief, options), options.template_dirs)


class MarkdownRenderer:
    name = "md"
    suffix = ".md"

    def prepare(self) -> None:
        forget_environments()  # templates added since the last run in this process

    def render(self, brief: Brief, options: RenderOptions) -> bytes:
        return render_markdown(brief, options).encode("utf-8")
