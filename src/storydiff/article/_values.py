"""Values written inside sentences, parsed into a form two outlets' versions can be compared in:
dates ("January 5", "two days earlier", "on Sunday", "next June") and quantities ("7,500 foreign
troops", "at least four batteries", "$3 million", "12 kilometres", "78-year-old").

Written by hand, on purpose: a comparison must know which parts a date states (a month alone, a day
without a year) and resolve "two days earlier" against a date in the same text, never against the
day the program runs. dateparser and dateutil fill whatever a date leaves out from the current date,
which would make the output change from one day to the next and guess what the text never says.
Units are converted by pint (`agree`), not here.
"""

from __future__ import annotations

import calendar
import datetime as dt
import dataclasses
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({"jan.": 1, "feb.": 2, "aug.": 8, "sep.": 9, "sept.": 9, "oct.": 10, "nov.": 11, "dec.": 12})
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}  # Monday = 0

_SMALL = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen"
).split()
NUMBER_WORDS = {w: i for i, w in enumerate(_SMALL)}
NUMBER_WORDS.update({w: 10 * (i + 2) for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())})
NUMBER_WORDS.update({"a dozen": 12, "dozen": 12, "half": 0.5})
SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9, "m": 1e6}
# "dozens of", "hundreds of": a range, not a number.
VAGUE = {"dozens": (24, 99), "scores": (40, 99), "hundreds": (200, 999), "thousands": (2000, 9999),
         "millions": (2e6, 9.99e8), "billions": (2e9, 9.99e11)}

_WORD_NUMBER = r"(?:" + "|".join(sorted((w for w in NUMBER_WORDS if " " not in w and w != "half"), key=len, reverse=True)) + r")"
_TENS = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
_UNITS = r"(?:one|two|three|four|five|six|seven|eight|nine)"
_WORD_NUMBERS = r"(?:" + _TENS + r"[- ]" + _UNITS + r"|" + _WORD_NUMBER + r")"  # "twenty-five", never "four one"
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.|Feb\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"
)
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_ORD = r"(?:st|nd|rd|th)?"
_OFFSET_NUMBER = r"(?:\d+|an?|" + _WORD_NUMBER + r")"

DATE_PATTERN = re.compile(
    r"(?P<iso>\b(?P<iy>(?:19|20)\d{2})-(?P<im>[01]\d)-(?P<id>[0-3]\d)\b)"
    r"|(?P<md>\b(?:(?P<mdrel>(?i:next|last|this))\s+)?(?P<m1>" + _MONTH + r")\s+(?P<d1>[0-3]?\d)" + _ORD + r"\b(?:,?\s+(?P<y1>(?:19|20)\d{2})\b)?)"
    r"|(?P<dm>\b(?P<d2>[0-3]?\d)" + _ORD + r"\s+(?:of\s+)?(?P<m2>" + _MONTH + r")(?:,?\s+(?P<y2>(?:19|20)\d{2})\b)?)"
    r"|(?P<month>\b(?:(?P<mrel>(?i:next|last|this|early|late|mid|earlier this|later this))[\s-]+)?(?P<m3>" + _MONTH + r")(?:,?\s+(?P<y3>(?:19|20)\d{2})\b)?)"
    r"|(?P<weekday>\b(?:(?P<wrel>(?i:last|next|this|late|early))\s+)?(?P<wd>" + _WEEKDAY + r")(?:['’]s)?\b)"
    r"|(?P<pubrel>\b(?i:today|yesterday|tomorrow|tonight|(?:earlier |later )?this (?:morning|afternoon|evening|week|month|year)"
    r"|last (?:night|week|month|year)|next (?:week|month|year))\b)"
    r"|(?P<offset>\b(?i:(?P<n>" + _OFFSET_NUMBER + r")\s+(?P<unit>day|week|month|year)s?\s+(?P<dir>ago|earlier|later|before|after|previously|prior))\b)"
    r"|(?P<dayrel>\b(?i:the\s+(?:day|week|month|year)\s+(?:before|after)|the\s+(?:previous|next|following)\s+(?:day|week|month|year))\b)"
    r"|(?P<vague>\b(?i:(?:days|weeks|months|years)\s+(?:earlier|later|before|after|ago)|(?:in\s+)?recent\s+(?:days|weeks|months|years)"
    r"|(?:the\s+)?past\s+(?:few\s+)?(?:days|weeks|months|years))\b)"
    r"|(?P<year>\b(?P<y4>(?:1[5-9]|20)\d{2})\b(?![,.]?\d))"
)
_DATE_AFTER_WEEKDAY = re.compile(r",?\s+(?:" + _MONTH + r"\s+[0-3]?\d\b|[0-3]?\d" + _ORD + r"\s+(?:of\s+)?" + _MONTH + r")")
# "May" is also a verb: as a month it needs a day, a year or a preposition before it.
_MAY_AS_MONTH = re.compile(r"(?:\b(?:in|since|by|until|of|early|late|mid|next|last|this|from|during)[\s-]+)$", re.I)
# A year alone is a date only after a preposition: "in 2019", not "2019 people".
_BEFORE_YEAR = re.compile(r"\b(?:in|since|of|by|until|from|during|early|late|mid)[\s-]+$", re.I)
_FUTURE = re.compile(
    r"\b(?:will|would|is to|are to|is due|are due|scheduled|planned|plans|expected|set to|going to|next|upcoming|coming|"
    r"(?:hope|aim|intend|plan|promise|pledge|vow|want|expect)(?:s|d|ed)? to)\b", re.I
)
_TENSE_WINDOW = 80
# A past-tense verb after the future marker decides: "will buy ..., the companies announced on Monday".
_PAST = re.compile(
    r"\b(?:said|told|was|were|had|did|met|took|came|began|left|held|struck|fled|fell|won|lost|gave|made|went|saw|"
    r"found|sent|spent|shot|hit|broke|ran|rose|drove|flew|wrote|spoke|chose|[a-z]{3,}ed)\b", re.I
)
# "more than 70 years ago", "some two weeks earlier": an offset given roughly places nothing.
_ROUGH = re.compile(r"\b(?:more than|over|about|around|nearly|almost|some|roughly|at least|up to|less than)\s+$", re.I)


def _is_future(before: str) -> bool:
    """Whether a date is spoken of as ahead: a future marker before it, with no past verb between;
    or "from" right before it in a sentence with no past verb ("can collect them from Monday",
    "the shop is open from Monday")."""
    markers = list(_FUTURE.finditer(before))
    if not markers:
        return bool(re.search(r"\bfrom\s+$", before)) and not _PAST.search(before)
    for verb in _PAST.finditer(before, markers[-1].end()):
        if not re.search(r"\b(?:be|been|being|have|has|get|remain|remains|stay|stays)\s+$", before[: verb.start()]):
            return False  # "will buy ..., they announced on Monday"; not "will be sentenced in May", "will remain closed"
    return True


@dataclass(frozen=True)
class DateValue:
    """What a date expression states: any of year, month, day; `weekday` for an unresolved "on
    Sunday". `resolved` is False when the expression cannot be placed ("days earlier", or "on
    Sunday" in an article without a publication date)."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    resolved: bool = True
    year_inferred: bool = False  # the year comes from the publication date, not the text

    @property
    def precision(self) -> str | None:
        if not self.resolved:
            return None
        return "day" if self.day else "month" if self.month else "year" if self.year else None

    def iso(self) -> str | None:
        """'2020-01-03', '2020-01', '2020', '--01-03' (no year stated), '--06'; None when unresolved."""
        if not self.resolved or not (self.year or self.month):
            return None
        year = f"{self.year:04d}" if self.year else "-"
        parts = [year] + ([f"{self.month:02d}"] if self.month else []) + ([f"{self.day:02d}"] if self.day and self.month else [])
        return "-".join(parts)

    def label(self) -> str:
        if not self.resolved:
            return calendar.day_name[self.weekday] if self.weekday is not None else "undated"
        if self.month and self.day:
            text = f"{calendar.month_name[self.month]} {self.day}"
            return f"{text}, {self.year}" if self.year else text
        if self.month:
            return f"{calendar.month_name[self.month]} {self.year}" if self.year else calendar.month_name[self.month]
        return str(self.year) if self.year else "undated"

    def sort_key(self, default_year: int) -> tuple[int, int, int]:
        return (self.year or default_year, self.month or 0, self.day or 0)

    def agrees(self, other: DateValue) -> bool | None:
        """True if the two can be one date ("January" / "January 5"), False if they cannot,
        None when one of them cannot be placed at all."""
        if self.resolved and other.resolved:
            # a year filled in from publication does not count against a stated one, unless the
            # year is all one of them says ("last year" / "June 3" is judged by the year)
            inferred = (self.year_inferred or other.year_inferred) and self.month and other.month
            years = (None, None) if inferred else (self.year, other.year)
            for a, b in (years, (self.month, other.month), (self.day, other.day)):
                if a is not None and b is not None and a != b:
                    return False
            return True
        weekdays = [d.weekday if not d.resolved else d.as_weekday() for d in (self, other)]
        if None in weekdays:
            return None
        return weekdays[0] == weekdays[1]

    def as_weekday(self) -> int | None:
        if self.year and self.month and self.day:
            return dt.date(self.year, self.month, self.day).weekday()  # resolved dates are valid (`_valid`)
        return None


@dataclass(frozen=True)
class DateExpression:
    start: int
    end: int
    text: str
    value: DateValue
    how: str | None = None  # how it was placed: "two days before January 5", "publication date 2020-04-12"


def _valid(year: int | None, month: int | None, day: int | None) -> bool:
    """A real calendar date; without a year, February 29 is allowed."""
    if month is None or not 1 <= month <= 12:
        return month is None
    if day is None:
        return True
    return 1 <= day <= calendar.monthrange(year if year else 2000, month)[1]


def _day_value(day: dt.date, precision: str) -> DateValue:
    if precision == "year":
        return DateValue(day.year)
    if precision == "month":
        return DateValue(day.year, day.month)
    return DateValue(day.year, day.month, day.day)


def _number(word: str) -> int | None:
    word = word.lower()
    if word in ("a", "an"):
        return 1
    if word.isdigit():
        return int(word)
    value = NUMBER_WORDS.get(word)
    return int(value) if value is not None and value >= 1 else None


def _shift(anchor: dt.date, amount: int, unit: str) -> tuple[dt.date, str] | None:
    """The date `amount` units after `anchor` (negative: before), and the precision it keeps;
    None beyond the calendar's range ("3000 years ago")."""
    try:
        if unit == "day":
            return anchor + dt.timedelta(days=amount), "day"
        if unit == "week":
            return anchor + dt.timedelta(weeks=amount), "day"
        months = amount * (12 if unit == "year" else 1)
        index = anchor.year * 12 + anchor.month - 1 + months
        year, month = divmod(index, 12)
        return dt.date(year, month + 1, 1), ("year" if unit == "year" else "month")
    except (ValueError, OverflowError):
        return None


def find_dates(text: str, published: dt.date | None = None, speech: Sequence[tuple[int, int]] = ()) -> list[DateExpression]:
    """Every date expression in `text`, each placed as far as the text and the publication date
    allow; what cannot be placed is kept with `resolved=False`, never guessed. Inside the spans of
    `speech` (quotations) "today" and "on Sunday" count from the day it was said, which the
    publication date does not tell: they stay unplaced."""
    found: list[DateExpression] = []
    for match in DATE_PATTERN.finditer(text):
        kind = match.lastgroup if match.lastgroup in _KINDS else next(k for k in _KINDS if match.group(k))
        said = kind in ("weekday", "pubrel") and any(s <= match.start() < e for s, e in speech)
        if kind == "month" and match.group("m3") == "May" and not match.group("y3") and not match.group("mrel"):
            if not _MAY_AS_MONTH.search(text[max(0, match.start() - 12) : match.start()]):
                continue
        if kind == "year" and not _BEFORE_YEAR.search(text[max(0, match.start() - 8) : match.start()]):
            continue
        if kind == "weekday" and not match["wrel"] and _DATE_AFTER_WEEKDAY.match(text, match.end()):
            continue  # "on Saturday, June 4": the date that follows says it all
        if kind == "year" and int(match["y4"]) < 1900 and _counted(text, match.end()):
            continue  # "in 1850 homes": a count; "founded in 1887" and "since 1878" are years
        window = text[max(0, match.start() - _TENSE_WINDOW) : match.start()]
        future = _is_future(re.split(r"[.;!?\n]\s", window)[-1])
        try:
            value, how = _KINDS[kind](match, None if said else published, future, found, text)
        except (ValueError, OverflowError):  # a date outside the calendar ("the year 0")
            value, how = DateValue(resolved=False), None
        if value.resolved and not _valid(value.year, value.month, value.day):
            value, how = DateValue(resolved=False), None  # "February 30", "April 31"
        found.append(DateExpression(match.start(), match.end(), match.group(0), value, how))
    return found


def _month(name: str) -> int:
    return MONTHS[name.lower()]


def _iso(match, published, future, earlier, text):
    return DateValue(int(match["iy"]), int(match["im"]), int(match["id"])), None


def _month_day(match, published, future, earlier, text):
    month = _month(match["m1"] or match["m2"])
    day = int(match["d1"] or match["d2"])
    if not 1 <= day <= 31:
        return DateValue(resolved=False), None
    year = match["y1"] or match["y2"]
    if year:
        return DateValue(int(year), month, day), None
    year = _year_for(month, published, match["mdrel"], future, day)
    return DateValue(year, month, day, year_inferred=year is not None), None


def _month_only(match, published, future, earlier, text):
    month = _month(match["m3"])
    if match["y3"]:
        return DateValue(int(match["y3"]), month), None
    year = _year_for(month, published, match["mrel"], future)
    return DateValue(year, month, year_inferred=year is not None), None


def _year_for(month: int, published: dt.date | None, relation: str | None, future: bool, day: int = 0) -> int | None:
    """The year of a month named without one: none without a publication date; "next June" is the
    first June after publication, "last March" the last one before it; otherwise the nearest such
    month on the side the tense points to (the past unless the sentence speaks of what will be)."""
    if published is None:
        return None
    relation = (relation or "").lower()
    if relation not in ("next", "last"):
        relation = ""  # "early May", "this June": placed by tense like a bare month
    if relation == "next":
        return published.year + (1 if month <= published.month else 0)
    if relation == "last":
        return published.year - (1 if month >= published.month else 0)
    after = (month, day) > (published.month, published.day) if day else month > published.month
    before = (month, day) < (published.month, published.day) if day else month < published.month
    if not future and after:
        return published.year - 1  # "since October", written in March: the October before
    if future and before:
        return published.year + 1  # "will take effect on January 1", written in November
    return published.year


def _weekday(match, published, future, earlier, text):
    weekday = WEEKDAYS[match["wd"].lower()]
    if published is None:
        return DateValue(weekday=weekday, resolved=False), None
    relation = (match["wrel"] or "").lower()
    back = (published.weekday() - weekday) % 7
    ahead = (weekday - published.weekday()) % 7
    if not relation and future and ahead and match.group(0).endswith(("'s", "’s")):
        # "will receive a premium to Monday's closing price" looks back, "will speak at Thursday's
        # hearing" ahead: the verb does not tell, so the day is kept unplaced rather than guessed
        return DateValue(weekday=weekday, resolved=False), None
    if relation == "next" or (relation != "last" and future and ahead):
        day = published + dt.timedelta(days=ahead or 7)
    elif relation == "last":
        day = published - dt.timedelta(days=back or 7)
    else:
        day = published - dt.timedelta(days=back)
    return _day_value(day, "day"), f"the {match['wd']} of the week published {published.isoformat()}"


def _published_relative(match, published, future, earlier, text):
    if published is None:
        return DateValue(resolved=False), None
    words = " ".join(match.group(0).lower().split())
    how = f"publication date {published.isoformat()}"
    if words.startswith("yesterday"):
        return _day_value(published - dt.timedelta(days=1), "day"), how
    if words.startswith("tomorrow"):
        return _day_value(published + dt.timedelta(days=1), "day"), how
    unit = words.split()[-1]
    if unit in ("week",):
        return DateValue(resolved=False), None  # a week has no calendar name; kept as written
    step = -1 if words.startswith("last") and unit in ("month", "year") else 1 if words.startswith("next") else 0
    if unit == "month":
        return _day_value(_shift(published, step, "month")[0], "month"), how
    if unit == "year":
        return DateValue(published.year + step), how
    if words == "last night":
        return _day_value(published - dt.timedelta(days=1), "day"), how
    return _day_value(published, "day"), how  # today, tonight, this morning


def _offset(match, published, future, earlier, text):
    amount = _number(match["n"])
    if amount is None or _ROUGH.search(text[max(0, match.start() - 14) : match.start()]):
        return DateValue(resolved=False), None
    direction = match["dir"].lower()
    if direction in ("before", "after") and re.match(r"\s*\w", text[match.end() :]):
        return DateValue(resolved=False), None  # "two weeks after he disappeared", "two days before March 5"
    sign = 1 if direction in ("later", "after") else -1
    unit = match["unit"].lower()
    if unit == "week":
        return DateValue(resolved=False), None  # "two weeks ago" is a stretch of days, not a day
    if direction == "ago":
        if published is None:
            return DateValue(resolved=False), None
        shifted = _shift(published, sign * amount, unit)
        if shifted is None:
            return DateValue(resolved=False), None
        return _day_value(*shifted), f"{match.group(0)} from publication {published.isoformat()}"
    return _from_anchor(match, sign * amount, unit, earlier, text, "than ")


def _day_relative(match, published, future, earlier, text):
    words = match.group(0).lower().split()
    unit = words[-1] if words[-1] in ("day", "week", "month", "year") else words[-2]
    if unit == "week":
        return DateValue(resolved=False), None  # "the following week": no day
    sign = -1 if ("before" in words or "previous" in words) else 1
    return _from_anchor(match, sign, unit, earlier, text, "")


def _from_anchor(match, amount: int, unit: str, earlier, text, joiner: str):
    """A narrative offset ("two days earlier", "the day before") counted from the date before it.
    Without a year the count cannot cross February's end or a year boundary safely: left unplaced."""
    anchor = _anchor(earlier, match.start(), text)
    if anchor is None:
        return DateValue(resolved=False), None
    start = anchor.value
    if start.year is None and (unit == "year" or start.month in (2, 3) and unit == "day"):
        return DateValue(resolved=False), None
    shifted = _shift(dt.date(start.year or 2001, start.month, start.day), amount, unit)
    if shifted is None:
        return DateValue(resolved=False), None
    value = _day_value(*shifted)
    if start.year is None:
        if value.year != 2001:
            return DateValue(resolved=False), None  # crossed a year the text does not name
        value = DateValue(None, value.month, value.day)
    elif start.year_inferred:
        value = DateValue(value.year, value.month, value.day, year_inferred=True)
    return value, f"{match.group(0)} {joiner}{anchor.text}"


def _anchor(earlier: list[DateExpression], position: int, text: str) -> DateExpression | None:
    """The date a narrative offset counts from: the last day-precise date before it in the same
    sentence, or failing that in the sentence before."""
    sentence_start = max(text.rfind(". ", 0, position), text.rfind("\n", 0, position))
    previous_start = max(text.rfind(". ", 0, max(0, sentence_start)), text.rfind("\n", 0, max(0, sentence_start)))
    for candidate in reversed(earlier):
        if candidate.start < previous_start:
            break
        if candidate.value.resolved and candidate.value.month and candidate.value.day:
            return candidate
    return None


def _vague(match, published, future, earlier, text):
    return DateValue(resolved=False), None


def _year_only(match, published, future, earlier, text):
    return DateValue(int(match["y4"])), None


_KINDS = {
    "iso": _iso, "md": _month_day, "dm": _month_day, "month": _month_only, "weekday": _weekday,
    "pubrel": _published_relative, "offset": _offset, "dayrel": _day_relative, "vague": _vague, "year": _year_only,
}


# ---------------------------------------------------------------------------------------------
# Quantities

_QUALIFIERS = {
    "at least": (1.0, math.inf), "more than": (1.0, math.inf), "over": (1.0, math.inf), "above": (1.0, math.inf),
    "upwards of": (1.0, math.inf), "in excess of": (1.0, math.inf), "just over": (1.0, 1.15), "just under": (0.85, 1.0),
    "nearly": (0.85, 1.0), "almost": (0.85, 1.0), "close to": (0.85, 1.05), "about": (0.85, 1.15),
    "around": (0.85, 1.15), "approximately": (0.85, 1.15), "roughly": (0.85, 1.15), "some": (0.85, 1.15),
    "an estimated": (0.8, 1.2), "estimated": (0.8, 1.2), "up to": (0.0, 1.0), "as many as": (0.0, 1.0),
    "at most": (0.0, 1.0), "fewer than": (0.0, 1.0), "less than": (0.0, 1.0), "under": (0.0, 1.0),
    "no more than": (0.0, 1.0), "as few as": (1.0, math.inf),
}
_QUALIFIER = r"(?:(?P<qual>" + "|".join(sorted(_QUALIFIERS, key=len, reverse=True)) + r")\s+)?"
_CURRENCY_SIGNS = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}
_CURRENCY_WORDS = {"dollars": "USD", "dollar": "USD", "euros": "EUR", "euro": "EUR", "pounds sterling": "GBP",
                   "yen": "JPY", "yuan": "CNY", "rupees": "INR", "francs": "CHF"}
# Words a physical measure is written with, and pint's name for each.
UNIT_WORDS = {
    "km": "kilometer", "kilometres": "kilometer", "kilometers": "kilometer", "kilometre": "kilometer", "kilometer": "kilometer",
    "miles": "mile", "mile": "mile", "metres": "meter", "meters": "meter", "metre": "meter", "meter": "meter",
    "feet": "foot", "foot": "foot", "ft": "foot", "yards": "yard", "inches": "inch", "cm": "centimeter",
    "centimetres": "centimeter", "centimeters": "centimeter", "millimetres": "millimeter", "mm": "millimeter",
    "kg": "kilogram", "kilograms": "kilogram", "kilos": "kilogram", "tonnes": "metric_ton", "tons": "metric_ton",
    "tonne": "metric_ton", "lbs": "pound", "grams": "gram", "litres": "liter", "liters": "liter", "gallons": "gallon",
    "hectares": "hectare", "acres": "acre", "square kilometres": "kilometer**2", "square kilometers": "kilometer**2",
    "square miles": "mile**2", "mph": "mile/hour", "km/h": "kilometer/hour", "kph": "kilometer/hour",
    "degrees celsius": "degC", "degrees fahrenheit": "degF", "°c": "degC", "°f": "degF", "c": "degC", "f": "degF",
    "hours": "hour", "hour": "hour", "minutes": "minute", "minute": "minute", "seconds": "second",
    # durations: "a 40-year dispute" is "a four-decade-old quarrel", "eight weeks" about "two months"
    "days": "day", "day": "day", "weeks": "week", "week": "week", "months": "month", "month": "month",
    "years": "year", "year": "year", "decades": "calendar_decade", "decade": "calendar_decade",
}
# "35C" / "95F": a capital C or F written against the number is a temperature (never "5 c").
_UNIT = r"(?P<unit>" + "|".join(re.escape(u) for u in sorted(UNIT_WORDS, key=len, reverse=True) if len(u) > 1) + r"|°[CF]|(?<=\d)(?-i:[CF])(?![\w/-]))"
_NUMBER = (
    r"(?:(?P<cur>US\$|[$€£¥])\s?)?(?:a\s+(?=dozen\b))?(?P<num>" + _DIGITS + r"|" + _WORD_NUMBERS + r")"
    r"(?:[\s-](?P<scale>hundred|thousand|million|billion|trillion)(?:(?<=hundred)\s+and\s+(?P<tail>" + _WORD_NUMBERS + r")\b(?![\s-](?:hundred|thousand|million|billion)))?|(?P<abbr>bn|m)\b)?"
)
QUANTITY_PATTERN = re.compile(
    r"(?P<ratio>\b(?:(?P<rqual>more than|over|nearly|almost|about|around|roughly|fewer than|less than|at least)\s+)?"
    r"(?P<rn>\d{1,3}|" + _WORD_NUMBER + r")\s+(?:in|out of)\s+(?P<rd>\d{1,3}|" + _WORD_NUMBER + r")\b(?!\s*(?:%|per|[.,]\d)))"
    # "dozens of people"; alone too ("police detained dozens"), but never "scores" ("she scores")
    r"|(?P<vaguenum>\b(?P<vague>" + "|".join(VAGUE) + r")(?:\s+of\b|(?<!scores)\b(?!['’-])))"
    r"|(?P<age>\b(?P<agenum>" + _DIGITS + r"|" + _WORD_NUMBERS + r")-year-old\b|(?<=[a-z], )(?P<appos>\d{1,3})(?=,(?!\d))"
    r"|\b(?:aged|(?:at|under|over|above|below) the age of)\s+(?P<agednum>\d{1,3}|" + _WORD_NUMBERS + r")\b(?![,.]?\d|\s*(?:%|per|to\b|-|and\b|or\b|,\s*\d))"
    r"|\b(?P<oldnum>\d{1,3}|" + _WORD_NUMBERS + r")\s+years?\s+old\b)"
    r"|(?P<score>\b\d+\s?[-–]\s?\d+\b)"  # a score ("2-1") or a range ("10-12"): never one number
    r"|(?P<plain>(?<![\w.,$€£¥-])" + _QUALIFIER + _NUMBER + r"(?![\w,]*\d)(?!\s?[-–]\s?\d)(?!\s+(?:in|out of)\s+(?:\d|" + _WORD_NUMBER + r")\b)"
    r"(?:\s*(?P<pct>%|per\s?cent\b|percent\b)|[\s-]*" + _UNIT + r"(?![\w/]|-(?!old\b)[a-z])|\s+(?P<curword>" + "|".join(_CURRENCY_WORDS) + r")\b)?)",
    re.IGNORECASE,
)
# Words that end what a number counts: "4 batteries of ...", "12 people were ...".
_COUNT_STOP = frozenset(
    """of in on at to from for with by and or but as than that which who were was are is be been have has had
    will would could should may might said says say after before during since while including the a an this
    these those it its their his her our into over under about per each more less late early earlier later so too
    also still now then already across among between through within against near he she they we i you
    because out off up down when where if not there here back away around just only all both yet until like
    via whose whom what toward towards onto upon amid despite without beyond behind besides plus""".split()
)
_COUNTED = re.compile(r"\s+([a-z][a-z'’-]*)")


@dataclass(frozen=True)
class Quantity:
    start: int
    end: int
    text: str
    value: float  # as written, scaled ("1.96 million" = 1960000)
    low: float  # the interval the wording allows, qualifier and rounding included
    high: float
    unit: str | None = None  # "%", a currency code, a pint unit name, or "years old"
    counted: str | None = None  # what it counts, as written: "foreign troops"

    @property
    def counted_words(self) -> frozenset[str]:
        return frozenset(singular(w) for w in (self.counted or "").split())


def singular(word: str) -> str:
    word = word.lower()
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def parse_number(text: str) -> float | None:
    """'7,500' -> 7500, 'twenty-five' -> 25, 'four' -> 4; None if it is no number."""
    text = text.strip().lower()
    try:
        return float(text.replace(",", ""))
    except ValueError:
        pass
    total = 0.0
    for part in re.split(r"[- ]", text):
        if part not in NUMBER_WORDS:
            return None
        total += NUMBER_WORDS[part]
    return total


def _rounding(written: str, value: float, scale: float) -> float:
    """Half the last unit a number is rounded to: '7,500' -> 50, '2 million' -> 500,000. Numbers
    under 100 written in full are taken as exact: '10 dead' and '12 dead' differ."""
    digits = written.replace(",", "")
    if not digits.replace(".", "").isdigit():
        return 0.0
    if "." in digits:
        return 0.5 * 10.0 ** -min(len(digits.split(".")[1]), 300) * scale
    if value < 100:
        return 0.0 if scale == 1 else 0.5 * scale
    zeros = min(len(digits) - len(digits.rstrip("0")), 300)
    # a round figure may stand for one rounded to its last digit, but never for one 10% away
    return min(0.5 * 10.0**zeros * scale, 0.1 * value * scale)


def find_quantities(text: str, skip: list[tuple[int, int]] = ()) -> list[Quantity]:
    """Every quantity in `text` outside the spans in `skip` (dates, names such as "Covid-19")."""
    found = []
    for match in QUANTITY_PATTERN.finditer(text):
        if any(s < match.end() and match.start() < e for s, e in skip):
            continue
        quantity = _quantity(match, text)
        if quantity is not None:
            found.append(quantity)
    return _without_compound_times(_share_passing_verb(found, text), text)


def _share_passing_verb(found: list[Quantity], text: str) -> list[Quantity]:
    """"surpassed 3.4 million cases and 136,000 deaths": the verb bounds both totals."""
    out = list(found)
    for k in range(1, len(out)):
        first, second = out[k - 1], out[k]
        if first.high == math.inf and second.high != math.inf and re.fullmatch(r"\s*,?\s*and\s+", text[first.end : second.start]):
            if _PASSED.search(text, max(0, first.start - 40), first.start):
                out[k] = dataclasses.replace(second, high=math.inf)
    return out


_TIME_UNITS = frozenset({"hour", "minute", "second"})


def _without_compound_times(found: list[Quantity], text: str) -> list[Quantity]:
    """"2 hours 9 minutes 41 seconds": one time, not three quantities; left out rather than misread."""
    compound = set()
    for first, second in zip(found, found[1:]):
        if first.unit in _TIME_UNITS and second.unit in _TIME_UNITS and re.fullmatch(r"[\s,]*(?:and\s+)?", text[first.end : second.start]):
            compound.update({id(first), id(second)})
    return [q for q in found if id(q) not in compound]


def _quantity(match: re.Match, text: str) -> Quantity | None:
    start, end = match.span()
    if match["ratio"]:
        top, bottom = parse_number(match["rn"]), parse_number(match["rd"])
        if not top or not bottom or top > bottom:
            return None
        value = 100 * top / bottom
        # "two in five" is a rough share: within five points of 40%; "more than four in five": 80% and up
        low, high = value - 5, value + 5
        qualifier = (match["rqual"] or "").lower()
        if qualifier in ("more than", "over", "at least"):
            low, high = value, 100.0
        elif qualifier in ("fewer than", "less than"):
            low, high = 0.0, value
        elif qualifier in ("nearly", "almost"):
            low, high = value - 8, value
        return Quantity(start, end, match.group(0), value, low, high, "%", None)
    if match["score"]:
        return None
    if match["vaguenum"]:
        low, high = VAGUE[match["vague"].lower()]
        counted = _counted(text, end)
        if counted:
            end += len(re.match(r"\s+", text[end:]).group(0)) + len(counted)
        return Quantity(start, end, text[start:end], (low + high) / 2, low, high, None, counted)
    if match["age"]:
        value = parse_number(match["agenum"] or match["appos"] or match["agednum"] or match["oldnum"])
        if value is None:
            return None
        limit = match.group(0).split()[0].lower()
        if limit in ("under", "below"):  # "under the age of five": a ceiling, not an age
            return Quantity(start, end, match.group(0), value, 0, value, "years old", None)
        if limit in ("over", "above"):
            return Quantity(start, end, match.group(0), value, value, float("inf"), "years old", None)
        return Quantity(start, end, match.group(0), value, value, value, "years old", None)
    written = match["num"]
    value = parse_number(written)
    if value is None:
        return None
    word_number = not written[0].isdigit()
    if word_number and written.lower() in ("one", "zero") and not match["scale"]:
        return None  # "one of the", "one user said": a pronoun more often than a count
    if not word_number and not match["qual"] and not match["cur"] and not match["pct"] and not match["unit"] \
            and not match["scale"] and re.fullmatch(r"(?:19|20)\d{2}", written):
        return None  # a year
    if re.fullmatch(r"0\d+", written):
        return None  # "000", "05": a piece of a number or a code ("1, 000" spaced apart), not a count
    if re.match(r"\s*(?::\d|[ap]\.?m\b|st\b|nd\b|rd\b|th\b)", text[match.end("num") :], re.I):
        return None  # a time of day or an ordinal
    scale = SCALES.get((match["scale"] or match["abbr"] or "").lower(), 1.0)
    if match["abbr"] and not match["cur"]:
        return None  # "5m" without a currency is too often a measure or a name
    value *= scale
    if match["tail"]:
        value += parse_number(match["tail"]) or 0.0  # "two hundred and thirty"
    if not math.isfinite(value):
        return None
    unit = None
    if match["cur"]:
        unit = _CURRENCY_SIGNS[match["cur"].upper() if match["cur"].upper() == "US$" else match["cur"]]
    elif match["curword"]:
        unit = _CURRENCY_WORDS[match["curword"].lower()]
    elif match["pct"]:
        unit = "%"
    elif match["unit"]:
        unit = UNIT_WORDS.get(match["unit"].lower()) or UNIT_WORDS.get(match["unit"].lower().replace("°", "°"))
    tolerance = 2.0 if written.lower() == "dozen" else _rounding(written, value / scale, scale)  # "a dozen": 10 to 14
    if tolerance == 0 and (match["pct"] or (unit in PHYSICAL and unit not in _CALENDAR)) and "." not in written:
        # a share or a measure in whole numbers is rounded ("28 percent" is 27.9), unlike a count or a
        # span of days; just under half, so 28 and 29 never touch
        tolerance = 0.49 * scale
    low, high = value - tolerance, value + tolerance
    if match["qual"]:
        lower, upper = _QUALIFIERS[match["qual"].lower()]
        low, high = min(low, value * lower), (math.inf if upper == math.inf else max(high, value * upper))
        if lower >= 1.0 and upper == math.inf and match["qual"].lower() in ("more than", "over", "above", "in excess of"):
            low = value  # "more than 40": 41 and up, but "about 40" in the other outlet is no conflict
    if not match["qual"] and _PASSED.search(text, max(0, start - 40), start):
        low, high = value - tolerance, math.inf  # "deaths surpassed 136,000": a running total, at least that
    counted = None if unit else _counted(text, end)
    if counted:
        end = end + len(re.match(r"\s+", text[end:]).group(0)) + len(counted)
    return Quantity(start, end, text[start:end], value, low, high, unit, counted)


# A total that has passed or reached a mark: "surpassed 136,000", "topped 1 million", "hit 500".
_PASSED = re.compile(
    r"\b(?:surpass(?:ed|es|ing)?|pass(?:ed|es|ing)|top(?:ped|s|ping)|exceed(?:ed|s|ing)?|cross(?:ed|es|ing)|"
    r"reach(?:ed|es|ing)?|hit(?:s|ting)?|climb(?:ed|s|ing)? (?:past|above|to)|rose (?:past|above|to)|rising (?:past|above|to))"
    r"\s+(?:the\s+)?$",
    re.IGNORECASE,
)


def _counted(text: str, position: int) -> str | None:
    """Up to three lower-case words after a number, stopping at a function word: what it counts."""
    words = []
    for _ in range(3):
        match = _COUNTED.match(text, position)
        if not match or match.group(1) in _COUNT_STOP or match.group(1) in NUMBER_WORDS:
            break
        if words and match.group(1).endswith(("ed", "ing")):
            break  # "40 people died", "12 soldiers serving": the verb is not what is counted
        words.append(match.group(1))
        position = match.end()
    return " ".join(words) or None


@lru_cache(maxsize=1)
def _units():
    import pint  # imported on first need: most comparisons never meet two units

    registry = pint.UnitRegistry()
    registry.define("calendar_decade = 10 * year")  # pint's own "decade" is a factor of ten, not a span of time
    return registry


def _in_unit(quantity: Quantity, unit: str) -> tuple[float, float] | None:
    """The quantity's interval expressed in `unit`, if the two measure the same dimension."""
    import pint

    registry = _units()
    try:
        low = registry.Quantity(quantity.low, quantity.unit).to(unit).magnitude
        high = registry.Quantity(quantity.high, quantity.unit).to(unit).magnitude
    except (pint.errors.DimensionalityError, pint.errors.UndefinedUnitError, pint.errors.OffsetUnitCalculusError):
        return None
    return min(low, high), max(low, high)


PHYSICAL = frozenset(UNIT_WORDS.values())
_CALENDAR = frozenset({"day", "week", "month", "year", "calendar_decade"})


# Nouns news uses for one count: "1,400 jobs" / "4,100 workers", "64,000 homes" / "46,000
# households". Kept small and narrow on purpose: a broad class ("people" with "crew" and
# "passengers") would make different counts in one statement face each other.
_KIN_NOUNS = tuple(frozenset(group.split()) for group in (
    "job worker employee staff post position",
    "home household house property dwelling",
    "country nation state",
    "vehicle car",
    "pupil student",
    "fan supporter spectator",
    "sailor seafarer crew",
    "plane aircraft jet",
    "arrest detention",
))


def kin_counted(a: Quantity, b: Quantity) -> bool:
    """Whether two counted nouns, different words, name one kind of thing."""
    return any(a.counted_words & group and b.counted_words & group for group in _KIN_NOUNS)


def comparable(a: Quantity, b: Quantity) -> bool:
    """Whether two quantities could measure the same thing: the same kind of unit, and the same
    counted noun (or one of its kin) where both name one."""
    if (a.unit in PHYSICAL) and (b.unit in PHYSICAL):
        return _in_unit(b, a.unit) is not None
    if a.unit != b.unit:
        return False
    if a.counted and b.counted and a.unit is None:
        return bool(a.counted_words & b.counted_words) or kin_counted(a, b)
    return True  # money: the word after "$3 million" names what it pays for, not what it counts


def quantities_agree(a: Quantity, b: Quantity) -> bool:
    """True when the two wordings allow one value: '40' and 'at least 40', '7,500' and 'about
    7,480', '12 km' and '7.5 miles'."""
    low_b, high_b = b.low, b.high
    if a.unit in PHYSICAL and b.unit in PHYSICAL and a.unit != b.unit:
        converted = _in_unit(b, a.unit)
        if converted is None:
            return True
        # a converted figure is rounded again by the writer: allow 3% either way; calendar spans
        # are looser still ("eight weeks" is "two months", a month being 4.3 weeks)
        slack = 0.1 if {a.unit, b.unit} <= _CALENDAR else 0.03
        low_b, high_b = converted[0] * (1 - slack), converted[1] * (1 + slack)
    return a.low <= high_b and low_b <= a.high
