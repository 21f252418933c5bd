"""File-system helpers every stage shares: bounded reads, atomic writes, private folders.

**Writing** is atomic: a temporary file in the same folder, then a rename.

A brief is either complete or absent: an interrupted run (Ctrl-C), a full disk or a
read-only folder never leaves a half-written file under the final name, never
leaves the temporary file behind, and never destroys the previous version of the
brief.  Two processes writing the same folder each rename a complete file into
place, so the last one wins and every file stays whole.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path
from typing import BinaryIO

from briefgen.errors import BriefgenError

TEMP_SUFFIX = ".tmp"


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so readers see the old file or the new one, never a part.

    Raises:
        BriefgenError: the folder cannot be created or written (names the path).
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BriefgenError(f"{path}: cannot write: {_reason(path, exc)}") from None
    # The temporary name is known before the file exists, so a Ctrl-C or SIGTERM at any
    # moment (even between creating the file and this function learning of it) leaves
    # nothing behind. Same folder as the target: os.replace is atomic only there.
    tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}{TEMP_SUFFIX}"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
        try:
            _write_all(fd, data)
            os.fsync(fd)  # the data is on disk before the name points at it
        finally:
            os.close(fd)
        os.chmod(tmp, 0o644)  # made 0600; a brief is meant to be shared
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


def read_limited(path: Path, limit: int, error: type[BriefgenError], limit_name: str) -> bytes:
    """Read a regular file of at most ``limit`` bytes, never more into memory.

    The type and size are checked on the open file, not by a prior ``stat``, and
    FIFOs, devices and ``/dev/zero`` symlinks are refused, so nothing can make us
    block or read without end (``O_NONBLOCK`` keeps opening a FIFO from blocking).

    Raises:
        error: missing, a directory, not a regular file, unreadable or too large;
            the message names the path.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(fd)
            if stat.S_ISDIR(info.st_mode):
                raise error(f"{path}: is a directory, not a file")
            if not stat.S_ISREG(info.st_mode):
                raise error(f"{path}: not a regular file")
            data = read_at_most(handle, limit + 1, expected=info.st_size + 1)
    except FileNotFoundError:
        raise error(f"{path}: no such file") from None
    except IsADirectoryError:  # where the system refuses to open a folder at all
        raise error(f"{path}: is a directory, not a file") from None
    except OSError as exc:
        raise error(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise error(f"{path}: larger than {limit_name} ({limit} bytes)")
    return data


CHUNK = 1 << 20


def read_at_most(handle: BinaryIO, size: int, expected: int = CHUNK) -> bytes:
    """Up to ``size`` bytes from ``handle``.

    ``read(size)`` allocates ``size`` bytes up front, so a huge ``--max-size`` would
    fail (``MemoryError``, or ``OverflowError`` past the index range) before reading
    anything. The first read asks for ``expected`` bytes (a regular file's size plus
    one: the whole file in one piece, no copy), the rest comes in chunks.
    """
    chunks: list[bytes] = []
    left, ask = size, max(expected, 1)
    while left > 0:
        chunk = handle.read(min(left, ask))
        ask = CHUNK
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def private_folder(folder: Path, below: Path) -> bool:
    """Create ``folder`` (mode 0700) if nobody else can change what is in it.

    See :func:`folder_problem`; True when it has none.
    """
    return folder_problem(folder, below) is None


def folder_problem(folder: Path, below: Path) -> str | None:
    """Why ``folder`` cannot be a private folder, or None once it exists as one.

    Every folder from ``below`` down to ``folder`` must be a real folder (not a
    symlink) owned by this user and writable by no one else, and ``below``'s parent
    must not let others rename it away (writable by others only with the sticky bit,
    like /tmp). Each level is checked before anything is created inside it, so a
    cache folder that is a symlink or open to others gets nothing written into it.

    Returns:
        None, or the reason naming the level at fault ("PATH is a symbolic link").
    """
    try:
        parent = below.parent
        parent.mkdir(parents=True, exist_ok=True)
        mode = parent.stat().st_mode
        if mode & 0o022 and not mode & stat.S_ISVTX:
            return f"{parent}: others can rename what is in it"
        levels = [below]
        for part in folder.relative_to(below).parts:
            levels.append(levels[-1] / part)
        for level in levels:
            with contextlib.suppress(FileExistsError):
                level.mkdir(mode=0o700)
            problem = _level_problem(level.lstat())
            if problem:
                return f"{level}: {problem}"
        return None
    except (OSError, ValueError) as exc:  # ValueError: folder is not inside below
        return f"{folder}: {getattr(exc, 'strerror', None) or exc}"


def _level_problem(info: os.stat_result) -> str | None:
    if stat.S_ISLNK(info.st_mode):
        return "is a symbolic link"
    if not stat.S_ISDIR(info.st_mode):
        return "is not a folder"
    if info.st_uid != os.getuid():
        return "is owned by another user"
    if info.st_mode & 0o022:
        return "others can write to it"
    return None
