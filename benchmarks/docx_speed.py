"""What a DOCX brief costs next to the Markdown and HTML of the same brief.

    python benchmarks/docx_speed.py [--runs 30]

Renders the bundled seed's brief for each built-in audience in md, html and docx,
the runs interleaved, and prints the median milliseconds per brief and the ratio
to HTML (the DOCX is built from the HTML brief). Machines here are shared: compare
the ratios within one run.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date

from briefgen.config.profiles import load_profile
from briefgen.config.shared import config_dirs, load_shared
from briefgen.pipeline import read_and_extract
from briefgen.render import RenderOptions, load_renderers
from briefgen.resources import bundled_seeds
from briefgen.select import select

TODAY = date(2024, 7, 9)
FORMATS = ("md", "html", "docx")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    runs = parser.parse_args().runs
    dirs = config_dirs(())
    shared = load_shared(dirs)
    extractions, _ = read_and_extract([str(bundled_seeds()[0])], shared)
    glossary = {term: t.expansion for term, t in shared.glossary.terms.items()}
    renderers = load_renderers(list(FORMATS))
    times: dict[str, list[float]] = {f: [] for f in FORMATS}
    for audience in ("nato", "eu", "public"):
        loaded = load_profile(audience, dirs)
        brief = select(extractions, loaded.config, shared.glossary, TODAY, None, shared.publishers)
        for _ in range(runs):
            for fmt, renderer in renderers.items():
                options = RenderOptions(
                    loaded.config, (), glossary, TODAY, lineage=loaded.audiences
                )  # a fresh one per brief, as a run makes: nothing shared between runs
                start = time.perf_counter()
                renderer.render(brief, options)
                times[fmt].append(time.perf_counter() - start)
    html = statistics.median(times["html"])
    print("| format | median ms per brief | / html |")
    print("|---|---|---|")
    for fmt in FORMATS:
        median = statistics.median(times[fmt])
        print(f"| {fmt} | {median * 1000:.1f} | {median / html:.2f}× |")


if __name__ == "__main__":
    main()
