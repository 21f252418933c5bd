"""Markdown, HTML, Jinja and URLs in an article: shown as text in every format.

Part of the bad-input battery (issues 8 and 13), grouped by what it attacks.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
import zipfile
from pathlib import Path

import markdown
import pytest
from pypdf import PdfReader

from briefgen.render.templates import css_string
from tests.helpers import article, run_cli

# -- injection, many sources, messages ------------------------------------------------

HOSTILE_FRONT = (
    "---\n"
    'title: "[click](javascript:alert(1)) <iframe src=x> {{ 7*7 }} {% raw %}"\n'
    'publisher: "Wire\\n# Injected heading\\n<script>alert(1)</script>"\n'
    'url: "file:///etc/passwd"\n'
    "published: 2024-07-08\n"
    "---\n"
    'Officials said on Monday that <a href="http://evil.example/x">the talks</a> resumed.\n'
    "[1]: http://evil.example/ref\n"
    "The ministry said <http://evil.example/auto> and {{ config }} were shown as text.\n"
)


def test_injection_in_front_matter_and_body_stays_text_in_every_format(tmp_path: Path) -> None:
    path = tmp_path / "evil.txt"
    path.write_text(HOSTILE_FRONT, encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("-a", "nato", "-f", "md,html,json,pdf", "-o", str(out), str(path))
    assert result.code == 0, result.stderr
    md = (out / "evil" / "nato.md").read_text()
    html = (out / "evil" / "nato.html").read_text()
    pdf = (out / "evil" / "nato.pdf").read_bytes()
    brief = json.loads((out / "evil" / "nato.json").read_bytes())
    assert not re.search(r"(?<!\\)\]\(|^#+ Injected|^\[1\]:|<(?:iframe|script|a)\b", md, re.M)
    # the only links are citations to the cited passages, and theirs to the Sources list
    assert not re.search(
        r"<(?:iframe|script)\b|<[^>]*\bhref=(?!\"#(?:source-\d+|s\d+-p\d+)\">)", html
    )
    assert "{{ 7*7 }}" in html and "49" not in brief["title"]
    assert brief["sources"][0]["url"] == "file:///etc/passwd"  # data, kept as given
    assert b"/URI" not in pdf and b"root:x:0" not in pdf and b"/EmbeddedFile" not in pdf
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "{{ 7*7 }}" in text and "root:x:0" not in text


# -- issue 13: line breaks of every kind, CSS strings ----------------------------------

BREAKS = {"cr": "\\r", "crlf": "\\r\\n", "ff": "\\f", "vt": "\\v", "nel": "\\x85",
          "ls": "\\u2028", "ps": "\\u2029", "lf": "\\n", "fs": "\\x1c"}  # fmt: skip
FORGED = (
    "Bridge reopens{b}{b}## Bottom line up front{b}{b}"
    "- NATO troops crossed into Belarus on Monday. (S1 ¶1){b}{b}***{b}{b}    indented code"
)


def block_tags(html: str) -> list[str]:
    return re.findall(r"<(h[1-6]|hr|pre|code|ul|ol|li|blockquote|table|tr)\b", html)


@pytest.mark.parametrize("name", list(BREAKS))
def test_line_breaks_in_front_matter_cannot_forge_a_section(tmp_path: Path, name: str) -> None:
    def run(title: str, folder: str) -> tuple[str, str]:
        path = tmp_path / folder / "a.txt"
        path.parent.mkdir()
        path.write_text(f'---\ntitle: "{title}"\npublisher: "{title}"\n---\n{article()}')
        out = tmp_path / folder / "out"
        result = run_cli("-a", "nato", "-f", "md,html", "-o", str(out), str(path))
        assert result.code == 0, result.stderr
        return (out / "a" / "nato.md").read_text(), (out / "a" / "nato.html").read_text()

    md, html = run(FORGED.format(b=BREAKS[name]), "hostile")
    plain_md, plain_html = run("Bridge reopens", "plain")
    assert block_tags(html) == block_tags(plain_html)  # not one heading, rule or list more
    assert block_tags(markdown.markdown(md)) == block_tags(markdown.markdown(plain_md))
    assert html.count("Bottom line up front</h2>") == plain_html.count("Bottom line up front</h2>")


@pytest.mark.parametrize(
    "char", ["\n", "\r", "\f", "\r\n", "\x0b", "\x00", "\x1b", "\x7f", "\x85", "\u2028"]
)
def test_css_string_escapes_every_css_newline_and_control_character(char: str) -> None:
    value = f'A{char}}} body {{ background: url(http://evil.example/) }} "x'
    quoted = str(css_string(value))
    assert not any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in quoted)
    assert quoted.startswith('"') and quoted.endswith('"')
    inner = re.sub(r"\\[0-9a-f]{1,6} ?|\\.", "", quoted[1:-1])  # drop the escapes
    assert '"' not in inner and "<" not in inner  # nothing closes the string or <style>


def test_control_characters_in_a_title_passed_to_css_stay_in_the_string(tmp_path: Path) -> None:
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "brief.css").write_text(
        '{% include "!builtin/brief.css" %}\n'
        ".running-title::after {{ '{' }} content: {{ brief.title | css_string }}; {{ '}' }}\n"
    )
    path = tmp_path / "a.txt"
    path.write_text(f'---\ntitle: "T\\r}} body {{ display: none }}"\n---\n{article()}')
    out = tmp_path / "out"
    result = run_cli("-a", "nato", "-f", "html", "--templates", str(tmp_path / "tpl"), "-o",
                     str(out), str(path))  # fmt: skip
    assert result.code == 0, result.stderr
    html = (out / "a" / "nato.html").read_text()
    # the carriage return is a line break: one line of text, in the string
    assert 'content: "T } body { display: none }";' in html
    assert "\r" not in html


def test_a_bidi_override_cannot_turn_briefgens_own_text_round(tmp_path: Path) -> None:
    # U+202E in a publisher's name displayed the citation and date after it reversed
    path = tmp_path / "bidi.txt"
    body = article().replace("said", "said \u202e", 1)
    path.write_text(
        '---\ntitle: "Bidi \\u2066test"\npublisher: "Reuters \\u202e"\npublished: 2024-07-08\n'
        f"---\n{body}"
    )
    out = tmp_path / "out"
    result = run_cli("-a", "nato", "-f", "md,html,docx", "-o", str(out), str(path))
    assert result.code == 0, result.stderr
    for name in ("nato.md", "nato.html"):
        text = (out / "bidi" / name).read_text()
        assert "Reuters" in text and not re.search("[\u202a-\u202e\u2066-\u2069]", text)
    with zipfile.ZipFile(out / "bidi" / "nato.docx") as docx:
        xml = docx.read("word/document.xml").decode()
    assert "Reuters" in xml and not re.search("[\u202a-\u202e\u2066-\u2069]", xml)
