"""Blocks of a user's template that the template it extends does not have.

In Jinja, a ``{% block metta %}`` in a template that extends another is shown
only where the parent has a block of that name: a misspelled one is silently never
rendered. Each user template that extends another is read here once per run, and
every block the parent chain lacks is a warning naming the template's file and
line and the closest block name.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Sequence
from pathlib import Path

import jinja2
from jinja2 import nodes

from briefgen.errors import printable
from briefgen.render.templates import make_environment

MAX_TEMPLATES = 200  # a template folder holds a handful; a huge tree is not one
MAX_DEPTH = 20  # extends chains this long are a loop or a mistake


def unknown_blocks(template_dirs: Sequence[Path]) -> list[str]:
    """One warning per block of a user template unknown to the template it extends."""
    if not template_dirs:
        return []
    env = make_environment("md", template_dirs)
    warnings: list[str] = []
    for path in _user_templates(template_dirs):
        warnings.extend(_check(env, path))
    return warnings


def _user_templates(template_dirs: Sequence[Path]) -> Iterator[Path]:
    seen = 0
    for folder in template_dirs:
        for pattern in ("*.j2", "*/*.j2"):
            for path in sorted(folder.glob(pattern)):
                seen += 1
                if seen > MAX_TEMPLATES:
                    return
                if path.is_file():
                    yield path


def _check(env: jinja2.Environment, path: Path) -> list[str]:
    tree = _parse(env, path.read_text(encoding="utf-8", errors="replace"), str(path))
    parent = _parent_name(tree) if tree is not None else None
    if tree is None or parent is None:
        return []  # not an override, or broken: rendering reports a syntax error
    known = _blocks_of(env, parent, depth=0)
    if known is None:
        return []  # a parent that cannot be found is reported when rendering
    out = []
    for block in _outer_blocks(tree):
        if block.name not in known:
            match = difflib.get_close_matches(block.name, sorted(known), n=1, cutoff=0.6)
            hint = f" (did you mean `{match[0]}`?)" if match else ""
            out.append(
                printable(
                    f"{path}:{block.lineno}: block '{block.name}' is not a block of "
                    f"{parent}{hint}; it is never shown"
                )
            )
    return out


def _outer_blocks(node: nodes.Node) -> Iterator[nodes.Block]:
    """Blocks not inside another block: those the parent must have. A block nested
    in one of them is new and shown where its outer block is."""
    for child in node.iter_child_nodes():
        if isinstance(child, nodes.Block):
            yield child
        else:
            yield from _outer_blocks(child)


def _parse(env: jinja2.Environment, source: str, name: str) -> nodes.Template | None:
    try:
        return env.parse(source, name=name, filename=name)
    except jinja2.TemplateSyntaxError:
        return None


def _parent_name(tree: nodes.Template) -> str | None:
    extends = next(iter(tree.find_all(nodes.Extends)), None)
    if extends is None or not isinstance(extends.template, nodes.Const):
        return None  # {% extends parent %} chosen at render time: cannot be known here
    value = extends.template.value
    return value if isinstance(value, str) else None


def _blocks_of(env: jinja2.Environment, name: str, depth: int) -> set[str] | None:
    """Every block name of template ``name`` and those it extends; None if not found."""
    assert env.loader is not None
    try:
        source, filename, _ = env.loader.get_source(env, name)
    except jinja2.TemplateNotFound:
        return None
    tree = _parse(env, source, filename or name)
    if tree is None:
        return None
    names = {block.name for block in tree.find_all(nodes.Block)}
    parent = _parent_name(tree)
    if parent is not None and depth < MAX_DEPTH:
        above = _blocks_of(env, parent, depth + 1)
        if above is None:
            return None
        names |= above
    return names
