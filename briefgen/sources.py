"""Stage 1, load: a path (or ``-`` for stdin) becomes a :class:`Document`.

Only this stage and the writer touch the file system.  The document keeps the
text exactly as decoded, front matter included, because fact offsets index it.
"""

from __future__ import annotations

import re
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from briefgen.errors import SourceError
from briefgen.model import Document, Source

SUFFIXES = frozenset({".txt", ".md"})
DEFAULT_MAX_SIZE = 10_000_000  # bytes; a long feature article is ~100 kB
FRONT_MATTER_KEYS = ("title", "publisher", "url", "published", "language")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*(?:\r?\n|\Z)", re.S | re.M)


def read_source(
    path: str, source_id: str | None = None, max_size: int = DEFAULT_MAX_SIZE
) -> Document:
    """Read and decode one source.

    Args:
        path: a ``.txt``/``.md`` file, or ``-`` for standard input.
        source_id: the id facts will carry; defaults to the file stem (``stdin`` for ``-``).
        max_size: refuse sources larger than this many bytes.

    Raises:
        SourceError: missing, unreadable, binary, undecodable or empty input, or bad
            front matter. The message names the path.
    """
    raw = _read_bytes(path, max_size)
    text = _decode(raw, path)
    meta, body_start = parse_front_matter(text, path)
    if not text[body_start:].strip():
        raise SourceError(f"{path}: no text in this source")
    sid = source_id or ("stdin" if path == "-" else Path(path).stem)
    source = Source(id=sid, path=path, **meta)
    return Document(source=source, text=text, body_start=body_start)


def _read_bytes(path: str, max_size: int) -> bytes:
    if path == "-":
        data = sys.stdin.buffer.read(max_size + 1)
        if len(data) > max_size:
            raise SourceError(f"-: larger than --max-size ({max_size} bytes)")
        return data
    p = Path(path)
    if p.is_dir():
        raise SourceError(f"{path}: is a directory, not a source file")
    if p.suffix.lower() not in SUFFIXES:
        raise SourceError(f"{path}: unsupported source type '{p.suffix}' (expected .txt or .md)")
    try:
        if p.stat().st_size > max_size:
            raise SourceError(f"{path}: larger than --max-size ({max_size} bytes)")
        return p.read_bytes()
    except FileNotFoundError:
        raise SourceError(f"{path}: no such file") from None
    except OSError as exc:
        raise SourceError(f"{path}: cannot read: {exc.strerror}") from None


def _decode(raw: bytes, path: str) -> str:
    if b"\x00" in raw:
        raise SourceError(f"{path}: not a text file (contains NUL bytes)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(f"{path}: not UTF-8 text (byte {exc.start})") from None


def parse_front_matter(text: str, path: str) -> tuple[dict[str, Any], int]:
    """Split optional YAML front matter off ``text``.

    Returns:
        The validated metadata and the offset where the body starts.
    """
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, 0
    try:
        data = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", 0) + 2
        raise SourceError(f"{path}:{line}: front matter is not valid YAML") from None
    if not isinstance(data, dict):
        raise SourceError(f"{path}:2: front matter must be a mapping of keys to values")
    first_line = text[: match.start(1)].count("\n") + 1
    return _validate_meta(data, path, match.group(1), first_line), match.end()


def _validate_meta(data: dict[Any, Any], path: str, block: str, first_line: int) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    for key, value in data.items():
        line = first_line + _key_line(block, str(key))
        if key not in FRONT_MATTER_KEYS:
            known = ", ".join(FRONT_MATTER_KEYS)
            raise SourceError(f"{path}:{line}: {key}: unknown front matter key (known: {known})")
        meta[key] = _meta_value(str(key), value, path, line)
    return meta


def _key_line(block: str, key: str) -> int:
    """Line of ``key`` within the front matter block (safe_load keeps no marks)."""
    found = re.search(rf"^['\"]?{re.escape(key)}['\"]?\s*:", block, re.M)
    return block.count("\n", 0, found.start()) if found else 0


def _meta_value(key: str, value: Any, path: str, line: int) -> Any:
    if key == "published":
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise SourceError(
                f"{path}:{line}: published: expected a date YYYY-MM-DD, got {value!r}"
            ) from None
    if not isinstance(value, str | int | float):
        raise SourceError(f"{path}:{line}: {key}: expected a string, got {type(value).__name__}")
    return str(value)
