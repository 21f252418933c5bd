"""Metadata read off the text itself, for the many files that have no front matter.

Real articles carry their date and address as furniture at the top: a
"Saturday, January 8, 2005" line under the headline, a "PUBLISHED: 18:27 EST,
13 December 2012 | UPDATED: ..." block, a dateline ("BRUSSELS, March 3, 2014
(Reuters) - ..."), a date before the headline ("2005/01/08 Tsunami aid ..."), a URL
line.  The cleaner removes those lines from the facts; this module keeps what
they say, so relative times ("yesterday", "on Thursday") resolve against the
publication date and the brief lists the source's address.

Front matter always wins: a value it gives is never replaced.  Only the first
:data:`HEAD_LINES` non-blank lines are read (a date further down is news, not the
article's date), and a line is handed to dateparser only when it is shaped like a
date (a month name or a numeric date, and few words), which also keeps
dateparser's cost to a few lines per source.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from briefgen.records import Source

HEAD_LINES = 12
"""Non-blank lines at the top of the body where a date or URL line is furniture."""
MAX_DATE_WORDS = 12
"""A date line is short: "PUBLISHED: 18:27 EST, 13 December 2012 |" is 7 words."""

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
# a date with day, month and year, written the ways news pages write it
_DATE = (
    rf"(?:{_WEEKDAY},?\s+)?(?:{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH},?\s+\d{{4}})"
    r"|\d{4}[/-]\d{1,2}[/-]\d{1,2}"
)
_HAS_DATE = re.compile(_DATE, re.IGNORECASE)
# "PUBLISHED:", "Updated |" and the like before the date; "|" separates two stamps
_LABEL = re.compile(
    r"^(?:PUBLISHED|UPDATED|Last updated|Posted|Published|Updated)(?:\s+on)?\s*[:|]?\s*",
    re.IGNORECASE,
)
_UPDATED = re.compile(r"^(?:UPDATED|Last updated|Updated)\b", re.IGNORECASE)
# a date opening a line, then the headline or first sentence ("2005/01/08 Tsunami ...",
# "Saturday, March 26, 2005 Up to four times ...")
_DATE_PREFIX = re.compile(
    rf"^(?P<date>\d{{4}}/\d{{1,2}}/\d{{1,2}}|{_WEEKDAY},?\s+{_MONTH}\s+"
    rf"\d{{1,2}},?\s+\d{{4}})\s*(?=\S)"
)
# a wire dateline with a date: "BRUSSELS, March 3, 2014 (Reuters) - ..."
_DATELINE = re.compile(
    rf"^[A-Z][A-Z.' -]{{1,40}},\s+(?P<date>{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|"
    rf"\d{{1,2}}\s+{_MONTH},?\s+\d{{4}})\b"
)
# a weekday date glued to the first sentence by a copy-paste of the page
# ("Tuesday, January 18, 2005Through a telethon, ..."): a line of its own in effect
SENTENCE_DATE_PREFIX = re.compile(rf"^{_WEEKDAY},?\s+{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}")
_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
_STRICT = {
    "STRICT_PARSING": True,
    "REQUIRE_PARTS": ["day", "month", "year"],
    "RETURN_AS_TIMEZONE_AWARE": False,
}


def from_text(source: Source, head: Sequence[str]) -> Source:
    """``source`` with ``published`` and ``url`` filled in from the body's top lines
    (``head``: its first non-blank lines, stripped) when front matter gave none."""
    head = head[:HEAD_LINES]
    published = source.published or publication_date(head)
    url = source.url or next((line for line in head if _URL.match(line)), None)
    if (published, url) == (source.published, source.url):
        return source
    return replace(source, published=published, url=url)


def publication_date(head: Sequence[str]) -> date | None:
    """The first date line's date; a "PUBLISHED" one before an "UPDATED" one."""
    found: list[tuple[bool, date]] = []
    label_updated = False
    for line in head:
        if _LABEL.match(line) and not _LABEL.sub("", line):
            label_updated = bool(_UPDATED.match(line))  # a label alone; its date follows
            continue
        day = line_date(line)
        if day is not None:
            found.append((label_updated or bool(_UPDATED.match(line)), day))
        label_updated = False
    published = [d for updated, d in found if not updated] or [d for _, d in found]
    return published[0] if published else None


def line_date(line: str) -> date | None:
    """The date of a date line ("Saturday, January 8, 2005", "PUBLISHED: 18:27 EST,
    13 December 2012 | UPDATED: ..."), of a line a date opens, or of a dateline."""
    for pattern in (_DATE_PREFIX, _DATELINE):
        match = pattern.match(line)
        if match:
            return parse_date(match.group("date"))
    text = _LABEL.sub("", line).split("|")[0].strip()
    if len(text.split()) > MAX_DATE_WORDS or not _HAS_DATE.search(text):
        return None
    return parse_date(text)


def split_date_prefix(headline: str) -> tuple[date | None, str]:
    """A headline's leading date and the headline without it
    ("2005/01/08 Tsunami aid ..." -> 2005-01-08, "Tsunami aid ...")."""
    match = _DATE_PREFIX.match(headline)
    if not match:
        return None, headline
    return parse_date(match.group("date")), headline[match.end() :]


def parse_date(text: str) -> date | None:
    """A calendar date with day, month and year written out, by dateparser; None if it
    is not one (a relative "yesterday" is not a publication date)."""
    if not _HAS_DATE.search(text):
        return None
    import dateparser  # only sources with a date line pay for the import

    parsed = dateparser.parse(text, languages=["en"], settings=_STRICT)
    return parsed.date() if parsed is not None else None
