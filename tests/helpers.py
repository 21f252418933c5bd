"""Builders and runners for tests (builders, not fixtures-of-fixtures)."""

from __future__ import annotations

import io
import json
import os
import re
import signal
import struct
import subprocess
import sys
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
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


def run_cli_at(epoch: str, *args: str) -> Run:
    """:func:`run_cli` with ``SOURCE_DATE_EPOCH`` set (for module fixtures, which the
    suite's per-test fixed date does not reach); fails the caller on a non-zero exit."""
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", epoch)
    try:
        result = run_cli(*args)
    finally:
        mp.undo()
    assert result.code == 0, result.stderr
    return result


def run_process(
    *args: str, cwd: Path, stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Run the installed ``briefgen`` console script in a real process (standard input
    ``stdin``, else /dev/null: a piped one would make briefgen note it is not read)."""
    exe = Path(sys.executable).with_name("briefgen")
    given: dict[str, Any] = {"input": stdin} if stdin is not None else {"stdin": subprocess.DEVNULL}
    return subprocess.run([str(exe), *args], cwd=cwd, capture_output=True, timeout=300, **given)


def interrupt_once(
    args: list[str], written: Path, signum: int = signal.SIGINT
) -> subprocess.CompletedProcess[bytes]:
    """Run ``briefgen ARGS`` in a real process and send it ``signum`` once ``written``
    exists; returns its status, stdout and stderr."""
    proc = subprocess.Popen(
        [str(Path(sys.executable).with_name("briefgen")), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        # a shell may start background jobs with SIGINT ignored; Python then never
        # raises KeyboardInterrupt, so give the child the default disposition
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 120
    while not written.exists() and proc.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    proc.send_signal(signum)
    stdout, stderr = proc.communicate(timeout=60)
    return subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)


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


# -- builders shared by the hostile-input tests (tests/hostile/) ---------------------

EXE = Path(sys.executable).with_name("briefgen")


def article(n: int = 0) -> str:
    return (
        # on the NATO and EU profiles' topics, so their briefs have a summary to render
        f"Officials said on Monday that troops crossed bridge {n} after army drills.\n"
        f"Border guards said migrants crossed the border at bridge {n} at a cost of 2 million.\n"
    )


def sources(folder: Path, count: int) -> list[str]:
    return [str(write_article(folder, f"a{n}.txt", article(n))) for n in range(count)]


def brief_files(folder: Path) -> list[Path]:
    """The briefs below an output folder (its index left out)."""
    if not folder.exists():
        return []
    index = {folder / "index.json", folder / "index.html"}
    return sorted(p for p in folder.rglob("*") if p.is_file() and p not in index)


def assert_complete(folder: Path, reference: Path | None = None) -> list[Path]:
    """Every file under ``folder`` is a whole brief: no temporary or partial file."""
    files = brief_files(folder)
    for path in files:
        assert re.fullmatch(r"(eu|nato|public)\.(md|html|pdf|json)", path.name), path
        data = path.read_bytes()
        assert data, path
        if path.suffix == ".pdf":
            assert data.rstrip().endswith(b"%%EOF") and PdfReader(io.BytesIO(data)).pages
        elif path.suffix == ".json":
            json.loads(data)
        if reference is not None and path.suffix != ".pdf":
            assert data == (reference / path.relative_to(folder)).read_bytes(), path
    return files


CLOSING_LINE = re.compile(
    r"(\d+ of )?\d+ sources? (→ \d+ briefs?|explained) in \d+\.\d s(; \d+ skipped)?"
)


def without_closing_line(stderr: str) -> str:
    """``stderr`` less the run's closing line ("2 sources → 6 briefs in 1.2 s"), which
    must be there once."""
    lines = stderr.splitlines(keepends=True)
    closing = [n for n, line in enumerate(lines) if CLOSING_LINE.fullmatch(line.rstrip("\n"))]
    assert len(closing) == 1, stderr
    del lines[closing[0]]
    return "".join(lines)


def one_error_line(stderr: str) -> str:
    assert stderr.count("\n") == 1 and stderr.startswith("briefgen: error: "), stderr
    assert "Traceback" not in stderr
    return stderr


def alias_bomb(levels: int = 9) -> str:
    """The "billion laughs": ``levels`` levels of nine aliases, 9**levels strings expanded."""
    lines = ["id: bomb", "name: Bomb", "lol0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for n in range(1, levels):
        lines.append(f"lol{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]")
    return "\n".join(lines) + "\n"


@contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """Fail with TimeoutError, rather than hang the suite, when a guard is missing."""

    def expired(*args: Any) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def png() -> bytes:
    """A real 1x1 PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def refuse_inside(
    monkeypatch: pytest.MonkeyPatch, folder: Path, name: str, code: int, message: str
) -> None:
    """Make ``os.<name>`` fail with ``code`` for paths inside ``folder`` (root ignores modes)."""
    real = getattr(os, name)

    def fake(path: Any, *args: Any, **kwargs: Any) -> Any:
        if Path(path).resolve().is_relative_to(folder.resolve()):
            raise OSError(code, message, str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, name, fake)


def fail_inside(
    monkeypatch: pytest.MonkeyPatch, folder: Path, name: str, nth: int, exc: BaseException
) -> None:
    """Make the ``nth`` ``os.<name>(fd, ...)`` on a file inside ``folder`` fail with ``exc``
    (``os.write`` first writes half its data).  Other files (the cache) are not touched."""
    real = getattr(os, name)
    calls = [0]

    def fake(fd: int, *args: Any) -> Any:
        if Path(os.readlink(f"/proc/self/fd/{fd}")).is_relative_to(folder):
            calls[0] += 1
            if calls[0] == nth:
                if name == "write":
                    real(fd, bytes(args[0][: len(args[0]) // 2]))
                raise exc
        return real(fd, *args)

    monkeypatch.setattr(os, name, fake)


needs_proc = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
