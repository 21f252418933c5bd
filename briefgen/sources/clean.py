"""Stage 2, clean: drop page furniture line by line, keep every removal with its reason.

Working line by line matters: the seed's first four lines (a photo credit, a
caption, the outlet, a dash) would otherwise be glued onto the first sentence.
Rules are data (``configs/cleaning.yaml``); this module only interprets them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from pydantic import BaseModel, ConfigDict, Field

from briefgen.records import Document, Paragraph, RemovedLine

_SENTENCE_END = re.compile(r"[.!?…:;\"”’'»)\]]\s*$")
HEADLINE_MAX_WORDS = 20


class CleaningRule(BaseModel):
    """One line rule; see ``configs/cleaning.yaml`` for the meaning of each field."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    reason: str
    pattern: str
    max_words: int | None = None
    first_lines: int | None = None
    unpunctuated: bool = False
    after: list[str] = Field(default_factory=list)
    before: list[str] = Field(default_factory=list)


class CleaningConfig(BaseModel):
    """The cleaning rules file."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    rules: list[CleaningRule]


@dataclass(frozen=True, slots=True)
class _Line:
    index: int  # 1-based line number in the whole source text
    start: int
    end: int
    text: str

    @property
    def stripped(self) -> str:
        return self.text.strip()


class Cleaner:
    """Compiled cleaning rules.  Not a dataclass: __init__ compiles the patterns."""

    def __init__(self, config: CleaningConfig) -> None:
        self.rules = config.rules
        self._patterns = {r.id: re.compile(r.pattern, re.IGNORECASE) for r in self.rules}

    def clean(self, doc: Document) -> Document:
        """Return ``doc`` with its kept paragraphs and the removed lines (with reasons)."""
        lines = [ln for ln in _split_lines(doc.text, doc.body_start) if ln.stripped]
        verdicts = self._judge(lines)
        # a headline line is never a fact; it names the brief only when front matter does not
        title = doc.source.title or _headline(lines, verdicts)
        removed = tuple(
            RemovedLine(ln.stripped, *_trim(doc.text, ln), ln.index, verdicts[i])
            for i, ln in enumerate(lines)
            if verdicts[i]
        )
        paragraphs = _paragraphs(doc.text, doc.body_start, verdicts, lines)
        source = replace(doc.source, title=title)
        return replace(doc, source=source, paragraphs=paragraphs, removed=removed)

    def _judge(self, lines: Sequence[_Line]) -> list[str]:
        verdicts = [""] * len(lines)
        by_rule: list[str] = [""] * len(lines)
        for contextual in (False, True):
            for i in range(len(lines)):
                if verdicts[i]:
                    continue
                for rule in self.rules:
                    if bool(rule.after or rule.before) == contextual and self._hit(
                        rule, lines, i, by_rule
                    ):
                        verdicts[i], by_rule[i] = rule.reason, rule.id
                        break
        return verdicts

    def _hit(self, rule: CleaningRule, lines: Sequence[_Line], i: int, by_rule: list[str]) -> bool:
        text = lines[i].stripped
        if rule.first_lines is not None and i >= rule.first_lines:
            return False
        if rule.max_words is not None and len(text.split()) > rule.max_words:
            return False
        if rule.unpunctuated and _SENTENCE_END.search(text):
            return False
        if rule.after and (i == 0 or by_rule[i - 1] not in rule.after):
            return False
        if rule.before and (i + 1 >= len(lines) or by_rule[i + 1] not in rule.before):
            return False
        return bool(self._patterns[rule.id].search(text))


def _split_lines(text: str, body_start: int) -> list[_Line]:
    out: list[_Line] = []
    pos, number = body_start, text.count("\n", 0, body_start) + 1
    for raw in text[body_start:].splitlines(keepends=True):
        content = raw.rstrip("\r\n")
        out.append(_Line(number, pos, pos + len(content), content))
        pos += len(raw)
        number += 1
    return out


def _trim(text: str, line: _Line) -> tuple[int, int]:
    start = line.start + (len(line.text) - len(line.text.lstrip()))
    return start, start + len(line.stripped)


def _headline(lines: Sequence[_Line], verdicts: list[str]) -> str | None:
    """A first kept line that is short and unpunctuated reads as the headline."""
    for i, line in enumerate(lines):
        if verdicts[i]:
            continue
        text = line.stripped
        if len(text.split()) <= HEADLINE_MAX_WORDS and not _SENTENCE_END.search(text):
            verdicts[i] = "headline"
            return text
        return None
    return None


def _paragraphs(
    text: str, body_start: int, verdicts: list[str], lines: Sequence[_Line]
) -> tuple[Paragraph, ...]:
    """Group kept lines into paragraphs.

    Texts with blank lines between blocks (often hard-wrapped) keep a block together;
    texts without blank lines have one paragraph per line.  A removed line always
    splits a paragraph so furniture never glues onto a sentence.
    """
    blocks = "\n\n" in text[body_start:].replace("\r", "") or "\n \n" in text[body_start:]
    out: list[Paragraph] = []
    run: list[_Line] = []
    for i, line in enumerate(lines):
        joined = run and blocks and line.index == run[-1].index + 1
        if run and (verdicts[i] or not joined):
            out.append(_paragraph(text, run))
            run = []
        if not verdicts[i]:
            run.append(line)
    if run:
        out.append(_paragraph(text, run))
    return tuple(out)


def _paragraph(text: str, run: list[_Line]) -> Paragraph:
    start, _ = _trim(text, run[0])
    _, end = _trim(text, run[-1])
    return Paragraph(start=start, end=end, line=run[0].index)
