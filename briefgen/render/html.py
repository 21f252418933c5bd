"""HTML: the Markdown brief through python-markdown, wrapped in ``brief.html.j2``.

The page is standalone: the audience stylesheet is inlined and nothing external
is referenced, so it can be mailed or put on an intranet as one file.
"""

from __future__ import annotations

import markdown

from briefgen.model import Brief
from briefgen.render import RenderOptions
from briefgen.render.context import build_context
from briefgen.render.markdown import render_markdown, template_names
from briefgen.render.templates import make_environment, render_template

MARKDOWN_EXTENSIONS = ["tables", "attr_list", "sane_lists", "toc"]


def render_html(brief: Brief, options: RenderOptions, for_print: bool = False) -> str:
    # Source text was escaped by the Markdown template (the `md` filter), so the HTML
    # python-markdown produces holds no markup from the article.
    body = markdown.markdown(render_markdown(brief, options), extensions=MARKDOWN_EXTENSIONS)
    env = make_environment("html", options.template_dirs)
    context = build_context(brief, options)
    css_names = [f"{options.profile.id}/brief.css", "brief.css"]
    context.update(
        body=body,
        css=render_template(env, css_names, context, options.template_dirs),
        for_print=for_print,
    )
    return render_template(
        env, template_names(options.profile.id, "html"), context, options.template_dirs
    )


class HtmlRenderer:
    name = "html"
    suffix = ".html"

    def render(self, brief: Brief, options: RenderOptions) -> bytes:
        return render_html(brief, options).encode("utf-8")
