"""Merge benchmark: is merging the facts of several sources a cheap step after extraction?

Issue #14, point 8: extraction stays once per source (cached); merging is a cheap step
after it.  Over the MultiLing 2011 clusters (ten Wikinews articles each, ``docN.txt``;
the ``summary*.txt`` references are skipped) this extracts every cluster once, then
times, interleaved run by run (medians; the machine is shared and noisy, so read the
ratios, not the milliseconds):

  * ``merge(extractions, shared.publishers)`` of the ten sources;
  * ``select(extractions, profile, glossary, story=story)`` for each built-in profile;
  * against the extraction of the same ten sources with no cache (read, clean, parse,
    classify; model already loaded, as in a run) and from a warm cache (read, clean,
    cache key, decode and check the entries).

Then how merge grows with the number of sources (5, 10, 20, 40): the three clusters'
sources in turn (M000, M003, M004: 30 distinct articles, then the first ten again under
new source ids), and one cluster (M000) repeated under new source ids (every copy a
reprint of another: the worst case for grouping, each fact matching a copy in every
other source).  Time per source stays flat if merging is linear.

    python benchmarks/merge_speed.py [--runs 5] [--corpus ../shared/corpus]
    python benchmarks/merge_speed.py --long 1000 2000 4000

``--long N...`` instead merges two long sources of N facts each (issue #19): one fact per
sentence of the corpus's articles concatenated, half of the second source's sentences
also in the first (reprinted), the lemmas being the lower-cased words but a few stop
words (no parse: the merge's cost depends only on the lemma sets).  Time per fact stays
flat if merging is linear.

Offline and deterministic in what it runs (fixed inputs and order, no randomness); the
counts printed beside the times (facts, groups, conflicts) are the same every run.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

from briefgen.config.profiles import find_profiles, load_profile
from briefgen.config.shared import config_dirs, load_shared
from briefgen.merge import merge
from briefgen.pipeline import BuildRequest, natural_key, read_and_extract
from briefgen.records import Document, Extraction, Fact, Source
from briefgen.select import select

CLUSTERS = ("multiling2011-M000", "multiling2011-M003", "multiling2011-M004")
SIZES = (5, 10, 20, 40)
TODAY = date(2024, 7, 9)
MIN_SAMPLE = 0.02  # s: a fast call is repeated within one sample until it takes this long


def cluster_paths(corpus: Path, name: str) -> list[str]:
    folder = corpus / "clusters" / name
    files = [p for p in folder.glob("doc*.txt") if not p.name.startswith("summary")]
    if not files:
        raise SystemExit(f"{folder}: no docN.txt articles")
    return [str(p) for p in sorted(files, key=lambda p: natural_key(p.name))]


def renamed(extraction: Extraction, new_id: str) -> Extraction:
    """The same extraction as another source (``new_id``): source, fact ids and docs."""
    old = extraction.document.source.id
    source = replace(extraction.document.source, id=new_id)
    facts = tuple(replace(f, id=new_id + f.id[len(old) :], doc=new_id) for f in extraction.facts)
    return Extraction(document=replace(extraction.document, source=source), facts=facts)


def sources_of(pool: Sequence[Extraction], n: int) -> list[Extraction]:
    """The first ``n`` of ``pool``, going round again under new ids (``doc3-r2``)."""
    out = []
    for i in range(n):
        e = pool[i % len(pool)]
        lap = i // len(pool)
        out.append(e if lap == 0 else renamed(e, f"{e.document.source.id}-r{lap + 1}"))
    return out


def distinct_pool(by_cluster: dict[str, list[Extraction]]) -> list[Extraction]:
    """The clusters' sources in turn, each under an id unique over all clusters."""
    pool = []
    for name, extractions in by_cluster.items():
        tag = name.rsplit("-", 1)[-1]  # M000
        pool.extend(renamed(e, f"{tag}-{e.document.source.id}") for e in extractions)
    return pool


def repeats(fn: Callable[[], object]) -> int:
    """How many calls one sample makes so that it lasts at least :data:`MIN_SAMPLE`."""
    n = 1
    while True:
        start = time.perf_counter()
        for _ in range(n):
            fn()
        if time.perf_counter() - start >= MIN_SAMPLE:
            return n
        n *= 2


def interleaved(calls: dict[str, Callable[[], object]], runs: int) -> dict[str, float]:
    """Median seconds per call of each, the calls interleaved run by run."""
    counts = {name: repeats(fn) for name, fn in calls.items()}  # doubles as the warm-up
    times: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(runs):
        for name, fn in calls.items():
            n = counts[name]
            start = time.perf_counter()
            for _ in range(n):
                fn()
            times[name].append((time.perf_counter() - start) / n)
    return {name: statistics.median(values) for name, values in times.items()}


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms" if seconds < 0.1 else f"{seconds * 1000:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description="briefgen merge benchmark")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    parser.add_argument("--long", type=int, nargs="+", metavar="N", help="facts per source")
    args = parser.parse_args()
    if args.long:
        long_sources(args.corpus, args.long)
        return

    dirs = config_dirs(())
    shared = load_shared(dirs)
    profiles = {pid: load_profile(pid, dirs).config for pid in sorted(find_profiles(dirs))}
    paths = {name: cluster_paths(args.corpus, name) for name in CLUSTERS}
    print(
        f"python {sys.version.split()[0]}, {len(CLUSTERS)} clusters of "
        f"{'/'.join(str(len(p)) for p in paths.values())} sources, "
        f"profiles {', '.join(profiles)}, medians of {args.runs} interleaved runs"
    )

    with tempfile.TemporaryDirectory() as folder:  # private (0700): usable as a cache
        cache_dir = Path(folder)
        by_cluster: dict[str, list[Extraction]] = {}
        calls: dict[str, Callable[[], object]] = {}
        for name, files in paths.items():
            cold = BuildRequest(tuple(files), (), (), "-", TODAY, workspace=None)
            cached = replace(cold, cache_dir=cache_dir)
            extractions, failed = read_and_extract(files, shared, cached)  # fills the cache
            if failed:
                raise SystemExit(f"failed: {failed}")
            by_cluster[name] = extractions
            story = merge(extractions, shared.publishers)
            calls[f"{name} extract cold"] = lambda f=files, r=cold: read_and_extract(f, shared, r)
            calls[f"{name} extract cached"] = lambda f=files, r=cached: read_and_extract(
                f, shared, r
            )
            calls[f"{name} merge"] = lambda e=extractions: merge(e, shared.publishers)
            for pid, profile in profiles.items():
                calls[f"{name} select {pid}"] = lambda e=extractions, p=profile, s=story: select(
                    e, p, shared.glossary, story=s
                )
        # every timing of the first table in one interleaved loop
        t = interleaved(calls, args.runs)

    print("\n## One merged job of ten sources (per cluster)\n")
    head = ["cluster", "facts", "groups", "conflicts", "extract cold", "extract cached", "merge"]
    head += [f"select {pid}" for pid in profiles]
    head += ["merge / cold", "merge / cached", "merge + selects / cold"]
    print("| " + " | ".join(head) + " |\n|" + "---|" * len(head))
    for name, extractions in by_cluster.items():
        story = merge(extractions, shared.publishers)
        cold, hit, mrg = (t[f"{name} {k}"] for k in ("extract cold", "extract cached", "merge"))
        selects = [t[f"{name} select {pid}"] for pid in profiles]
        cells = [
            name,
            str(sum(len(e.facts) for e in extractions)),
            str(len(story.groups)),
            str(len(story.conflicts)),
            ms(cold),
            ms(hit),
            ms(mrg),
            *(ms(s) for s in selects),
            f"{mrg / cold:.2%}",
            f"{mrg / hit:.2f}x",
            f"{(mrg + sum(selects)) / cold:.2%}",
        ]
        print("| " + " | ".join(cells) + " |")

    series = {
        "3 clusters in turn": distinct_pool(by_cluster),
        "M000 repeated": by_cluster[CLUSTERS[0]],
    }
    inputs = {(label, n): sources_of(pool, n) for label, pool in series.items() for n in SIZES}
    growth = interleaved(
        {
            f"{label} {n}": (lambda e=e: merge(e, shared.publishers))
            for (label, n), e in inputs.items()
        },
        args.runs,
    )
    print("\n## Merge time by number of sources\n")
    print(
        "| sources | facts | groups | origins | merge | per source | per source / at 5 "
        "| per fact |\n"
        "|---|---|---|---|---|---|---|---|"
    )
    for label in series:
        print(f"| **{label}** | | | | | | | |")
        base = growth[f"{label} {SIZES[0]}"] / SIZES[0]
        for n in SIZES:
            total = growth[f"{label} {n}"]
            facts = sum(len(e.facts) for e in inputs[(label, n)])
            story = merge(inputs[(label, n)], shared.publishers)
            print(
                f"| {n} | {facts} | {len(story.groups)} | {story.origin_count} | "
                f"{ms(total)} | {ms(total / n)} | "
                f"{total / n / base:.2f}x | {total / facts * 1e6:.0f} µs |"
            )


_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "to",
        "in",
        "on",
        "and",
        "or",
        "is",
        "are",
        "was",
        "were",
        "be",
        "it",
        "its",
        "by",
        "for",
        "at",
        "as",
        "that",
    ]
)


def long_sources(corpus: Path, sizes: Sequence[int]) -> None:
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(corpus.rglob("doc*.txt")))
    text += "\n".join(p.read_text(encoding="utf-8") for p in sorted(corpus.glob("articles/*.txt")))
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text) if len(s) > 20]
    print(f"python {sys.version.split()[0]}, two sources, one run each\n")
    print("| facts per source | groups | merge | per fact | per fact / at the first |")
    print("|---|---|---|---|---|")
    base = 0.0
    for n in sizes:
        pool = sentences * (2 * n // len(sentences) + 1)
        one, two = _source("a", pool[:n]), _source("b", pool[n // 2 : n // 2 + n])
        start = time.perf_counter()
        story = merge([one, two])
        took = time.perf_counter() - start
        base = base or took / n
        print(
            f"| {n} | {len(story.groups)} | {took:.2f} s | {took / n * 1e6:.0f} µs "
            f"| {took / n / base:.2f}x |"
        )


def _source(name: str, sentences: Sequence[str]) -> Extraction:
    facts = tuple(
        Fact(
            id=f"{name}-{n}",
            doc=name,
            start=0,
            end=len(s),
            text=s,
            kind="event",
            position=n,
            paragraph=n,
            lemmas=tuple(sorted({w for w in re.findall(r"[a-z]+", s.lower()) if w not in _STOP})),
        )
        for n, s in enumerate(sentences)
    )
    return Extraction(Document(Source(name, f"{name}.txt"), "", 0), facts)


if __name__ == "__main__":
    main()
