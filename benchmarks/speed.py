"""Speed benchmark: briefgen against the cost of spaCy and WeasyPrint themselves.

Prints a table of medians and ratios, all measured side by side in one run with the
runs interleaved (machines here are shared and noisy: compare ratios, not times).

    python benchmarks/speed.py [--runs 5] [--corpus ../shared/corpus] [--only many ...]

``--only`` runs some sections (whole, many, stages, compare, scale, long): on a busy machine,
rerun the one whose figures another job disturbed.  ``--corpus`` may be any folder of ``.txt`` files
(e.g. ``../shared/corpus/clusters``: 32 articles, about the size of the 30-document
corpus of the earlier recorded runs).

Measures:
  * whole process: `briefgen --audience nato` (md+pdf, no cache) vs a bare script doing
    the same imports, model load, parse and one WeasyPrint render of the same HTML,
    with and without the PDF layout process (BRIEFGEN_PDF_WORKER=0);
  * re-render from the cache (md) vs a cold md run;
  * `--audience all` vs one audience (md only): extraction must not repeat per audience;
  * many sources: briefgen's in-process extraction vs bare `nlp.pipe` on the same texts;
    the extraction stage with 2 worker processes vs 1, next to bare `nlp.pipe` split over
    2 forked processes (what the machine gives spaCy itself); `--jobs 2` vs `--jobs 1`
    whole-process;
  * peak memory of `-a all -f md,html,pdf,json` (the sum over the process and its layout
    worker, sampled), and in-process stage timings;
  * the compare page against the HTML briefs of the same job, on the seed and on a text 4x
    as long, and what the cited passages add to HTML and PDF briefs.
  * scale: whole-process `-j 2` vs `-j 1` for `-a all -f md,pdf` over the dev articles
    (orders alternating), extraction through the `--jobs` workers vs bare `nlp.pipe` split
    over 2 processes, and peak RSS for 100 and 1,000 sources made at run time from the
    corpus (``--scale`` sets the counts).
  * long inputs (``--only long``, not run by default: ~20 minutes with ``--runs 1``): one
    source of 1, 3, 4 and 9 MB of news, and 1 MB without sentence punctuation, time and
    peak RSS.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from briefgen.resources import bundled_seeds

SEED = bundled_seeds()[0]
BRIEFGEN = str(Path(sys.executable).with_name("briefgen"))

BARE = """
import sys, spacy, weasyprint
nlp = spacy.load(sys.argv[1])
nlp(open(sys.argv[2], encoding="utf-8").read())
html = open(sys.argv[3], encoding="utf-8").read()
open(sys.argv[4], "wb").write(weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/ua-1"))
"""


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall time (s) and peak RSS (MiB) of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        raise SystemExit(
            f"failed: {' '.join(cmd)}: {proc.stderr.read().decode() if proc.stderr else ''}"
        )
    return elapsed, usage.ru_maxrss // 1024


def tree_peak_rss(cmd: list[str], env: dict[str, str]) -> int:
    """Peak of the summed RSS (MiB) of a process and its children, sampled every 5 ms.

    ``wait4`` reports the largest single process; with the PDF layout worker running
    beside the main process, the sum is what the machine must hold.
    """
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, sum(_rss_kib(pid) for pid in _tree(proc.pid)))
        time.sleep(0.005)
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return peak // 1024


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def _rss_kib(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
    return int(match.group(1)) if match else 0


def interleaved(
    commands: dict[str, list[str]], env: dict[str, str], runs: int
) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, cmd in commands.items():
            times[name].append(run(cmd, env)[0])
    return times


def median(values: list[float]) -> float:
    return statistics.median(values)


def row(label: str, value: str, note: str = "") -> None:
    print(f"| {label} | {value} | {note} |")


def whole_process(tmp: Path, env: dict[str, str], runs: int) -> None:
    from briefgen.extract.spacy_model import model_names, resolve_model

    html = tmp / "nato.html"
    subprocess.run(
        [BRIEFGEN, "-a", "nato", "-f", "html", "-o", "-"],
        env=env,
        check=True,
        stdout=html.open("wb"),
    )
    model = resolve_model(model_names())
    out = str(tmp / "out")
    commands = {
        "briefgen": [BRIEFGEN, "-a", "nato", "--no-cache", "-o", out],
        "briefgen, no layout worker": [
            "env",
            "BRIEFGEN_PDF_WORKER=0",
            BRIEFGEN,
            "-a",
            "nato",
            "--no-cache",
            "-o",
            out,
        ],
        "bare": [sys.executable, "-c", BARE, model, str(SEED), str(html), str(tmp / "bare.pdf")],
        "python -c pass": [sys.executable, "-c", "pass"],
        "md cold": [BRIEFGEN, "-a", "nato", "-f", "md", "--no-cache", "-o", out],
        "md cached": [BRIEFGEN, "-a", "nato", "-f", "md", "-o", out],
        "md all audiences": [BRIEFGEN, "-a", "all", "-f", "md", "--no-cache", "-o", out],
        "--list-audiences": [BRIEFGEN, "--list-audiences"],
    }
    run(commands["md cached"], env)  # fill the cache
    t = {k: median(v) for k, v in interleaved(commands, env, runs).items()}
    for name, value in t.items():
        row(f"{name} (median of {runs})", f"{value:.3f} s")
    row(
        "briefgen nato md+pdf / bare script", f"{t['briefgen'] / t['bare']:.2f}x", "target <= 1.10x"
    )
    row(
        "... without the layout worker / bare script",
        f"{t['briefgen, no layout worker'] / t['bare']:.2f}x",
        "our own overhead on one core",
    )
    row("md cold / md from cache", f"{t['md cold'] / t['md cached']:.2f}x", "target >= 5x")
    row(
        "md all audiences / md one audience",
        f"{t['md all audiences'] / t['md cold']:.2f}x",
        "one parse per source",
    )
    every = [BRIEFGEN, "-a", "all", "-f", "md,html,pdf,json", "--no-cache", "-o", out]
    _, largest = run(every, env)
    total = max(tree_peak_rss(every, env) for _ in range(3))
    row(
        "peak RSS, -a all -f md,html,pdf,json",
        f"{total} MiB (main + layout worker); largest process {largest} MiB",
        "target <= 300 MiB",
    )


def corpus_texts(corpus: Path | None) -> list[Path]:
    if corpus and corpus.is_dir():
        files = [
            p
            for p in sorted(corpus.rglob("*.txt"))
            if "summary" not in p.name and "expected" not in p.name
        ]
        if files:
            return files
    return [SEED] * 20


def many_sources(tmp: Path, env: dict[str, str], runs: int, corpus: Path | None) -> None:
    files = corpus_texts(corpus)
    _in_process_throughput([str(p) for p in files], runs)
    # whole process: start-up and the model load (~1.2 s) are serial whatever --jobs
    # says, so the ratio grows with the input; measured on the corpus once and 3 times
    for repeat in (1, 3):
        copies = []
        for i, path in enumerate(files * repeat):  # unique names: one folder per source
            copy = tmp / "many" / f"{i:03d}-{path.name}"
            copy.parent.mkdir(exist_ok=True)
            copy.write_bytes(path.read_bytes())
            copies.append(str(copy))
        out = str(tmp / "many-out")
        base = [BRIEFGEN, "-a", "nato", "-f", "json", "--no-cache", "-o", out]
        commands = {"jobs 1": [*base, "-j", "1", *copies], "jobs 2": [*base, "-j", "2", *copies]}
        t = {k: median(v) for k, v in interleaved(commands, env, runs).items()}
        row(
            f"{len(copies)} sources, whole process, --jobs 1 / --jobs 2",
            f"{t['jobs 1'] / t['jobs 2']:.2f}x",
            f"{t['jobs 1']:.2f} s vs {t['jobs 2']:.2f} s",
        )


def _in_process_throughput(paths: list[str], runs: int) -> None:
    from briefgen.config.shared import config_dirs, load_shared
    from briefgen.extract.run import analyze_documents, extract_facts
    from briefgen.extract.spacy_model import load_pipeline, model_names, resolve_model
    from briefgen.pipeline import clean
    from briefgen.sources import read_source

    shared = load_shared(config_dirs(()))
    model = resolve_model(model_names())
    nlp = load_pipeline(model)
    docs = [clean(read_source(p), shared) for p in paths]
    texts = [d.text[p.start : p.end] for d in docs for p in d.paragraphs]
    words = sum(len(t.split()) for t in texts)
    pair = interleaved_calls(
        {
            "bare": lambda: list(nlp.pipe(texts)),
            "ours": lambda: analyze_documents(docs, shared, model),
        },
        runs,
    )
    bare, ours = pair["bare"], pair["ours"]
    row(f"bare nlp.pipe, {len(docs)} docs ({words} words)", f"{words / bare:.0f} words/s")
    row(
        "briefgen extraction (parse + facts)",
        f"{words / ours:.0f} words/s",
        f"{bare / ours:.2f}x bare (target >= 0.9x)",
    )
    # the stage --jobs parallelises, model already loaded (as when the CLI forks)
    times = interleaved_calls(
        {
            "bare 1": lambda: list(nlp.pipe(texts)),
            "bare 2": lambda: _bare_pipe_in_2(nlp, texts),
            "ours 1": lambda: extract_facts(docs, shared, model, None, 1),
            "ours 2": lambda: extract_facts(docs, shared, model, None, 2),
        },
        runs,
    )
    row(
        "bare nlp.pipe, 2 forked processes / 1",
        f"{times['bare 1'] / times['bare 2']:.2f}x",
        f"{words / times['bare 2']:.0f} words/s: what this machine gives spaCy itself",
    )
    row(
        "briefgen extraction, 2 workers / 1",
        f"{times['ours 1'] / times['ours 2']:.2f}x",
        f"target >= 1.7x ({words / times['ours 2']:.0f} words/s)",
    )


def interleaved_calls(calls: dict[str, Callable[[], object]], runs: int) -> dict[str, float]:
    """Median time of each call, the calls interleaved run by run (after one warm-up)."""
    times: dict[str, list[float]] = {name: [] for name in calls}
    for fn in calls.values():
        fn()
    for _ in range(runs):
        for name, fn in calls.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: median(values) for name, values in times.items()}


_pipe_nlp: object = None


def _pipe_part(texts: list[str]) -> int:
    return sum(1 for _ in _pipe_nlp.pipe(texts))  # type: ignore[attr-defined]


def _bare_pipe_in_2(nlp: object, texts: list[str]) -> None:
    """nlp.pipe over the texts split in two forked processes (model inherited)."""
    from multiprocessing import get_context

    global _pipe_nlp
    _pipe_nlp = nlp
    with get_context("fork").Pool(2) as pool:
        pool.map(_pipe_part, [texts[0::2], texts[1::2]])


def best(fn: Callable[[], object], runs: int) -> float:
    values = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        values.append(time.perf_counter() - start)
    return median(values)


def stages(runs: int) -> None:
    """In-process stage timings on the seed (model already loaded: steady state)."""
    from dataclasses import replace
    from datetime import date

    from briefgen.config.profiles import load_profile
    from briefgen.config.shared import config_dirs, load_shared
    from briefgen.extract.run import analyze_documents
    from briefgen.extract.spacy_model import model_names, resolve_model
    from briefgen.pipeline import clean
    from briefgen.render import RenderOptions, load_renderers
    from briefgen.select import select
    from briefgen.sources import read_source

    dirs = config_dirs(())
    shared = load_shared(dirs)
    model = resolve_model(model_names())
    profile = load_profile("nato", dirs).config
    glossary = {k: t.expansion for k, t in shared.glossary.terms.items()}
    options = RenderOptions(profile, (), glossary, date(2024, 7, 9))
    renderers = load_renderers(["md", "html", "pdf"])
    docs = [clean(read_source(str(SEED)), shared)]
    extraction = analyze_documents(docs, shared, model)[0]  # warm: model loaded
    brief = select([extraction], profile, shared.glossary)
    steps: dict[str, Callable[[], object]] = {
        "load + clean": lambda: [clean(read_source(str(SEED)), shared)],
        "analyze + classify": lambda: analyze_documents(docs, shared, model),
        "select": lambda: select([extraction], profile, shared.glossary),
        # fresh options each call: they memoise the context and Markdown body per brief
        # (shared by a run's formats), which a repeated render would otherwise only look up
        **{
            f"render {n}": (lambda r=r: r.render(brief, replace(options, memo={})))
            for n, r in renderers.items()
        },
    }
    for name, step in steps.items():
        row(f"stage: {name}", f"{best(step, runs) * 1000:.1f} ms")


def compare_whole(tmp: Path, env: dict[str, str], runs: int) -> None:
    """What ``-f compare`` adds to a whole run of every audience (extraction cached, so
    the rendering is what differs)."""
    out = str(tmp / "compare-out")
    commands = {
        "md": [BRIEFGEN, "-a", "all", "-f", "md", "-o", out],
        "md,compare": [BRIEFGEN, "-a", "all", "-f", "md,compare", "-o", out],
    }
    run(commands["md"], env)  # fill the cache
    t = {k: median(v) for k, v in interleaved(commands, env, runs).items()}
    row(
        "-a all -f md,compare / -f md (cached, whole process)",
        f"{t['md,compare'] / t['md']:.2f}x",
        f"{t['md']:.2f} s vs {t['md,compare']:.2f} s",
    )


def compare_cost(tmp: Path, runs: int) -> None:
    """The compare page and the cited passages, in-process (model loaded), on the seed:
    the page of three audiences next to their three HTML briefs; the page of texts 4x and
    16x as long (linear: 16x costs ~4x what 4x does); and HTML and PDF briefs with the cited
    passages next to the same template without them."""
    from dataclasses import replace
    from datetime import date

    from briefgen.config.profiles import load_profile
    from briefgen.config.shared import config_dirs, load_shared
    from briefgen.extract.run import analyze_documents
    from briefgen.extract.spacy_model import model_names, resolve_model
    from briefgen.pipeline import clean
    from briefgen.records import Brief
    from briefgen.render import RenderOptions
    from briefgen.render.compare import CompareRenderer
    from briefgen.render.html import HtmlRenderer
    from briefgen.render.pdf import PdfRenderer
    from briefgen.select import select
    from briefgen.sources import read_source

    dirs = config_dirs(())
    shared = load_shared(dirs)
    model = resolve_model(model_names())
    glossary = {k: t.expansion for k, t in shared.glossary.terms.items()}
    profiles = [load_profile(a, dirs).config for a in ("nato", "eu", "public")]
    body = SEED.read_text(encoding="utf-8").split("---", 2)[2]
    long, longer_still = tmp / "long.txt", tmp / "longer.txt"
    long.write_text("".join(f"{body}\n" for _ in range(4)), encoding="utf-8")
    longer_still.write_text("".join(f"{body}\n" for _ in range(16)), encoding="utf-8")
    bare = tmp / "no-passages"
    bare.mkdir()  # the same HTML page without its cited passages
    (bare / "brief.html.j2").write_text(
        '{% extends "base.html.j2" %}{% block passages %}{% endblock %}', encoding="utf-8"
    )

    def job(path: Path, folders: tuple[Path, ...] = ()) -> list[tuple[Brief, RenderOptions]]:
        docs = [clean(read_source(str(path)), shared)]
        extraction = analyze_documents(docs, shared, model)[0]
        return [
            (
                select([extraction], p, shared.glossary),
                RenderOptions(p, folders, glossary, date(2024, 7, 9)),
            )
            for p in profiles
        ]

    def fresh(pairs: list[tuple[Brief, RenderOptions]]) -> list[tuple[Brief, RenderOptions]]:
        return [(b, replace(o, memo={})) for b, o in pairs]  # nothing memoised between runs

    seed, longer, longest, without = job(SEED), job(long), job(longer_still), job(SEED, (bare,))
    compare, html, pdf = CompareRenderer(), HtmlRenderer(), PdfRenderer()
    calls: dict[str, Callable[[], object]] = {
        "compare, seed": lambda: compare.render_job(fresh(seed)),
        "compare, 4x text": lambda: compare.render_job(fresh(longer)),
        "compare, 16x text": lambda: compare.render_job(fresh(longest)),
        "3 html": lambda: [html.render(b, o) for b, o in fresh(seed)],
        "3 html, no passages": lambda: [html.render(b, o) for b, o in fresh(without)],
        "nato pdf": lambda: pdf.render(*fresh(seed)[0]),
        "nato pdf, no passages": lambda: pdf.render(*fresh(without)[0]),
    }
    t = interleaved_calls(calls, runs)
    for name, value in t.items():
        row(f"render {name} (median of {runs})", f"{value * 1000:.1f} ms")
    row(
        "compare page / the 3 HTML briefs",
        f"{t['compare, seed'] / t['3 html']:.2f}x",
        "one page of 3 audiences",
    )
    row(
        "compare, 16x text / 4x",
        f"{t['compare, 16x text'] / t['compare, 4x text']:.2f}x",
        "linear: ~4x once fixed costs are small",
    )
    row(
        "compare, 4x text / seed",
        f"{t['compare, 4x text'] / t['compare, seed']:.2f}x",
        "linear: <= 4x",
    )
    row("html with / without cited passages", f"{t['3 html'] / t['3 html, no passages']:.2f}x")
    row("pdf with / without cited passages", f"{t['nato pdf'] / t['nato pdf, no passages']:.2f}x")


# --- corpus scale (issue 19): bounded memory, --jobs over parsing and PDF layout ------


def rotated_sources(folder: Path, count: int, corpus: Path | None) -> Path:
    """``count`` sources in ``folder``, made at run time from the real corpus articles:
    article ``i % n`` with its body paragraphs rotated by ``i // n`` (the headline
    stays first), so no two sources are the same text. Nothing is committed."""
    texts = [p.read_text(encoding="utf-8") for p in corpus_texts(corpus)]
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        head, _, body = texts[i % len(texts)].partition("\n")
        paragraphs = [p for p in re.split(r"\n\s*\n", body) if p.strip()] or [body]
        turn = (i // len(texts)) % len(paragraphs)
        text = "\n\n".join([head, *paragraphs[turn:], *paragraphs[:turn]]) + "\n"
        (folder / f"{i:04d}.txt").write_text(text, encoding="utf-8")
    return folder


def run_with_cpu(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time and CPU time (user + sys of the process and the children it waited
    for) of one run: the CPU time does not depend on what else the machine runs."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def memory_scale(tmp: Path, env: dict[str, str], corpus: Path | None, counts: list[int]) -> None:
    """Peak RSS (the process and its children, summed) over many sources, -j 1."""
    peaks = {}
    for count in counts:
        folder = rotated_sources(tmp / f"scale-{count}", count, corpus)
        out = str(tmp / f"scale-out-{count}")
        cmd = [BRIEFGEN, "-q", "-a", "nato", "-f", "md", "--no-cache", "-o", out, str(folder)]
        start = time.perf_counter()
        peaks[count] = tree_peak_rss(cmd, env)
        row(
            f"peak RSS, {count} sources (-a nato -f md, -j 1)",
            f"{peaks[count]} MiB",
            f"{time.perf_counter() - start:.0f} s; load {load_average()}",
        )
    low, high = min(counts), max(counts)
    row(
        f"peak RSS {high} / {low} sources",
        f"{peaks[high] / peaks[low]:.2f}x",
        "target <= 1.2x",
    )


def jobs_scale(tmp: Path, env: dict[str, str], runs: int, articles: Path) -> None:
    """Whole process -j 2 vs -j 1, `-a all -f md,pdf` over the dev articles (their
    summaries left out), the two orders alternating run by run."""
    out = str(tmp / "jobs-out")
    base = [BRIEFGEN, "-q", "-a", "all", "-f", "md,pdf", "--no-cache", "-o", out]
    base += ["--exclude", "*.summary.txt", str(articles)]
    commands = {"j1": [*base, "-j", "1"], "j2": [*base, "-j", "2"]}
    times: dict[str, list[float]] = {"j1": [], "j2": []}
    cpu: dict[str, list[float]] = {"j1": [], "j2": []}
    loads = [load_average()]
    for n in range(runs):
        for name in ("j1", "j2") if n % 2 == 0 else ("j2", "j1"):
            wall, seconds = run_with_cpu(commands[name], env)
            times[name].append(wall)
            cpu[name].append(seconds)
        loads.append(load_average())
    row(
        "CPU time (user + sys, with the workers) -j 2 / -j 1",
        f"{median(cpu['j2']) / median(cpu['j1']):.2f}x",
        f"what running in 2 processes adds ({median(cpu['j1']):.1f} s vs "
        f"{median(cpu['j2']):.1f} s): each worker loads spaCy and WeasyPrint",
    )
    pairs = [one / two for one, two in zip(times["j1"], times["j2"], strict=True)]
    row(
        f"whole process -j 1 / -j 2, -a all -f md,pdf, {articles.name} (median of {runs})",
        f"{median(times['j1']) / median(times['j2']):.2f}x",
        f"target >= 1.7x; {median(times['j1']):.1f} s vs {median(times['j2']):.1f} s; "
        f"run pairs {', '.join(f'{r:.2f}' for r in pairs)}; load {' / '.join(loads)}",
    )


def extraction_split(runs: int, corpus: Path | None) -> None:
    """Extraction through briefgen's --jobs workers vs bare nlp.pipe, both split over
    2 forked processes with the model loaded before the fork."""
    from datetime import date

    from briefgen.config.shared import config_dirs, load_shared
    from briefgen.extract.spacy_model import load_pipeline, model_names, resolve_model
    from briefgen.pipeline import BuildRequest, Failures, SourceRef, clean, configure
    from briefgen.runner import Work, extract_task, workers
    from briefgen.sources import read_source

    paths = [str(p) for p in corpus_texts(corpus)]
    shared = load_shared(config_dirs(()))
    model = resolve_model(model_names())
    nlp = load_pipeline(model)
    docs = [clean(read_source(p), shared) for p in paths]
    texts = [d.text[p.start : p.end] for d in docs for p in d.paragraphs]
    request = BuildRequest(tuple(paths), ("nato",), (), "-", date(2024, 7, 9), workspace=None)
    setup = configure(request, print)
    work = Work(setup, request, model, None, Failures(True, 2, print).keep_going)
    refs = [SourceRef(p, f"s{i}") for i, p in enumerate(paths)]

    def ours() -> None:
        with workers(work, 2) as pool:
            for future in [pool.submit(extract_task, ref) for ref in refs]:
                future.result()

    times = interleaved_calls({"bare 2": lambda: _bare_pipe_in_2(nlp, texts), "ours 2": ours}, runs)
    row(
        "briefgen --jobs 2 extraction / bare nlp.pipe over 2 processes",
        f"{times['bare 2'] / times['ours 2']:.2f}x",
        f"target >= 0.9x ({len(paths)} sources, "
        f"{times['ours 2']:.2f} s vs {times['bare 2']:.2f} s)",
    )


LONG_SIZES_MB = (1, 3, 4, 9)


def long_inputs(tmp: Path, env: dict[str, str], corpus: Path | None, runs: int) -> None:
    """One long source, made at run time by concatenating the corpus's articles (never
    stored): time and peak RSS at 1, 3, 4 and 9 MB; 1 MB with its sentence punctuation
    removed, and one phrase repeated to 1 MB without any.  Each input once, then 1 and
    4 MB (the ratio's two ends) again, interleaved, up to ``runs`` times each: the best
    run of each counts (minutes apiece; read the ratios, not the times)."""
    texts = [p.read_text(encoding="utf-8").strip() for p in corpus_texts(corpus)]
    inputs = {f"{mb} MB": long_text(texts, mb * 1_000_000) for mb in LONG_SIZES_MB}
    # [.!?…] gone: every piece of the text is one run without a sentence end
    inputs["1 MB, no sentence punctuation"] = re.sub(r"[.!?…]", "", inputs["1 MB"])
    phrase = "the committee approved the plan on monday and officials said troops crossed "
    inputs["1 MB, one phrase repeated"] = (phrase * (1_000_000 // len(phrase) + 1))[:1_000_000]
    first = ("1 MB", "1 MB, no sentence punctuation", "1 MB, one phrase repeated")
    order = list(dict.fromkeys((*first, *inputs)))
    order += ["1 MB", "4 MB"] * (runs - 1)
    found: dict[str, list[tuple[float, float, int]]] = {}
    for name in order:
        path = tmp / "long.txt"
        path.write_text(inputs[name], encoding="utf-8")
        size = str(path.stat().st_size + 1)
        out = str(tmp / "long-out")
        cmd = [BRIEFGEN, "-a", "nato", "-f", "md", "--no-cache", "--max-size", size, "-o", out]
        found.setdefault(name, []).append(cpu_run([*cmd, str(path)], env))
    best = {name: min(results, key=lambda r: r[1]) for name, results in found.items()}
    for name in dict.fromkeys(order):
        wall, cpu, peak = best[name]
        per_mb = cpu / (len(inputs[name].encode()) / 1e6)
        row(
            f"long source, {name} (best of {len(found[name])})",
            f"{wall:.1f} s wall, {cpu:.1f} s CPU, {peak} MiB",
            f"{per_mb:.1f} s CPU per MB; all CPU: " + ", ".join(f"{r[1]:.1f}" for r in found[name]),
        )
    (w1, c1, m1), (w4, c4, m4) = best["1 MB"], best["4 MB"]
    row("4 MB / 1 MB, time", f"{w4 / w1:.2f}x wall, {c4 / c1:.2f}x CPU", "target <= 4.6x")
    row("4 MB / 1 MB, peak RSS", f"{m4 / m1:.2f}x", "target <= 1.5x")
    for name in first[1:]:
        row(f"{name} / 1 MB, time", f"{best[name][1] / c1:.2f}x CPU", "target <= 2x")


def cpu_run(cmd: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Wall time (s), CPU time (s: user + system, what the process itself spent, less
    disturbed than wall time by other jobs on a shared machine) and peak RSS (MiB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}")
    wall = time.perf_counter() - start
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024


def long_text(texts: list[str], size: int) -> str:
    """Articles one after another, a blank line between, until ``size`` bytes."""
    out: list[str] = []
    total = 0
    while total < size:
        out.append(texts[len(out) % len(texts)])
        total += len(out[-1].encode()) + 2
    return "\n\n".join(out) + "\n"


SECTIONS = ("whole", "many", "stages", "compare", "scale", "long")
DEFAULT_SECTIONS = ("whole", "many", "stages", "compare", "scale")


def main() -> None:
    parser = argparse.ArgumentParser(description="briefgen speed benchmark")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    parser.add_argument(
        "--only",
        nargs="+",
        choices=SECTIONS,
        default=list(DEFAULT_SECTIONS),
        help="sections to run",
    )
    parser.add_argument(
        "--scale", nargs="+", type=int, default=[100, 1000], help="source counts for peak RSS"
    )
    args = parser.parse_args()
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1720483200"}
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        env["XDG_CACHE_HOME"] = str(tmp / "cache")
        print(
            f"python {sys.version.split()[0]}, {os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}"
        )
        print("| measure | value | note |\n|---|---|---|")
        if "whole" in args.only:
            whole_process(tmp, env, args.runs)
        if "many" in args.only:
            many_sources(tmp, env, args.runs, args.corpus)
        if "stages" in args.only:
            stages(args.runs)
        if "compare" in args.only:
            compare_whole(tmp, env, args.runs)
            compare_cost(tmp, args.runs)
        if "scale" in args.only:
            print(f"| load average at the start | {load_average()} | shared machine |")
            jobs_scale(tmp, env, args.runs, args.corpus / "articles")
            extraction_split(args.runs, args.corpus / "articles")
            memory_scale(tmp, env, args.corpus, args.scale)
        if "long" in args.only:
            long_inputs(tmp, env, args.corpus, args.runs)


if __name__ == "__main__":
    main()
