"""Publication dates written out in page text ("30 March 2020 11:20 UTC", "Mar. 30, 2020").

HTML pages get their dates from trafilatura (htmldate); this covers the date lines of copied text
and the date fields of JSON records, where a few common written forms are all that occur.
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
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|urday|sday|day)?\.?,?\s+)?"
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
            return date(int(groups["year"]), month, int(groups["day"])).isoformat()
        except ValueError:
            continue
    return None


def normalize_date(value: str | None) -> str | None:
    """A date given by the user or a metadata field, as ISO text; the value as given if unparseable."""
    if value is None:
        return None
    value = str(value).strip()
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        return parse_date(value) or value
