"""Builders and runners for tests (builders, not fixtures-of-fixtures)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from pypdf import PdfReader

from briefgen.cli import main
from briefgen.config.shared import SharedConfig
from briefgen.records import Extraction
from briefgen.render.pdf_worker import ENV as PDF_WORKER_ENV
from briefgen.resources import bundled_seeds

SEED = bundled_seeds()[0]
TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
SAMPLES = TESTS / "samples"
GOLDEN = TESTS / "golden"


def seed_body() -> str:
    """The bundled seed's text as received (what follows its front matter)."""
    from briefgen.sources import read_source

    doc = read_source(str(SEED))
    return doc.text[doc.body_start :]


def extract_paths(
    paths: list[str], shared: SharedConfig, **request: Any
) -> tuple[list[Extraction], list[str]]:
    """Read, clean and extract ``paths`` as a run would, with ``request``'s fields
    (``cache_dir``, ``jobs``...); returns the extractions and the failed paths."""
    from briefgen.pipeline import BuildRequest, read_and_extract

    fields = {"workspace": None, **request}
    return read_and_extract(
        paths, shared, BuildRequest(tuple(paths), (), (), "-", date.today(), **fields)
    )


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str
    raw: bytes


def run_cli(*args: str, stdin: bytes | None = None, cwd: Path | None = None) -> Run:
    """Run ``briefgen ARGS`` in-process (the spaCy model stays loaded between runs).

    PDFs are laid out in this process, as for any caller that has spaCy loaded
    already; real processes (:func:`run_process`) use the layout worker.
    """
    old = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    saved = os.environ.get(PDF_WORKER_ENV)
    os.environ[PDF_WORKER_ENV] = "0"
    try:
        with CliRunner().isolation(input=stdin) as (out, err, _):
            code = 0
            try:
                main(list(args))
            except SystemExit as exc:
                code = int(exc.code or 0)
            raw = out.getvalue()
            return Run(code, raw.decode("utf-8", "replace"), err.getvalue().decode(), raw)
    finally:
        os.chdir(old)
        if saved is None:
            del os.environ[PDF_WORKER_ENV]
        else:
            os.environ[PDF_WORKER_ENV] = saved


def run_process(
    *args: str, cwd: Path, stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Run the installed ``briefgen`` console script in a real process."""
    exe = Path(sys.executable).with_name("briefgen")
    return subprocess.run([str(exe), *args], cwd=cwd, input=stdin, capture_output=True, timeout=300)


def unbudgeted_configs(folder: Path) -> Path:
    """A config folder whose nato, eu and public profiles are the built-ins without a
    word budget: for tests of wording and layout that need the whole selection."""
    audiences = folder / "audiences"
    audiences.mkdir(parents=True, exist_ok=True)
    for name in ("nato", "eu", "public"):
        (audiences / f"{name}.yaml").write_text(
            f"extends: {name}\nbudget:\n  share: 1.0\n  max_words: 100000\n", encoding="utf-8"
        )
    return folder


def write_article(folder: Path, name: str, body: str, **front: str) -> Path:
    """Write a source file with optional front matter and return its path."""
    head = "".join(f"{k}: {v}\n" for k, v in front.items())
    text = f"---\n{head}---\n{body}" if front else body
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def pdf_objects(pdf: bytes) -> list[Any]:
    """Every object of a PDF, decoded: WeasyPrint compresses dictionaries into object
    streams, so searching the raw bytes for ``/URI`` or ``/EmbeddedFile`` finds nothing."""
    reader = PdfReader(io.BytesIO(pdf))
    out = []
    for idnum in range(1, int(reader.trailer["/Size"])):
        try:
            out.append(reader.get_object(idnum))
        except Exception:  # a free entry of the cross-reference table
            continue
    return out
