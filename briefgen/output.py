"""Stage 7, write: rendered briefs go to files (atomically) or to standard output."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from briefgen.errors import BriefgenError, printable
from briefgen.files import write_atomic


@dataclass(frozen=True, slots=True)
class Output:
    """One rendered brief, ready to be written."""

    path: Path
    data: bytes


class OutputWriter:
    """Writes outputs atomically as they come, only inside ``root``, never one path twice."""

    def __init__(self, root: Path | None = None, on_written: Callable[[Path], None] | None = None):
        self.root = root
        self.written: list[Path] = []
        # told about each path as soon as it is complete, so an interrupted run over
        # many sources still says which briefs it finished
        self.on_written = on_written

    def __call__(self, output: Output) -> None:
        if output.path in self.written:
            raise BriefgenError(f"{output.path}: would be written twice in one run")
        if self.root is not None and not inside(output.path, self.root):
            # names come from profiles and file names: a last guard that none of
            # them ("../..", an absolute id) can place a file outside the folder
            where = printable(str(output.path))
            raise BriefgenError(f"{where}: outside the output folder {self.root}; not written")
        # a signal landing between the rename and the announcement left a complete
        # brief nobody was told about (seen once under load): held, it arrives after
        with _signals_held():
            write_atomic(output.path, output.data)
            self.written.append(output.path)
            if self.on_written is not None:
                self.on_written(output.path)


_HELD = {signal.SIGINT, signal.SIGTERM}


@contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait until the block is done (where the platform can)."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def inside(path: Path, root: Path) -> bool:
    """Whether ``path`` lies below ``root`` once both are made absolute and ``..``
    is resolved (symlinks inside ``root`` are the user's own business)."""
    base = os.path.abspath(root)
    target = os.path.abspath(path)
    return os.path.commonpath([base, target]) == base and target != base
