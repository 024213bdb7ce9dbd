"""Publication dates written out in page text ("30 March 2020 11:20 UTC", "Mar. 30, 2020").

HTML pages get their dates from their metadata (trafilatura's htmldate, without its guesses from
copyright lines and stray dates in the text) or from an explicit "Published ..." line; this module
reads those lines, the date lines of copied text and the date fields of JSON records, where a few
common written forms are all that occur. A date is never guessed: what does not parse is no date.
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
    """A metadata field's date ("2020-03-30T11:20Z", "Published March 30, 2020") as ISO text, or None."""
    if value is None:
        return None
    value = str(value).strip()
    if not value:
        return None
    return _iso(value) or parse_date(value)


def strict_date(value: str) -> str | None:
    """A date a person typed (--date, `dates=`): the whole value must be one real day, else None.

    "2020-03-30", "2020-03-30T11:20:00Z" and "March 30, 2020" are dates; "yesterday",
    "2020-13-45" and "March 2020" are not (nothing is counted from today).
    """
    value = str(value).strip()
    return _iso(value) or parse_date(value, whole=True)


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


def labelled_date(line: str) -> str | None:
    """The date of an explicit "Published ..." line (a short line that is that label and a date)."""
    line = line.strip()
    if len(line.split()) > 14 or not DATE_LABEL.match(line):
        return None
    return parse_date(DATE_LABEL.sub("", line, count=1), whole=True)
