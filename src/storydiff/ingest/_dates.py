"""Publication dates written out ("30 March 2020 11:20 UTC", "Mar. 30, 2020", "2020-03-30").

Web pages' dates come from `_page_dates` (metadata, or a "Published ..." line); this module parses
the written forms, and reads the date lines and datelines of copied text and the date fields of
JSON records. A date is never guessed: what does not parse as one whole day is no date.
"""

from __future__ import annotations

import re
from datetime import date, datetime

_MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?P<weekday>mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|urday|sday|day)?\.?,?\s+)?"
_TIME = r"(?:\s*(?:[,|–—-]|at)?\s*\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?)?\s*(?:[A-Z]{2,5}|GMT[+-]\d+|UTC[+-]\d+)?)?"
_PATTERNS = [
    re.compile(r"(?P<year>\d{4})-(?P<mnum>\d{1,2})-(?P<day>\d{1,2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?", re.I),
    re.compile(_WEEKDAY + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})" + _TIME, re.I),
    re.compile(_WEEKDAY + r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r",?\s+(?P<year>\d{4})" + _TIME, re.I),
]


def parse_date(text: str, *, whole: bool = False) -> str | None:
    """The first date in `text` as an ISO string (YYYY-MM-DD), or None.

    With `whole`, the text must be nothing but the date (with weekday, time and zone allowed).
    """
    text = text.strip().strip(".,|")
    for pattern in _PATTERNS:
        match = pattern.fullmatch(text) if whole else pattern.search(text)
        if not match:
            continue
        groups = match.groupdict()
        month = int(groups["mnum"]) if groups.get("mnum") else _MONTHS[groups["month"].lower()]
        try:
            day = date(int(groups["year"]), month, int(groups["day"]))
        except ValueError:
            continue
        if groups.get("weekday") and _WEEKDAY_NUMBERS[groups["weekday"].lower()[:3]] != day.weekday():
            return None  # "Sunday, March 30, 2020" was a Monday: which of the two is meant?
        return day.isoformat()
    return None


_WEEKDAY_NUMBERS = {name: i for i, name in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))}


def normalize_date(value: str | None) -> str | None:
    """A metadata field's date ("2020-03-30T11:20Z", "Published March 30, 2020") as ISO text, or None."""
    if value is None:
        return None
    value = str(value).strip()
    if not value:
        return None
    return _iso(value) or parse_date(value)


def strict_date(value) -> str | None:
    """A date a person typed (--date, `dates=`): the whole value must be one real day, else None.

    "2020-03-30", "2020-03-30T11:20:00Z", "March 30, 2020" and `datetime.date` objects are dates;
    "yesterday", "2020-13-45", "2020-03-30T25:99" and "March 2020" are not (nothing is counted
    from today).
    """
    if isinstance(value, (date, datetime)):
        return value.isoformat()[:10]
    value = str(value).strip()
    if re.match(r"\d{4}-\d{1,2}-\d{1,2}", value):
        return _iso(value)  # ISO form: Python's parser decides, times included
    return parse_date(value, whole=True)


def _iso(value: str) -> str | None:
    if not re.match(r"\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        return None


# "Published: March 30, 2020", "Updated 30 March 2020 11:20 UTC", "Posted on Mar. 30, 2020".
DATE_LABEL = re.compile(
    r"^(?:published|updated|posted|last (?:updated|modified)|first published|date)\s*(?:on|at)?\s*:?\s*", re.IGNORECASE
)
UPDATE_LABEL = re.compile(r"^(?:updated|last (?:updated|modified))\b", re.IGNORECASE)

# A dateline opening the first paragraph: "EASTPORT, March 4, 2026 — ...", "WASHINGTON (Reuters), Jan. 5, 2020 -".
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z .'’-]{1,40}?)(?:,\s*[A-Z][\w.]+)?\s*(?:\([^)]{1,40}\))?\s*,\s*(?P<date>[^—–-]{6,40}?)\s*(?:\([^)]{1,40}\)\s*)?[—–-]\s"
)


def dateline_date(paragraph: str) -> str | None:
    """The date of a dateline that opens an article's first paragraph, when it gives the year."""
    match = _DATELINE.match(paragraph)
    return parse_date(match.group("date"), whole=True) if match else None
