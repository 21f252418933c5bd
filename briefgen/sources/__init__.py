"""Stage 1, read: a path (or ``-`` for stdin) becomes a :class:`~briefgen.records.Document`.

Readers are found by file suffix, as Pelican finds its readers: each one turns the
raw bytes of one kind of file into a document whose ``text`` every fact offset
indexes.  Adding an input format is one reader class and one line in
:data:`READERS`.  This stage and the writer are the only ones that touch the file
system; the size limit is enforced here, before a reader sees the bytes.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Protocol

from briefgen.errors import SourceError, printable
from briefgen.files import read_at_most, read_limited
from briefgen.records import Document
from briefgen.resources import shown_path
from briefgen.sources.html import HtmlReader, looks_like_html
from briefgen.sources.text import TextReader

# bytes: a long feature article is ~100 kB.  Time and memory grow linearly with the
# text (benchmarks/RESULTS.md, issue #19: 9 MB of news took 14 minutes and 456 MiB on
# a busy 2-core machine), so 10 MB is what is known to finish; a larger source needs
# --max-size, knowingly
DEFAULT_MAX_SIZE = 10_000_000


class Reader(Protocol):
    """Turns the bytes of one kind of source file into a :class:`Document`."""

    name: str
    suffixes: tuple[str, ...]

    def read(self, raw: bytes, path: str, source_id: str) -> Document: ...


_TEXT = TextReader()
_HTML = HtmlReader()
READERS: dict[str, Reader] = {
    **{suffix: _TEXT for suffix in _TEXT.suffixes},
    **{suffix: _HTML for suffix in _HTML.suffixes},
}
STDIN_READER: Reader = _TEXT
SUFFIXES = frozenset(READERS)
# plain-text sources that may really be a saved page ("Save as text" keeps the markup)
SNIFFED = frozenset({"-", ".txt"})


def reader_for(path: str) -> Reader:
    """The reader of ``path`` by its suffix (stdin is read as text).

    Raises:
        SourceError: no reader handles the suffix (the message lists those that do).
    """
    if path == "-":
        return STDIN_READER
    p = Path(path)
    reader = READERS.get(p.suffix.lower())
    if reader is None and not p.exists():
        # a mistyped folder has no suffix: "unsupported source type ''" misled
        raise SourceError(f"{path}: no such file or folder")
    if reader is None and not p.is_dir():
        expected = " or ".join(READERS)  # registration order: .txt first
        raise SourceError(f"{path}: unsupported source type '{p.suffix}' (expected {expected})")
    return reader or _TEXT  # a folder: read_limited says it is one


def read_source(
    path: str,
    source_id: str | None = None,
    max_size: int = DEFAULT_MAX_SIZE,
    note: Callable[[str], None] | None = None,
) -> Document:
    """Read and decode one source.

    A ``.txt`` file or stdin whose content is clearly an HTML page is read as HTML,
    and ``note`` (default: standard error) is told so in one line.

    Args:
        path: a file a reader handles (``.txt``/``.md``/``.html``/``.htm``), or ``-``
            for standard input.
        source_id: the id facts will carry; defaults to the file stem (``stdin`` for ``-``).
        max_size: refuse sources larger than this many bytes.
        note: where the one-line note about a page read as HTML goes.

    Returns:
        The document; its ``text`` is what the reader made of the source (the decoded
        file, or a page's main text), which all offsets index.  ``source.reader``
        names the reader and ``source.sha256`` is the hash of the raw bytes.

    Raises:
        SourceError: missing, unreadable, binary, undecodable or empty input, or bad
            front matter. The message names the path.
    """
    reader = reader_for(path)
    raw = _read_bytes(path, max_size)
    sid = source_id or ("stdin" if path == "-" else Path(path).stem)
    if reader is _TEXT and _sniffed(path) and looks_like_html(raw):
        # a file can be renamed to skip the note; standard input cannot
        where = "standard input" if path == "-" else printable(path)
        hint = "" if path == "-" else " (name it .html to skip this note)"
        (note or _to_stderr)(
            f"briefgen: note: {where}: this is an HTML page; reading it as HTML{hint}"
        )
        reader = _HTML
    document = reader.read(raw, path, sid)
    # which bytes the text came from: for a page the text is not the file itself
    source = replace(document.source, path=shown_path(path), sha256=hashlib.sha256(raw).hexdigest())
    return replace(document, source=source)


def _sniffed(path: str) -> bool:
    return path == "-" or Path(path).suffix.lower() in SNIFFED


def _to_stderr(message: str) -> None:
    print(message, file=sys.stderr)


def _read_bytes(path: str, max_size: int) -> bytes:
    if path == "-":
        data = read_at_most(sys.stdin.buffer, max_size + 1)
        if len(data) > max_size:
            raise SourceError(f"-: larger than --max-size ({max_size} bytes)")
        return data
    return read_limited(Path(path), max_size, SourceError, "--max-size")
