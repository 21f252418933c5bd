"""Helpers for the processes briefgen forks (PDF layout, ``--jobs`` workers).

A forked child must never outlive the run: if the main process is killed outright
(SIGKILL, the OOM killer), nothing would tell an idle child to stop, and a reader
waiting for the end of briefgen's output would wait for ever.
"""

from __future__ import annotations

import os
import signal
import sys
import threading

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def die_with_parent(parent_pid: int) -> None:
    """Ask Linux to kill this (forked) process when its parent dies.

    SIGKILL, not SIGTERM: a worker ignores or inherits handlers for SIGTERM, and
    holds nothing that needs cleaning up (the main process writes every file).

    ``parent_pid`` is the parent's pid read before forking: if the parent died
    before the request was made, the process exits now.
    """
    if sys.platform == "linux":
        import ctypes

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # no prctl: fall back to end-of-pipe checks
            pass
    if os.getppid() != parent_pid:
        os._exit(1)


def fork_is_safe() -> bool:
    """Whether this process may fork a worker: Linux, one thread, not itself a
    daemonic multiprocessing worker (which may not have children)."""
    if sys.platform != "linux" or threading.active_count() != 1:
        return False
    from multiprocessing import current_process

    return not current_process().daemon
