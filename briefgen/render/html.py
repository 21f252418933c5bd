"""HTML: the Markdown brief through python-markdown, wrapped in ``brief.html.j2``.

The page is standalone: the audience stylesheet is inlined and nothing external
is referenced, so it can be mailed or put on an intranet as one file.

The HTML page template owns the marking, the title block and the closing marking
(``base.html.j2``); the Markdown template gives everything in between. The
Markdown blocks ``marking``, ``title``, ``meta`` and ``footer`` are therefore
emptied when the Markdown is rendered for HTML, so the brief says each once.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from pathlib import Path

import jinja2
import markdown
from markdown.extensions import Extension
from markdown.extensions.attr_list import AttrListExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension
from markdown.extensions.toc import TocExtension
from markdown.treeprocessors import Treeprocessor

from briefgen.errors import ConfigError
from briefgen.records import Brief
from briefgen.render import RenderOptions
from briefgen.render.context import build_context
from briefgen.render.markdown import template_names
from briefgen.render.passages import cited_passages
from briefgen.render.templates import (
    BODY_TEMPLATE,
    forget_environments,
    make_environment,
    render_template,
    search_path,
    source_anchor,
)

_SOURCE_LABEL = re.compile(r"S(\d+)")


class SourceAnchors(Treeprocessor):
    """Give each Sources list entry (``1. **S1** title…``) the id its citations link to."""

    def run(self, root: etree.Element) -> None:
        for li in root.iter("li"):
            # a loose list wraps the item's text in <p>
            holder = li[0] if len(li) and li[0].tag == "p" else li
            first = holder[0] if len(holder) else None
            if first is None or first.tag != "strong" or (holder.text or "").strip():
                continue
            label = _SOURCE_LABEL.fullmatch(first.text or "")
            if label:
                li.set("id", source_anchor(label.group(1)))


class SourceAnchorExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(SourceAnchors(md), "briefgen_source_anchors", 5)


def markdown_extensions() -> list[Extension]:
    """Tables, attribute lists, sane lists, heading ids and source anchors.

    Instances, not names: python-markdown resolves a name by scanning every
    installed package's entry points, which costs more than converting a brief.
    """
    return [
        TableExtension(),
        AttrListExtension(),
        SaneListExtension(),
        TocExtension(),
        SourceAnchorExtension(),
    ]


def body_markdown(brief: Brief, options: RenderOptions) -> str:
    """The audience's Markdown brief without the parts the HTML page template owns;
    citations link to the cited passages."""
    env = make_environment("md", options.template_dirs, options.cache_dir)
    context = build_context(brief, options)
    context["cite_style"] = "link"
    # one name: {% extends %} does not choose among several
    context["parent"] = _select_parent(env, options)
    return render_template(env, [BODY_TEMPLATE], context, options.template_dirs)


def _select_parent(env: jinja2.Environment, options: RenderOptions) -> str:
    """The name of the template the .md brief uses, in render_template's order.

    A user's generic template beats a built-in audience-specific one. Only the
    name is chosen here (nothing is parsed), so a syntax error in the template is
    reported by render_template with its file and line.

    Raises:
        ConfigError: none found (with the search path), as render_template says it.
    """
    names = template_names(options.audiences, "md")
    mine = [n for n in names if any((Path(d) / n).is_file() for d in options.template_dirs)]
    assert env.loader is not None
    for name in [*mine, *names]:
        try:
            env.loader.get_source(env, name)
        except jinja2.TemplateNotFound:
            continue
        return name
    path = ", ".join(search_path(options.template_dirs))
    raise ConfigError(f"template {' or '.join(names)} not found in [{path}]")


def html_body(brief: Brief, options: RenderOptions) -> str:
    """The brief's body as HTML, converted once per brief (HTML and PDF share it)."""
    key = f"html-body:{id(brief)}"
    cached = options.memo.get(key)
    if cached is None or cached[0] is not brief:
        # Source text was escaped by the Markdown template (the `md` filter), so the
        # HTML python-markdown produces holds no markup from the article.
        converter = markdown.Markdown(extensions=markdown_extensions(), output_format="html")
        cached = options.memo[key] = (brief, converter.convert(body_markdown(brief, options)))
    return str(cached[1])


def render_html(brief: Brief, options: RenderOptions, for_print: bool = False) -> str:
    """The standalone HTML brief; ``for_print`` is the variant WeasyPrint lays out.

    Citations link to the cited paragraph in the cited passages after the Sources
    list (``#s1-p2``), whose label links to the source's entry (``#source-1``): the
    only links a brief holds.
    """
    body = html_body(brief, options)
    env = make_environment("html", options.template_dirs, options.cache_dir)
    context = build_context(brief, options)
    css_names = template_names(options.audiences, "css")
    context.update(
        body=body,
        css=render_template(env, css_names, context, options.template_dirs),
        for_print=for_print,
        passages=cited_passages(brief),
    )
    return render_template(
        env, template_names(options.audiences, "html"), context, options.template_dirs
    )


class HtmlRenderer:
    name = "html"
    suffix = ".html"

    def prepare(self) -> None:
        forget_environments()  # templates added since the last run in this process

    def render(self, brief: Brief, options: RenderOptions) -> bytes:
        return render_html(brief, options).encode("utf-8")
