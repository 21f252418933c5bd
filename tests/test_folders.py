"""Folders as sources: --recursive, --exclude (folders and loose files), natural order,
and the error for a folder with no article."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.errors import SourceError
from briefgen.folders import folder_articles
from tests.helpers import article, one_error_line, run_cli, write_article


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """top.txt; 2024-05-02/{doc10,doc2,doc2.summary}.txt; 2024-05-01/doc1.md; hidden and
    unsupported files; a symbolic link back to the top (never followed)."""
    root = tmp_path / "intake"
    for rel in ("top.txt", "2024-05-02/doc10.txt", "2024-05-02/doc2.txt",
                "2024-05-02/doc2.summary.txt", "2024-05-01/doc1.md",
                ".git/notes.txt", "2024-05-01/.draft.txt", "2024-05-01/photo.pdf"):  # fmt: skip
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(article(len(rel)), encoding="utf-8")
    (root / "2024-05-02" / "loop").symlink_to(root)
    return root


def _below(root: Path, paths: list[str]) -> list[str]:
    return [Path(p).relative_to(root).as_posix() for p in paths]


def test_recursive_walk_in_natural_order_without_hidden_or_summaries(tree: Path) -> None:
    found = folder_articles(tree, ("*.summary.txt",), recursive=True)
    assert _below(tree, found) == [
        "2024-05-01/doc1.md",
        "2024-05-02/doc2.txt",
        "2024-05-02/doc10.txt",
        "top.txt",
    ]
    assert _below(tree, folder_articles(tree)) == ["top.txt"]  # without: the folder only


def test_exclude_matches_a_name_or_a_path_below_the_folder(tree: Path) -> None:
    found = folder_articles(tree, ("*.summary.txt", "2024-05-02/*", "*.md"), recursive=True)
    assert _below(tree, found) == ["top.txt"]


def test_a_folder_with_no_article_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    write_article(tmp_path / "sub", "a.txt", article())
    with pytest.raises(SourceError, match="no article in this folder "):
        folder_articles(tmp_path)
    result = run_cli("-r", "--exclude", "a.txt", "-o", str(tmp_path / "out"), str(tmp_path))
    assert result.code == 1
    assert one_error_line(result.stderr) == (
        f"briefgen: error: {tmp_path}: no article in this folder or its subfolders "
        "(looked for .htm, .html, .md, .txt files)\n"
    )


def test_recursive_run_names_each_brief_after_its_path(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_cli(
        "-r", "--exclude", "*.summary.txt", "-a", "nato", "-f", "md", "-o", str(out), str(tree)
    )
    assert result.code == 0, result.stderr
    assert result.stdout.splitlines() == [
        str(out / name / "nato.md")
        for name in ("2024-05-01-doc1", "2024-05-02-doc2", "2024-05-02-doc10", "top")
    ]


def test_exclude_leaves_out_loose_files_too(tmp_path: Path) -> None:
    """`briefgen --exclude '*.summary.txt' articles/*.txt`: the shell's glob picks the
    summaries up, the option leaves them out."""
    kept = write_article(tmp_path, "a.txt", article())
    summary = write_article(tmp_path, "a.summary.txt", article(1))
    out = tmp_path / "out"
    args = ("--exclude", "*.summary.txt", "-a", "nato", "-f", "md", "-o", str(out))
    result = run_cli(*args, str(kept), str(summary))
    assert result.code == 0, result.stderr
    assert result.stdout.splitlines() == [str(out / "a" / "nato.md")]
    none_left = run_cli(*args, str(summary))
    assert none_left.code == 1
    assert one_error_line(none_left.stderr) == (
        "briefgen: error: --exclude *.summary.txt: leaves none of the sources given\n"
    )
