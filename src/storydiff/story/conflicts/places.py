"""Conflicts of place: one event placed in two places that cannot both hold ("built outside
Sallowford" / "to be built near Mistrel"); a city and its country agree (GeoNames), and so do a
venue and its town."""

from __future__ import annotations

from ._names import entity_conflict, _same_role
from .base import Context, Detector, Found, linked_units, pairs_in_facts, pairs_with_near_misses, register


@register
class PlaceDetector(Detector):
    """Places inside a shared fact; against the closest statement of an article that does not report
    the fact, and across statements linked weakly, when both are placed alike in the parse too;
    and the one place each article gives an event."""

    kind = "place"

    def candidates(self, ctx: Context):
        comparison, roles, named_in = ctx.comparison, ctx.roles, ctx.named_in

        def check(slots_a, slots_b, first, second):
            return entity_conflict(comparison, "place", slots_a, slots_b, named_in, first, second, roles)

        def named_alike(slots_a, slots_b, first, second):
            # when the two name it in the same way: "detained ... in Corvel" / "taken into custody in Rennick"
            pair = check(slots_a, slots_b, first, second)
            return pair if pair and _same_role(roles, *pair) else None

        yield from pairs_in_facts(ctx, "place", check)
        yield from pairs_with_near_misses(ctx, "place", named_alike, 1)
        for order, slots_a, slots_b, fact, first, second in linked_units(comparison):
            # a place named the same way in the parse as well as in the words around it
            if pair := named_alike(slots_a, slots_b, first, second):
                yield Found("place", fact, *pair, order=(*order, 1))
        from ._events import frame_order, frames

        for first, second, group, xs, ys in frames(ctx, "place"):
            if len(xs) == 1 and len(ys) == 1 and entity_conflict(comparison, "place", xs, ys, named_in, first, second, roles):
                yield Found("place", None, xs[0], ys[0], order=frame_order(first, second, "place", group))
