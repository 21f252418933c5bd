"""On-disk cache of extractions, keyed by content and by everything that shapes facts.

A hit skips spaCy entirely (not even imported), so re-rendering after a template or
profile edit costs the rendering only.  The key covers the source text and id, the
briefgen version, the source code of the stages that make facts, the spaCy model (its
meta.json) and spaCy version (its about.py), and the bytes of the shared configs
(cleaning rules, aliases, topics), so a code or config change can never serve stale
facts.  Entries are JSON (not pickle): an extraction is data, never code; the
compiled templates kept beside them are code.  Both are used only from a folder only
this user can write (:func:`private_folder`), and a cached fact only while it is still
the source text at its offsets.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from importlib.util import find_spec
from pathlib import Path

from briefgen import __version__
from briefgen.codec import CodecError, fact_to_dict, facts_from_json
from briefgen.errors import BriefgenError
from briefgen.files import read_limited, write_atomic
from briefgen.records import Document, Extraction

PIPELINE_VERSION = "2"  # bump when the cache file format changes
_PACKAGE = Path(__file__).resolve().parent.parent
# What shapes facts: every module of the reading and extraction packages, and the
# records and their codec.  Hashed by folder, not by a hand-kept list, so a new
# module that changes facts invalidates old entries without anyone remembering to.
FACT_CODE = ("sources", "extract", "records.py", "codec.py")
ENTRY_BYTES_PER_CHAR = 32
ENTRY_BASE_BYTES = 65_536


def _code_fingerprint() -> str:
    digest = hashlib.sha256()
    for part in FACT_CODE:
        path = _PACKAGE / part
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            if file.is_file():
                digest.update(file.relative_to(_PACKAGE).as_posix().encode() + b"\0")
                digest.update(file.read_bytes() + b"\0")
    return digest.hexdigest()


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/briefgen``, or ``~/.cache/briefgen``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "briefgen"


def _package_stamp(package: str, filename: str) -> str:
    """A hash of ``filename`` inside the installed ``package``, found without importing it.

    spaCy keeps its version in ``about.py`` and a model its version, pipeline and
    spaCy requirement in ``meta.json``: hashing those files stands for the versions
    without ``importlib.metadata``, whose import and directory scan cost more than
    the rest of a cache hit's key.
    """
    try:
        spec = find_spec(package)
        folders = list(spec.submodule_search_locations or []) if spec else []
        data = (Path(folders[0]) / filename).read_bytes() if folders else b""
    except (ImportError, ValueError, OSError):
        data = b""
    return hashlib.sha256(data).hexdigest() if data else _dist_version(package)


def _dist_version(package: str) -> str:
    """The installed version, for a package whose files cannot be read (a zip)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except (PackageNotFoundError, ValueError):
        return "unknown"


class ExtractionCache:
    """Reads and writes cached extractions in one folder.  __init__ computes the salt."""

    def __init__(self, folder: Path, model: str, config_fingerprint: str) -> None:
        self.folder = folder
        self.salt = "\0".join(
            [
                PIPELINE_VERSION,
                __version__,
                _code_fingerprint(),
                model,
                _package_stamp(model, "meta.json"),
                _package_stamp("spacy", "about.py"),
                config_fingerprint,
            ]
        )

    def key(self, document: Document) -> str:
        digest = hashlib.sha256(self.salt.encode())
        digest.update(b"\0" + document.source.id.encode() + b"\0" + document.text.encode())
        # times resolve against the publication date, which for an HTML page (or a date
        # line) is not front matter inside the text: it keys the entry too
        digest.update(b"\0" + str(document.source.published).encode())
        return digest.hexdigest()

    def get(self, document: Document) -> Extraction | None:
        """The cached extraction of ``document``, or None.

        An entry that is too large for the document, does not decode into valid
        facts (:mod:`briefgen.codec`) or whose facts are not quotations of this
        document at their offsets (damaged, edited) is a miss, never a brief.
        """
        path = self.folder / f"{self.key(document)}.json"
        try:
            raw = read_limited(path, entry_limit(document), BriefgenError, "the entry limit")
            facts = facts_from_json(raw)
        except (BriefgenError, CodecError):
            return None
        if document.paragraphs and not facts:  # kept text always yields facts
            return None
        text, source = document.text, document.source.id
        if not all(f.doc == source and text[f.start : f.end] == f.text for f in facts):
            return None
        # the document was cleaned afresh; only the facts come from the cache
        return Extraction(document=document, facts=facts)

    def put(self, extraction: Extraction) -> None:
        """Store ``extraction``; a cache that cannot be written is silently skipped."""
        path = self.folder / f"{self.key(extraction.document)}.json"
        payload = [fact_to_dict(f, internal=True) for f in extraction.facts]
        with contextlib.suppress(Exception):
            write_atomic(path, json.dumps(payload, ensure_ascii=False).encode("utf-8"))


def entry_limit(document: Document) -> int:
    """The most bytes an entry for ``document`` may hold: facts repeat the text with
    their entities, lemmas and times, which measures at 3-6 bytes per character;
    anything far larger was not written by briefgen and is not read whole."""
    return ENTRY_BYTES_PER_CHAR * len(document.text) + ENTRY_BASE_BYTES
