"""Property-based: random line breaks and control characters in every text field that
reaches Markdown, CSS, file names and the terminal (issue 13, points 8, 9, 10, 14).

The rendering properties fill a real brief's fields (source title, publisher and
URL, a fact's sentence, its speaker, a section title, the profile's name, marking,
issuer, intro and headings) with hostile text, bypassing profile validation, so
they test the escaping itself: the rendered brief must have exactly the structure
(headings, lists, rules, code blocks, tables; CSS rules) it has with plain text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from briefgen.config.profiles import ProfileConfig
from briefgen.errors import printable
from briefgen.render import RenderOptions
from briefgen.render.html import HtmlRenderer
from briefgen.render.markdown import MarkdownRenderer
from briefgen.render.templates import css_string, md_escape
from tests.helpers import SEED

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
BREAKS = "\n\r\f\v\x1c\x1d\x1e\x85\u2028\u2029"
CONTROLS = "".join(map(chr, range(32))) + "\x7f\x85\u2028\u2029\u202e\u2066\u200b"
MARKUP = ["#", "## ", "- ", "* ", "1. ", "> ", "---", "***", "===", "    ", "```", "|",
          "<b>", "[x](y)", "\\", "`", "_", "{{ 1 }}", "&amp;", "\r\n\r\n", "\n\n    code",
          "S1 ¶1"]  # fmt: skip
hostile = st.lists(
    st.one_of(st.sampled_from(MARKUP), st.text(alphabet=CONTROLS + BREAKS + "ab ", max_size=6)),
    min_size=1,
    max_size=12,
).map(lambda parts: "x" + "".join(parts))  # never empty: "" falls back to other text
BLOCKS = re.compile(r"<(h[1-6]|hr|pre|ul|ol|li|blockquote|table|tr|p)\b")
BAD = re.compile(f"[{re.escape(BREAKS)}\x00-\x08\x0e-\x1b\x7f\u202a-\u202e\u2066-\u2069]")


@given(hostile)
@SETTINGS
def test_escaped_text_is_one_inert_line_of_markdown(text: str) -> None:
    escaped = md_escape(text)
    assert not BAD.search(escaped)  # no line break of any kind, no terminal control
    html = markdown.markdown(f"# T{escaped}\n\n- I{escaped}\n\nP{escaped}\n")
    assert BLOCKS.findall(html) == ["h1", "ul", "li", "p"]


def css_strings_closed(quoted: str) -> bool:
    """Whether ``quoted`` is one CSS string: opens and closes with ", no raw newline."""
    body = re.sub(r"\\[0-9a-fA-F]{1,6} ?|\\[^0-9a-fA-F\n\r\f]", "", quoted[1:-1])
    return quoted[0] == quoted[-1] == '"' and not re.search(r'["\\<\n\r\f]', body)


@given(st.text(alphabet=CONTROLS + BREAKS + '"\\<>{};ab', max_size=40))
@SETTINGS
def test_css_string_is_one_closed_string_without_controls(text: str) -> None:
    quoted = str(css_string(text))
    assert css_strings_closed(quoted)
    assert not any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in quoted)


@cache
def seed_brief() -> tuple[Any, ProfileConfig, dict[str, str]]:
    from briefgen.config.shared import config_dirs, load_shared
    from briefgen.pipeline import resolve_audiences
    from briefgen.select import select
    from tests.helpers import extract_paths

    dirs = config_dirs(())
    shared = load_shared(dirs)
    extractions, _ = extract_paths([str(SEED)], shared)
    profile = resolve_audiences(["nato"], dirs, strict=False)[0].config
    # no word budget: every block of the profile has items to fill with hostile text
    unbounded = profile.budget.model_copy(update={"share": 1.0, "max_words": 100_000})
    profile = profile.model_copy(update={"budget": unbounded})
    glossary = {term: t.expansion for term, t in shared.glossary.terms.items()}
    return select(extractions, profile, shared.glossary), profile, glossary


def filled(text: str) -> tuple[Any, RenderOptions]:
    """The seed's NATO brief and profile with ``text`` in every field that is shown."""
    brief, profile, glossary = seed_brief()
    first = brief.summary[0]
    said = first.quote.attribution
    fact = replace(
        first.quote, text=text, kind="statement", entities=(), times=(), quantities=(),
        attribution=replace(said, speaker=text) if said else None,
    )  # fmt: skip
    extraction = brief.extractions[0]
    source = replace(extraction.document.source, title=text, publisher=text, url=text)
    document = replace(extraction.document, source=source)
    section = replace(brief.sections[0], title=text)
    brief = replace(
        brief, title=text,
        extractions=(replace(extraction, document=document), *brief.extractions[1:]),
        summary=(replace(first, text=text, quote=fact, evidence=(fact,)), *brief.summary[1:]),
        sections=(section, *brief.sections[1:]),
    )  # fmt: skip
    profile = profile.model_copy(
        update={
            "name": text, "marking": text, "issuer": text, "intro": text,
            "summary": profile.summary.model_copy(update={"title": text}),
        }
    )  # fmt: skip
    return brief, RenderOptions(profile, (), glossary, date(2024, 7, 9))


def structure(html: str) -> tuple[list[str], str]:
    """Block elements of ``html``, and its stylesheet with every CSS string taken out."""
    style = "".join(re.findall(r"<style>(.*?)</style>", html, re.S))
    strings = re.findall(r'"(?:[^"\\\n]|\\.)*"', style)
    assert all(css_strings_closed(s) for s in strings)
    return BLOCKS.findall(html), re.sub(r'"(?:[^"\\\n]|\\.)*"', '""', style)


@pytest.mark.parametrize("fmt", ["md", "html"])
@given(text=hostile)
@SETTINGS
def test_hostile_text_in_every_field_keeps_the_brief_structure(fmt: str, text: str) -> None:
    renderer = MarkdownRenderer() if fmt == "md" else HtmlRenderer()

    def rendered(value: str) -> str:
        out = renderer.render(*filled(value)).decode("utf-8")
        return markdown.markdown(out, extensions=["tables"]) if fmt == "md" else out

    hostile_html, plain_html = rendered(text), rendered("xPlain")
    assert structure(hostile_html) == structure(plain_html)
    # no line break but the templates' own, no control character (the Markdown brief is
    # printed with -o - and read with cat)
    raw = renderer.render(*filled(text)).decode("utf-8")
    assert not BAD.search(raw.replace("\n", ""))


@given(st.text(alphabet=CONTROLS + BREAKS + "./\\~ab-_,+", max_size=70))
@SETTINGS
def test_a_profile_id_is_a_plain_file_name_or_refused(text: str) -> None:
    try:
        profile = ProfileConfig.model_validate({"id": text, "name": "N"})
    except ValidationError:
        return
    out = Path("/srv/out/source")
    assert (out / f"{profile.id}.md").resolve().parent == out
    assert printable(profile.id) == profile.id and not profile.id.startswith(".")


@given(st.text(alphabet=CONTROLS + BREAKS + "ab/", max_size=40))
@SETTINGS
def test_printable_text_cannot_steer_a_terminal(text: str) -> None:
    shown = printable(text)
    assert all(ch == "\t" or ch.isprintable() for ch in shown)
    assert "\n" not in shown and "\x1b" not in shown
