"""Stage 1, read: a path (or ``-`` for stdin) becomes a :class:`~briefgen.records.Document`.

Readers are found by file suffix, as Pelican finds its readers: each one turns the
raw bytes of one kind of file into a document whose ``text`` every fact offset
indexes.  Adding an input format is one reader class and one line in
:data:`READERS`.  This stage and the writer are the only ones that touch the file
system; the size limit is enforced here, before a reader sees the bytes.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Protocol

from briefgen.errors import SourceError
from briefgen.files import read_at_most, read_limited
from briefgen.records import Document
from briefgen.sources.text import TextReader

# bytes: a long feature article is ~100 kB; 1 MB of news takes ~45 s on 2 cores, so
# 2 MB is what is known to finish in a couple of minutes (benchmarks/RESULTS.md); a
# larger source needs --max-size, knowingly
DEFAULT_MAX_SIZE = 2_000_000


class Reader(Protocol):
    """Turns the bytes of one kind of source file into a :class:`Document`."""

    name: str
    suffixes: tuple[str, ...]

    def read(self, raw: bytes, path: str, source_id: str) -> Document: ...


_TEXT = TextReader()
READERS: dict[str, Reader] = {suffix: _TEXT for suffix in _TEXT.suffixes}
STDIN_READER: Reader = _TEXT
SUFFIXES = frozenset(READERS)


def reader_for(path: str) -> Reader:
    """The reader of ``path`` by its suffix (stdin is read as text).

    Raises:
        SourceError: no reader handles the suffix (the message lists those that do).
    """
    if path == "-":
        return STDIN_READER
    p = Path(path)
    reader = READERS.get(p.suffix.lower())
    if reader is None and not p.is_dir():
        expected = " or ".join(READERS)  # registration order: .txt first
        raise SourceError(f"{path}: unsupported source type '{p.suffix}' (expected {expected})")
    return reader or _TEXT  # a folder: read_limited says it is one


def read_source(
    path: str, source_id: str | None = None, max_size: int = DEFAULT_MAX_SIZE
) -> Document:
    """Read and decode one source.

    Args:
        path: a file a reader handles (``.txt``/``.md``), or ``-`` for standard input.
        source_id: the id facts will carry; defaults to the file stem (``stdin`` for ``-``).
        max_size: refuse sources larger than this many bytes.

    Returns:
        The document; its ``text`` is the decoded source, which all offsets index.

    Raises:
        SourceError: missing, unreadable, binary, undecodable or empty input, or bad
            front matter. The message names the path.
    """
    reader = reader_for(path)
    raw = _read_bytes(path, max_size)
    sid = source_id or ("stdin" if path == "-" else Path(path).stem)
    return reader.read(raw, path, sid)


def _read_bytes(path: str, max_size: int) -> bytes:
    if path == "-":
        data = read_at_most(sys.stdin.buffer, max_size + 1)
        if len(data) > max_size:
            raise SourceError(f"-: larger than --max-size ({max_size} bytes)")
        return data
    return read_limited(Path(path), max_size, SourceError, "--max-size")
