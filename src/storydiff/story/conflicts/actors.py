"""Conflicts of actor: who did it ("bought by Morrowair" / "Quillany Air has agreed to buy"), and
one quotation credited to two named people."""

from __future__ import annotations

import re
from itertools import combinations

from ..._models import Comparison, Slot
from ...article._speakers import name_key, names_nest, similar_names
from ._names import _named, _overlap, _phrase_heads, entity_conflict
from .base import QUOTE_SPEAKERS, Context, Detector, Found, pairs_in_facts, register


_QUOTED_WORD = re.compile(r"\w+")


def quote_speaker_conflicts(comparison: Comparison) -> list[tuple[Slot, Slot, str, str]]:
    """The same quoted words credited to different named people ("'They need help at the pump
    now,' Finance Minister Dagny Rask said" / "..., Prime Minister Alvar Nyland said"): the
    speaker spans and the two names. Quotations count as the same when most of the shorter one's
    words (at least six) stand in the other."""
    out = []
    quotes = [
        (article, q, set(_QUOTED_WORD.findall(article.text[q.start : q.end].lower())))
        for article in comparison.articles for q in article.quotes
        if q.kind == "direct" and q.named and q.speaker_kind == "person" and q.speaker_start is not None
        # named in the attribution itself: a "he said" resolved to the wrong person must not accuse an outlet
        and set(name_key(q.speaker)) & set(name_key(article.text[q.speaker_start : q.speaker_end]))
    ]
    for (art_a, qa, words_a), (art_b, qb, words_b) in combinations(quotes, 2):
        if art_a.id == art_b.id or min(len(words_a), len(words_b)) < 6:
            continue
        if len(words_a & words_b) < 0.7 * min(len(words_a), len(words_b)):
            continue
        if similar_names(qa.speaker, qb.speaker) or names_nest(qa.speaker, qb.speaker):
            continue
        slots = [
            Slot("actor", art.id, q.speaker_start, q.speaker_end, art.text[q.speaker_start : q.speaker_end], q.speaker, parsed=q)
            for art, q in ((art_a, qa), (art_b, qb))
        ]
        out.append((*slots, qa.speaker, qb.speaker))
    return out



def _covering(credited: set[tuple[int, str, int]], slots) -> set[tuple[int, str, int]]:
    """The slots among `slots` that sit inside an intermediary's credit."""
    return {(s.article, s.field, s.start) for s in slots if any(
        a == s.article and f == s.field and abs(start - s.start) <= 12 for a, f, start in credited)}


@register
class ActorDetector(Detector):
    """Doers inside a shared fact and of one event across articles; the same quoted words credited
    to two named people."""

    kind = "actor"

    def candidates(self, ctx: Context):
        comparison, roles, named_in, labels = ctx.comparison, ctx.roles, ctx.named_in, ctx.labels
        yield from pairs_in_facts(
            ctx, "actor", lambda slots_a, slots_b, first, second: entity_conflict(comparison, "actor", slots_a, slots_b, named_in, first, second, roles)
        )
        from ._events import frame_order, frames

        for first, second, group, xs, ys in frames(ctx, "actor"):
            xs, ys = _phrase_heads(comparison, xs), _phrase_heads(comparison, ys)
            if len(xs) != 1 or len(ys) != 1:
                continue
            a, b = xs[0], ys[0]
            if a.value != b.value and not (
                _named(comparison, a, second, named_in) or _named(comparison, b, first, named_in) or _overlap(comparison, "actor", a, b)
            ):
                yield Found("actor", None, a, b, order=frame_order(first, second, "actor", group))
        for n, (a, b, name_a, name_b) in enumerate(quote_speaker_conflicts(comparison)):
            said = f"{labels[a.article]}: {name_a}; {labels[b.article]}: {name_b}"
            yield Found("actor", None, a, b, order=(QUOTE_SPEAKERS, n), statement=said)

    def veto(self, ctx: Context, found: Found) -> bool:
        # an outlet named as an intermediary is reported as that (or as one credit), not as a second actor
        return found.order[0] < QUOTE_SPEAKERS and bool(_covering(ctx.credited, (found.a, found.b)))
