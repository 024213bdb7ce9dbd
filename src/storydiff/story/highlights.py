"""Stage: what matters most in a comparison, ranked, for every output to open with.

1. the conflicts the tool is sure of, strongest first;
2. quotations whose wording or credited source differs between outlets;
3. for each outlet, the few most salient things only it reports. Salience of a unique statement:
   how near the lead it sits (news puts what matters first), how many names and numbers it holds
   (checkable specifics), and how much of what surrounds it the other outlets also report (an
   outlet leaving out one step of a story the others tell is more telling than a side story).

Reads only certain findings: a highlight is never a possible one.
Needs: facts, quotes, conflicts with their levels (the `confidence` stage); adds `Comparison.highlights`.
"""

from __future__ import annotations

import re

from .._models import Comparison, Fact, Highlights

PER_OUTLET = 3
MIN_WORDS = 6  # a unique "fact" shorter than this is a fragment or a label, not a finding to lead with
_FLAG_WEIGHT = {"different_intermediaries": 3, "wording_differs": 2, "direct_vs_reported": 1}
_NUMBER = re.compile(r"\d")


def salience(comparison: Comparison, fact: Fact, shared_sentences: dict[int, set[int]]) -> float:
    """How much a unique fact matters, from 0 to 1 (see the module's notes; `shared_sentences`: `_shared_sentences`)."""
    mention = fact.mentions[0]
    article = comparison.articles[mention.article]
    sentences = article.sentences
    index = next((k for k, s in enumerate(sentences) if s.start <= mention.start < s.end), 0)
    lead = 1.0 - index / max(1, len(sentences) - 1)
    names = sum(1 for f, s, e, _ in article.named_entities if f == "text" and mention.start <= s and e <= mention.end)
    numbers = len(_NUMBER.findall(mention.text))
    specifics = min(1.0, (names + min(numbers, 2)) / 3)
    near = [k for k in range(index - 2, index + 3) if 0 <= k < len(sentences) and k != index]
    covered = sum(k in shared_sentences[mention.article] for k in near) / max(1, len(near))
    return round(0.45 * lead + 0.35 * specifics + 0.2 * covered, 3)


def _shared_sentences(comparison: Comparison) -> dict[int, set[int]]:
    """Each article's sentences that tell a fact other outlets report too (found once, not per fact ranked)."""
    out: dict[int, set[int]] = {a.id: set() for a in comparison.articles}
    for f in comparison.facts:
        if f.status == "unique":
            continue
        for m in f.mentions:
            out[m.article] |= {k for k, s in enumerate(comparison.articles[m.article].sentences) if s.start <= m.start < s.end}
    return out


class HighlightPicker:
    """Pipeline component: fills `comparison.highlights` (runs after `confidence`)."""

    name = "highlights"

    def __call__(self, comparison: Comparison) -> None:
        conflicts = sorted(
            (c for c in comparison.conflicts if c.level == "certain"), key=lambda c: (-(c.confidence or 0), c.id)
        )
        quotes = sorted(
            (g for g in comparison.quotes if g.level == "certain" and len(g.articles) > 1 and any(f in _FLAG_WEIGHT for f in g.flags)),
            key=lambda g: (-max(_FLAG_WEIGHT.get(f, 0) for f in g.flags), -len(g.articles), g.id),
        )
        unique: dict[int, list[str]] = {}
        shared_sentences = _shared_sentences(comparison)
        for article in comparison.articles:
            if article.id in comparison.off_story:
                continue
            candidates = [
                f for f in comparison.unique_facts(article.id)
                if f.level == "certain" and len(f.mentions[0].text.split()) >= MIN_WORDS
            ]
            ranked = sorted(candidates, key=lambda f: (-salience(comparison, f, shared_sentences), f.mentions[0].start))
            unique[article.id] = [f.id for f in ranked[:PER_OUTLET]]
        comparison.highlights = Highlights([c.id for c in conflicts], [g.id for g in quotes], unique)
