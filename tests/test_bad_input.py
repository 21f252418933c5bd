"""The bad-input battery (issue 8): every row of the issue's table is a test here.

Each bad input must give one clear line on stderr and a documented exit status,
never a traceback, never a half-written brief, never a temporary file left behind.
Real processes are used where only a real process can tell (signals, two writers,
tracebacks); everything else runs in-process so the spaCy model loads once.
"""

from __future__ import annotations

import errno
import io
import json
import os
import re
import signal
import struct
import subprocess
import sys
import time
import tracemalloc
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from subprocess import PIPE
from typing import Any

import pytest
from pypdf import PdfReader

from briefgen.config import loading
from briefgen.config.profiles import load_profile
from briefgen.config.shared import config_dirs, load_shared
from briefgen.errors import ConfigError, SourceError
from briefgen.files import write_atomic
from briefgen.render.markdown import MarkdownRenderer
from briefgen.sources import read_source
from tests.helpers import run_cli, write_article

EXE = Path(sys.executable).with_name("briefgen")


def article(n: int = 0) -> str:
    return (
        # on the NATO and EU profiles' topics, so their briefs have a summary to render
        f"Officials said on Monday that troops crossed bridge {n} after army drills.\n"
        f"Border guards said migrants crossed the border at bridge {n} at a cost of 2 million.\n"
    )


def sources(folder: Path, count: int) -> list[str]:
    return [str(write_article(folder, f"a{n}.txt", article(n))) for n in range(count)]


def brief_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def assert_complete(folder: Path, reference: Path | None = None) -> list[Path]:
    """Every file under ``folder`` is a whole brief: no temporary or partial file."""
    files = brief_files(folder)
    for path in files:
        assert re.fullmatch(r"(eu|nato|public)\.(md|html|pdf|json)", path.name), path
        data = path.read_bytes()
        assert data, path
        if path.suffix == ".pdf":
            assert data.rstrip().endswith(b"%%EOF") and PdfReader(io.BytesIO(data)).pages
        elif path.suffix == ".json":
            json.loads(data)
        if reference is not None and path.suffix != ".pdf":
            assert data == (reference / path.relative_to(folder)).read_bytes(), path
    return files


def one_error_line(stderr: str) -> str:
    assert stderr.count("\n") == 1 and stderr.startswith("briefgen: error: "), stderr
    assert "Traceback" not in stderr
    return stderr


def alias_bomb(levels: int = 9) -> str:
    """The "billion laughs": ``levels`` levels of nine aliases, 9**levels strings expanded."""
    lines = ["id: bomb", "name: Bomb", "lol0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for n in range(1, levels):
        lines.append(f"lol{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]")
    return "\n".join(lines) + "\n"


@contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """Fail with TimeoutError, rather than hang the suite, when a guard is missing."""

    def expired(*args: Any) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture(autouse=True)
def own_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    # the extraction cache is keyed by content; a private one keeps each test honest
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))


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


def png() -> bytes:
    """A real 1x1 PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


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
        f"briefgen: error: {path}: unsupported source type '.png' (expected .txt or .md)\n"
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


# -- size -----------------------------------------------------------------------------


def test_twenty_megabyte_article_is_refused_above_max_size(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_text((article() * 200_000)[:20_000_000], encoding="utf-8")
    started = time.monotonic()
    result = run_cli("-a", "nato", "-f", "md", "-o", str(tmp_path / "out"), str(path))
    assert time.monotonic() - started < 5
    assert result.code == 1
    assert one_error_line(result.stderr) == (
        f"briefgen: error: {path}: larger than --max-size (10000000 bytes)\n"
    )
    tracemalloc.start()
    with pytest.raises(SourceError, match="larger than --max-size"):
        read_source(str(path))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 12_000_000  # it read at most --max-size + 1 bytes, not 20 MB


def test_stdin_above_max_size_is_refused(tmp_path: Path) -> None:
    result = run_cli(
        "--max-size", "1000", "-a", "nato", "-f", "md", "-o", "-", "-", stdin=b"x" * 5000
    )
    assert result.code == 1
    assert (
        one_error_line(result.stderr) == "briefgen: error: -: larger than --max-size (1000 bytes)\n"
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX only")
def test_fifo_or_device_is_refused_without_reading(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")  # opening it to read would block forever
    (tmp_path / "zero.txt").symlink_to("/dev/zero")  # reading it would never end
    for name in ("pipe.txt", "zero.txt"):
        with deadline(5):
            result = run_cli("-a", "nato", "-f", "md", "-o", "-", str(tmp_path / name))
        assert result.code == 1
        assert result.stderr == f"briefgen: error: {tmp_path / name}: not a regular file\n"


def test_megabyte_single_line_loads_and_cleans_quickly(tmp_path: Path) -> None:

    path = tmp_path / "line.txt"
    path.write_text(("The committee approved the plan. " * 40_000)[:1_048_576] + "\n")
    started = time.monotonic()
    doc = load_shared(config_dirs(())).cleaner.clean(read_source(str(path)))
    assert time.monotonic() - started < 5
    assert len(doc.paragraphs) == 1 and doc.paragraphs[0].end - doc.paragraphs[0].start > 10**6


class _Recorder:
    """Wraps a spaCy pipeline and records what ``analyze`` asks it to parse."""

    def __init__(self, nlp: Any) -> None:
        self.nlp, self.sizes, self.batches = nlp, list[int](), list[int]()

    def pipe(self, texts: Iterator[str], batch_size: int = 1000, **kw: Any) -> Iterator[Any]:
        self.batches.append(batch_size)
        return self.nlp.pipe(self._seen(texts), batch_size=batch_size, **kw)  # type: ignore[no-any-return]

    def _seen(self, texts: Iterator[str]) -> Iterator[str]:
        for text in texts:
            self.sizes.append(len(text))
            yield text


def test_megabyte_paragraph_is_parsed_in_bounded_pieces(tmp_path: Path) -> None:
    """A 1 MB paragraph exceeds spaCy's max_length (1,000,000) and would need ~3 GB in
    one Doc; it must reach spaCy in small pieces, few at a time, offsets intact."""
    import spacy

    from briefgen.extract import analyze as stage

    words = ("The committee approved the plan " * 40_000)[:600_000]  # no sentence end
    path = tmp_path / "line.txt"
    sentence = "The council met again and discussed the budget for the coming year in detail. "
    path.write_text((sentence * 6000)[:450_000] + words + ".\n")
    shared = load_shared(config_dirs(()))
    doc = shared.cleaner.clean(read_source(str(path)))
    blank = spacy.blank("en")  # the real model would take minutes; the split is the point
    blank.add_pipe("sentencizer")
    nlp = _Recorder(blank)
    facts = stage.analyze([doc], nlp, shared.aliases)[0].facts  # type: ignore[arg-type]
    assert max(nlp.sizes) <= stage.MAX_PARSE_CHARS < blank.max_length
    assert max(nlp.batches) * max(nlp.sizes) <= stage.BATCH_CHARS  # characters in flight
    assert sum(nlp.sizes) >= len(doc.text) - 2
    assert all(doc.text[f.start : f.end] == f.text for f in facts)
    assert {f.paragraph for f in facts} == {0}
    assert sum(f.text == sentence.strip() for f in facts) >= 5_500  # cut between sentences


def test_long_single_line_with_the_real_model(tmp_path: Path) -> None:
    line = " ".join(article(n).replace("\n", " ") for n in range(100))  # ~16,000 chars
    path = write_article(tmp_path, "line.txt", line + "\n")
    result = run_cli("-a", "nato", "-f", "json", "-o", "-", str(path))
    assert result.code == 0, result.stderr
    facts = json.loads(result.raw)["facts"]
    text = path.read_text(encoding="utf-8")
    assert len(facts) >= 190 and all(text[f["start"] : f["end"]] == f["text"] for f in facts)


@pytest.mark.skipif(
    not os.environ.get("BRIEFGEN_SLOW_TESTS"), reason="minutes; BRIEFGEN_SLOW_TESTS=1"
)
def test_megabyte_line_in_a_real_process_finishes_in_bounded_memory(tmp_path: Path) -> None:
    import resource

    path = tmp_path / "line.txt"
    path.write_text(("The committee approved the plan on Monday. " * 30_000)[:1_048_576] + "\n")
    proc = subprocess.run(
        [str(EXE), "-a", "nato", "-f", "md", "-o", str(tmp_path / "out"), str(path)],
        capture_output=True,
        timeout=1200,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss < 1_000_000  # kB: < 1 GB


# -- paths ----------------------------------------------------------------------------


def test_missing_file_and_directory_name_the_path(tmp_path: Path) -> None:
    for target, message in [
        (tmp_path / "nope.txt", "no such file"),
        (tmp_path, "no article in this folder (looked for .md, .txt files)"),
    ]:
        result = run_cli("-a", "nato", "-f", "md", "-o", str(tmp_path / "out"), str(target))
        assert result.code == 1
        assert one_error_line(result.stderr) == f"briefgen: error: {target}: {message}\n"


def test_unreadable_file_names_the_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_article(tmp_path, "secret.txt", article())
    path.chmod(0)
    if os.geteuid() == 0:  # root reads anything: make open() answer as it would for a user
        real_open = os.open

        def refuse(file: Any, flags: int, *args: Any, **kwargs: Any) -> int:
            if Path(file) == path:
                raise PermissionError(errno.EACCES, "Permission denied", str(file))
            return real_open(file, flags, *args, **kwargs)

        monkeypatch.setattr(os, "open", refuse)
    result = run_cli("-a", "nato", "-f", "md", "-o", str(tmp_path / "out"), str(path))
    assert result.code == 1
    assert one_error_line(result.stderr) == (
        f"briefgen: error: {path}: cannot read: Permission denied\n"
    )


# -- audiences and profiles -----------------------------------------------------------


def test_unknown_audience_exits_2_listing_available_ones(tmp_path: Path) -> None:
    (tmp_path / "cfg" / "audiences").mkdir(parents=True)
    (tmp_path / "cfg" / "audiences" / "desk.yaml").write_text("extends: nato\nname: Desk\n")
    result = run_cli("-a", "navy", "--configs", str(tmp_path / "cfg"), "-o", str(tmp_path))
    assert result.code == 2
    assert one_error_line(result.stderr) == (
        "briefgen: error: unknown audience 'navy' (available: desk, eu, nato, public, all)\n"
    )


BAD_PROFILES = [
    ("id: desk\nname: Desk\nsummary:\n  max_items: 3\n   title: x\n", ":5: invalid YAML: "),
    ("id: desk\nname: Desk\nsummary: {max_items: 3\n", ":4: invalid YAML: "),
    ("id: desk\nname: [a, b]\nmin_score: high\n", ":2: name: expected a string, got a list"),
    (alias_bomb(), ":8: YAML too large: more than 100000 values after expanding aliases"),
    ("id: d\nname: D\nx: " + "[" * 10_000 + "]" * 10_000 + "\n", ":3: invalid YAML: nested deeper"),
    ("id: d\nname: D\nloop: &a [*a]\n", ":3: YAML too large: nested deeper than 50 levels"),
    ("id: d\nname: D\nintro: a\nname: E\n", ":4: name: key given twice (first on line 2)"),
    ("id: d\nname: D\nintro: 2024-13-45\n", ":3: invalid YAML: invalid timestamp: month must"),
    ("id: d\nname: D\nintro: \x07bell\n", ":3: invalid YAML: U+0007 is not allowed"),
    ("id: d\nname: D\n" + "# padding\n" * 110_000, ": larger than the config size limit"),
]


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    BAD_PROFILES,
    ids=[
        "bad-indent",
        "unclosed",
        "wrong-types",
        "alias-bomb",
        "deep",
        "recursive-alias",
        "duplicate-key",
        "bad-date",
        "control-char",
        "oversized",
    ],
)
def test_bad_profile_exits_2_with_file_and_line(
    tmp_path: Path, yaml_text: str, message: str
) -> None:
    path = tmp_path / "desk.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    with deadline(5):  # refused fast, not after expanding anything
        result = run_cli("-a", str(path), "-f", "md", "-o", str(tmp_path / "out"))
    assert result.code == 2
    assert result.stderr.startswith(f"briefgen: error: {path}{message}"), result.stderr
    assert all(line.startswith("briefgen: error: ") for line in result.stderr.splitlines())
    assert "Traceback" not in result.stderr and not (tmp_path / "out").exists()


def test_too_many_values_are_refused_while_composing(monkeypatch: pytest.MonkeyPatch) -> None:

    monkeypatch.setattr(loading, "MAX_NODES", 1000)  # the mechanism, without 100,000 nodes
    with pytest.raises(ConfigError, match=r"^big\.yaml:998: invalid YAML: more than 1000 values"):
        loading.parse_yaml("id: d\nname: D\nx:\n" + "- 1\n" * 2000, "big.yaml")


def test_every_schema_error_is_its_own_prefixed_line(tmp_path: Path) -> None:
    path = tmp_path / "desk.yaml"
    path.write_text("id: desk\nname: [a, b]\nmin_score: high\n")
    result = run_cli("-a", str(path), "-f", "md", "-o", str(tmp_path / "out"))
    assert result.stderr == (
        f"briefgen: error: {path}:2: name: expected a string, got a list\n"
        f"briefgen: error: {path}:3: min_score: expected a number, got 'high'\n"
    )


def test_error_in_a_list_that_replaces_the_parents_names_the_users_file(tmp_path: Path) -> None:
    path = tmp_path / "desk.yaml"
    path.write_text("extends: nato\nname: Desk\nsections:\n  - title: No id\n")
    result = run_cli("-a", str(path), "-f", "md", "-o", str(tmp_path / "out"))
    assert result.code == 2
    assert one_error_line(result.stderr) == (
        f"briefgen: error: {path}:4: sections[0].id: required key is missing\n"
    )


def test_alias_bomb_is_refused_in_bounded_memory(tmp_path: Path) -> None:

    path = tmp_path / "bomb.yaml"
    path.write_text(alias_bomb())
    tracemalloc.start()
    with deadline(10), pytest.raises(ConfigError, match="alias bomb"):
        load_profile(str(path), config_dirs(()))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 64_000_000  # 9**9 strings expanded would be gigabytes


def test_unknown_key_warns_with_line_and_strict_refuses(tmp_path: Path) -> None:
    path = tmp_path / "desk.yaml"
    path.write_text("extends: nato\nname: Desk\nsumary:\n  max_items: 2\n")
    source = write_article(tmp_path, "a.txt", article())
    result = run_cli("-a", str(path), "-f", "md", "-o", str(tmp_path / "out"), str(source))
    assert result.code == 0, result.stderr
    warning = f"briefgen: warning: {path}:3: sumary: unknown key (did you mean `summary`?)\n"
    assert warning in result.stderr
    assert (tmp_path / "out" / "a" / "desk.md").is_file()
    strict = run_cli(
        "--strict", "-a", str(path), "-f", "md", "-o", str(tmp_path / "o2"), str(source)
    )
    assert strict.code == 2
    assert one_error_line(strict.stderr) == warning.replace("warning", "error")


# -- templates ------------------------------------------------------------------------


def run_template(tmp_path: Path, template: str) -> tuple[Any, Path]:
    (tmp_path / "tpl").mkdir()
    path = tmp_path / "tpl" / "brief.md.j2"
    path.write_text(template)
    source = write_article(tmp_path, "a.txt", article())
    args = ("-a", "nato", "-f", "md", "--templates", str(tmp_path / "tpl"))
    return run_cli(*args, "-o", str(tmp_path / "out"), str(source)), path


def test_template_syntax_error_exits_2_naming_template_and_line(tmp_path: Path) -> None:
    broken = '{% extends "!builtin/brief.md.j2" %}\n{% block sources %}\n{% if %}\n{% endblock %}\n'
    result, path = run_template(tmp_path, broken)
    assert result.code == 2
    assert one_error_line(result.stderr).startswith(
        f"briefgen: error: {path}:3: template syntax error: "
    )
    assert not (tmp_path / "out").exists()


def test_template_including_a_missing_file_exits_2(tmp_path: Path) -> None:
    result, _ = run_template(tmp_path, "# x\n{% include 'nothere.j2' %}\n")
    assert result.code == 2
    assert "nothere.j2" in one_error_line(result.stderr)


def test_template_runtime_error_exits_2_naming_template_and_line(tmp_path: Path) -> None:
    result, path = run_template(tmp_path, "# {{ brief.title }}\n\n{{ 1 / 0 }}\n")
    assert result.code == 2
    assert one_error_line(result.stderr).startswith(f"briefgen: error: {path}:3: template error: ")
    assert "division by zero" in result.stderr


# -- output folder --------------------------------------------------------------------


def test_output_folder_that_is_a_file_exits_1(tmp_path: Path) -> None:
    blocker = tmp_path / "out"
    blocker.write_text("keep me")
    source = write_article(tmp_path, "a.txt", article())
    result = run_cli("-a", "nato", "-f", "md", "-o", str(blocker), str(source))
    assert result.code == 1
    assert one_error_line(result.stderr) == (
        f"briefgen: error: {blocker}/a/nato.md: cannot write: {blocker} is a file, not a folder\n"
    )
    assert blocker.read_text() == "keep me" and sorted(tmp_path.iterdir()) == [source, blocker]


def refuse_inside(
    monkeypatch: pytest.MonkeyPatch, folder: Path, name: str, code: int, message: str
) -> None:
    """Make ``os.<name>`` fail with ``code`` for paths inside ``folder`` (root ignores modes)."""
    real = getattr(os, name)

    def fake(path: Any, *args: Any, **kwargs: Any) -> Any:
        if Path(path).resolve().is_relative_to(folder.resolve()):
            raise OSError(code, message, str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, name, fake)


def test_read_only_output_folder_exits_1_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    source = write_article(tmp_path, "a.txt", article())
    refuse_inside(monkeypatch, out, "open", errno.EROFS, "Read-only file system")
    refuse_inside(monkeypatch, out, "mkdir", errno.EROFS, "Read-only file system")
    result = run_cli("-a", "nato", "-f", "md", "-o", str(out), str(source))
    assert result.code == 1
    assert one_error_line(result.stderr) == (
        f"briefgen: error: {out}/a/nato.md: cannot write: Read-only file system\n"
    )
    assert list(out.iterdir()) == []


def fail_inside(
    monkeypatch: pytest.MonkeyPatch, folder: Path, name: str, nth: int, exc: BaseException
) -> None:
    """Make the ``nth`` ``os.<name>(fd, ...)`` on a file inside ``folder`` fail with ``exc``
    (``os.write`` first writes half its data).  Other files (the cache) are not touched."""
    real = getattr(os, name)
    calls = [0]

    def fake(fd: int, *args: Any) -> Any:
        if Path(os.readlink(f"/proc/self/fd/{fd}")).is_relative_to(folder):
            calls[0] += 1
            if calls[0] == nth:
                if name == "write":
                    real(fd, bytes(args[0][: len(args[0]) // 2]))
                raise exc
        return real(fd, *args)

    monkeypatch.setattr(os, name, fake)


needs_proc = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")


@needs_proc
@pytest.mark.parametrize("syscall", ["write", "fsync"])
def test_disk_full_exits_1_and_keeps_the_previous_brief(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, syscall: str
) -> None:
    source = write_article(tmp_path, "a.txt", article())
    args = ("-a", "nato", "-f", "md", "-o", str(tmp_path / "out"), str(source))
    assert run_cli(*args).code == 0
    before = (tmp_path / "out" / "a" / "nato.md").read_bytes()
    source.write_text(article(7))  # a rerun would change the brief...
    error = OSError(errno.ENOSPC, "No space left on device")
    fail_inside(monkeypatch, tmp_path / "out", syscall, 1, error)
    result = run_cli(*args)  # ...but the disk is full
    assert result.code == 1
    assert one_error_line(result.stderr) == (
        f"briefgen: error: {tmp_path}/out/a/nato.md: cannot write: No space left on device\n"
    )
    assert [p.name for p in brief_files(tmp_path / "out")] == ["nato.md"]
    assert (tmp_path / "out" / "a" / "nato.md").read_bytes() == before


def test_write_atomic_replaces_whole_file_readable_by_all(tmp_path: Path) -> None:

    target = tmp_path / "deep" / "er" / "nato.md"
    write_atomic(target, b"old")
    write_atomic(target, b"new brief")
    assert target.read_bytes() == b"new brief"
    assert target.stat().st_mode & 0o777 == 0o644  # mkstemp's 0600 would hide it from others
    assert [p.name for p in target.parent.iterdir()] == ["nato.md"]


# -- Ctrl-C ---------------------------------------------------------------------------


@pytest.fixture
def reference(tmp_path: Path) -> tuple[list[str], Path]:
    """Four sources and their briefs from an uninterrupted run."""
    (tmp_path / "src").mkdir()
    paths = sources(tmp_path / "src", 4)
    result = run_cli("-a", "nato", "-f", "md,json", "-o", str(tmp_path / "ref"), *paths)
    assert result.code == 0, result.stderr
    return paths, tmp_path / "ref"


def test_ctrl_c_between_briefs_keeps_finished_ones_complete(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reference: tuple[list[str], Path]
) -> None:
    paths, ref = reference
    real = MarkdownRenderer.render
    calls = [0]

    def interrupted(self: MarkdownRenderer, *args: Any) -> bytes:
        calls[0] += 1
        if calls[0] == 3:  # rendering the third source
            raise KeyboardInterrupt
        return real(self, *args)

    monkeypatch.setattr(MarkdownRenderer, "render", interrupted)
    result = run_cli("-a", "nato", "-f", "md,json", "-o", str(tmp_path / "out"), *paths)
    # click prints a newline first, to end the terminal's "^C" line
    assert result.code == 130 and result.stderr.strip() == "briefgen: interrupted"
    files = assert_complete(tmp_path / "out", reference=ref)
    assert [str(p.relative_to(tmp_path / "out")) for p in files] == [
        "a0/nato.json",
        "a0/nato.md",
        "a1/nato.json",
        "a1/nato.md",
    ]


@needs_proc
def test_ctrl_c_while_writing_leaves_no_partial_or_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reference: tuple[list[str], Path]
) -> None:
    paths, ref = reference
    fail_inside(monkeypatch, tmp_path / "out", "write", 2, KeyboardInterrupt())
    result = run_cli("-a", "nato", "-f", "md,json", "-o", str(tmp_path / "out"), *paths)
    assert result.code == 130
    files = assert_complete(tmp_path / "out", reference=ref)
    assert [str(p.relative_to(tmp_path / "out")) for p in files] == ["a0/nato.md"]


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_signal_to_a_real_process_leaves_only_complete_briefs(tmp_path: Path, signum: int) -> None:
    paths = sources(tmp_path, 8)
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [str(EXE), "-a", "nato", "-f", "md,json,pdf", "-o", str(out), *paths],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        # a shell may start background jobs with SIGINT ignored; Python then never
        # raises KeyboardInterrupt, so give the child the default disposition
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 120
    while not (out / "a0" / "nato.pdf").exists() and proc.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    proc.send_signal(signum)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr.decode()
    assert stderr.decode() == "briefgen: interrupted\n"  # one line, no blank line first
    files = assert_complete(out)
    assert 3 <= len(files) < 24  # some briefs written, not all
    # every finished brief was announced before the interruption, and only those
    assert sorted(stdout.decode().split()) == sorted(str(f) for f in files)


def test_two_processes_writing_one_folder_leave_every_file_complete(tmp_path: Path) -> None:
    paths = sources(tmp_path, 3)
    out = tmp_path / "out"
    command = [str(EXE), "-a", "nato", "-f", "md,json,pdf", "-o", str(out), *paths]
    procs = [subprocess.Popen(command, stderr=subprocess.PIPE) for _ in range(2)]
    for proc in procs:
        _, stderr = proc.communicate(timeout=180)
        assert proc.returncode == 0, stderr.decode()
    ref = tmp_path / "ref"
    assert run_cli("-a", "nato", "-f", "md,json", "-o", str(ref), *paths).code == 0
    assert len(assert_complete(out, reference=ref)) == 9


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
    # the only links are citations to the Sources list
    assert not re.search(r"<(?:iframe|script)\b|<[^>]*\bhref=(?!\"#source-\d+\">)", html)
    assert "{{ 7*7 }}" in html and "49" not in brief["title"]
    assert brief["sources"][0]["url"] == "file:///etc/passwd"  # data, kept as given
    assert b"/URI" not in pdf and b"root:x:0" not in pdf and b"/EmbeddedFile" not in pdf
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "{{ 7*7 }}" in text and "root:x:0" not in text


def test_many_sources_bad_ones_reported_and_skipped(tmp_path: Path) -> None:
    good = sources(tmp_path, 2)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "photo.txt").write_bytes(png())
    (tmp_path / "russian.txt").write_bytes(
        "Министр заявил, что учения завершены.\n".encode("cp1251")
    )
    bad = [str(tmp_path / n) for n in ("empty.txt", "photo.txt", "russian.txt", "gone.txt")]
    mixed = [bad[0], good[0], bad[1], bad[2], good[1], bad[3]]
    result = run_cli("-a", "nato", "-f", "md", "-o", str(tmp_path / "out"), *mixed)
    assert result.code == 1
    lines = result.stderr.splitlines()
    assert [line.split(": ")[2] for line in lines[:-1]] == bad
    assert all(line.endswith("(skipped)") for line in lines[:-1])
    assert lines[-1] == "briefgen: error: 4 of 6 sources failed"
    assert sorted(result.stdout.split()) == [
        str(tmp_path / "out" / s / "nato.md") for s in ("a0", "a1")
    ]
    assert_complete(tmp_path / "out")
    fast = run_cli("--fail-fast", "-a", "nato", "-f", "md", "-o", str(tmp_path / "o2"), *mixed)
    assert fast.code == 1 and one_error_line(fast.stderr).endswith("no text in this source\n")
    assert not (tmp_path / "o2").exists()


def test_terminal_control_characters_in_messages_are_escaped(tmp_path: Path) -> None:
    path = tmp_path / "a\x1b]0;pwned\x07.txt"
    path.write_text('---\npublished: "\u202eyesterday"\n---\nText here.\n')
    result = run_cli("-a", "nato", "-f", "md", "-o", "-", str(path))
    assert result.code == 1
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "\u202e" not in result.stderr
    assert "a\\x1b]0;pwned\\x07.txt:2: published: expected a date" in result.stderr
    assert "'\\u202eyesterday'" in result.stderr  # the bidi override, shown not obeyed


@pytest.fixture(scope="module")
def real_runs(
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, subprocess.CompletedProcess[bytes]]:
    """User mistakes run by the real console script, all at once to save time."""
    root = tmp_path_factory.mktemp("real")
    (root / "empty.txt").write_bytes(b"")
    (root / "photo.txt").write_bytes(png())
    (root / "russian.txt").write_bytes("Министр заявил, что учения завершены.\n".encode("cp1251"))
    (root / "bomb.yaml").write_text(alias_bomb())
    (root / "deep.yaml").write_text("id: d\nname: D\nx: " + "[" * 10_000 + "\n")
    (root / "tpl").mkdir()
    (root / "tpl" / "brief.md.j2").write_text("{% if %}\n")
    (root / "file").write_text("")
    ok = str(write_article(root, "ok.txt", article()))
    rows = {
        "empty": ["empty.txt"],
        "binary": ["photo.txt"],
        "encoding": ["russian.txt"],
        "missing": ["gone.txt"],
        "directory": ["tpl/"],
        "alias-bomb": ["-a", "bomb.yaml", ok],
        "deep-yaml": ["-a", "deep.yaml", ok],
        "unknown-audience": ["-a", "navy", ok],
        "broken-template": ["--templates", "tpl", ok],
        "out-is-a-file": ["-o", "file", ok],
    }
    env = {**os.environ, "XDG_CACHE_HOME": str(root / "cache")}  # module scope: no own_cache
    procs = {
        name: subprocess.Popen(
            [str(EXE), "-f", "md", *args], cwd=root, env=env, stdout=PIPE, stderr=PIPE
        )
        for name, args in rows.items()
    }
    return {
        name: subprocess.CompletedProcess(p.args, p.wait(timeout=120), *p.communicate())
        for name, p in procs.items()
    }


@pytest.mark.parametrize(
    ("row", "code"),
    [
        ("empty", 1),
        ("binary", 1),
        ("encoding", 1),
        ("missing", 1),
        ("directory", 1),
        ("alias-bomb", 2),
        ("deep-yaml", 2),
        ("unknown-audience", 2),
        ("broken-template", 2),
        ("out-is-a-file", 1),
    ],
)
def test_user_mistakes_in_a_real_process_are_one_line_without_traceback(
    real_runs: dict[str, subprocess.CompletedProcess[bytes]], row: str, code: int
) -> None:
    proc = real_runs[row]
    stderr = proc.stderr.decode()
    assert proc.returncode == code, stderr
    assert "Traceback" not in stderr and "internal error" not in stderr
    assert all(line.startswith("briefgen: error: ") for line in stderr.splitlines()), stderr
