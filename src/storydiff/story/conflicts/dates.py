"""Conflicts of date: one event dated differently ("ran aground on Tuesday" / "on November 2");
dates at other precisions agree ("January" / "January 5"), and the report's day never faces the
event's ("announced the find yesterday" / "discovered on March 29")."""

from __future__ import annotations

from ..._models import Slot
from .._roles import Roles
from ._shared import placeable, same_event
from .base import Context, Detector, Found, linked_units, pairs_in_facts, register

_placeable = placeable
_same_event = same_event


def date_conflict(slots_a: list[Slot], slots_b: list[Slot], roles: Roles) -> tuple[Slot, Slot] | None:
    """A date of one side that agrees with none of the other's, facing one of the same form (two
    days, two months, two weekdays) that agrees with none of the first's, unless one dates the
    event and the other the report of it ("discovered on March 29" / "announced the find yesterday")."""
    da = [s for s in slots_a if s.kind == "date" and _placeable(s)]
    db = [s for s in slots_b if s.kind == "date" and _placeable(s)]
    lonely_a, lonely_b = _unagreed_dates(da, db)
    if not (da and db):
        return None
    pairs = [
        (a, b) for a in lonely_a for b in lonely_b
        if _form(a) == _form(b) and _bound(roles, a) == _bound(roles, b)
        and not _report_and_event(roles, a, b) and not _now_and_then(roles, a, b)
    ]
    # dates of one verb first ("ran aground on Tuesday" / "ran aground on November 2", not "began
    # pumping on Thursday"), then written alike: "June 3" faces "June 10" before "Tuesday" does
    pairs.sort(key=lambda pair: (not _same_event(roles, *pair), (pair[0].how is None) != (pair[1].how is None)))
    return pairs[0] if pairs else None


def _bound(roles: Roles, slot: Slot) -> str | None:
    """A deadline or a tally so far ("By Wednesday the fire had blackened ...", "closes by 2025",
    "until Friday") rather than the date of an event: it faces only a bound of its kind."""
    role = roles.of(slot)
    relation = role.relation.removeprefix("prep:") if role is not None else None
    return {"by": "by", "until": "until", "till": "until"}.get(relation)


def _now_and_then(roles: Roles, a: Slot, b: Slot) -> bool:
    """"Ombrey is clearing up today" / "the storm swept across on Monday": the state at the time
    of the report against the event before it."""
    for now, then in ((a, b), (b, a)):
        role_now, role_then = roles.of(now), roles.of(then)
        if (
            role_now is not None and role_then is not None and role_now.progressive and not role_then.progressive
            and now.text.lower() in _REPORT_DAY
        ):
            return True
    return False


_REPORT_DAY = frozenset({"today", "tonight", "now", "this morning", "this afternoon", "this evening"})


def _report_and_event(roles: Roles, a: Slot, b: Slot) -> bool:
    role_a, role_b = roles.of(a), roles.of(b)
    return role_a is not None and role_b is not None and role_a.reporting != role_b.reporting


def _form(slot: Slot) -> str | None:
    """What a date fixes: a day (written as a date or as a placed weekday), a month, a year, or an
    unplaced weekday. Only dates of one form face each other: "June 3" / "June 10", not "June" / "2025"."""
    if not slot.resolved:
        return "weekday"
    return slot.parsed.precision


def _unagreed_dates(mine: list[Slot], theirs: list[Slot]) -> tuple[list[Slot], list[Slot]]:
    """Each side's dates that agree with none of the other's."""
    return (
        [a for a in mine if all(a.parsed.agrees(b.parsed) is False for b in theirs)],
        [b for b in theirs if all(b.parsed.agrees(a.parsed) is False for a in mine)],
    )



@register
class DateDetector(Detector):
    """Dates inside a shared fact, across statements linked weakly when both date one verb, and the
    one date each article gives an event."""

    kind = "date"

    def candidates(self, ctx: Context):
        comparison, roles = ctx.comparison, ctx.roles
        # dates are not compared with near misses: those are too often other events with other dates
        yield from pairs_in_facts(ctx, "date", lambda slots_a, slots_b, first, second: date_conflict(slots_a, slots_b, roles))
        for order, slots_a, slots_b, fact, _, _ in linked_units(comparison):
            # a date of the same verb: "ran aground on Tuesday" / "since it ran aground on November 3"
            pair = date_conflict(slots_a, slots_b, roles)
            if pair and _same_event(roles, *pair):
                yield Found("date", fact, *pair, order=(*order, 2))
        from ._events import frame_order, frames

        for first, second, group, xs, ys in frames(ctx, "date"):
            if len(xs) == 1 and len(ys) == 1 and date_conflict(xs, ys, roles):
                yield Found("date", None, xs[0], ys[0], order=frame_order(first, second, "date", group))
