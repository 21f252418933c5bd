"""PDF smoke tests: a real PDF, with the brief's text, reproducible under SOURCE_DATE_EPOCH."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.helpers import SEED, run_cli


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("pdf")
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", "1720483200")
    try:
        first = run_cli("-a", "all", "-f", "pdf", "-o", str(out / "a"))
        second = run_cli("-a", "nato", "-f", "pdf", "-o", str(out / "b"))
    finally:
        mp.undo()
    assert first.code == 0 and second.code == 0, first.stderr + second.stderr
    files = {a: (out / "a" / SEED.stem / f"{a}.pdf").read_bytes() for a in ("nato", "eu", "public")}
    files["nato-again"] = (out / "b" / SEED.stem / "nato.pdf").read_bytes()
    return files


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize("audience", ["nato", "eu", "public"])
def test_pdf_opens_and_holds_the_brief(pdfs: dict[str, bytes], audience: str) -> None:
    pdf = pdfs[audience]
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    assert 1 <= len(reader.pages) <= 6
    text = _text(pdf)
    assert "China and Belarus hold joint military exercises near Polish border" in text
    assert "Page 1 of" in text


def test_pdf_carries_marking_on_every_page(pdfs: dict[str, bytes]) -> None:
    for page in PdfReader(io.BytesIO(pdfs["nato"])).pages:
        text = " ".join(page.extract_text().split())
        assert text.count("NATO UNCLASSIFIED") >= 2  # header and footer


def test_pdf_is_byte_identical_under_source_date_epoch(pdfs: dict[str, bytes]) -> None:
    assert pdfs["nato"] == pdfs["nato-again"]


def test_pdf_metadata(pdfs: dict[str, bytes]) -> None:
    meta = PdfReader(io.BytesIO(pdfs["nato"])).metadata
    assert meta is not None
    assert meta.title == "China and Belarus hold joint military exercises near Polish border"
    assert meta.author == "briefgen open-source analysis"


def test_pdf_renderer_not_imported_for_markdown(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys; from briefgen.cli import main\n"
        "try:\n    main(['-a','nato','-f','md','-o',sys.argv[1]])\nexcept SystemExit: pass\n"
        "print('weasyprint' in sys.modules)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)], capture_output=True, timeout=300
    )
    assert proc.stdout.decode().strip().splitlines()[-1] == "False", proc.stderr.decode()
