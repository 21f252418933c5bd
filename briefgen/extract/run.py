"""Stage 3, extract: facts for many documents, the cache first, then one parse per
uncached document through an :class:`Executor`.

The executor is the one seam for parallel extraction: :class:`InProcess` parses with
one ``nlp.pipe`` run, :class:`LocalProcesses` splits documents over worker processes
(each inherits the loaded model).  Whichever runs, the facts are the same.  spaCy
is imported only when at least one document misses the cache.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Protocol

from briefgen.config.shared import SharedConfig
from briefgen.extract.cache import ExtractionCache
from briefgen.processes import die_with_parent
from briefgen.records import Document, Extraction

if TYPE_CHECKING:
    from spacy.language import Language


class Executor(Protocol):
    """Runs analyze + classify over documents; returns extractions in their order."""

    def run(
        self, documents: Sequence[Document], shared: SharedConfig, model: str
    ) -> list[Extraction]: ...


class InProcess:
    """Everything in this process, one ``nlp.pipe`` run."""

    def run(
        self, documents: Sequence[Document], shared: SharedConfig, model: str
    ) -> list[Extraction]:
        return analyze_documents(documents, shared, model)


class LocalProcesses:
    """Forked worker processes on this machine (``--jobs N``)."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs

    def run(
        self, documents: Sequence[Document], shared: SharedConfig, model: str
    ) -> list[Extraction]:
        jobs = max(1, min(self.jobs, len(documents)))
        if jobs == 1 or _is_daemon():  # a daemonic process may not have children
            return analyze_documents(documents, shared, model)
        return _parse_in_workers(list(documents), shared, model, jobs)


def local_executor(jobs: int) -> Executor:
    """The executor for ``--jobs``: in this process for 1, worker processes above."""
    return InProcess() if jobs <= 1 else LocalProcesses(jobs)


def extract_facts(
    documents: Sequence[Document],
    shared: SharedConfig,
    model: str,
    cache: ExtractionCache | None = None,
    executor: Executor | int = 1,
) -> list[Extraction]:
    """Extractions of ``documents`` in their order, from the cache where possible.

    ``executor`` runs the parsing (an int means :func:`local_executor` of that many jobs).
    """
    if isinstance(executor, int):
        executor = local_executor(executor)
    found = [cache.get(d) if cache else None for d in documents]
    todo = [d for d, hit in zip(documents, found, strict=True) if hit is None]
    fresh = iter(executor.run(todo, shared, model) if todo else [])
    out: list[Extraction] = []
    for hit in found:
        if hit is None:
            hit = next(fresh)
            if cache is not None:
                cache.put(hit)
        out.append(hit)
    return out


def _is_daemon() -> bool:
    from multiprocessing import current_process

    return bool(current_process().daemon)


def _parse_in_workers(
    documents: list[Document], shared: SharedConfig, model: str, jobs: int
) -> list[Extraction]:
    # Load the model before forking: workers inherit it (copy-on-write) instead of each
    # paying spaCy's import and model load, which would eat most of the gain.
    _warm_up(model)
    # One document per task, longest first: a worker that finishes early takes the
    # next one, so neither core idles at the end behind one long article.
    from concurrent.futures import ProcessPoolExecutor  # only here: ~10 ms to import
    from multiprocessing import get_context

    order = sorted(range(len(documents)), key=lambda i: -len(documents[i].text))
    # Frozen objects are left out of garbage collection: a worker's collector would
    # otherwise write to every inherited object of the model, copying its pages
    # (measured: 1.73x -> 1.90x with 2 workers on 2 cores).
    gc.freeze()
    try:
        with ProcessPoolExecutor(
            jobs,
            mp_context=get_context("fork"),
            initializer=_worker_init,
            initargs=(shared, model, os.getpid()),  # inherited through fork, not pickled
        ) as pool:
            done = pool.map(_analyze_one, [documents[i] for i in order])
            merged: dict[int, Extraction] = dict(zip(order, done, strict=True))
    finally:
        gc.unfreeze()
    return [merged[i] for i in range(len(documents))]


def _warm_up(model: str) -> None:
    import briefgen.extract.analyze  # noqa: F401  (imports spaCy, dateparser and the extractors)
    from briefgen.extract.spacy_model import load_pipeline

    load_pipeline(model)


_worker_config: tuple[SharedConfig, str] | None = None


def _worker_init(shared: SharedConfig, model: str, parent_pid: int) -> None:
    """Keep the run's config in the worker. Workers already use every core between
    them, so extra BLAS threads inside each would oversubscribe the machine."""
    global _worker_config
    die_with_parent(parent_pid)
    _worker_config = (shared, model)
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = "1"


def _analyze_one(document: Document) -> Extraction:
    assert _worker_config is not None, "called outside a worker"
    return analyze_documents([document], *_worker_config)[0]


def analyze_documents(
    documents: Sequence[Document], shared: SharedConfig, model: str, nlp: Language | None = None
) -> list[Extraction]:
    """Analyze and classify ``documents`` in this process (one ``nlp.pipe`` run), with
    ``nlp`` when given (an executor's own copy), else this process's ``model``."""
    from briefgen.extract.analyze import analyze
    from briefgen.extract.classify import classify
    from briefgen.extract.spacy_model import load_pipeline

    extractions = analyze(
        list(documents), nlp if nlp is not None else load_pipeline(model), shared.aliases
    )
    return [replace(e, facts=classify(e.facts, shared.taxonomy)) for e in extractions]
