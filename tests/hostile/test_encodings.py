"""Empty, binary and mis-encoded sources, and hostile front matter.

Part of the bad-input battery (issues 8 and 13), grouped by what it attacks.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefgen.sources import read_source
from tests.helpers import (
    alias_bomb,
    article,
    deadline,
    one_error_line,
    png,
    run_cli,
)

# -- empty, binary, encodings ---------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [b"", b"  \n\t\n\r\n", b"---\ntitle: Only a title\n---\n\n", b"-- * --\n...\n"],
    ids=["empty", "whitespace", "front-matter-only", "no-letters"],
)
def test_empty_source_exits_1_no_text(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    result = run_cli("-a", "nato", "-f", "md", "-o", str(tmp_path / "out"), str(path))
    assert result.code == 1
    assert one_error_line(result.stderr).startswith(f"briefgen: error: {path}: no text in ")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("content", "detail"),
    [
        (png(), "contains NUL bytes"),
        (b"Officials said\x00 on Monday that it rained.\n", "contains NUL bytes"),
        (bytes(range(1, 9)) * 40 + b"Officials said it rained.\n", "control characters"),
        ("The café — it’s shut.\n".encode("utf-16-le"), "looks like UTF-16 without a byte-order"),
    ],
    ids=["png-image", "nul-bytes", "control-bytes", "utf16-no-bom"],
)
def test_binary_source_exits_1_not_a_text_file(tmp_path: Path, content: bytes, detail: str) -> None:
    path = tmp_path / "photo.txt"
    path.write_bytes(content)
    result = run_cli("-a", "nato", "-f", "md", "-o", str(tmp_path / "out"), str(path))
    assert result.code == 1
    assert f"briefgen: error: {path}: not a text file (" in one_error_line(result.stderr)
    assert detail in result.stderr
    assert not (tmp_path / "out").exists()


def test_image_file_by_its_suffix_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "photo.png"
    path.write_bytes(png())
    result = run_cli("-a", "nato", "-f", "md", "-o", str(tmp_path / "out"), str(path))
    assert result.code == 1
    assert one_error_line(result.stderr) == (
        f"briefgen: error: {path}: unsupported source type '.png' "
        "(expected .txt or .md or .html or .htm)\n"
    )


@pytest.mark.parametrize("codec", ["utf-16", "utf-32", "utf-8-sig"])
def test_unicode_with_byte_order_mark_is_read(tmp_path: Path, codec: str) -> None:
    text = "Officials said the café — “naïve” as it was — reopened on Monday.\n"
    path = tmp_path / "bom.txt"
    path.write_bytes(text.encode(codec))
    assert read_source(str(path)).text == text


CP1252_TITLE = "Café drops “naïve” plan"
CP1252_BODY = (
    "The café on Main Street reopened on Monday after the mayor dropped a “naïve” plan "
    "to close it, and coffee now costs €5.\n"
    "Officials said the café’s owner, who called the plan “naïve”, will keep prices at €5.\n"
    "The mayor said the café will host a “town hall” on Friday, with tickets at €5.\n"
)
LATIN1_BODY = (
    "The café on Main Street reopened on Monday after the mayor dropped a naïve plan "
    "to close it, and coffee now costs £5.\n"
    "Officials said the café owner, who called the plan naïve, will keep prices at £5.\n"
)


@pytest.mark.parametrize(
    ("codec", "body", "words"),
    [
        ("cp1252", CP1252_BODY, ["café", "naïve", "€5", "“naïve”", "café’s"]),
        ("latin-1", LATIN1_BODY, ["café", "naïve", "£5"]),
    ],
    ids=["cp1252", "latin-1"],
)
def test_legacy_encoding_decodes_without_mojibake(
    tmp_path: Path, codec: str, body: str, words: list[str]
) -> None:
    text = f'---\ntitle: "{CP1252_TITLE if codec == "cp1252" else "Café drops naïve plan"}"\n---\n'
    raw = (text + body).encode(codec)
    path = tmp_path / "legacy.txt"
    path.write_bytes(raw)
    out = tmp_path / "out"
    result = run_cli("-a", "public", "-f", "md,html,json,pdf", "-o", str(out), str(path))
    assert result.code == 0, result.stderr
    decoded = raw.decode("cp1252")  # Windows-1252 reads Latin-1 text the same
    brief = json.loads((out / "legacy" / "public.json").read_bytes())
    for fact in brief["facts"]:  # offsets index the decoded text, not the bytes
        assert decoded[fact["start"] : fact["end"]] == fact["text"]
    facts = " ".join(f["text"] for f in brief["facts"])
    md = (out / "legacy" / "public.md").read_text(encoding="utf-8")
    html = (out / "legacy" / "public.html").read_text(encoding="utf-8")
    pdf = PdfReader(out / "legacy" / "public.pdf")
    pdf_text = " ".join(page.extract_text() for page in pdf.pages)
    for word in words:
        assert word in facts
    for rendered in (md, html, pdf_text):
        assert "café" in rendered and "naïve" in rendered
        assert not re.search("Ã|â€|Â", rendered)  # UTF-8 read as Windows-1252
    assert any(w in md for w in ("€5", "£5"))


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (
            "Łukaszenka spotkał się z ministrem w Łodzi; żołnierze ćwiczą.\n".encode("cp1250"),
            "'£' at character 0 looks like another code page",
        ),
        (
            "Министр обороны заявил в понедельник, что учения завершены.\n".encode("cp1251"),
            "the text does not read as Windows-1252",
        ),
        (
            "The café offered “naïve” customers a deal — it’s cheap.\n".encode("mac_roman"),
            "'fŽ' at character 6 looks like another code page",
        ),
        (
            "Officials said it’s a ‘quoted’ word in UTF-8, ".encode()
            + "and a café in Windows-1252.\n".encode("cp1252"),
            "bytes at 17 are UTF-8: the file mixes encodings",
        ),
        (b"Officials said \x81 the talks resumed.\n", "byte 0x81 at 15 is not Windows-1252"),
    ],
    ids=["polish-cp1250", "russian-cp1251", "mac-roman", "mixed-utf8-cp1252", "undefined-byte"],
)
def test_uncertain_encoding_is_refused_not_guessed(tmp_path: Path, raw: bytes, reason: str) -> None:
    path = tmp_path / "odd.txt"
    path.write_bytes(raw)
    result = run_cli("-a", "nato", "-f", "md", "-o", str(tmp_path / "out"), str(path))
    assert result.code == 1
    line = one_error_line(result.stderr)
    assert line.startswith(f"briefgen: error: {path}: not UTF-8 text (byte ")
    assert f"not confidently Windows-1252 either ({reason}); save it as UTF-8" in line
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("front", "message"),
    [
        (
            "title: T\nlanguage: no\n",
            ":3: language: expected a string, got False (quote the value)",
        ),
        (alias_bomb(7).replace("id: bomb\nname: Bomb\n", ""), ":7: YAML too large: more than"),
        ("title: T\nx: " + "[" * 1000 + "\n", ":3: invalid YAML: nested deeper than 50 levels"),
        ("title: " + "x" * 70_000 + "\n", ":2: front matter longer than 65536 characters"),
    ],
    ids=["norway-problem", "alias-bomb", "deep", "huge"],
)
def test_hostile_front_matter_exits_1_with_line(tmp_path: Path, front: str, message: str) -> None:
    path = tmp_path / "a.md"
    path.write_text(f"---\n{front}---\n{article()}", encoding="utf-8")
    with deadline(5):
        result = run_cli("-a", "nato", "-f", "md", "-o", str(tmp_path / "out"), str(path))
    assert result.code == 1  # a bad source, not a bad configuration
    assert one_error_line(result.stderr).startswith(f"briefgen: error: {path}{message}")
