"""The pipeline's plan and stages: jobs, keep-going, output folders, the writer's guard."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from briefgen.errors import BriefgenError
from briefgen.output import Output, OutputWriter
from briefgen.pipeline import safe_name, source_ids
from tests.helpers import run_cli, write_article

OK = "Officials said the bridge reopened on Saturday after repairs. Traffic was light.\n"
BOOM = "The word kaboom in this article trips a bug planted by the test.\n"


def _explode_on_kaboom(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> None:
    real = getattr(module, name)

    def planted(documents: Sequence[Any], *args: Any, **kwargs: Any) -> Any:
        if any("kaboom" in d.text for d in documents):
            raise RuntimeError("planted bug")
        return real(documents, *args, **kwargs)

    monkeypatch.setattr(module, name, planted)


def test_an_internal_error_in_one_source_keeps_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefgen.extract import run

    _explode_on_kaboom(monkeypatch, run, "analyze_documents")
    bad = write_article(tmp_path, "c.txt", BOOM)
    good = write_article(tmp_path, "ok.txt", OK)
    out = tmp_path / "out"
    result = run_cli("-a", "nato", "-f", "md", "--no-cache", "-o", str(out), str(bad), str(good))
    assert result.code == 1
    assert (out / "ok" / "nato.md").is_file()
    assert not (out / "c").exists()
    assert f"briefgen: internal error: {bad}: RuntimeError: planted bug (skipped" in result.stderr
    assert result.stderr.rstrip().endswith("1 of 2 sources failed")


def test_an_internal_error_with_one_source_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefgen.extract import run

    _explode_on_kaboom(monkeypatch, run, "analyze_documents")
    bad = write_article(tmp_path, "c.txt", BOOM)
    result = run_cli("-a", "nato", "-f", "md", "--no-cache", "-o", str(tmp_path / "o"), str(bad))
    assert result.code == 1
    assert result.stderr.startswith("briefgen: internal error: RuntimeError: planted bug")


def test_an_internal_error_while_briefing_one_source_keeps_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import briefgen.pipeline as pipeline

    real = pipeline.select

    def planted(extractions: Sequence[Any], *args: Any, **kwargs: Any) -> Any:
        if any("kaboom" in e.document.text for e in extractions):
            raise RuntimeError("planted bug")
        return real(extractions, *args, **kwargs)

    monkeypatch.setattr(pipeline, "select", planted)
    bad = write_article(tmp_path, "c.txt", BOOM)
    good = write_article(tmp_path, "ok.txt", OK)
    out = tmp_path / "out"
    result = run_cli("-a", "nato", "-f", "md", "--no-cache", "-o", str(out), str(bad), str(good))
    assert result.code == 1
    assert (out / "ok" / "nato.md").is_file()
    assert "briefgen: internal error: c: RuntimeError: planted bug" in result.stderr


@pytest.mark.parametrize(
    ("stem", "name"),
    [("..", "source"), (".", "source"), ("...hidden", "hidden"), ("a/b", "a-b"),
     ("x\x1b]0;t\x07y", "x-0-t-y"), ("Статья 1", "Статья-1"), ("", "source")],
)  # fmt: skip
def test_folder_names_from_file_stems_are_safe(stem: str, name: str) -> None:
    assert safe_name(stem) == name


def test_dotted_source_names_stay_in_their_own_folder(tmp_path: Path) -> None:
    inner = tmp_path / "out" / "inner"
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "nato.md").write_text("someone else's brief")
    for name in ("...txt", "..txt"):
        write_article(tmp_path, name, OK)
    args = ["-a", "nato", "-f", "md", "--no-cache", "-o", str(inner)]
    result = run_cli(*args, str(tmp_path / "...txt"), str(tmp_path / "..txt"))
    assert result.code == 0, result.stderr
    assert (tmp_path / "out" / "nato.md").read_text() == "someone else's brief"
    assert sorted(p.relative_to(inner).as_posix() for p in inner.rglob("*.md")) == [
        "source-2/nato.md",
        "source/nato.md",
    ]
    assert source_ids(["a/x.txt", "b/x.txt"]) == ["x", "x-2"]


def test_the_writer_refuses_a_path_outside_its_folder(tmp_path: Path) -> None:
    writer = OutputWriter(tmp_path / "out")
    for path in (tmp_path / "out" / ".." / "escaped.md", Path("/tmp/elsewhere.md")):
        with pytest.raises(BriefgenError, match="outside the output folder"):
            writer(Output(path, b"x"))
    assert not (tmp_path / "escaped.md").exists()
    writer(Output(tmp_path / "out" / "s" / "nato.md", b"ok"))
    assert (tmp_path / "out" / "s" / "nato.md").read_bytes() == b"ok"


def test_a_source_the_cleaner_empties_is_an_error(tmp_path: Path) -> None:
    path = write_article(tmp_path, "furniture.txt", "Scroll down for video\nRead more: elsewhere\n")
    result = run_cli("-a", "nato", "-f", "md", "--no-cache", "-o", str(tmp_path / "o"), str(path))
    assert result.code == 1
    assert result.stderr.startswith(f"briefgen: error: {path}: nothing left after cleaning (")
    assert "2 lines removed" in result.stderr
    assert not (tmp_path / "o").exists()
