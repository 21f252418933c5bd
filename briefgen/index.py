"""The index of an output folder: ``OUT/index.json`` and ``OUT/index.html``.

They list every brief in the folder: source or story, title, audience, relevance
and a relative link per format. What a user expects of an index is what is in
the folder, not only what the last run made, so entries of earlier runs are kept
while their files exist; a brief this run wrote again replaces its entry, and a
format it did not write again is kept (and marked as from an earlier run) while
its file is there. A removed brief drops out at the next run.

Both files are written once, atomically, at the end of a run however it ends
(interrupted, or stopped by an error) and list only briefs that exist: an entry
is added once its files are written, and each earlier entry is checked on disk.
The previous ``index.json`` is read as untrusted input (a bounded read; entries
of the wrong shape, or links leaving the folder, are dropped) and nothing in the
HTML page is markup but its own: every string is escaped, and it has no script
and fetches nothing (its content security policy forbids it).
"""

from __future__ import annotations

import html
import json
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from briefgen.errors import BriefgenError, printable
from briefgen.files import read_limited, write_atomic
from briefgen.folders import natural_key
from briefgen.pipeline import BriefJob, MadeBrief
from briefgen.render import AnyRenderer, JobRenderer, Renderer

JSON_NAME = "index.json"
HTML_NAME = "index.html"
MAX_INDEX = 64 << 20  # far above what 100,000 briefs take; a bound, not a limit


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """One brief (one job, one audience) and its files."""

    folder: str
    """The job's folder below OUT (its name)."""
    kind: str
    """``source`` (a brief of one source) or ``story`` (merged from several)."""
    sources: tuple[str, ...]
    title: str
    audience: str
    relevance: float
    relevant: bool
    links: tuple[tuple[str, str], ...]
    """(format, path relative to OUT) of every file of the brief."""
    earlier: tuple[str, ...] = ()
    """Formats whose file an earlier run wrote and this one did not write again."""

    @property
    def key(self) -> tuple[str, str]:
        return self.folder, self.audience


class RunIndex:
    """The entries of one run, written with those of earlier runs by :meth:`write`."""

    def __init__(
        self, out: Path, renderers: Mapping[str, AnyRenderer], warn: Callable[[str], None]
    ) -> None:
        self.out = out
        self.warn = warn
        self.entries: dict[tuple[str, str], IndexEntry] = {}
        # a file's format, by what follows the audience id (".md"), or by its name for
        # a format of the whole job ("compare.html")
        self.suffixes = {r.suffix: n for n, r in renderers.items() if isinstance(r, Renderer)}
        self.job_files = {r.filename: n for n, r in renderers.items() if isinstance(r, JobRenderer)}

    def _link(self, path: Path) -> str:
        return PurePosixPath(*path.relative_to(self.out).parts).as_posix()

    def add(self, job: BriefJob, made: MadeBrief, paths: Sequence[Path]) -> None:
        """``made``'s brief of ``job``, whose files ``paths`` are written."""
        links = tuple(
            (self.suffixes[path.name[len(made.audience) :]], self._link(path)) for path in paths
        )
        entry = IndexEntry(
            folder=job.name,
            kind="story" if len(job.sources) > 1 else "source",
            sources=tuple(ref.path for ref in job.sources),
            title=made.title,
            audience=made.audience,
            relevance=round(made.relevance, 3),
            relevant=made.relevant,
            links=links,
        )
        self.entries[entry.key] = entry

    def add_job_file(self, job: BriefJob, path: Path) -> None:
        """A file of the whole job (the compare page): a link of each of its briefs."""
        link = (self.job_files[path.name], self._link(path))
        for key, entry in self.entries.items():
            if entry.folder == job.name:
                self.entries[key] = replace(entry, links=(*entry.links, link))

    def write(self) -> None:
        """Write both files (nothing when there is nothing to list and never was)."""
        earlier = previous_entries(self.out, self.warn)
        if not self.entries and not earlier and not (self.out / JSON_NAME).exists():
            return
        listed = merged(earlier, self.entries)
        try:
            write_atomic(self.out / JSON_NAME, index_json(listed))
            write_atomic(self.out / HTML_NAME, index_html(listed, self.out.name))
        except BriefgenError as exc:  # the briefs are written: say so, do not fail them
            self.warn(f"briefgen: warning: {printable(exc.format_message())} (index not updated)")


def merged(
    earlier: dict[tuple[str, str], IndexEntry], now: dict[tuple[str, str], IndexEntry]
) -> list[IndexEntry]:
    """This run's entries, each keeping the earlier formats still on disk, and the
    earlier entries this run did not write; sorted by folder (naturally), audience."""
    out = dict(earlier)
    for key, entry in now.items():
        old = earlier.get(key)
        formats = {fmt for fmt, _ in entry.links}
        kept = tuple(link for link in (old.links if old else ()) if link[0] not in formats)
        out[key] = replace(
            entry, links=(*entry.links, *kept), earlier=tuple(fmt for fmt, _ in kept)
        )
    return sorted(out.values(), key=lambda e: (natural_key(e.folder), e.audience))


# --- reading the previous index ---------------------------------------------------------


def previous_entries(out: Path, warn: Callable[[str], None]) -> dict[tuple[str, str], IndexEntry]:
    """The entries of ``OUT/index.json`` whose files still exist (only those links)."""
    path = out / JSON_NAME
    if not path.exists():
        return {}
    try:
        data = json.loads(read_limited(path, MAX_INDEX, BriefgenError, "the index limit"))
        raw = data["briefs"]
        if not isinstance(raw, list):
            raise TypeError("briefs is not a list")
    except (BriefgenError, ValueError, KeyError, TypeError) as exc:
        reason = exc.format_message() if isinstance(exc, BriefgenError) else str(exc)
        where = printable(str(path))
        warn(f"briefgen: warning: {where}: not a briefgen index ({printable(reason)}); rebuilt")
        return {}
    found = (_checked(item, out) for item in raw)
    return {entry.key: entry for entry in found if entry is not None}


def _checked(item: Any, out: Path) -> IndexEntry | None:
    """An entry as written by :func:`index_json`, its links still files inside OUT."""
    if not isinstance(item, dict):
        return None
    strings = ("folder", "kind", "title", "audience")
    if not all(isinstance(item.get(k), str) for k in strings):
        return None
    sources, links, relevance = item.get("sources"), item.get("links"), item.get("relevance")
    if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
        return None
    if not isinstance(links, dict) or not isinstance(relevance, int | float):
        return None
    kept = tuple(
        (fmt, link) for fmt, link in links.items()
        if isinstance(fmt, str) and isinstance(link, str) and _exists_inside(link, out)
    )  # fmt: skip
    if not kept:
        return None
    earlier = item.get("earlier", [])
    return IndexEntry(
        folder=item["folder"],
        kind=item["kind"],
        sources=tuple(sources),
        title=item["title"],
        audience=item["audience"],
        relevance=float(relevance),
        relevant=item.get("relevant") is not False,
        links=kept,
        earlier=tuple(f for f, _ in kept if isinstance(earlier, list) and f in earlier),
    )


def _exists_inside(link: str, out: Path) -> bool:
    """Whether ``link`` is a relative path to a file inside ``out`` (no ``..``)."""
    parts = PurePosixPath(link).parts
    if not parts or link.startswith("/") or ".." in parts or "\\" in link or "\0" in link:
        return False
    return os.path.isfile(out.joinpath(*parts))


# --- writing ---------------------------------------------------------------------------


def index_json(entries: Sequence[IndexEntry]) -> bytes:
    """The JSON index: ``{"briefs": [...]}``, one object per brief, ``links`` by format."""
    briefs = []
    for entry in entries:
        item = asdict(entry)
        item["sources"] = list(entry.sources)
        item["links"] = dict(entry.links)
        item["formats"] = [fmt for fmt, _ in entry.links]
        item["earlier"] = list(entry.earlier)
        briefs.append(item)
    text = json.dumps({"briefs": briefs}, ensure_ascii=False, indent=2, allow_nan=False)
    return (text + "\n").encode("utf-8")


STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem; color: #1b1b1b; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid #ddd;
  vertical-align: top; overflow-wrap: anywhere; }
th { background: #f3f3f3; }
/* short words never break: "anywhere" above let the table shrink them to "sourc|e" */
th, td.short, td.num { white-space: nowrap; overflow-wrap: normal; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.low td { color: #777; }
a { margin-right: .6rem; }
small { color: #777; }
"""


def index_html(entries: Sequence[IndexEntry], folder: str) -> bytes:
    """The HTML index: one self-contained page, a row per brief."""
    stories = len({e.folder for e in entries})
    head = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        # nothing to fetch, nothing to run: a planted string could not change that
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>Briefs in {_text(folder)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"<h1>Briefs in {_text(folder)}</h1>\n"
        f"<p>{len(entries)} briefs of {stories} sources or stories.</p>\n"
        "<table>\n<thead><tr><th>folder</th><th>kind</th><th>title</th><th>audience</th>"
        "<th>relevance</th><th>files</th></tr></thead>\n<tbody>\n"
    )
    rows = "".join(_row(e) for e in entries)
    return (head + rows + "</tbody>\n</table>\n</body>\n</html>\n").encode("utf-8")


def _row(entry: IndexEntry) -> str:
    links = " ".join(_link(fmt, link, fmt in entry.earlier) for fmt, link in entry.links)
    low = "" if entry.relevant else ' class="low"'
    return (
        f'<tr{low}><td>{_text(entry.folder)}</td><td class="short">{_text(entry.kind)}</td>'
        f'<td>{_text(entry.title)}</td><td class="short">{_text(entry.audience)}</td>'
        f'<td class="num">{entry.relevance:.2f}</td><td>{links}</td></tr>\n'
    )


def _link(fmt: str, link: str, earlier: bool) -> str:
    note = " <small>(earlier run)</small>" if earlier else ""
    # quoted: the path stays one relative URL (no scheme, no attribute break)
    return f'<a href="{html.escape(quote(link))}">{_text(fmt)}</a>{note}'


def _text(value: str) -> str:
    return html.escape(printable(value))


def listed_files(out: Path) -> Iterator[Path]:
    """The files ``OUT/index.json`` links to (for tests and scripts)."""
    data = json.loads((out / JSON_NAME).read_text(encoding="utf-8"))
    for item in data["briefs"]:
        for link in item["links"].values():
            yield out / link
