"""Tests on one value that several kinds of conflict use: a count of what is left, a date that
can be placed, two dates of one event."""

from __future__ import annotations

import re

from ..._models import Comparison, Slot
from .._pairscore import stemmer, stopwords
from .._roles import Roles

# A count of what is left or added, not of the whole: "four other regions" (beside the capital),
# "about seven kilometres to go" (at the 35-kilometre mark), "30,000 households were still without power".
_REST_WORDS = frozenset({"other", "more", "further", "additional", "extra", "remaining"})
_COMPARATIVES = frozenset("smaller larger bigger newer older younger richer poorer wealthier smallest largest biggest newest oldest".split())
_REST_AFTER = re.compile(r"\s*(?:to\s+go|to\s+play|from\s+(?:full\s+)?time|from\s+the\s+end|before\s+the\s+end|left|remaining|(?:(?:were|was|are|is|remain|remained)\s+)?still)\b", re.I)


def remainder(comparison: Comparison, slot: Slot) -> bool:
    counted = (slot.parsed.counted or "").lower().split()
    if counted and (counted[0] in _REST_WORDS or (len(counted) > 1 and counted[0] in _COMPARATIVES)):
        return True  # "four other regions", "four smaller islands" (beside the two named)
    return bool(_REST_AFTER.match(comparison.articles[slot.article].field_text(slot.field), slot.end))


def placeable(slot: Slot) -> bool:
    value = slot.parsed
    return value.resolved or value.weekday is not None


WHEN = frozenset({"npadvmod", "tmod", "prep:on", "prep:in", "prep:at", "prep:during"})


def same_event(roles: Roles, a: Slot, b: Slot) -> bool:
    from .._roles import same_event_word

    role_a, role_b = roles.of(a), roles.of(b)
    if role_a is None or role_b is None or role_a.reporting or role_b.reporting:
        return False
    stem = stemmer().stemWord
    if not (stem(role_a.head) == stem(role_b.head) or same_event_word(role_a.head, role_b.head)) or role_a.head in stopwords():
        return False
    # "called an election yesterday" dates the calling, "called an election for November 6" the vote
    return role_a.relation == role_b.relation or {role_a.relation, role_b.relation} <= WHEN
