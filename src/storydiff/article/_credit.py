"""A quotation's credit, split in two: the intermediary and the channel.

The attribution patterns find whatever follows "told", "in", "according to", "via": "Kuwait's
al-Sabah newspaper", "a statement to NBC News", "remarks", "another tweet". Only some of that is an
intermediary, the outlet, agency, broadcast or platform the words reached the article through;
the rest is the channel, the form they took. A fact-checker compares intermediaries across
outlets ("al-Mawazin" / "al-Sabah"); a statement and an interview are no disagreement. The words
that decide are language data (`resources/lang/en/credits.json`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from ..resources import resource_path


@dataclass(frozen=True)
class Credit:
    intermediary: str | None  # "al-Sabah newspaper", "NBC News", "Twitter"
    channel: str | None  # "a statement", "remarks", "an interview"
    certain: bool  # False when the intermediary may be a person spoken to ("told Todd")


@lru_cache(maxsize=1)
def _words() -> dict:
    return json.loads(resource_path("lang/en/credits.json").read_text(encoding="utf-8"))


def _phrase_pattern(phrases) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True)) + r")\b", re.I)


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern, re.Pattern]:
    words = _words()
    return (
        _phrase_pattern(words["channels"]), _phrase_pattern(words["media"]),
        _phrase_pattern(words["platforms"]), _phrase_pattern(words["not_intermediaries"]),
    )


_LINK = re.compile(r"\s+(?:to|with|on|in|from|for|via|by|published by|aired on|broadcast on)\s+(?:the\s+)?", re.I)
_CAPITALISED = re.compile(r"(?<![\w'’-])(?:[A-Z][\w'’.&-]*|al-[\w'’-]+)")
_DETERMINERS = re.compile(r"^(?:the|a|an|his|her|their|its|another|one|an official|official)\s+", re.I)


def split_credit(credit: str | None) -> Credit:
    """The intermediary and the channel in a credit as the attribution patterns found it."""
    if not credit or not credit.strip():
        return Credit(None, None, True)
    credit = " ".join(credit.split())
    channels, media, platforms, not_intermediaries = _patterns()
    credit = _TRAILING_TIME.sub("", credit)  # "told the Associated Press Tuesday": when, not who
    head, _, tail = _split_at_link(credit)
    if _audience().search(head) and not platforms.search(credit):
        return Credit(None, credit, True)  # "in remarks to the Chicago Council": an audience, a venue
    if channels.search(head):
        # "a statement to NBC News", "an interview with Fox News", "a post on Facebook"
        outlet = _intermediary(tail) if tail else None
        if outlet is None and (platform := platforms.search(credit)):
            outlet = _words()["platforms"][platform.group(0).lower()]
        return Credit(outlet, head if outlet else credit, True)
    if platform := platforms.fullmatch(credit.strip()) or platforms.search(credit):
        return Credit(_words()["platforms"][platform.group(0).lower()], None, True)
    outlet = _intermediary(credit)
    if outlet is None:
        return Credit(None, credit, True)
    # A person spoken to ("told Todd") is no outlet; "the Review-Journal", "NBC", "Meet the Press" are.
    # An outlet only described ("the newspaper") is one the article named before: possible.
    named = bool(_CAPITALISED.search(outlet))
    sure = named and (
        bool(media.search(outlet)) or len(_CAPITALISED.findall(outlet)) >= 2
        or bool(re.fullmatch(r"[A-Z]{2,6}", outlet)) or credit.lower().startswith("the ")
    )
    return Credit(outlet, None, sure)


_TRAILING_TIME = re.compile(
    r"(?:\s+(?:on\s+)?(?:last\s+|this\s+|early\s+|late\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"today|yesterday|tonight|morning|afternoon|evening|night|week))+\s*$",
    re.I,
)


@lru_cache(maxsize=1)
def _audience() -> re.Pattern:
    return _phrase_pattern(_words()["audiences"])


def _split_at_link(credit: str) -> tuple[str, str, str]:
    match = _LINK.search(credit)
    if not match:
        return credit, "", ""
    return credit[: match.start()], match.group(0), credit[match.end() :]


def _intermediary(text: str) -> str | None:
    """The outlet a text names, if it names one: a capitalised name or a media noun, never the
    speaker's own people ("her office", "his lawyer") nor a bare description ("a new report")."""
    channels, media, platforms, not_intermediaries = _patterns()
    text = text.strip(" ,.;:()")
    bare = _DETERMINERS.sub("", text)
    if not bare or not_intermediaries.fullmatch(bare) or re.match(r"^(?:his|her|their|its)\s", text, re.I):
        return None
    if _CAPITALISED.search(bare) or media.search(bare):
        if not _CAPITALISED.search(bare) and not re.match(r"^(?:the|this|that)\s", text, re.I):
            return None  # "a newspaper": some outlet, not one the article names
        # As written, less a leading "a"/"an" ("the Dunmore Herald" keeps its article).
        return re.sub(r"^(?:an?|another)\s+", "", text, flags=re.I)
    return None
