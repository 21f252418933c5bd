"""A process that lays out PDFs, started before the article is parsed.

Importing WeasyPrint (and its first layout, which loads the fonts) takes about as
long as loading the spaCy model, and both are single-threaded. A cold run that
writes a PDF therefore forks this worker as soon as it knows a PDF is wanted: the
worker imports and warms up WeasyPrint on the second core while the main process
imports spaCy, loads the model and parses. The main process sends the finished
HTML and writes the PDF bytes it gets back, so writing files, ordering and error
reporting stay in one place. The bytes are the same as a layout in the main
process (tests/render/test_pdf_worker.py compares them).

Forking happens before spaCy is imported and while the process has one thread,
which is what makes ``fork`` safe; where that cannot be promised or would not pay
(WeasyPrint or spaCy already imported, threads running, a daemonic process, one
core, not Linux, ``BRIEFGEN_PDF_WORKER=0``) or the fork fails, PDFs are laid out
in the main process instead. The worker dies with the main process, even one
killed outright, and processes forked later (``--jobs``) do not keep its pipe.
"""

from __future__ import annotations

import os
import signal
import sys
import traceback
from collections.abc import Callable
from contextlib import suppress
from multiprocessing import get_context
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from briefgen.errors import BriefgenError, FormatUnavailable
from briefgen.processes import die_with_parent, fork_is_safe

ENV = "BRIEFGEN_PDF_WORKER"
_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}
# A small page that makes WeasyPrint load fontconfig and the brief's font while the
# main process is still busy; the real layouts then start warm.
WARM_UP = '<html lang="en"><body style="font-family: \'DejaVu Sans\'"><p>briefgen</p></body></html>'


def worker_helps() -> bool:
    """Whether a layout process would run alongside the main one rather than after it.

    Not when WeasyPrint or spaCy is already imported (a library caller, a test
    session): there is then little left to overlap, and forking a process that
    holds a model costs more than it saves.
    """
    if os.environ.get(ENV, "").strip().lower() in ("0", "false", "no", "off"):
        return False
    if "weasyprint" in sys.modules or "spacy" in sys.modules:
        return False
    return fork_is_safe() and len(os.sched_getaffinity(0)) >= 2


# The parent's ends of open workers' pipes: a process forked later (a --jobs
# worker, or the worker itself) closes its copies, or an idle worker would never
# see end of file.
_parent_ends: set[Connection] = set()


def _close_inherited_ends() -> None:
    for conn in _parent_ends:
        conn.close()
    _parent_ends.clear()


if hasattr(os, "register_at_fork"):  # POSIX; elsewhere no worker is ever started
    os.register_at_fork(after_in_child=_close_inherited_ends)


class LayoutWorker:
    """The parent's handle on the layout process: :meth:`layout` one PDF at a time.

    The worker first says it is ready (None) or why WeasyPrint could not be loaded,
    then answers each request as :func:`_layout` says.
    """

    def __init__(self) -> None:
        """Fork the worker.

        Raises:
            OSError: the fork failed (no memory, process limit).
        """
        context = get_context("fork")
        self._conn, child_end = context.Pipe()
        self._process: BaseProcess = context.Process(
            target=_serve, args=(child_end, os.getpid()), name="briefgen-pdf", daemon=True
        )
        self._ready = False
        self._startup_error: str | None = None
        self._busy = False
        self._closed = False
        # The child starts with our SIGTERM handler (raise KeyboardInterrupt) until it
        # sets its own; stopped in between, it would print a traceback. Signals stay
        # blocked across the fork, and the child unblocks them once its handlers are set.
        saved = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
        _parent_ends.add(self._conn)  # before the fork: the child closes its copy
        try:
            self._process.start()
        except BaseException:
            _parent_ends.discard(self._conn)
            self._conn.close()
            raise
        finally:
            child_end.close()
            signal.pthread_sigmask(signal.SIG_SETMASK, saved)

    def layout(self, html: str, variant: str, audience: str) -> bytes:
        """The PDF of ``html``, laid out by the worker.

        Raises:
            BriefgenError: the layout failed (the worker's message) or the worker died.
        """
        try:
            if not self._ready:
                self._startup_error = self._conn.recv()
                self._ready = True
            if self._startup_error:  # WeasyPrint could not be imported there
                raise FormatUnavailable(self._startup_error)
            self._busy = True
            self._conn.send((html, variant, audience))
            outcome, payload = self._conn.recv()
            self._busy = False
        except (EOFError, OSError) as exc:
            code = self._process.exitcode
            raise BriefgenError(
                f"PDF rendering failed for '{audience}': the layout process stopped"
                f" ({'exit status ' + str(code) if code is not None else exc})"
            ) from None
        if outcome == "error":
            raise BriefgenError(payload)
        if outcome == "bug":  # as in the main process: an internal error, not the user's
            raise RuntimeError(f"in the PDF layout process: {payload}")
        assert isinstance(payload, bytes)
        return payload

    def close(self) -> None:
        """Stop the worker. An idle one leaves its loop when the pipe closes; one still
        starting or laying out (the run failed or was interrupted) is killed at
        once: it holds nothing the run needs and never writes a file."""
        if self._closed:
            return
        self._closed = True
        idle = not self._busy and (self._ready or self._conn.poll(0))
        _parent_ends.discard(self._conn)
        self._conn.close()
        if idle:
            self._process.join(timeout=5)
        if self._process.is_alive():
            self._process.kill()  # it ignores SIGTERM (see _serve)
        self._process.join()


def _serve(conn: Connection, parent_pid: int) -> None:
    """The worker: warm up, say so, then lay out each request until the pipe closes.

    The parent's end of the pipe was closed here at fork (see _close_inherited_ends),
    so the parent closing its own is seen here as end of file.
    """
    # Ctrl-C and a group-wide SIGTERM (timeout, systemd) reach us too: the parent
    # handles them and stops us, so its message says "interrupted", not that the
    # layout process stopped. It kills us; so does the kernel if it dies.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    die_with_parent(parent_pid)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
    from briefgen.render.pdf import layout_pdf

    try:
        conn.send(_warm_up())
        while True:
            html, variant, audience = conn.recv()
            conn.send(_layout(layout_pdf, html, variant, audience))
    except (EOFError, OSError):  # the parent closed the pipe, or is gone
        return


def _layout(
    layout_pdf: Callable[[str, str, str], bytes], html: str, variant: str, audience: str
) -> tuple[str, bytes | str]:
    """``("pdf", bytes)``, ``("error", message)`` or ``("bug", what and where)``."""
    try:
        return "pdf", layout_pdf(html, variant, audience)
    except BriefgenError as exc:
        return "error", exc.format_message()
    except Exception as exc:  # a bug: the parent reports it, with where it happened
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        return "bug", f"{type(exc).__name__}: {exc} ({frame.filename}:{frame.lineno})"


def _warm_up() -> str | None:
    """Import WeasyPrint and lay out a tiny page; the error to report if the import fails.

    A failing warm-up page is not reported: the real layout reports its own error.
    """
    from briefgen.render.pdf import import_weasyprint

    try:
        weasyprint = import_weasyprint()
    except BriefgenError as exc:
        return exc.format_message()
    with suppress(Exception):  # see the docstring
        weasyprint.HTML(string=WARM_UP).write_pdf()
    return None
