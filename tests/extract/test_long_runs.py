"""Text without sentence ends reaches the parser in fragments of bounded length, none
of which can stand as a brief item; ordinary paragraphs are cut as before."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

from briefgen.extract.analyze import (
    CUT_WINDOW,
    MAX_PARSE_CHARS,
    MAX_RUN_CHARS,
    split_paragraph,
)
from briefgen.records import Paragraph
from briefgen.select import MAX_ITEM_CHARS
from tests.helpers import article, run_cli, write_article

RUN = "the committee approved the plan and the ministers discussed it at length " * 150
SENTENCES = "".join(article(n).replace("\n", " ") for n in range(120))


def _split(text: str) -> list[Paragraph]:
    pieces = list(split_paragraph(text, Paragraph(0, len(text), 3)))
    assert pieces[0].start == 0 and pieces[-1].end == len(text)
    assert all(a.end == b.start for a, b in itertools.pairwise(pieces))
    assert {p.line for p in pieces} == {3}
    return pieces


def test_a_run_without_sentence_ends_comes_in_fragments_too_long_to_be_items() -> None:
    assert len(RUN) > 5 * MAX_RUN_CHARS
    sizes = [p.end - p.start for p in _split(RUN)]
    assert max(sizes) <= MAX_RUN_CHARS
    assert min(sizes) >= MAX_RUN_CHARS // 2 - CUT_WINDOW > MAX_ITEM_CHARS


def test_ordinary_paragraphs_are_cut_as_before() -> None:
    """As before runs were split: pieces of up to MAX_PARSE_CHARS, each cut after the
    last sentence end that fits (so parses, and goldens, are unchanged)."""
    assert len(SENTENCES) > 2 * MAX_PARSE_CHARS
    cuts, start = [], 0
    while len(SENTENCES) - start > MAX_PARSE_CHARS:
        start = SENTENCES.rindex(". ", start, start + MAX_PARSE_CHARS - 1) + 2
        cuts.append(start)
    assert [p.end for p in _split(SENTENCES)][:-1] == cuts


def test_sentences_around_a_run_keep_their_own_pieces() -> None:
    head = SENTENCES[: SENTENCES.rindex(". ", 0, 3000) + 2]
    text = head + RUN.strip() + ". " + head
    pieces = _split(text)
    run_start = len(head)
    run_end = text.index(". ", run_start) + 2
    assert any(p.end == run_start for p in pieces) and any(p.start == run_end for p in pieces)
    inside = [p for p in pieces if run_start <= p.start < run_end]
    assert all(p.end - p.start > MAX_ITEM_CHARS for p in inside)


def test_no_item_comes_from_a_run_and_every_offset_is_exact(tmp_path: Path) -> None:
    body = article(1) + "\n" + RUN.strip() + ".\n\n" + article(2)
    path = write_article(tmp_path, "run.txt", body)
    result = run_cli("-a", "nato", "-f", "json", "-o", "-", str(path))
    assert result.code == 0, result.stderr
    brief = json.loads(result.raw)
    text = path.read_text(encoding="utf-8")
    assert all(text[f["start"] : f["end"]] == f["text"] for f in brief["facts"])
    items = [*brief["summary"], *(i for s in brief["sections"] for i in s["items"])]
    assert items  # the two ordinary paragraphs still make a brief
    assert not any("committee" in i["text"] for i in items)
    assert sum("committee" in f["text"] for f in brief["facts"]) >= 5  # parsed, in fragments
