"""Conflicts of intermediary: one speaker's words, or one statement, credited to different named
outlets ("told the al-Mawazin news agency" / "told Kuwait's al-Sabah newspaper")."""

from __future__ import annotations

from itertools import combinations

from ..._models import Comparison, Slot
from ..quote_groups import same_credit
from .base import FACT_CREDITS, QUOTE_CREDITS, Context, Detector, Found, by_article, register

_by_article = by_article


def intermediary_conflicts(comparison: Comparison) -> list[tuple[str, Slot, Slot]]:
    """One speaker's words credited through different intermediaries by different outlets."""
    out = []
    for group in comparison.quotes:
        if "different_intermediaries" not in group.flags:
            continue
        credited = {}
        for qm in group.mentions:
            if qm.via and qm.article not in credited:
                written = [s for s in comparison.articles[qm.article].slots if s.kind == "intermediary" and s.text == qm.via]
                slot = min(written, key=lambda s: abs(s.start - qm.start), default=None)
                if slot is not None:
                    credited[qm.article] = slot
        for a, b in combinations(sorted(credited), 2):
            out.append((group.id, credited[a], credited[b]))
    return out


def _fact_credits(comparison: Comparison) -> list[tuple[str, Slot, Slot]]:
    """One statement credited to different intermediaries by different outlets, quoted or not
    ("told Radio Caldera" / "in an interview with the Pellmouth Herald")."""
    out = []
    for fact in comparison.facts:
        by_article = _by_article(fact)
        for first, second in combinations(sorted(by_article), 2):
            # a channel that names no one counts too: "in a written statement" / "told a news conference"
            credits_a = [s for s in by_article[first] if s.kind == "intermediary"]
            credits_b = [s for s in by_article[second] if s.kind == "intermediary"]
            if not credits_a or not credits_b:
                continue
            if any(same_credit(x.text, y.text) for x in credits_a for y in credits_b):
                continue  # "the Herald" / "an interview with the Merrowgate Herald": one credit
            out.append((fact.id, credits_a[0], credits_b[0]))
    return out



@register
class IntermediaryDetector(Detector):
    """Statements of a fact, and quotations of one speaker, credited through different outlets."""

    kind = "intermediary"

    def candidates(self, ctx: Context):
        comparison = ctx.comparison
        for n, (fact_id, a, b) in enumerate(_fact_credits(comparison)):
            yield Found("intermediary", fact_id, a, b, order=(FACT_CREDITS, n))
        for n, (group, a, b) in enumerate(intermediary_conflicts(comparison)):
            yield Found("intermediary", group, a, b, order=(QUOTE_CREDITS, n))
