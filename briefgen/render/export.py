"""``--export-templates DIR``: a starting point to customise, and the built-ins to read."""

from __future__ import annotations

import re
from pathlib import Path

from briefgen.errors import BriefgenError
from briefgen.files import write_atomic
from briefgen.resources import builtin_dir

_BLOCK = re.compile(r"{%-?\s*block\s+(\w+)")

README = """# briefgen templates and configs

Exported by `briefgen --export-templates`. Three folders:

- `templates/` and `configs/`: **your** folders, searched before the built-ins. They start
  with one example audience, `example` (`configs/audiences/example.yaml`, which extends
  `public`, and `templates/example/brief.md.j2`, which overrides one block). Rename it to
  your audience's id (file and folder), or delete it.
- `builtin/`: a copy of the built-in templates and configs **to read**, not searched. Copy a
  file from it into `templates/` or `configs/` only when you change it: a copy there
  replaces the built-in of the same name and no longer follows briefgen's upgrades.

Use your folders with

    briefgen --templates {folder}/templates --configs {folder}/configs -a example

or name them in a `briefgen.yaml` in your working folder:

    templates: [{folder}/templates]
    configs: [{folder}/configs]

Keep only the files you change. A profile that `extends: nato` inherits the rest of the
NATO profile (sections merge by `id`) and its templates (`nato/brief.md.j2`); a template
can extend a built-in and override one block: `{{% extends "!builtin/base.md.j2" %}}`.
`briefgen --list-audiences` says where each profile comes from, and notes a copy of yours
that is the same as the built-in (delete it: the built-in is used anyway).

## Blocks of base.md.j2

{blocks}

## Template variables

- `brief`: the brief (`title`, `summary`, `sections` (`id`, `title`, `items`), `perspectives`
  (`speaker`, `items`), `glossary` (`term`, `expansion`, `definition`), `sources` (`id`, `path`,
  `title`, `publisher`, `url`, `published`), `facts`, `excluded`). An item has `text` and
  `fact` (the fact it quotes: `id`, `text`, `kind`, `entities`, `times`, `quantities`,
  `attribution`, `paragraph`, ...).
- `profile`: the audience profile (see builtin/configs/audiences/*.yaml for its keys).
- `today`: the brief date (ISO; `SOURCE_DATE_EPOCH` fixes it).
- `figures`: distances, durations and dates of the facts in the brief (`kind`, `mark`,
  `fact`; `{{{{ row.fact | cite }}}}` gives its reference).
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

EXAMPLE_PROFILE = """# An audience of your own: rename this file (its name is the audience id) or
# delete it. It starts from the public profile and changes only what differs; see
# builtin/configs/audiences/public.yaml for every key and docs/customizing.md for the rest.
extends: public
name: Example audience
description: The public brief with its own marking and a shorter background.
marking: EXAMPLE — NOT FOR DISTRIBUTION
sections:
  - id: background   # sections merge with the parent's by id: this changes one key
    max_items: 1
"""

EXAMPLE_TEMPLATE = """{#- The example audience's Markdown brief: the built-in public brief with one
    block changed. Rename the folder with the audience (templates/<id>/brief.md.j2). -#}
{% extends "!builtin/public/brief.md.j2" %}
{% block meta %}
*{{ profile.name | md }} · prepared {{ today }}*

{% endblock %}
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
    """Write a starting point into ``target``: your (nearly empty) ``templates/`` and
    ``configs/`` with an example audience, ``builtin/`` (the built-ins, to read) and a
    README.

    The built-ins are not copied into the searched folders: each copy would replace
    its built-in and go stale on upgrade, unseen (``--list-audiences`` showed every
    built-in profile as coming from the user's folder).

    Raises:
        BriefgenError: a file to be written already exists (nothing is overwritten), or
            the folder cannot be written (a part of its path is a file, read-only...).
    """
    sources = {"templates": builtin_dir("templates"), "configs": builtin_dir("configs")}
    copies = [
        (target / "builtin" / name / src.relative_to(root), src.read_bytes())
        for name, root in sources.items()
        for src in sorted(root.rglob("*"))
        if src.is_file() and "__pycache__" not in src.parts
    ]
    blocks = "\n".join(f"- `{b}`" for b in template_blocks(sources["templates"] / "base.md.j2"))
    readme = README.format(folder=target, blocks=blocks, filters="\n".join(filter_docs()))
    files = [
        (target / "README.md", readme.encode("utf-8")),
        (target / "configs" / "audiences" / "example.yaml", EXAMPLE_PROFILE.encode("utf-8")),
        (target / "templates" / "example" / "brief.md.j2", EXAMPLE_TEMPLATE.encode("utf-8")),
        *copies,
    ]
    clashes = [path for path, _ in files if path.exists()]
    if clashes:
        raise BriefgenError(f"{clashes[0]}: already exists; export into an empty folder")
    for path, data in files:
        # atomic, and a folder that cannot be made is one line naming the path
        write_atomic(path, data)
    return [path for path, _ in files]
