"""Measure the HTML reader on real saved pages with an extractor's expected output.

For every ``NAME.html`` under ``--corpus``/html (fixtures of newspaper and
trafilatura's own test suites):

* with ``NAME.expected.txt`` (the article body as the fixture's authors cut it):
  token F1 of briefgen's extracted text against it: word tokens (``\\w+``, lower
  case) counted as multisets, precision = shared / extracted, recall = shared /
  expected; also for the text the cleaner keeps (its paragraphs: what facts come
  from), since the cleaner drops what furniture trafilatura lets through;
* with ``NAME.meta.json`` (expected metadata and snippets): whether the title, date,
  author and URL are right where the fixture gives them (titles compared after
  whitespace folding), and how many of its ``with`` snippets are in the text and its
  ``without`` snippets (navigation, footers) are not.

``--scaling`` also times reading one page grown 1, 4 and 16 times (its article's
paragraphs repeated, to a few MB) and prints
the time per 100 kB, which stays flat when the cost grows linearly.

Usage: ``python benchmarks/html_extraction.py --corpus ../shared/corpus [--scaling]``
Prints one row per page and the totals; exits 1 if the mean F1 is below ``--target``
(0.90, trafilatura's own benchmark score) or a title or date given by a fixture is wrong.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from briefgen.config.shared import config_dirs, load_shared
from briefgen.records import Document
from briefgen.sources import read_source


def tokens(text: str) -> Counter[str]:
    return Counter(re.findall(r"\w+", text.lower()))


def token_f1(extracted: str, expected: str) -> tuple[float, float, float]:
    """Precision, recall and F1 of the extracted tokens against the expected ones."""
    got, want = tokens(extracted), tokens(expected)
    shared = sum((got & want).values())
    if not shared:
        return 0.0, 0.0, 0.0
    precision, recall = shared / sum(got.values()), shared / sum(want.values())
    return precision, recall, 2 * precision * recall / (precision + recall)


def kept_text(doc: Document) -> str:
    return "\n".join(doc.text[p.start : p.end] for p in doc.paragraphs)


def _fold(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def check_meta(source: Any, text: str, meta: dict[str, Any]) -> dict[str, Any]:
    """What a ``.meta.json`` fixture says against what the reader found."""
    row: dict[str, Any] = {}
    if meta.get("title"):
        row["title"] = _fold(source.title) == _fold(meta["title"])
    if meta.get("date"):
        row["date"] = str(source.published) == meta["date"]
    if meta.get("author"):
        row["author"] = _fold(source.author) == _fold(meta["author"])
    if meta.get("url"):
        row["url"] = source.url == meta["url"]
    folded = _fold(text)
    row["with"] = (sum(_fold(s) in folded for s in meta.get("with", [])), len(meta["with"]))
    without = meta.get("without", [])
    row["without"] = (sum(_fold(s) not in folded for s in without), len(without))
    return row


def scaling(page: Path) -> None:
    """Time reading ``page`` with its <article> (or <body>) content repeated."""
    html = page.read_text(encoding="utf-8")
    match = re.search(r"(<article\b.*?</article>)", html, re.S) or re.search(
        r"<body[^>]*>(.*)</body>", html, re.S
    )
    assert match is not None, f"{page}: no <article> or <body>"
    with tempfile.TemporaryDirectory() as folder:
        for times in (1, 4, 16):
            grown = Path(folder) / f"x{times}.html"
            body = match.group(1) * times
            grown.write_text(html[: match.start(1)] + body + html[match.end(1) :], "utf-8")
            best = min(_timed(grown) for _ in range(3))
            size = grown.stat().st_size
            print(
                f"scaling x{times}: {size / 1e3:.0f} kB read in {best * 1e3:.0f} ms "
                f"({best * 1e3 / (size / 1e5):.1f} ms per 100 kB)"
            )


def _timed(path: Path) -> float:
    started = time.perf_counter()
    read_source(str(path), max_size=10**8)  # the limit guards a run, not this measure
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    parser.add_argument("--target", type=float, default=0.90)
    parser.add_argument("--scaling", action="store_true", help="time a page grown 1/4/16x")
    args = parser.parse_args()
    pages = sorted((args.corpus / "html").glob("*.html"))
    cleaner = load_shared(config_dirs(())).cleaner
    f1s: list[float] = []
    kept_f1s: list[float] = []
    wrong: list[str] = []
    started = time.perf_counter()
    for page in pages:
        doc = read_source(str(page))
        name = page.name.removesuffix(".html")
        expected = page.with_name(f"{name}.expected.txt")
        meta_file = page.with_name(f"{name}.meta.json")
        if expected.exists():
            want = expected.read_text(encoding="utf-8")
            p, r, f = token_f1(doc.text, want)
            f1s.append(f)
            print(f"{name}: token precision {p:.3f} recall {r:.3f} F1 {f:.3f}")
            p, r, f = token_f1(kept_text(cleaner.clean(doc)), want)
            kept_f1s.append(f)
            print(f"{name}: after cleaning, precision {p:.3f} recall {r:.3f} F1 {f:.3f}")
        if meta_file.exists():
            row = check_meta(doc.source, doc.text, json.loads(meta_file.read_text("utf-8")))
            wrong += [f"{name}: {k}" for k in ("title", "date") if row.get(k) is False]
            print(f"{name}: " + "  ".join(f"{k} {v}" for k, v in row.items()))
        print(f"  title {doc.source.title!r}  published {doc.source.published}")
    elapsed = time.perf_counter() - started
    mean = sum(f1s) / len(f1s) if f1s else float("nan")
    kept = sum(kept_f1s) / len(kept_f1s) if kept_f1s else float("nan")
    print(
        f"pages {len(pages)}  ({elapsed:.2f} s)  mean token F1 {mean:.3f} "
        f"(target {args.target}), after cleaning {kept:.3f}"
    )
    print(f"wrong title or date: {len(wrong)}" + "".join(f"\n  {w}" for w in wrong))
    if args.scaling and pages:
        scaling(max(pages, key=lambda p: p.stat().st_size))
    return 1 if (f1s and mean < args.target) or wrong else 0


if __name__ == "__main__":
    sys.exit(main())
