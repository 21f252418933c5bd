"""Missing and unreadable sources; output folders that are files, read-only or full.

Part of the bad-input battery (issues 8 and 13), grouped by what it attacks.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import pytest

from briefgen.files import write_atomic
from tests.helpers import (
    article,
    brief_files,
    fail_inside,
    needs_proc,
    one_error_line,
    refuse_inside,
    run_cli,
    write_article,
)

# -- paths ----------------------------------------------------------------------------


def test_missing_file_and_directory_name_the_path(tmp_path: Path) -> None:
    for target, message in [
        (tmp_path / "nope.txt", "no such file"),
        (tmp_path, "no article in this folder (looked for .htm, .html, .md, .txt files)"),
    ]:
        result = run_cli("-a", "nato", "-f", "md", "-o", str(tmp_path / "out"), str(target))
        assert result.code == 1
        assert one_error_line(result.stderr) == f"briefgen: error: {target}: {message}\n"


def test_unreadable_file_names_the_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_article(tmp_path, "secret.txt", article())
    path.chmod(0)
    if os.geteuid() == 0:  # root reads anything: make open() answer as it would for a user
        real_open = os.open

        def refuse(file: Any, flags: int, *args: Any, **kwargs: Any) -> int:
            if Path(file) == path:
                raise PermissionError(errno.EACCES, "Permission denied", str(file))
            return real_open(file, flags, *args, **kwargs)

        monkeypatch.setattr(os, "open", refuse)
    result = run_cli("-a", "nato", "-f", "md", "-o", str(tmp_path / "out"), str(path))
    assert result.code == 1
    assert one_error_line(result.stderr) == (
        f"briefgen: error: {path}: cannot read: Permission denied\n"
    )


# -- output folder --------------------------------------------------------------------


def test_output_folder_that_is_a_file_exits_1(tmp_path: Path) -> None:
    blocker = tmp_path / "out"
    blocker.write_text("keep me")
    source = write_article(tmp_path, "a.txt", article())
    result = run_cli("-a", "nato", "-f", "md", "-o", str(blocker), str(source))
    assert result.code == 1
    assert one_error_line(result.stderr) == (
        f"briefgen: error: {blocker}/a/nato.md: cannot write: {blocker} is a file, not a folder\n"
    )
    assert blocker.read_text() == "keep me" and sorted(tmp_path.iterdir()) == [source, blocker]


def test_read_only_output_folder_exits_1_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    source = write_article(tmp_path, "a.txt", article())
    refuse_inside(monkeypatch, out, "open", errno.EROFS, "Read-only file system")
    refuse_inside(monkeypatch, out, "mkdir", errno.EROFS, "Read-only file system")
    result = run_cli("-a", "nato", "-f", "md", "-o", str(out), str(source))
    assert result.code == 1
    assert one_error_line(result.stderr) == (
        f"briefgen: error: {out}/a/nato.md: cannot write: Read-only file system\n"
    )
    assert list(out.iterdir()) == []


@needs_proc
@pytest.mark.parametrize("syscall", ["write", "fsync"])
def test_disk_full_exits_1_and_keeps_the_previous_brief(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, syscall: str
) -> None:
    source = write_article(tmp_path, "a.txt", article())
    args = ("-a", "nato", "-f", "md", "-o", str(tmp_path / "out"), str(source))
    assert run_cli(*args).code == 0
    before = (tmp_path / "out" / "a" / "nato.md").read_bytes()
    source.write_text(article(7))  # a rerun would change the brief...
    error = OSError(errno.ENOSPC, "No space left on device")
    fail_inside(monkeypatch, tmp_path / "out", syscall, 1, error)
    result = run_cli(*args)  # ...but the disk is full
    assert result.code == 1
    assert one_error_line(result.stderr) == (
        f"briefgen: error: {tmp_path}/out/a/nato.md: cannot write: No space left on device\n"
    )
    assert [p.name for p in brief_files(tmp_path / "out")] == ["nato.md"]
    assert (tmp_path / "out" / "a" / "nato.md").read_bytes() == before


def test_write_atomic_replaces_whole_file_readable_by_all(tmp_path: Path) -> None:

    target = tmp_path / "deep" / "er" / "nato.md"
    write_atomic(target, b"old")
    write_atomic(target, b"new brief")
    assert target.read_bytes() == b"new brief"
    assert target.stat().st_mode & 0o777 == 0o644  # mkstemp's 0600 would hide it from others
    assert [p.name for p in target.parent.iterdir()] == ["nato.md"]


# -- issue 13: options naming impossible sizes and folders ----------------------------


@pytest.mark.parametrize("stdin", [False, True])
def test_huge_max_size_reads_the_source_normally(tmp_path: Path, stdin: bool) -> None:
    # read(limit + 1) allocated the limit up front: OverflowError or MemoryError
    source = write_article(tmp_path, "a.txt", article())
    given = ["-"] if stdin else [str(source)]
    for limit in ("100000000000000000000000", "1000000000000"):
        result = run_cli(
            "--max-size", limit, "-a", "nato", "-f", "md", "-o", "-", *given,
            stdin=source.read_bytes() if stdin else None,
        )  # fmt: skip
        assert result.code == 0, result.stderr
        assert "bridge 0" in result.stdout


def test_max_size_that_is_not_an_integer_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("--max-size", "1e23", "-a", "nato", "-o", "-", "x.txt")
    assert result.code == 2
    assert one_error_line(result.stderr).startswith("briefgen: error: Invalid value for '--max")


def test_export_templates_below_a_file_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("keep")
    result = run_cli("--export-templates", str(tmp_path / "a.txt" / "x"))
    assert result.code == 1
    line = one_error_line(result.stderr)
    assert line.endswith(f": cannot write: {tmp_path}/a.txt is a file, not a folder\n")
    assert (tmp_path / "a.txt").read_text() == "keep"


@needs_proc
def test_export_templates_leaves_no_partial_file_on_a_full_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fail_inside(monkeypatch, tmp_path / "exp", "write", 3, OSError(28, "No space left on device"))
    result = run_cli("--export-templates", str(tmp_path / "exp"))
    assert result.code == 1
    assert one_error_line(result.stderr).endswith(": cannot write: No space left on device\n")
    written = [p for p in (tmp_path / "exp").rglob("*") if p.is_file()]
    assert len(written) == 2 and not [p for p in written if p.name.endswith(".tmp")]
    for path in written:  # whole copies of the built-ins
        assert path.read_bytes()


# -- issue 13: a cache folder that is not private gets nothing written into it ---------


def test_cache_folder_that_is_a_symlink_gets_nothing_created_inside(tmp_path: Path) -> None:
    from briefgen.files import folder_problem
    from briefgen.render.templates import template_cache

    target = tmp_path / "elsewhere"
    target.mkdir()
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "briefgen").symlink_to(target, target_is_directory=True)
    root = tmp_path / "cache" / "briefgen"
    assert template_cache(root, "md") is None
    assert list(target.iterdir()) == []  # no templates/md-... made through the link
    assert folder_problem(root, below=root) == f"{root}: is a symbolic link"


def test_world_writable_cache_folder_gets_nothing_created_inside(tmp_path: Path) -> None:
    from briefgen.files import folder_problem
    from briefgen.render.templates import template_cache

    root = tmp_path / "cache" / "briefgen"
    root.mkdir(parents=True)
    root.chmod(0o777)
    assert template_cache(root, "md") is None
    assert list(root.iterdir()) == []
    assert folder_problem(root, below=root) == f"{root}: others can write to it"


def test_cache_folder_that_is_a_file_is_named_as_such(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefgen.files import folder_problem
    from briefgen.render.templates import template_cache

    root = tmp_path / "cache" / "briefgen"
    root.parent.mkdir()
    root.write_text("not a folder")
    assert template_cache(root, "md") is None
    assert folder_problem(root, below=root) == f"{root}: is not a folder"
    monkeypatch.setenv("XDG_CACHE_HOME", str(root.parent))
    source = write_article(tmp_path, "a.txt", article())
    result = run_cli("-a", "nato", "-f", "md", "-o", str(tmp_path / "out"), str(source))
    assert result.code == 0 and "Traceback" not in result.stderr, result.stderr
    assert "not used as a cache" in result.stderr
    assert root.read_text() == "not a folder"
