"""Property-based tests: random bytes, text, Unicode and YAML fed to the stages that
read untrusted input.  The only exceptions allowed are the documented ones
(:class:`~briefgen.errors.BriefgenError` subclasses), and every offset still indexes
the decoded text.

Example counts are modest: the suite runs on two cores in CI.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from briefgen.config.loading import parse_yaml
from briefgen.config.profiles import ProfileConfig, load_profile
from briefgen.config.shared import config_dirs, load_shared
from briefgen.errors import ConfigError, SourceError
from briefgen.extract.analyze import analyze
from briefgen.records import Document
from briefgen.sources import read_source
from briefgen.sources.text import decode
from tests.helpers import run_cli

DIRS = config_dirs(())
SHARED = load_shared(DIRS)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    # hypothesis reruns a test body many times; a function-scoped tmp_path would be shared
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


def write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


# -- sources --------------------------------------------------------------------------


@FAST
@given(st.binary(max_size=2000))
def test_random_bytes_decode_or_a_source_error(raw: bytes) -> None:
    try:
        text = decode(raw, "x.txt")
    except SourceError:
        return
    assert "\x00" not in text


@FAST
@given(st.text(max_size=300))
def test_valid_utf8_is_decoded_as_utf8(text: str) -> None:
    assume("\x00" not in text and not text.startswith("\ufeff"))
    # two stray control characters are text; more may be binary (see sources.py)
    assume(sum((ch < " " and ch not in "\t\n\v\f\r") or ch == "\x7f" for ch in text) <= 2)
    assert decode(text.encode("utf-8"), "x.txt") == text


CP1252_TEXT = st.text(
    alphabet=st.characters(codec="cp1252", exclude_categories=["Cc"]) | st.sampled_from("\n "),
    min_size=1,
    max_size=300,
)


@FAST
@given(CP1252_TEXT)
def test_windows_1252_text_is_read_exactly_or_refused_never_garbled(text: str) -> None:
    raw = text.encode("cp1252")
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        assume(False)  # bytes valid as UTF-8 are UTF-8 by rule; nothing to check here
    try:
        assert decode(raw, "x.txt") == text
    except SourceError as exc:
        assert "not confidently Windows-1252" in exc.format_message()


FRONT_VALUES = st.one_of(
    st.text(max_size=40),
    st.integers(),
    st.floats(allow_nan=False),
    st.booleans(),
    st.dates().map(str),
    st.lists(st.text(max_size=5), max_size=3),
)


@FAST
@given(
    st.dictionaries(
        st.sampled_from(["title", "publisher", "url", "published", "language", "author"]),
        FRONT_VALUES,
        max_size=4,
    ),
    st.text(max_size=200),
)
def test_random_front_matter_and_body_load_or_a_source_error(
    folder: Path, front: dict[str, Any], body: str
) -> None:
    head = yaml.safe_dump(front, allow_unicode=True) if front else ""
    path = write(folder, "front.md", f"---\n{head}---\n{body}")
    try:
        doc = read_source(str(path))
    except SourceError:
        return
    assert doc.text[doc.body_start :].strip()


# -- clean and analyze ----------------------------------------------------------------


# news words, numbers, quotes and markup: they reach the parser's rules for times,
# quantities, quotes and attribution, which plain random text rarely does
WORDS = st.sampled_from(
    [
        "Officials", "said", "on", "Monday", "the", "army", "NATO", "Belarus", "troops", "40",
        "miles", "12", "days", "“quoted”", "—", ".", ",", ";", ":", "!", "?", "(", ")", "café",
        "2024", "--", "*", "#", "[x](y)", "<b>", "{{", "}}", "½", "€", "‘", "’", "\n", "\n\n",
    ]
)  # fmt: skip
ARTICLE = st.one_of(
    st.lists(WORDS, max_size=80).map(" ".join),
    st.text(max_size=300),  # any Unicode at all
)


def assert_offsets(doc: Document, facts: tuple[Any, ...]) -> None:
    text = doc.text
    for para in doc.paragraphs:
        assert 0 <= para.start <= para.end <= len(text)
    for removed in doc.removed:
        assert text[removed.start : removed.end] == removed.text
    for fact in facts:
        assert text[fact.start : fact.end] == fact.text
        for part in (*fact.entities, *fact.times, *fact.quantities):
            assert text[part.start : part.end] == part.text


@SLOW
@given(ARTICLE)
def test_random_text_through_clean_and_analyze(folder: Path, nlp: Any, body: str) -> None:
    # a title in front matter keeps the cleaner from taking a short first line as one
    path = write(folder, "random.txt", f"---\ntitle: T\n---\n{body}")
    try:
        doc = SHARED.cleaner.clean(read_source(str(path)))
    except SourceError:
        return
    (extraction,) = analyze([doc], nlp, SHARED.aliases)
    assert_offsets(doc, extraction.facts)


@pytest.fixture(scope="module")
def private_cache(folder: Path) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(folder / "cache"))
        yield


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ARTICLE)
def test_random_articles_end_to_end(folder: Path, private_cache: None, body: str) -> None:
    """The whole command on random articles: a brief or a documented error, never a crash."""
    path = write(folder, "e2e.txt", f"---\ntitle: T\n---\n{body}")
    out = folder / "out"
    result = run_cli("-a", "public", "-f", "md,html,json", "-o", str(out), str(path))
    assert result.code in (0, 1), result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    if result.code == 0:
        brief = json.loads((out / "e2e" / "public.json").read_bytes())
        text = path.read_text(encoding="utf-8")
        assert all(text[f["start"] : f["end"]] == f["text"] for f in brief["facts"])


# -- YAML and profiles ----------------------------------------------------------------

YAML_TEXT = st.one_of(
    st.text(max_size=200),
    st.lists(
        st.sampled_from(
            ["a:", " b:", "  - c", "- &x [1, 2]", "*x", "? k", ": v", "{", "}", "[", "]",
             "!!binary x", "2024-13-45", "'q", '"\\u00', "<<: *x", "\t", "---", "..."]
        ),
        max_size=12,
    ).map("\n".join),
)  # fmt: skip


@FAST
@given(YAML_TEXT)
def test_random_yaml_parses_or_a_config_error(text: str) -> None:
    try:
        located = parse_yaml(text, "random.yaml")
    except ConfigError as exc:
        assert exc.format_message().startswith("random.yaml")
        return
    assert all(file == "random.yaml" and line >= 1 for file, line in located.lines.values())


SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20)
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=12,
)
FIELDS = sorted(ProfileConfig.model_fields)


@FAST
@given(
    st.dictionaries(st.sampled_from([*FIELDS, "extends", "sumary", "x"]), VALUES, max_size=6)
    | VALUES
)
@example(data={"entity_weights": {"\n": None}})  # a key with a line break, once found
@example(data={"\x1e": None})  # str.splitlines() splits on the record separator
@example(data={" ": None})  # a blank key printed as nothing at all
@example(data={"a\tb": None})  # a tab inside a key
def test_random_profiles_load_or_a_config_error(folder: Path, data: Any) -> None:
    if isinstance(data, dict) and data.get("extends") not in (None, "nato", "eu", "public"):
        data["extends"] = "nato"  # an arbitrary string would name a missing profile file
    path = write(folder, "random.yaml", yaml.safe_dump(data, allow_unicode=True))
    try:
        loaded = load_profile(str(path), DIRS)
    except ConfigError as exc:  # one line per error, each with file:line
        lines = exc.format_message().split("\n")
        assert all(re.match(r"\S+\.yaml:\d+: \S", line) for line in lines), lines
        return
    assert isinstance(loaded.config, ProfileConfig)
