"""Sources too large to read, and very long lines and paragraphs.

Part of the bad-input battery (issues 8 and 13), grouped by what it attacks.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from briefgen.config.shared import config_dirs, load_shared
from briefgen.errors import SourceError
from briefgen.sources import read_source
from tests.helpers import (
    EXE,
    article,
    deadline,
    one_error_line,
    run_cli,
    write_article,
)

# -- size -----------------------------------------------------------------------------


def test_twenty_megabyte_article_is_refused_above_max_size(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_text((article() * 200_000)[:20_000_000], encoding="utf-8")
    started = time.monotonic()
    result = run_cli("-a", "nato", "-f", "md", "-o", str(tmp_path / "out"), str(path))
    assert time.monotonic() - started < 5
    assert result.code == 1
    assert one_error_line(result.stderr) == (
        f"briefgen: error: {path}: larger than --max-size (10000000 bytes)\n"
    )
    tracemalloc.start()
    with pytest.raises(SourceError, match="larger than --max-size"):
        read_source(str(path))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 15_000_000  # it read at most --max-size + 1 bytes, not 20 MB


def test_stdin_above_max_size_is_refused(tmp_path: Path) -> None:
    result = run_cli(
        "--max-size", "1000", "-a", "nato", "-f", "md", "-o", "-", "-", stdin=b"x" * 5000
    )
    assert result.code == 1
    assert (
        one_error_line(result.stderr) == "briefgen: error: -: larger than --max-size (1000 bytes)\n"
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX only")
def test_fifo_or_device_is_refused_without_reading(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")  # opening it to read would block forever
    (tmp_path / "zero.txt").symlink_to("/dev/zero")  # reading it would never end
    for name in ("pipe.txt", "zero.txt"):
        with deadline(5):
            result = run_cli("-a", "nato", "-f", "md", "-o", "-", str(tmp_path / name))
        assert result.code == 1
        assert result.stderr == f"briefgen: error: {tmp_path / name}: not a regular file\n"


def test_megabyte_single_line_loads_and_cleans_quickly(tmp_path: Path) -> None:

    path = tmp_path / "line.txt"
    path.write_text(("The committee approved the plan. " * 40_000)[:1_048_576] + "\n")
    started = time.monotonic()
    doc = load_shared(config_dirs(())).cleaner.clean(read_source(str(path)))
    assert time.monotonic() - started < 5
    assert len(doc.paragraphs) == 1 and doc.paragraphs[0].end - doc.paragraphs[0].start > 10**6


class _Recorder:
    """Wraps a spaCy pipeline and records what ``analyze`` asks it to parse."""

    def __init__(self, nlp: Any) -> None:
        self.nlp, self.sizes, self.batches = nlp, list[int](), list[int]()

    def pipe(self, texts: Iterator[str], batch_size: int = 1000, **kw: Any) -> Iterator[Any]:
        self.batches.append(batch_size)
        return self.nlp.pipe(self._seen(texts), batch_size=batch_size, **kw)  # type: ignore[no-any-return]

    def _seen(self, texts: Iterator[str]) -> Iterator[str]:
        for text in texts:
            self.sizes.append(len(text))
            yield text


def test_megabyte_paragraph_is_parsed_in_bounded_pieces(tmp_path: Path) -> None:
    """A 1 MB paragraph exceeds spaCy's max_length (1,000,000) and would need ~3 GB in
    one Doc; it must reach spaCy in small pieces, few at a time, offsets intact."""
    import spacy

    from briefgen.extract import analyze as stage

    words = ("The committee approved the plan " * 40_000)[:600_000]  # no sentence end
    path = tmp_path / "line.txt"
    sentence = "The council met again and discussed the budget for the coming year in detail. "
    path.write_text((sentence * 6000)[:450_000] + words + ".\n")
    shared = load_shared(config_dirs(()))
    doc = shared.cleaner.clean(read_source(str(path)))
    blank = spacy.blank("en")  # the real model would take minutes; the split is the point
    blank.add_pipe("sentencizer")
    nlp = _Recorder(blank)
    facts = stage.analyze([doc], nlp, shared.aliases)[0].facts  # type: ignore[arg-type]
    assert max(nlp.sizes) <= stage.MAX_PARSE_CHARS < blank.max_length
    assert max(nlp.batches) * max(nlp.sizes) <= stage.BATCH_CHARS  # characters in flight
    assert sum(nlp.sizes) >= len(doc.text) - 2
    assert all(doc.text[f.start : f.end] == f.text for f in facts)
    assert {f.paragraph for f in facts} == {0}
    assert sum(f.text == sentence.strip() for f in facts) >= 5_500  # cut between sentences


def test_long_single_line_with_the_real_model(tmp_path: Path) -> None:
    line = " ".join(article(n).replace("\n", " ") for n in range(100))  # ~16,000 chars
    path = write_article(tmp_path, "line.txt", line + "\n")
    result = run_cli("-a", "nato", "-f", "json", "-o", "-", str(path))
    assert result.code == 0, result.stderr
    facts = json.loads(result.raw)["facts"]
    text = path.read_text(encoding="utf-8")
    assert len(facts) >= 190 and all(text[f["start"] : f["end"]] == f["text"] for f in facts)


@pytest.mark.skipif(
    not os.environ.get("BRIEFGEN_SLOW_TESTS"), reason="minutes; BRIEFGEN_SLOW_TESTS=1"
)
def test_megabyte_line_in_a_real_process_finishes_in_bounded_memory(tmp_path: Path) -> None:
    import resource

    path = tmp_path / "line.txt"
    path.write_text(("The committee approved the plan on Monday. " * 30_000)[:1_048_576] + "\n")
    proc = subprocess.run(
        [str(EXE), "-a", "nato", "-f", "md", "-o", str(tmp_path / "out"), str(path)],
        capture_output=True,
        timeout=1200,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss < 1_000_000  # kB: < 1 GB
