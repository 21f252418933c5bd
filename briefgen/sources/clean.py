"""Stage 2, clean: drop page furniture line by line, keep every removal with its reason.

Working line by line matters: the seed's first four lines (a photo credit, a
caption, the outlet, a dash) would otherwise be glued onto the first sentence.
Rules are data (``configs/cleaning.yaml``); this module only interprets them.

A rule's pattern may come from an untrusted folder (a ``briefgen.yaml`` is read from
the working folder) and is searched in untrusted text, so its cost is bounded twice:
no rule looks at a line longer than :data:`MAX_RULE_LINE` characters (furniture is
short; this also caps polynomial backtracking), and every search runs under the
``regex`` module's timeout, :data:`RULE_TIMEOUT` seconds.  A timeout is an error
naming the rule's file and line: an exponential pattern (``^(a|aa)+$``) fails on the
first line that triggers it rather than hanging the run.  ``regex`` (a dateparser
dependency) also avoids backtracking outright for many such shapes (``^(a+)+$``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import regex
from pydantic import Field, field_validator

from briefgen.config.base import StrictModel
from briefgen.errors import ConfigError
from briefgen.records import Document, Paragraph, RemovedLine
from briefgen.sources.metadata import (
    HEAD_LINES,
    SENTENCE_DATE_PREFIX,
    from_text,
    split_date_prefix,
)

_SENTENCE_END = re.compile(r"[.!?…:;\"”’'»)\]]\s*$")
# a headline may end in an abbreviation's full stop ("... Continues In U.S.") or in a
# quoted name ("One day until 'Le Grand Départ'"): a quote that closes a sentence
# follows its punctuation ("...,' he said." / "... now.'")
_HEADLINE_END = re.compile(r"\b(?:[A-Z]\.){2,}\s*$|\w[\"”’']\s*$")
HEADLINE_MAX_WORDS = 20
MAX_RULE_LINE = 1_000
"""Lines longer than this (characters, stripped) are never page furniture."""
RULE_TIMEOUT = 0.25
"""Seconds one pattern may spend on one line; a built-in rule takes microseconds."""


class CleaningRule(StrictModel):
    """One line rule; see ``configs/cleaning.yaml`` for the meaning of each field."""

    id: str
    reason: str
    pattern: str
    max_words: int | None = None
    first_lines: int | None = None
    not_first_lines: int | None = None
    unpunctuated: bool = False
    after: list[str] = Field(default_factory=list)
    before: list[str] = Field(default_factory=list)

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, pattern: str) -> str:
        # refused at load time with the file and line, not when the first source is cleaned
        try:
            regex.compile(pattern, regex.IGNORECASE)
        except regex.error as exc:
            raise ValueError(f"invalid regular expression: {exc}") from None
        return pattern


class CleaningConfig(StrictModel):
    """The cleaning rules file."""

    rules: list[CleaningRule]


class _SlowRule(Exception):
    """A rule's search timed out on a line (reported with the source's path)."""

    def __init__(self, rule: str, line: int) -> None:
        super().__init__(rule, line)
        self.rule, self.line = rule, line


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

    def __init__(self, config: CleaningConfig, origins: Mapping[str, str] | None = None) -> None:
        """``origins`` maps a rule id to the ``file:line`` of its pattern, for messages."""
        self.rules = config.rules
        self.origins = dict(origins or {})
        self._patterns = {r.id: regex.compile(r.pattern, regex.IGNORECASE) for r in self.rules}

    def clean(self, doc: Document) -> Document:
        """Return ``doc`` with its kept paragraphs and the removed lines (with reasons)."""
        lines = _split_date_prefixes(
            [ln for ln in _split_lines(doc.text, doc.body_start) if ln.stripped]
        )
        try:
            verdicts = self._judge(lines)
        except _SlowRule as slow:
            where = self.origins.get(slow.rule, "cleaning.yaml")
            raise ConfigError(
                f"{where}: cleaning rule '{slow.rule}': pattern took over {RULE_TIMEOUT:g} s "
                f"on {doc.source.path}:{slow.line} (catastrophic backtracking?); simplify it"
            ) from None
        # a headline line is never a fact; it names the brief only when front matter does not
        if doc.source.title:
            _repeated_title(lines, verdicts, doc.source.title)
        title = doc.source.title or _headline(lines, verdicts)
        removed = tuple(
            RemovedLine(ln.stripped, *_trim(doc.text, ln), ln.index, verdicts[i])
            for i, ln in enumerate(lines)
            if verdicts[i]
        )
        paragraphs = _paragraphs(doc.text, doc.body_start, verdicts, lines)
        # the date and URL lines just removed still say when and where it was published
        head = [ln.stripped for ln in lines[:HEAD_LINES]]
        source = from_text(replace(doc.source, title=title), head)
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
        if rule.not_first_lines is not None and i < rule.not_first_lines:
            return False
        if len(text) > MAX_RULE_LINE:
            return False
        if rule.max_words is not None and len(text.split()) > rule.max_words:
            return False
        if rule.unpunctuated and _SENTENCE_END.search(text):
            return False
        if rule.after and (i == 0 or by_rule[i - 1] not in rule.after):
            return False
        if rule.before and (i + 1 >= len(lines) or by_rule[i + 1] not in rule.before):
            return False
        try:
            return bool(self._patterns[rule.id].search(text, timeout=RULE_TIMEOUT))
        except TimeoutError:
            raise _SlowRule(rule.id, lines[i].index) from None


def _split_lines(text: str, body_start: int) -> list[_Line]:
    out: list[_Line] = []
    pos, number = body_start, text.count("\n", 0, body_start) + 1
    for raw in text[body_start:].splitlines(keepends=True):
        content = raw.rstrip("\r\n")
        out.append(_Line(number, pos, pos + len(content), content))
        pos += len(raw)
        number += 1
    return out


def _split_date_prefixes(lines: list[_Line]) -> list[_Line]:
    """A weekday date glued to a sentence at the top ("Saturday, March 26, 2005 Up to
    four times as many women ...") as two lines of one line number: the date is then
    judged (a dateline) apart from the sentence, which keeps its exact offsets."""
    out: list[_Line] = []
    for i, line in enumerate(lines):
        indent = len(line.text) - len(line.text.lstrip())
        match = SENTENCE_DATE_PREFIX.match(line.text, indent) if i < HEAD_LINES else None
        rest = line.text[match.end() :] if match else ""
        if match is None or not _SENTENCE_END.search(rest) or not rest.strip():
            out.append(line)
            continue
        cut = line.start + match.end()
        out.append(_Line(line.index, line.start, cut, line.text[: match.end()]))
        out.append(_Line(line.index, cut, line.end, rest))
    return out


def _trim(text: str, line: _Line) -> tuple[int, int]:
    start = line.start + (len(line.text) - len(line.text.lstrip()))
    return start, start + len(line.stripped)


def _headline(lines: Sequence[_Line], verdicts: list[str]) -> str | None:
    """A first kept line that is short and unpunctuated reads as the headline (a date
    before it is the publication date, not part of the title)."""
    for i, line in enumerate(lines):
        if verdicts[i]:
            continue
        text = line.stripped
        ends = _SENTENCE_END.search(text) and not _HEADLINE_END.search(text)
        if len(text.split()) <= HEADLINE_MAX_WORDS and not ends:
            verdicts[i] = "headline"
            return split_date_prefix(text)[1] or text
        return None
    return None


def _repeated_title(lines: Sequence[_Line], verdicts: list[str], title: str) -> None:
    """The first kept line is the headline when it repeats the known title (an HTML
    page's text opens with its <h1>; a text file may repeat its front matter title)."""
    wanted = " ".join(title.split()).casefold()
    for i, line in enumerate(lines):
        if not verdicts[i]:
            if " ".join(line.text.split()).casefold() == wanted:
                verdicts[i] = "headline"
            return


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
