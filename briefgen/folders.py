"""Folders as sources: which files of a folder (and, walked recursively, of its
subfolders) are articles, and in what order."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from fnmatch import fnmatch
from pathlib import Path

from briefgen.errors import SourceError
from briefgen.sources import SUFFIXES


def folder_articles(
    folder: Path, exclude: Sequence[str] = (), recursive: bool = False
) -> list[str]:
    """The article files in ``folder`` (and its subfolders when ``recursive``): the
    suffixes a reader handles, hidden files and folders and names (or paths below
    ``folder``) matching an ``exclude`` glob left out, sorted naturally by their path
    below ``folder`` (doc2 before doc10).

    Raises:
        SourceError: a folder cannot be listed, or none holds an article.
    """
    try:
        entries = list(_walk(folder) if recursive else (p for p in folder.iterdir() if p.is_file()))
    except OSError as exc:
        where = exc.filename or folder
        raise SourceError(f"{where}: cannot list: {exc.strerror or exc}") from None
    articles = [
        p for p in entries
        if p.suffix.lower() in SUFFIXES and not p.name.startswith(".")
        and not excluded(p.relative_to(folder).as_posix(), exclude)
    ]  # fmt: skip
    if not articles:
        expected = ", ".join(sorted(SUFFIXES))
        below = " or its subfolders" if recursive else ""
        raise SourceError(
            f"{folder}: no article in this folder{below} (looked for {expected} files)"
        )
    articles.sort(key=lambda p: natural_key(p.relative_to(folder).as_posix()))
    return [str(p) for p in articles]


def _walk(folder: Path) -> Iterator[Path]:
    """Files below ``folder``; hidden folders (``.git``) are not entered, nor are
    symbolic links to folders (a link to a parent would never end)."""

    def fail(exc: OSError) -> None:
        raise exc

    for root, dirs, files in os.walk(folder, onerror=fail):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            path = Path(root) / name
            if path.is_file():
                yield path


def excluded(relative: str, patterns: Sequence[str]) -> bool:
    """Whether a file (its path below the folder given, or its name) matches a glob."""
    name = relative.rsplit("/", 1)[-1]
    return any(fnmatch(name, p) or fnmatch(relative, p) for p in patterns)


def natural_key(name: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key that puts doc2 before doc10."""
    return tuple((0, int(part)) if part.isdigit() else (1, part.lower())
                 for part in re.split(r"(\d+)", name) if part)  # fmt: skip
