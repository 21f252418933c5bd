"""Markdown, HTML, Jinja and URLs in an article: shown as text in every format.

Part of the bad-input battery (issues 8 and 13), grouped by what it attacks.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

from pypdf import PdfReader

from tests.helpers import (
    run_cli,
)

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
    assert not re.search(r"<(?:iframe|script|a)\b|<[^>]*\bhref=", html)
    assert "{{ 7*7 }}" in html and "49" not in brief["title"]
    assert brief["sources"][0]["url"] == "file:///etc/passwd"  # data, kept as given
    assert b"/URI" not in pdf and b"root:x:0" not in pdf and b"/EmbeddedFile" not in pdf
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "{{ 7*7 }}" in text and "root:x:0" not in text
