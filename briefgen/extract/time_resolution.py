"""Resolving one time expression to ISO dates against the publication date.

Rule-first: the shapes news text uses most (weekdays, "the weekend", month names, bare
years, ranges) get explicit, predictable rules, because dateparser alone fills missing
fields from the relative base ("2001" -> 2001-07-08) and prefers last week's Monday for
a Monday publication.  dateparser handles the remaining relative phrases ("last week",
"two years ago").  Precision is kept as a range: a month resolves to its first and last
day, a year to Jan 1 - Dec 31, a week to Monday - Sunday.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

from briefgen.extract.number_words import DURATION_UNITS, NUMBER_WORDS, parse_number

Resolved = tuple[date | None, date | None]

WEEKDAYS: dict[str, int] = {name.lower(): i for i, name in enumerate(calendar.day_name)}
MONTHS: dict[str, int] = {name.lower(): i for i, name in enumerate(calendar.month_name) if i}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if i})
MONTHS["sept"] = 9

#: Phrases resolved by a fixed day offset from publication.
DAY_OFFSETS: dict[str, int] = {
    "today": 0,
    "tonight": 0,
    "this morning": 0,
    "this afternoon": 0,
    "this evening": 0,
    "yesterday": -1,
    "last night": -1,
    "tomorrow": 1,
}
#: Frequency adverbs look like dates to spaCy but name no time.
FREQUENCY_WORDS = frozenset(
    [
        "daily",
        "weekly",
        "monthly",
        "yearly",
        "annually",
        "quarterly",
        "hourly",
        "nightly",
        "fortnightly",
    ]
)
#: Characters trimmed from both ends of a candidate (spaCy keeps stray quotes: "' 1945").
JUNK_CHARS = " \t\n'\"\u2018\u2019\u201c\u201d,.;:()"
_HEDGE = (
    r"(?:about|around|almost|nearly|roughly|approximately|some|over|under|just|only|"
    r"at\s+least|at\s+most|more\s+than|less\s+than|fewer\s+than|up\s+to|the\s+full|"
    r"another|a\s+further|between)"
)
_UNIT = "|".join(sorted(DURATION_UNITS, key=len, reverse=True))
MONTH_ALTERNATION = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY = "|".join(WEEKDAYS)
_NUMBER_WORDS = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
#: "11 days", "more than a year", "between three and five days", "six months old".
_DURATION_RE = re.compile(
    rf"(?:{_HEDGE}\s+)*(?P<num>[\w.,-]+(?:\s+[\w-]+)*?)[\s-]+(?:{_UNIT})"
    r"(?:[\s-]+(?:old|long))?",
    re.IGNORECASE,
)
#: A DATE candidate must contain one of these (or a digit): spaCy's small model tags
#: odd spans such as "The prince," as DATE.
TIME_WORD_RE = re.compile(
    rf"\b(?:{MONTH_ALTERNATION}|{'|'.join(WEEKDAYS)}|weekends?|(?:to|yester)day|tomorrow|tonight|"
    r"days?|weeks?|fortnights?|months?|years?|decades?|century|centuries|morning|"
    r"afternoon|evening|night|spring|summer|autumn|fall|winter|quarter|christmas|easter|"
    r"eve|season|era)\b",
    re.IGNORECASE,
)
_AGE_RE = re.compile(r"\bold\b|\baged?\b", re.IGNORECASE)
_MODIFIER_RE = re.compile(
    r"^(?:(?:on|in|from|since|by|until|till|during|at|of|over)\s+)?"
    r"(?:(?:the\s+)?(?:early|earlier|late|later|mid|middle\s+of|end\s+of|"
    r"start\s+of|beginning\s+of)[\s-]+)?"
)
_RANGE_SPLIT = re.compile(
    r"\s+(?:to|until|till|through|and)\s+|\s*[\u2013\u2014]\s*|\s+-\s+"
    r"|(?<=\d)-(?=\d{1,2}\b)|(?<=\d{4})-(?=\d{4}\b)"
)
#: "19 July", "July 19", "Saturday 12 February", "July 19, 2024", "February 2022".
_CALENDAR_RE = re.compile(
    rf"(?:(?P<weekday>{_WEEKDAY}),?\s+)?(?:the\s+)?(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?)?"
    rf"(?P<month>{MONTH_ALTERNATION})\.?(?:\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\b)?"
    r"(?:,?\s+(?P<year>\d{4}))?",
    re.IGNORECASE,
)
_YEAR_RE = re.compile(r"(?:the\s+(?:year\s+)?)?'?(?P<year>\d{4})(?P<decade>'?s)?", re.IGNORECASE)
_ISO_RE = re.compile(r"(?P<y>\d{4})([-/])(?P<m>\d{2})\2(?P<d>\d{2})")
_CENTURY_RE = re.compile(r"(?:the\s+)?(?P<n>\d{1,2})(?:st|nd|rd|th)\s+century")
_WEEKDAY_RE = re.compile(rf"(?:(?P<rel>last|this|next|past)\s+)?(?P<day>{_WEEKDAY})", re.IGNORECASE)
_WEEKEND_RE = re.compile(r"(?:(?P<rel>the|this|last|next|past)\s+)?weekend", re.IGNORECASE)
# Capitalised only: the regex pass runs on raw text, where "may" and "march" are verbs.
_MONTH_CAP = "|".join(sorted({m.capitalize() for m in MONTHS}, key=len, reverse=True))
#: Dates and day names spaCy sometimes leaves untagged (in lists, long titles...).
EXPLICIT_RE = re.compile(
    rf"\b(?:\d{{4}}[-/]\d{{2}}[-/]\d{{2}}"
    rf"|(?:\d{{1,2}}\s+)?(?:{_MONTH_CAP})\.?\s+(?:\d{{1,2}},?\s+)?\d{{4}}"
    rf"|\d{{1,2}}\s+(?:{_MONTH_CAP})|(?:{_MONTH_CAP})\.?\s+\d{{1,2}}"
    rf"|{'|'.join(calendar.day_name)}|[Yy]esterday|[Tt]oday|[Tt]omorrow)\b",
)
#: Day numbers spaCy leaves out of a DATE: "from 12 to 14 |December 2012|".
DAYS_BEFORE_RE = re.compile(
    r"(?:\b\d{1,2}(?:st|nd|rd|th)?\s*(?:-|\u2013|to|and)\s*)?\b\d{1,2}(?:st|nd|rd|th)?\s+$"
)
#: "the past three years", "the last 12 months": a range ending at publication.
_PAST_RE = re.compile(rf"(?:the\s+)?(?:past|last|previous)\s+(?P<num>.+?)\s+(?P<unit>{_UNIT})")


@dataclass(frozen=True, slots=True)
class _Calendar:
    """A date written with a month name; missing fields are None."""

    day: int | None
    month: int
    year: int | None
    weekday: int | None = None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _parse_calendar(text: str) -> _Calendar | None:
    match = _CALENDAR_RE.fullmatch(text)
    if not match or (match.group("d1") and match.group("d2")):
        return None
    day = match.group("d1") or match.group("d2")
    year, weekday = match.group("year"), match.group("weekday")
    return _Calendar(
        int(day) if day else None,
        MONTHS[match.group("month").lower()],
        int(year) if year else None,
        WEEKDAYS[weekday.lower()] if weekday else None,
    )


def _nearest_year(cal: _Calendar, day: int, published: date) -> int:
    # A day-month without a year is the occurrence closest to publication: "to July 19"
    # in a July 8 article is this July, "on 28 December" in a January article last year.
    # A named weekday ("Saturday 12 February") overrides closeness when it fits a year.
    years = [published.year - 1, published.year, published.year + 1]
    fitting = [y for y in years if _safe_date(y, cal.month, day).weekday() == cal.weekday]
    return min(
        fitting or years, key=lambda y: abs((_safe_date(y, cal.month, day) - published).days)
    )


def _safe_date(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _resolve_calendar(cal: _Calendar, published: date | None, forward: bool = False) -> Resolved:
    year = cal.year
    if year is None and published is not None:
        if cal.day is not None:
            year = _nearest_year(cal, cal.day, published)
        elif forward:  # "will be held in December": the next one from publication
            year = published.year if cal.month >= published.month else published.year + 1
        else:  # a bare month is the latest one not after publication
            year = published.year if cal.month <= published.month else published.year - 1
    if year is None or (cal.day is not None and cal.day > 31):
        return None, None
    if cal.day is None:
        return date(year, cal.month, 1), _month_end(year, cal.month)
    try:
        return date(year, cal.month, cal.day), None
    except ValueError:  # "February 30"
        return None, None


def _weekday(day: int, rel: str | None, published: date, forward: bool) -> date:
    """Pick the occurrence of a weekday a news text most likely means."""
    if rel == "next" or (forward and rel is None):
        # A weekday opening a range that runs forward is today or the coming one.
        ahead = (day - published.weekday()) % 7
        return published + timedelta(days=ahead or (7 if rel == "next" else 0))
    back = (published.weekday() - day) % 7
    if rel in ("last", "past") and back == 0:
        back = 7
    return published - timedelta(days=back)


def _weekend(rel: str | None, published: date, forward: bool) -> Resolved:
    # "The weekend" in news is the latest one that has started by publication, unless
    # the sentence looks ahead ("will arrive this weekend").
    saturday = published - timedelta(days=(published.weekday() - 5) % 7)
    if forward and rel != "last" and published.weekday() < 5:
        rel = "next"
    if rel == "next" or (rel == "last" and published.weekday() >= 5):
        saturday += timedelta(days=7 if rel == "next" else -7)
    return saturday, saturday + timedelta(days=1)


def _resolve_year(text: str) -> Resolved:
    match = _YEAR_RE.fullmatch(text)
    if not match:
        return None, None
    year = int(match.group("year"))
    if match.group("decade"):
        return date(year, 1, 1), date(year + 9, 12, 31)
    return date(year, 1, 1), date(year, 12, 31)


def _resolve_relative(text: str, published: date, forward: bool) -> Resolved | None:
    """Weekdays, weekends and fixed offsets; None when the text is none of these."""
    if text in DAY_OFFSETS:
        return published + timedelta(days=DAY_OFFSETS[text]), None
    if match := _WEEKDAY_RE.fullmatch(text):
        rel = match.group("rel")
        day = WEEKDAYS[match.group("day").lower()]
        return _weekday(day, rel.lower() if rel else None, published, forward), None
    if match := _WEEKEND_RE.fullmatch(text):
        rel = match.group("rel")
        return _weekend(rel.lower() if rel else None, published, forward)
    if match := _PAST_RE.fullmatch(text):
        amount = parse_number(match.group("num"))
        if amount is not None and amount == int(amount):
            return _go_back(published, int(amount), DURATION_UNITS[match.group("unit")]), published
    return None


def _go_back(published: date, amount: int, unit: str) -> date:
    """The date ``amount`` units before publication (calendar months and years)."""
    days = {"day": 1, "week": 7, "fortnight": 14}
    if unit in days:
        return published - timedelta(days=amount * days[unit])
    months = amount * {"month": 1, "year": 12, "decade": 120, "century": 1200}.get(unit, 0)
    year, month = divmod(published.year * 12 + published.month - 1 - months, 12)
    return _safe_date(year, month + 1, published.day)


_VAGUE_RE = re.compile(r"\b(?:recent|few|several|many|some|just|couple|coming)\b")
_ANCHOR_RE = re.compile(
    r"\b(?:ago|last|next|this|previous|past|yesterday|tomorrow|today|tonight|week|month|"
    r"year|fortnight|morning|afternoon|evening|night|earlier|later|weekend)"
)


@lru_cache(maxsize=64)
def _date_parser(published: date) -> DateDataParser:
    # imported on first need: most articles resolve every date by the rules above
    from dateparser.date import DateDataParser

    settings = {
        "RELATIVE_BASE": datetime(published.year, published.month, published.day),
        "PREFER_DATES_FROM": "past",
        "PREFER_DAY_OF_MONTH": "first",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    return DateDataParser(languages=["en"], settings=settings)


def _resolve_dateparser(text: str, published: date) -> Resolved:
    # dateparser reads any number as an offset or a day ("the six months" -> August), so
    # only word phrases ("last week") and explicit offsets ("two years ago") go to it.
    has_number = re.search(rf"\d|\b(?:{_NUMBER_WORDS})\b", text)
    if not re.search(r"[a-z]{3}", text) or (has_number and not text.endswith(" ago")):
        return None, None
    # Vague phrases ("recent years", "just days") never resolve, and phrases without an
    # anchor word give dateparser nothing to work with; skipping both also spares most
    # documents dateparser's ~0.4 s first-use cost (it compiles its language data).
    if _VAGUE_RE.search(text) or not _ANCHOR_RE.search(text):
        return None, None
    data = _date_parser(published).get_date_data(text)
    # A time of day means dateparser read a number as seconds ("the 1990s"): reject it.
    if data.date_obj is None or data.date_obj.time() != datetime.min.time():
        return None, None
    day = data.date_obj.date()
    if data.period == "week":
        monday = day - timedelta(days=day.weekday())
        return monday, monday + timedelta(days=6)
    if data.period == "month":
        return date(day.year, day.month, 1), _month_end(day.year, day.month)
    if data.period == "year":
        return date(day.year, 1, 1), date(day.year, 12, 31)
    return day, None


def normalise(text: str) -> str:
    text = re.sub(r"\s+", " ", text.strip(JUNK_CHARS)).lower()
    return _MODIFIER_RE.sub("", text, count=1)


def _resolve_single(text: str, published: date | None, forward: bool = False) -> Resolved:
    """Resolve one (non-range) expression; (None, None) when it cannot be."""
    text = normalise(text)
    if iso := _ISO_RE.fullmatch(text):
        try:
            return date(int(iso["y"]), int(iso["m"]), int(iso["d"])), None
        except ValueError:
            return None, None
    if _YEAR_RE.fullmatch(text):
        return _resolve_year(text)
    if century := _CENTURY_RE.fullmatch(text):
        last_year = int(century["n"]) * 100
        return date(last_year - 99, 1, 1), date(last_year, 12, 31)
    if (cal := _parse_calendar(text)) is not None:
        return _resolve_calendar(cal, published, forward)
    if published is None:
        return None, None
    relative = _resolve_relative(text, published, forward)
    if relative is not None:
        return relative
    return _resolve_dateparser(text, published)


def _resolve_range(first: str, second: str, published: date | None) -> Resolved | None:
    """Resolve "Monday to July 19", "3-5 March", "2003-2005"; None if not a range."""
    a, b = normalise(first), normalise(second)
    cal_a, cal_b = _parse_calendar(a), _parse_calendar(b)
    if a.isdigit() and len(a) <= 2 and cal_b is not None and cal_b.day is not None:
        cal_a = _Calendar(int(a), cal_b.month, cal_b.year)  # "3-5 March": month shared
    elif b.isdigit() and len(b) <= 2 and cal_a is not None and cal_a.day is not None:
        cal_b = _Calendar(int(b), cal_a.month, cal_a.year)  # "March 3-5"
    if cal_a is not None and cal_a.year is None and cal_b is not None and cal_b.year:
        cal_a = _Calendar(cal_a.day, cal_a.month, cal_b.year)
    start = (
        _resolve_calendar(cal_a, published)
        if cal_a
        else _resolve_single(a, published, forward=True)
    )
    end = (
        _resolve_calendar(cal_b, published)
        if cal_b
        else _resolve_single(b, published, forward=True)
    )
    if start[0] is None or end[0] is None:
        return None
    if end[0] < start[0] and cal_b is not None and cal_b.year is None:
        # "from May to August" in a July article: August is the coming one.
        end = _resolve_calendar(cal_b, published, forward=True)
    return start[0], end[1] or end[0]


def resolve(text: str, published: date | None, forward: bool = False) -> Resolved:
    """Resolve a time expression to a (date, until) pair.

    A time that cannot be a date (before year 1 or after 9999: "the last 125,000
    years", "the 0th century", "tomorrow" in an article of 9999-12-31) stays
    unresolved text, ``(None, None)``, whichever step of the arithmetic finds it out.

    Args:
        text: The expression, e.g. "on Sunday", "February 2022", "Monday to July 19".
        published: Publication date that relative expressions are anchored to, or None.
        forward: The sentence looks ahead ("will meet on Thursday"): a bare weekday,
            weekend or month is the next one instead of the latest one.

    Returns:
        ``(date, until)``: ``until`` is set for ranges (including month/year precision);
        ``(None, None)`` when the expression is vague or needs an unknown anchor.
    """
    try:
        return _resolve(text, published, forward)
    except (ValueError, OverflowError):  # out of datetime.date's range
        return None, None


def _resolve(text: str, published: date | None, forward: bool) -> Resolved:
    text = re.sub(r"^(?:from|between)\s+", "", normalise(text))
    if not _ISO_RE.fullmatch(text):
        parts = _RANGE_SPLIT.split(text, maxsplit=1)
        if len(parts) == 2:
            ranged = _resolve_range(parts[0], parts[1], published)
            if ranged is not None:
                return ranged
    return _resolve_single(text, published, forward)


def is_duration(text: str) -> bool:
    """Whether a DATE-like phrase is an amount of time or an age, not a point in time.

    Args:
        text: The phrase, e.g. "11 days", "more than a year", "64-year-old".

    Returns:
        True for numbered durations and ages ("two-day", "six months old"); False for
        vague ("recent years", "just days") and relative ("two years ago") phrases.
    """
    if _AGE_RE.search(text):
        return True
    match = _DURATION_RE.fullmatch(text.strip())
    if not match:
        return False
    number = re.split(r"\s+(?:and|or|to)\s+|-(?=\D)", match.group("num"))[-1]
    return number.lower() in ("a", "an") or parse_number(number) is not None
