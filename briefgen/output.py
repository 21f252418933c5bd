"""Writing outputs atomically: a temporary file in the same folder, then a rename.

A brief is either complete or absent: an interrupted run (Ctrl-C), a full disk or a
read-only folder never leaves a half-written file under the final name, never
leaves the temporary file behind, and never destroys the previous version of the
brief.  Two processes writing the same folder each rename a complete file into
place, so the last one wins and every file stays whole.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from briefgen.errors import BriefgenError

TEMP_SUFFIX = ".tmp"


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so readers see the old file or the new one, never a part.

    Raises:
        BriefgenError: the folder cannot be created or written (names the path).
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # same folder as the target: os.replace is atomic only within one file system
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    except OSError as exc:
        raise BriefgenError(f"{path}: cannot write: {_reason(path, exc)}") from None
    try:
        try:
            _write_all(fd, data)
            os.fsync(fd)  # the data is on disk before the name points at it
        finally:
            os.close(fd)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; a brief is meant to be shared
        os.replace(tmp, path)
    except BaseException as exc:  # Ctrl-C included: the temporary file must go
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise BriefgenError(f"{path}: cannot write: {_reason(path, exc)}") from None
        raise


def _write_all(fd: int, data: bytes) -> None:
    # os.write may write less than asked (signals, pipes, quotas): loop until done
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _reason(path: Path, exc: OSError) -> str:
    """The OS error, or which part of the output path is a file, not a folder."""
    for parent in reversed(path.parents):
        if parent.exists() and not parent.is_dir():
            return f"{parent} is a file, not a folder"
    return exc.strerror or str(exc)
