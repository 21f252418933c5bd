"""Markdown: the brief through ``brief.md.j2`` (per-audience folder first)."""

from __future__ import annotations

from briefgen.records import Brief
from briefgen.render import RenderOptions
from briefgen.render.context import build_context
from briefgen.render.templates import forget_environments, make_environment, render_template


def template_names(audience: str, fmt: str) -> list[str]:
    """An audience's own template first (``nato/brief.md.j2``), then the shared one."""
    return [f"{audience}/brief.{fmt}.j2", f"brief.{fmt}.j2"]


def render_markdown(brief: Brief, options: RenderOptions) -> str:
    env = make_environment("md", options.template_dirs, options.cache_dir)
    names = template_names(options.profile.id, "md")
    return render_template(env, names, build_context(brief, options), options.template_dirs)


class MarkdownRenderer:
    name = "md"
    suffix = ".md"

    def prepare(self) -> None:
        forget_environments()  # templates added since the last run in this process

    def render(self, brief: Brief, options: RenderOptions) -> bytes:
        return render_markdown(brief, options).encode("utf-8")
