"""``briefgen --check``, and a PDF asked for where WeasyPrint cannot load Pango."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import EXE, SEED, one_error_line, run_cli, without_closing_line

PANGO_ERROR = "cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared object"


class _FailingImport:
    """An import hook under which importing ``module`` raises ``error``."""

    def __init__(self, module: str, error: Exception) -> None:
        self.module, self.error = module, error

    def find_spec(self, name: str, *args: Any) -> None:
        if name == self.module:
            raise self.error


def _failing_import(
    monkeypatch: pytest.MonkeyPatch, module: str, error: Exception, forget: tuple[str, ...]
) -> Iterator[None]:
    """``module`` fails to import, and the modules ``forget`` names (with their
    submodules) are imported afresh, so that they meet the failure."""
    for name in [n for n in sys.modules if n in forget or n.split(".")[0] in forget]:
        monkeypatch.delitem(sys.modules, name)
    hook = _FailingImport(module, error)
    sys.meta_path.insert(0, hook)
    try:
        yield
    finally:
        sys.meta_path.remove(hook)


@pytest.fixture
def no_pango(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """As WeasyPrint fails on a machine without Pango."""
    error = OSError(f"{PANGO_ERROR}\nfile: No such file or directory")
    yield from _failing_import(monkeypatch, "weasyprint", error, ("weasyprint",))


@pytest.fixture
def no_html_clean(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """As lxml 6 fails without lxml_html_clean installed (jusText imports it)."""
    error = ImportError("lxml.html.clean module is now a separate project lxml_html_clean.")
    forget = ("trafilatura", "justext", "lxml.html.clean")
    yield from _failing_import(monkeypatch, "lxml.html.clean", error, forget)


def rows(stdout: str) -> dict[str, tuple[str, str]]:
    """``what -> (status, detail)`` of the report."""
    out = {}
    for line in stdout.splitlines():
        status, what, detail = line[:8].strip(), line[8:24].strip(), line[24:]
        out[what] = (status, detail)
    return out


def test_check_reports_what_is_installed(tmp_path: Path) -> None:
    result = run_cli("--check", cwd=tmp_path)
    assert result.code == 0, result.stdout + result.stderr
    found = rows(result.stdout)
    status, model = found["spaCy model"]
    assert status == "ok" and "en_core_web_sm" in model and " at /" in model and "spaCy 3." in model
    assert found["WeasyPrint"][0] == "ok" and ", Pango 1." in found["WeasyPrint"][1]
    assert found["fonts (Latin)"] == ("ok", "Latin, Greek, Cyrillic: DejaVu Sans")
    assert "fonts (CJK)" in found and found["python-docx"][0] == "ok"
    assert found["HTML reader"][0] == "ok" and found["HTML reader"][1].startswith("trafilatura 2.")
    assert found["cache"][1].startswith("used")
    assert found["templates"][1].endswith("templates (built-in)")
    assert found["profiles"] == ("ok", "eu, nato, public")


def test_check_and_an_html_source_say_what_to_install_without_lxml_html_clean(
    tmp_path: Path, no_html_clean: None
) -> None:
    result = run_cli("--check", cwd=tmp_path)
    assert result.code == 1
    status, detail = rows(result.stdout)["HTML reader"]
    assert status == "MISSING" and "pip install lxml_html_clean" in detail
    page = tmp_path / "page.html"
    page.write_text("<html><body><article><p>The talks ended on Monday.</p></article></body>")
    result = run_cli("-a", "nato", "-f", "md", "-o", str(tmp_path / "out"), str(page))
    assert result.code == 1
    message = one_error_line(result.stderr)
    assert "pip install lxml_html_clean" in message and "\\n" not in message


def test_check_names_the_folders_in_effect_and_no_cache(tmp_path: Path) -> None:
    (tmp_path / "mine" / "press").mkdir(parents=True)
    (tmp_path / "mine" / "press" / "brief.md.j2").write_text('{% extends "brief.md.j2" %}')
    result = run_cli("--check", "--no-cache", "--templates", str(tmp_path / "mine"), cwd=tmp_path)
    found = rows(result.stdout)
    assert found["templates"][1].startswith(f"{tmp_path / 'mine'} > ")
    assert found["cache"] == ("ok", "not used (--no-cache)")


def test_check_fails_when_the_model_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFGEN_SPACY_MODEL", "no_such_model")
    result = run_cli("--check", cwd=tmp_path)
    assert result.code == 1
    status, detail = rows(result.stdout)["spaCy model"]
    assert status == "MISSING" and "none of no_such_model: install one with" in detail
    assert result.stderr == "briefgen: error: --check: missing: spaCy model (see above)\n"


def test_check_says_what_to_install_without_pango(tmp_path: Path, no_pango: None) -> None:
    result = run_cli("--check", cwd=tmp_path)
    assert result.code == 1
    status, detail = rows(result.stdout)["WeasyPrint"]
    assert status == "MISSING" and "apt-get install libpango-1.0-0" in detail


def test_pdf_without_pango_is_one_line_and_the_other_formats_are_written(
    tmp_path: Path, no_pango: None
) -> None:
    out = tmp_path / "out"
    result = run_cli("-a", "nato,eu", "-f", "md,pdf,json", "-o", str(out), str(SEED))
    assert result.code == 1
    line = one_error_line(
        without_closing_line(result.stderr)
    )  # once, however many briefs wanted a PDF
    assert line.startswith(
        "briefgen: error: pdf: not written: WeasyPrint cannot load its system libraries; "
        "install Pango: apt-get install libpango-1.0-0 libpangoft2-1.0-0"
    )
    assert PANGO_ERROR in line
    written = sorted(p.name for p in (out / SEED.stem).iterdir())
    assert written == ["eu.json", "eu.md", "nato.json", "nato.md"]


def test_pdf_without_pango_in_a_real_process_with_the_layout_worker(tmp_path: Path) -> None:
    """The layout worker imports WeasyPrint in its own process: its failure is the
    same one line, and the Markdown is still written."""
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(
        "import sys\n"
        "class NoPango:\n"
        "    def find_spec(self, name, *args):\n"
        "        if name == 'weasyprint':\n"
        f"            raise OSError({PANGO_ERROR!r})\n"
        "sys.meta_path.insert(0, NoPango())\n"
    )
    env = {**os.environ, "PYTHONPATH": str(hooks), "BRIEFGEN_PDF_WORKER": "1"}
    proc = subprocess.run(
        [str(EXE), "-a", "nato", "-f", "pdf,md", "-o", "out", str(SEED)],
        cwd=tmp_path, env=env, capture_output=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 1
    assert one_error_line(without_closing_line(proc.stderr.decode())).startswith(
        "briefgen: error: pdf: not written:"
    )
    assert sorted(p.name for p in (tmp_path / "out" / SEED.stem).iterdir()) == ["nato.md"]
