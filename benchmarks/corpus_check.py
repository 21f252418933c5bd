"""Run extraction over a corpus and check the fact contract on text nobody here wrote.

Checks, for every fact of every ``.txt`` document under ``--corpus`` (articles and
cluster documents; reference summaries and expected extractor outputs are skipped)
and every saved ``.html`` page (read by the HTML reader):

* the offset rule: ``source_text[fact.start:fact.end] == fact.text``, where the source
  text is what the reader produced (for a page, the extracted text);
* no fact is page furniture (a caption, byline, timestamp or "Scroll down" line).

Usage: ``python benchmarks/corpus_check.py --corpus ../shared/corpus``
Prints counts and every violation; exits 1 if there is any.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

from briefgen.config.shared import config_dirs, load_shared
from briefgen.extract.analyze import analyze
from briefgen.extract.spacy_model import load_pipeline, model_names, resolve_model
from briefgen.sources import read_source

FURNITURE = re.compile(
    r"^(By\b|PUBLISHED:|UPDATED:|Scroll down|READ MORE)|in this (photo|picture|image)|"
    r"(has|have) reached out to .* for comment",
    re.IGNORECASE,
)


def corpus_files(root: Path) -> list[Path]:
    return sorted(
        p
        for p in (*root.rglob("*.txt"), *root.rglob("*.html"))
        if not p.name.startswith("summary")
        and not p.name.endswith(".summary.txt")
        and "expected" not in p.name
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    args = parser.parse_args()
    files = corpus_files(args.corpus)
    shared = load_shared(config_dirs(()))
    nlp = load_pipeline(resolve_model(model_names()))
    started = time.perf_counter()
    docs = [shared.cleaner.clean(read_source(str(p))) for p in files]
    extractions = analyze(docs, nlp, shared.aliases)
    elapsed = time.perf_counter() - started
    facts = [(e.document, f) for e in extractions for f in e.facts]
    bad_offsets = [f for d, f in facts if d.text[f.start : f.end] != f.text]
    furniture = [f for _, f in facts if FURNITURE.search(f.text)]
    removed = sum(len(d.removed) for d in docs)
    print(f"documents {len(docs)}  facts {len(facts)}  removed lines {removed}  ({elapsed:.1f} s)")
    print(f"offset rule: {len(facts) - len(bad_offsets)}/{len(facts)} facts satisfy it")
    print(f"furniture facts: {len(furniture)}")
    pages = [d for d in docs if d.source.reader == "html"]
    print(
        f"of which HTML pages: {len(pages)} documents, "
        f"{sum(1 for d, _ in facts if d.source.reader == 'html')} facts"
    )
    for fact in [*bad_offsets, *furniture]:
        print(f"  VIOLATION {fact.id}: {fact.text[:100]!r}")
    return 1 if bad_offsets or furniture else 0


if __name__ == "__main__":
    sys.exit(main())
