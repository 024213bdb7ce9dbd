"""Conflicts of quantity: two counts, sums, shares or measures of one thing that cannot both hold
("Nine people died" / "Seven people were confirmed dead"); values the wording allows to be one do
not conflict ("at least four" / "four", "about 7,500" / "7,480", "12 kilometres" / "7.5 miles")."""

from __future__ import annotations

import re

from ..._models import Comparison, Slot
from .._pairscore import stemmer
from .._roles import Roles, event_groups
from ...article._values import NUMBER_WORDS, PHYSICAL, comparable, quantities_agree, singular
from ..tensions import topic_of
from ._shared import remainder
from .base import WORD, Context, Detector, Found, context_words, linked_units, pairs_in_facts, pairs_with_near_misses, register

_WORD = WORD
_remainder = remainder


def _quantities_comparable(comparison: Comparison, a: Slot, b: Slot) -> bool:
    """Two quantities are about the same thing when their units match and what they count shares
    a word ("7,500 foreign troops" / "7,480 troops"); without a counted word on a side, when the
    words around them share one ("sales of about $5.4 billion" is not "a deal worth $2 billion")."""
    qa, qb = a.parsed, b.parsed
    both_counts = bool(qa.counted and qb.counted) and qa.unit is None is qb.unit
    # "Fourteen miners were trapped" / "the 17 men trapped": people either way
    people = both_counts and _people(qa) and _people(qb)
    if not (comparable(qa, qb) or people):
        return False
    if both_counts:
        if qa.counted_words & qb.counted_words - _ANYONE:
            return True  # they share a counted word
        # kin nouns ("jobs" / "workers"), people in two words, "three people" / "five people dead":
        # only if the words around them agree
        return bool(_around(comparison, a) & _around(comparison, b))
    if not _bare_counts_alike(comparison, a, b):
        return False
    return bool(context_words(comparison, a) & context_words(comparison, b))


def _bare_counts_alike(comparison: Comparison, a: Slot, b: Slot) -> bool:
    """A bare number against a count: "1,240 people" / "three Little Birch plants" count alike
    only if what follows the bare number says so ("Five of the seven members" is no count of members)."""
    qa, qb = a.parsed, b.parsed
    if bool(qa.counted) == bool(qb.counted):
        return True
    counted, bare = (qa, b) if qa.counted else (qb, a)
    following = comparison.articles[bare.article].field_text(bare.field)[bare.end : bare.end + 40]
    return bool(counted.counted_words & {singular(w) for w in _WORD.findall(following.lower())[:4]})


def _around(comparison: Comparison, slot: Slot) -> set[str]:
    """The words around a count, with the topics of its own words ("five people dead" is about deaths)."""
    own = {topic_of(w) for w in slot.parsed.counted_words} - {None}
    return context_words(comparison, slot) | own


# Nouns for people, as `singular` leaves them (what a count of people is written with).
_PEOPLE = frozenset(
    """child children troop police victim patient tourist civilian pupil student fan crew staff pilgrim migrant
    refugee miner worker passenger resident soldier officer firefighter protester demonstrator employee villager
    climber hiker teacher doctor nurse driver sailor fisherman fishermen farmer prisoner inmate hostage survivor
    runner player athlete voter member delegate visitor spectator""".split()
)


def _people(quantity) -> bool:
    """Whether a count is of people ("miners", "men", "passengers"), from a curated list."""
    return bool(quantity.counted_words & (_ANYONE | _PEOPLE))


# Counted words that say little: "arrested 41 people" and "some 5,000 people marched" are two
# counts, so these need shared words around them as well.
_ANYONE = frozenset({"people", "person", "other", "man", "woman", "men", "women", "individual"})


def quantity_conflict(comparison: Comparison, slots_a: list[Slot], slots_b: list[Slot], roles: Roles) -> tuple[Slot, Slot] | None:
    qa = [s for s in slots_a if s.kind == "quantity" and not _remainder(comparison, s)]
    qb = [s for s in slots_b if s.kind == "quantity" and not _remainder(comparison, s)]
    lonely_a, lonely_b = _unanswered(qa, qb), _unanswered(qb, qa)
    for a in qa:
        others = [b for b in qb if _quantities_comparable(comparison, a, b)] or _sole_counterpart(a, lonely_a, lonely_b)
        # "seven of the nine members" gives a whole; "two members wanted to hold" a part of it
        whole = _partitive_whole(comparison, a)
        others = [b for b in others if _partitive_whole(comparison, b) == whole and not _answered(comparison, b, a.article)]
        if not others or any(quantities_agree(a.parsed, b.parsed) for b in others):
            continue
        others = [b for b in others if not _two_events(roles, a, b)]  # last: it parses
        if not others:
            continue
        b = min(others, key=lambda b: abs(b.parsed.value - a.parsed.value))
        # "87 of the 180 seats" / "With 87 seats ... the 180-seat parliament": an outlet that gives
        # the other's figure anywhere does not dispute it
        if _stated_anywhere(comparison, a, b.article) or _stated_anywhere(comparison, b, a.article):
            continue
        return a, b
    return None


def _answered(comparison: Comparison, b: Slot, article: int) -> bool:
    """A value the other article already states in the same words: "Nearly 40 people were
    killed" is its "at least 37 people", not the 19 who died in an earlier quake. A floor answers
    only values near it ("at least two hurt" does not answer "30 killed")."""
    return any(
        s.kind == "quantity" and (_bounded(s) or 0 < s.parsed.low and b.parsed.high <= 1.5 * s.parsed.low) and s.parsed.unit == b.parsed.unit
        and s.parsed.counted_words & b.parsed.counted_words and quantities_agree(s.parsed, b.parsed)
        for s in comparison.articles[article].slots
    )


def _two_events(roles: Roles, a: Slot, b: Slot) -> bool:
    """Counts of people that two different events name ("arrested 41 people" / "5,000 people
    marched"): both hang as subject or object from event words (verbs or nouns, `_roles`) of no common group.
    Counts of one specific noun ("trying to reach 12 miners" / "to free 17 miners") are left to
    face each other, as event words vary more than such nouns do."""
    if a.parsed.counted_words & b.parsed.counted_words - _ANYONE:
        return False
    role_a, role_b = roles.of(a), roles.of(b)
    if role_a is None or role_b is None or not {role_a.relation, role_b.relation} <= {"nsubj", "nsubjpass", "dobj"}:
        return False
    return _different_events(role_a, role_b)


def _different_events(role_a, role_b) -> bool:
    """Both heads are event words, of no common group ("arrested" / "marched")."""
    groups_a, groups_b = event_groups({role_a.head}), event_groups({role_b.head})
    return bool(groups_a) and bool(groups_b) and not groups_a & groups_b


_PARTITIVE = re.compile(r"([\w,.]+)\s+(?:of|out of)\s+(?:the|its|their|his|her|our|all)\s+$", re.I)
_SHARE_WORDS = frozenset("all most some many none each half majority few several".split())


_PART_OF = re.compile(r"\s+(?:of|out of)\s+(?:the|its|their|his|her|our|all)\b", re.I)


def _partitive_part(comparison: Comparison, slot: Slot) -> bool:
    """A number before "of the": a part of a whole ("Five of the seven members voted for"), which
    another count may complement ("two voted against") rather than contradict."""
    return bool(_PART_OF.match(comparison.articles[slot.article].field_text(slot.field), slot.end))


def _partitive_whole(comparison: Comparison, slot: Slot) -> bool:
    """A number after "seven of the": the whole a part is taken from ("news of the 17 men" is not)."""
    text = comparison.articles[slot.article].field_text(slot.field)
    found = _PARTITIVE.search(text, max(0, slot.start - 30), slot.start)
    if not found:
        return False
    part = found.group(1).lower()
    return part[:1].isdigit() or part in NUMBER_WORDS or part in _SHARE_WORDS


_DURATIONS = frozenset({"day", "week", "month", "year", "calendar_decade"})


def _faces_alone(unit: str | None) -> bool:
    """Kinds of value that may face their counterpart without shared words: bare numbers, shares,
    sums, ages and durations ("nine years in prison" / "six years behind bars"), not measures."""
    return unit not in PHYSICAL or unit in _DURATIONS


def _unanswered(own: list[Slot], other: list[Slot]) -> list[Slot]:
    """The quantities of one side that agree with nothing comparable on the other."""
    return [a for a in own if not any(comparable(a.parsed, b.parsed) and quantities_agree(a.parsed, b.parsed) for b in other)]


def _sole_counterpart(a: Slot, lonely_a: list[Slot], lonely_b: list[Slot]) -> list[Slot]:
    """Inside one fact, a value of a kind (an age, a share, a sum, an uncounted number) that each
    side states once and that agree with nothing on the other side face each other even when the
    words around them differ: "died aged 109" / "died at the age of 111", "rise 8%" / "up 12%".
    Counted numbers face counted numbers of the same or a kindred noun ("1,400 jobs" / "4,100
    workers", never "42 people" / "29 passengers"); measures need the words around them to
    match, as a 35-kilometre route is not a place seven kilometres away."""
    def same_kind(x: Slot, y: Slot) -> bool:
        if not comparable(x.parsed, y.parsed):  # for counted numbers: the same or a kindred noun
            return False
        if _adjectival(x) != _adjectival(y):
            return False  # "the festival's nine-year history" describes a noun; "three days" says how long
        if x.parsed.unit is None:
            return bool(x.parsed.counted) == bool(y.parsed.counted)
        return _faces_alone(x.parsed.unit)

    if a not in lonely_a or not _faces_alone(a.parsed.unit):
        return []
    # stricter on this side than on the other: `a` must be its side's only unanswered value of its
    # unit (any bare number, counted or not), so "1,800 people employed" with "600 people" laid off
    # beside other bare figures faces nothing
    mine = [x for x in lonely_a if x.parsed.unit == a.parsed.unit or {x.parsed.unit, a.parsed.unit} <= _DURATIONS]
    theirs = [b for b in lonely_b if same_kind(a, b)]
    return theirs if len(mine) == 1 and len(theirs) == 1 else []


def _adjectival(slot: Slot) -> bool:
    """A value written as a modifier: "nine-year", "35-kilometre" (not "thirty-one homes", "12 co-workers")."""
    first = slot.text.split()[0] if slot.text.split() else ""
    return "-" in first and first.rsplit("-", 1)[1].lower() not in NUMBER_WORDS


def _bounded(slot: Slot) -> bool:
    """A figure that names a value, not only a floor or a ceiling: "over five years" agrees with
    any sentence longer than five years, and says nothing about which."""
    low, high = slot.parsed.low, slot.parsed.high
    return 0 < low and high <= 1.5 * low


def _bare(slot: Slot) -> bool:
    return slot.parsed.unit is None and not slot.parsed.counted


def _stated_anywhere(comparison: Comparison, value: Slot, article: int) -> bool:
    """Whether the article gives the value somewhere, also as a bare number ("terms of seven years"
    / "five-year terms instead of seven")."""
    return any(
        s.kind == "quantity" and _bounded(s) and (
            (comparable(value.parsed, s.parsed) and quantities_agree(value.parsed, s.parsed))
            or (s.parsed.value == value.parsed.value and (_bare(s) or _bare(value)))
        )
        for s in comparison.articles[article].slots
    )


def _counted_stems(pair: tuple[Slot, Slot]) -> set[str]:
    stem = stemmer().stemWord
    return {stem(w) for s in pair for w in (s.counted or "").lower().split()}


def _quantity_pairs(mine: list[Slot], theirs: list[Slot]) -> list[tuple[Slot, Slot]]:
    """Figures that could measure one thing and cannot both hold."""
    return [(a, b) for a in mine for b in theirs if comparable(a.parsed, b.parsed) and not quantities_agree(a.parsed, b.parsed)]




@register
class QuantityDetector(Detector):
    """Counts, sums, shares and measures: inside a shared fact; against the closest statement of
    an article that does not report the fact (a different number is often what kept them apart);
    across statements alignment linked weakly; and the counts one event gives in each article."""

    kind = "quantity"

    def candidates(self, ctx: Context):
        comparison, roles = ctx.comparison, ctx.roles

        def check(slots_a, slots_b, first, second):
            return quantity_conflict(comparison, slots_a, slots_b, roles)

        yield from pairs_in_facts(ctx, "quantity", check)
        yield from pairs_with_near_misses(ctx, "quantity", check, 0)
        for order, slots_a, slots_b, fact, _, _ in linked_units(comparison):
            pair = quantity_conflict(comparison, slots_a, slots_b, roles)
            # statements alignment kept apart need more than a shared noun: shared words around the numbers
            if pair and context_words(comparison, pair[0]) & context_words(comparison, pair[1]) - _counted_stems(pair):
                yield Found("quantity", fact, *pair, order=(*order, 0))
        from ._events import frame_order, frames

        for first, second, group, xs, ys in frames(ctx, "quantity"):
            pair = quantity_conflict(comparison, xs, ys, roles)
            if pair:
                yield Found("quantity", None, *pair, order=frame_order(first, second, "quantity", group))
