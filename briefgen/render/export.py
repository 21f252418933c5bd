"""``--export-templates DIR``: the built-in templates and configs, ready to copy and edit."""

from __future__ import annotations

import re
from pathlib import Path

from briefgen.errors import BriefgenError
from briefgen.files import write_atomic
from briefgen.resources import builtin_dir

_BLOCK = re.compile(r"{%-?\s*block\s+(\w+)")

README = """# briefgen templates and configs

Exported by `briefgen --export-templates`. Use them with

    briefgen --templates {folder}/templates --configs {folder}/configs -a <audience>

or name the folders in a `briefgen.yaml` in your working folder:

    templates: [{folder}/templates]
    configs: [{folder}/configs]

Your folders are searched before the built-ins. Keep only the files you change: a file
you delete falls back to the built-in one. A template can extend the built-in of the same
name and override one block: `{{% extends "!builtin/base.md.j2" %}}`.

## Blocks of base.md.j2

{blocks}

## Template variables

- `brief`: the brief (`title`, `summary`, `sections` (`id`, `title`, `items`), `perspectives`
  (`speaker`, `items`), `glossary` (`term`, `expansion`, `definition`), `sources` (`id`, `path`,
  `title`, `publisher`, `url`, `published`), `facts`, `excluded`). An item has `text` and
  `fact` (the fact it quotes: `id`, `text`, `kind`, `entities`, `times`, `quantities`,
  `attribution`, `paragraph`, ...).
- `profile`: the audience profile (see configs/audiences/*.yaml for its keys).
- `today`: the brief date (ISO; `SOURCE_DATE_EPOCH` fixes it).
- `figures`: distances, durations and dates of the facts in the brief (`kind`, `mark`,
  `fact`; `{{ row.fact | cite }}` gives its reference).
- `actors`: canonical names of the organisations, places and people in the brief.
- HTML templates also get `body` (the brief as HTML), `css` and `for_print`.

## Filters

{filters}

Always pass article text through `md` in Markdown templates (HTML templates escape by
themselves): article text is untrusted and must stay text.

Templates run in Jinja's sandbox: they can read the variables above, call their ordinary
methods and use filters, loops and macros, but not reach Python (attributes starting with
`_`) or change a list or dict; such an expression is an error naming the template line.
"""


def template_blocks(path: Path) -> list[str]:
    """Block names of a template, in order."""
    return list(dict.fromkeys(_BLOCK.findall(path.read_text(encoding="utf-8"))))


def filter_docs() -> list[str]:
    from briefgen.render.templates import make_environment

    env = make_environment("md", ())
    ours = ("md", "worded", "cite", "date", "daterange", "distance", "css_string")
    return [
        f"- `{name}`: {(env.filters[name].__doc__ or '').strip().splitlines()[0]}" for name in ours
    ]


def export_templates(target: Path) -> list[Path]:
    """Copy the built-in templates and configs into ``target`` with a README.

    Raises:
        BriefgenError: a file to be written already exists (nothing is overwritten), or
            the folder cannot be written (a part of its path is a file, read-only...).
    """
    sources = {"templates": builtin_dir("templates"), "configs": builtin_dir("configs")}
    pairs = [
        (src, target / name / src.relative_to(root))
        for name, root in sources.items()
        for src in sorted(root.rglob("*"))
        if src.is_file() and "__pycache__" not in src.parts
    ]
    readme = target / "README.md"
    clashes = [dst for _, dst in pairs if dst.exists()] + ([readme] if readme.exists() else [])
    if clashes:
        raise BriefgenError(f"{clashes[0]}: already exists; export into an empty folder")
    for src, dst in pairs:
        # atomic, and a folder that cannot be made is one line naming the path
        write_atomic(dst, src.read_bytes())
    blocks = "\n".join(f"- `{b}`" for b in template_blocks(sources["templates"] / "base.md.j2"))
    text = README.format(folder=target, blocks=blocks, filters="\n".join(filter_docs()))
    write_atomic(readme, text.encode("utf-8"))
    return [readme, *(dst for _, dst in pairs)]
