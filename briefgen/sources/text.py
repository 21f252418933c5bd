"""The text reader: ``.txt`` and ``.md`` files (and stdin) become a :class:`Document`.

The document keeps the text exactly as decoded, front matter included, because
fact offsets index it.

**Offsets index the decoded text, not the file's bytes.**  ``Document.text`` is the
source after decoding, and every ``start``/``end`` in the pipeline counts its
characters, so ``document.text[fact.start:fact.end] == fact.text`` holds whatever
the file's encoding (``é`` is one character, two bytes in UTF-8, one in Windows-1252).

Decoding, in order:

1. A byte-order mark decides: UTF-8, UTF-16 or UTF-32 (the mark is not part of the text).
2. NUL bytes, or many other control bytes, mean a binary file: refused as "not a text file".
3. UTF-8, when the bytes are valid UTF-8.
4. Otherwise Windows-1252, which also reads Latin-1 text correctly (the two differ only
   in 0x80-0x9F, control codes Latin-1 text never uses), but only when we are
   confident: charset-normalizer must find the result reads as text, the bytes must
   hold no UTF-8 sequence (a file mixing two encodings), and the text must show no
   trace of another code page: a symbol touching a letter (``spotka³`` is Polish
   ``spotkał`` in Windows-1250, ``caf‚`` is DOS ``café``) or a capital after a
   lower-case letter (``itÕs`` is Mac Roman ``it’s``).  Otherwise the source is
   refused with a message that says how to convert it, because a wrong guess would
   put mojibake in a brief.

We do not let a detector choose among all code pages: on short English text
charset-normalizer picks cp775 or cp1250 for Windows-1252 bytes, which garbles
``à`` and curly quotes.  Central European text that only uses letters Windows-1252
also has (``è``, ``ø``) cannot be told apart and is read as Windows-1252.
"""

from __future__ import annotations

import codecs
import re
from datetime import date, datetime
from typing import Any

from briefgen.config.loading import Located, parse_yaml
from briefgen.errors import ConfigError, SourceError
from briefgen.records import Document, Source

MAX_FRONT_MATTER = 65_536  # characters; it holds five short keys
FRONT_MATTER_KEYS = ("title", "publisher", "url", "published", "language", "author")
# the names other tools (Jekyll, Hugo, feed exporters) give the same fields
FRONT_MATTER_ALIASES = {"date": "published", "source": "publisher", "link": "url"}
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*(?:\r?\n|\Z)", re.S | re.M)

# UTF-32 before UTF-16: the UTF-32-LE mark starts with the UTF-16-LE one
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
# control bytes other than tab, line breaks and form feed: text has one or two stray
# ones at most (copied from a terminal or a PDF), binary data has them everywhere
_CONTROL_BYTES = re.compile(rb"[\x01-\x08\x0e-\x1f\x7f]")
MAX_CONTROL_SHARE = 0.01
# a well-formed UTF-8 sequence in bytes that are not UTF-8 as a whole: text pasted
# from a UTF-8 page into a Windows-1252 file, which would read as ``â€™``
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
# Windows-1252 symbols that are letters in Windows-1250/1257 (£=Ł, ³=ł, ¹=ą, ¿=ż, ...)
# or DOS code pages (‚=é, „=ä); touching a letter they betray the wrong code page.
# « » © ® are left out (real text puts them next to letters), and ¿ ‚ „ only count
# after a letter (Spanish and German put them before one).
_FOREIGN_LETTER = re.compile(r"(?<=[^\W\d_])[£¥¨¯±³¶¸¹¼¾¿‚„]|[£¥¨¯±³¶¸¹¼¾](?=[^\W\d_])")
# a lower-case letter then a non-ASCII capital: Mac Roman quotes and accents read as
# Windows-1252 (``itÕs``, ``cafŽ``); real words have no such capitals
_CASE_BREAK = re.compile(r"[a-zß-öø-ÿšœž][À-ÖØ-ÞŠŒŽŸ]")
MAX_CHAOS = 0.2  # charset-normalizer's "mess" ratio, at its own default cut-off


class TextReader:
    """Plain text and Markdown, with optional YAML front matter."""

    name = "text"
    suffixes: tuple[str, ...] = (".txt", ".md")

    def read(self, raw: bytes, path: str, source_id: str) -> Document:
        """Decode ``raw`` and split off its front matter.

        Raises:
            SourceError: binary, undecodable or empty input, or bad front matter,
                naming ``path``.
        """
        text = decode(raw, path)
        meta, body_start = parse_front_matter(text, path)
        body = text[body_start:]
        if not body.strip():
            raise SourceError(f"{path}: no text in this source")
        if not any(ch.isalnum() for ch in body):
            raise SourceError(f"{path}: no text in this source (no letters or digits)")
        source = Source(id=source_id, path=path, **meta)
        return Document(source=source, text=text, body_start=body_start)


def decode(raw: bytes, path: str) -> str:
    """Decode a source's bytes (see the module docstring for the rules).

    Raises:
        SourceError: binary data, or an encoding we cannot be sure of.
    """
    for bom, codec, name in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(codec)
            except UnicodeDecodeError as exc:
                raise SourceError(f"{path}: not valid {name} text (byte {exc.start})") from None
    _refuse_binary(raw, path)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _decode_legacy(raw, path, exc.start)


def _refuse_binary(raw: bytes, path: str) -> None:
    if b"\x00" in raw:
        head = raw[:4096]
        hint = (
            "; it looks like UTF-16 without a byte-order mark: save it as UTF-8"
            if head[1::2].count(0) > len(head) // 4 or head[0::2].count(0) > len(head) // 4
            else ""
        )
        raise SourceError(f"{path}: not a text file (contains NUL bytes{hint})")
    sample = raw[:65_536]
    if len(_CONTROL_BYTES.findall(sample)) > max(2, MAX_CONTROL_SHARE * len(sample)):
        raise SourceError(f"{path}: not a text file (control characters)")


def _decode_legacy(raw: bytes, path: str, bad: int) -> str:
    """Windows-1252, when nothing suggests otherwise; else a clear refusal."""
    doubt = _legacy_doubt(raw)
    if doubt is None:
        return raw.decode("cp1252")
    raise SourceError(
        f"{path}: not UTF-8 text (byte {bad}), and not confidently Windows-1252 either "
        f"({doubt}); save it as UTF-8, e.g. `iconv -f ENCODING -t UTF-8`"
    )


def _legacy_doubt(raw: bytes) -> str | None:
    """Why ``raw`` may not be Windows-1252, or None when it reads as such."""
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError as exc:
        return f"byte 0x{raw[exc.start]:02X} at {exc.start} is not Windows-1252"
    mixed = _UTF8_SEQUENCE.search(raw)
    if mixed:
        return f"bytes at {mixed.start()} are UTF-8: the file mixes encodings"
    odd = _FOREIGN_LETTER.search(text) or _CASE_BREAK.search(text)
    if odd:
        return f"'{odd.group()}' at character {odd.start()} looks like another code page"
    from charset_normalizer import from_bytes  # only non-UTF-8 sources pay its import

    matches = from_bytes(raw, cp_isolation=["cp1252"], threshold=MAX_CHAOS, enable_fallback=False)
    if matches.best() is None:
        return "the text does not read as Windows-1252"
    return None


def parse_front_matter(text: str, path: str) -> tuple[dict[str, Any], int]:
    """Split optional YAML front matter off ``text``.

    Returns:
        The validated metadata and the offset where the body starts.

    Raises:
        SourceError: invalid YAML, an unknown key or a bad value, with ``path:line``.
    """
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, 0
    block = match.group(1)
    if len(block) > MAX_FRONT_MATTER:
        raise SourceError(f"{path}:2: front matter longer than {MAX_FRONT_MATTER} characters")
    # pad with the lines before the block so YAML line numbers are the file's
    padding = "\n" * text.count("\n", 0, match.start(1))
    try:
        doc = parse_yaml(padding + block, path)
    except ConfigError as exc:  # a source problem (exit 1), not a configuration one
        raise SourceError(exc.format_message()) from None
    if doc.data is None:
        return {}, match.end()
    if not isinstance(doc.data, dict):
        raise SourceError(f"{path}:2: front matter must be a mapping of keys to values")
    return _validate_meta(doc), match.end()


def _validate_meta(doc: Located) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    given: dict[str, str] = {}  # field -> the key that gave it
    for key, value in doc.data.items():
        where = doc.where((str(key),))
        field = FRONT_MATTER_ALIASES.get(str(key), key)
        if field not in FRONT_MATTER_KEYS:
            known = ", ".join((*FRONT_MATTER_KEYS, *FRONT_MATTER_ALIASES))
            raise SourceError(f"{where}: {key}: unknown front matter key (known: {known})")
        if field in given:
            raise SourceError(f"{where}: {key}: the same field as {given[field]}; give one")
        given[field] = str(key)
        meta[field] = _meta_value(field, value, where)
    return meta


def _meta_value(key: str, value: Any, where: str) -> Any:
    if key == "published":
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            pass
        # "2024-03-14T09:00:00Z", "March 14, 2024": a whole date, read by dateparser
        from briefgen.sources.metadata import parse_date

        parsed = parse_date(str(value)) if isinstance(value, str) and len(value) < 100 else None
        if parsed is None:
            raise SourceError(
                f"{where}: published: expected a date YYYY-MM-DD, got {value!r}"
            ) from None
        return parsed
    if isinstance(value, bool):  # `language: no` is YAML 1.1 for false
        raise SourceError(f"{where}: {key}: expected a string, got {value!r} (quote the value)")
    if not isinstance(value, str | int | float):
        raise SourceError(f"{where}: {key}: expected a string, got {type(value).__name__}")
    return str(value)
