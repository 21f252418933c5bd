"""What a run shows while it works: progress bars (tqdm) and the closing line.

The bars (sources parsed, briefs written, each with elapsed time and ETA) are drawn
on stderr only when it is a terminal and ``-q`` was not given: a log file or a
pipe gets no carriage returns. The closing line ("53 sources → 159 briefs in
12.3 s; 1 skipped") is always printed on stderr. Messages and the paths printed on
stdout go around the bars (tqdm clears them, prints, and redraws), so a path is
always a line of its own.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import IO, Any


class RunProgress:
    """Counts a run's sources and briefs (:class:`briefgen.pipeline.Progress`), and
    draws them on ``stream`` when ``bars``."""

    def __init__(
        self, stream: IO[str] | None, bars: bool, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.stream = stream
        self.bars = bars
        self.clock = clock
        self.started = clock()
        self.sources = self.briefs = 0
        self.done = self.written_briefs = self.failed = 0
        self.was_planned = False
        self._bars: list[Any] = []  # tqdm bars: parsed, written

    # --- the Progress protocol ------------------------------------------------------

    def planned(self, sources: int, briefs: int) -> None:
        self.sources, self.briefs, self.was_planned = sources, briefs, True
        if self.bars and self.stream is not None:
            from tqdm import tqdm

            # tqdm's monitor thread would make this process multi-threaded, and
            # the --jobs and PDF layout processes are forked only from one thread
            tqdm.monitor_interval = 0
            common: dict[str, Any] = {"file": self.stream, "leave": False, "dynamic_ncols": True}
            self._bars = [
                tqdm(total=sources, desc="sources parsed", unit="source", position=0, **common),
                tqdm(total=briefs, desc="briefs written", unit="brief", position=1, **common),
            ]

    def parsed(self, sources: int) -> None:
        self.done += sources
        self._update(0, sources)

    def written(self, briefs: int) -> None:
        self.written_briefs += briefs
        self._update(1, briefs)

    def skipped(self, sources: int) -> None:
        self.failed += sources
        self._update(0, sources)

    def _update(self, which: int, count: int) -> None:
        if self._bars:
            self._bars[which].update(count)

    # --- around the bars ------------------------------------------------------------

    def paused(self) -> AbstractContextManager[Any]:
        """Clear the bars while something else is printed; they are redrawn after."""
        if not self._bars:
            return nullcontext()
        from tqdm import tqdm

        paused: AbstractContextManager[Any] = tqdm.external_write_mode(file=self.stream)
        return paused

    def message(self, text: str) -> None:
        """A line on stderr (a warning, an error of a skipped source)."""
        import click

        with self.paused():
            click.echo(text, err=True)

    def close(self) -> None:
        for bar in self._bars:
            bar.close()
        self._bars = []

    def closing_line(self, wrote: bool = True) -> str:
        """``53 sources → 159 briefs in 12.3 s; 1 skipped`` (``12 of 53 sources`` when
        the run stopped before the end; ``explained`` when nothing is written)."""
        elapsed = self.clock() - self.started
        finished = self.done + self.failed
        sources = _count(self.sources, "source")
        if finished < self.sources:
            sources = f"{finished} of {sources}"
        outcome = f"→ {_count(self.written_briefs, 'brief')}" if wrote else "explained"
        line = f"{sources} {outcome} in {elapsed:.1f} s"
        return f"{line}; {self.failed} skipped" if self.failed else line


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
