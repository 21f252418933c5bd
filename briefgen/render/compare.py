"""``-f compare``: one page per job with every audience side by side and the sources.

``OUT/<name>/compare.html`` shows each audience's brief in a column and each source
text with every sentence marked (kept, by which audiences; left out, and why;
furniture the cleaner removed, with its rule). Pointing at a brief line lights up
the exact source span(s) it came from; clicking a source sentence says where each
audience used it (see :mod:`briefgen.render.provenance` for what is shown).

The page is one self-contained file that works from ``file://``: the stylesheet,
the script and the data are inline, and its Content-Security-Policy lets the page
load nothing at all (``default-src 'none'``) and run only its own script, named by
hash. Article text is escaped by the template; the data the script reads is JSON
in a ``<script type="application/json">`` element, escaped so that no string in
it can close the element.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Sequence
from typing import Any

from markupsafe import Markup

from briefgen.records import Brief
from briefgen.render import RenderOptions
from briefgen.render.provenance import Provenance, provenance
from briefgen.render.templates import forget_environments, make_environment, render_template

PAGE = "compare.html.j2"

# JSON inside <script>: "<" and ">" could close the element or open a comment, "&"
# starts a reference in XHTML readers, and U+2028/U+2029 end a line in older JS.
_JSON_ESCAPES = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)


def script_json(value: Any) -> Markup:
    """``value`` as JSON safe to put inside a ``<script>`` element as it is."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Markup(text.translate(_JSON_ESCAPES))


def _csp_hash(code: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(code.encode()).digest()).decode() + "'"


def page_data(page: Provenance) -> dict[str, Any]:
    """What the script needs that the markup does not say: who used each fact, where,
    and why the others left it out."""
    return {
        "audiences": {c.audience: c.profile.name for c in page.columns},
        "uses": {
            fact: [[u.audience, u.item, u.block, u.role] for u in uses]
            for fact, uses in page.uses.items()
        },
        "left": page.left_out,
    }


def render_compare(briefs: Sequence[tuple[Brief, RenderOptions]]) -> str:
    """The compare page of one job: ``briefs`` are its audiences' briefs, in order.

    Raises:
        ConfigError: a missing or broken template.
    """
    page = provenance(briefs)
    options = briefs[0][1]
    dirs = options.template_dirs
    env = make_environment("html", dirs, options.cache_dir)
    css = render_template(env, ["compare.css"], {}, dirs)
    js = render_template(env, ["compare.js"], {}, dirs)
    markings = [c.profile.marking for c in page.columns if c.profile.marking]
    context = {
        "page": page,
        "today": options.today.isoformat(),
        "markings": list(dict.fromkeys(markings)),
        "data": script_json(page_data(page)),
        "css": Markup(css),
        "js": Markup(js),
        "csp": f"default-src 'none'; style-src {_csp_hash(css)}; script-src {_csp_hash(js)}",
    }
    return render_template(env, [PAGE], context, dirs)


class CompareRenderer:
    """A job format: one page from every audience's brief (not one file per brief)."""

    name = "compare"
    filename = "compare.html"

    def prepare(self) -> None:
        forget_environments()  # templates added since the last run in this process

    def render_job(self, briefs: Sequence[tuple[Brief, RenderOptions]]) -> bytes:
        return render_compare(briefs).encode("utf-8")
