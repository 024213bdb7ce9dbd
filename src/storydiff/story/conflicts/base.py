"""What every conflict detector shares: the interface, the registry, and the context they read.

A detector is one kind of conflict (quantities, dates, places, actors, intermediaries). It
proposes `candidates` (pairs of values two articles give for one slot), may `veto` some with what
it knows beyond the pair, and may `score` them; `ConflictFinder` (this package's `__init__`) runs
every registered detector, keeps one conflict per pair of spans, and adds the learned second
opinion. A new kind of conflict is one new module with one registered `Detector`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import combinations
from dataclasses import dataclass
from functools import cached_property

from ..._models import Comparison, Fact, Slot, article_labels
from .._pairscore import stemmer, stopwords
from .._roles import Roles
from ..slots import slots_by_field, slots_in
from ..tensions import topic_of


@dataclass
class Found:
    """A candidate conflict: two values of one slot. `order` places it among all detectors'
    candidates (the first found of one pair of spans is kept); `statement` overrides the plain one."""

    kind: str
    fact: str | None
    a: Slot
    b: Slot
    order: tuple
    statement: str | None = None


class Context:
    """What detectors read, computed once per comparison."""

    def __init__(self, comparison: Comparison) -> None:
        self.comparison = comparison
        self.roles = Roles(comparison)
        self.labels = article_labels(comparison.articles)

    @cached_property
    def named_in(self) -> dict[int, set[str]]:
        return named_by_article(self.comparison)

    @cached_property
    def credited(self) -> set[tuple[int, str, int]]:
        """Where each article credits a quotation to an outlet (its intermediary slots)."""
        return {(s.article, s.field, s.start) for article in self.comparison.articles for s in article.slots if s.kind == "intermediary"}


class Detector:
    """One kind of conflict. Subclasses set `kind` and implement `candidates`."""

    kind: str = ""

    def candidates(self, ctx: Context) -> Iterable[Found]:
        raise NotImplementedError

    def veto(self, ctx: Context, found: Found) -> bool:
        """What makes a candidate no conflict, known beyond the pair itself (none by default)."""
        return False

    def score(self, ctx: Context, found: Found) -> float | None:
        """A probability that the pair is one contradiction, where the detector has one."""
        return None


REGISTRY: list[Detector] = []


def register(detector: type[Detector]) -> type[Detector]:
    """Class decorator: the detector joins every comparison's search."""
    REGISTRY.append(detector())
    return detector


# ---- helpers several kinds share --------------------------------------------------------------

WORD = re.compile(r"[A-Za-z][\w'’-]*")
# Phases of the search, in the order conflicts are reported (see `Found.order`).
IN_FACT, ACROSS_FACTS, EVENT_FRAMES, FACT_CREDITS, QUOTE_CREDITS, QUOTE_SPEAKERS = range(6)
# Within one fact and one pair of articles, the order the kinds are checked in.
KIND_ORDER = {"quantity": 0, "date": 1, "place": 2, "actor": 3}


def by_article(fact: Fact) -> dict[int, list[Slot]]:
    """The slots of each article's mentions of a fact."""
    return {article: [s for m in mentions for s in m.slots] for article, mentions in fact.by_article().items()}


_PLACE_PREPOSITIONS = frozenset({"in", "at", "near", "outside", "from", "to", "into", "across"})
_SPEECH = frozenset("said says say told tells added adds according stated claimed".split())


def context_words(comparison: Comparison, slot: Slot, before: int = 4, after: int = 3) -> set[str]:
    """Content-word stems just around a value: its role in the sentence ("claimed by a group
    called ...", "sales of about ..."). For places the preposition counts too ("in", "near")."""
    stop, stem = stopwords(), stemmer().stemWord
    text = comparison.articles[slot.article].field_text(slot.field)
    words_before = [w.lower() for w in WORD.findall(text[max(0, slot.start - 60) : slot.start])]
    words_after = [w.lower() for w in WORD.findall(text[slot.end : slot.end + 50])][:after]
    out = {topic_of(w) or stem(w) for w in words_before[-before:] + words_after if w not in stop and w not in _SPEECH and len(w) > 2}
    if slot.kind == "place":
        # the preposition that places it, also across "the fishing town of": "near X" / "near Y"
        preposition = next((w for w in reversed(words_before[-5:]) if w in _PLACE_PREPOSITIONS), None)
        if preposition:
            out.add(preposition)
    return out


def named_by_article(comparison: Comparison) -> dict[int, set[str]]:
    """The ids of the entities each article names."""
    named_in: dict[int, set[str]] = {a.id: set() for a in comparison.articles}
    for entity in comparison.entities:
        for m in entity.mentions:
            named_in[m.article].add(entity.id)
    return named_in


def statement(labels: list[str], a: Slot, b: Slot) -> str:
    return f"{labels[a.article]}: {_clean(a.text)}; {labels[b.article]}: {_clean(b.text)}"


def _clean(text: str) -> str:
    return " ".join(text.split())


def fact_of(comparison: Comparison, slot: Slot) -> str | None:
    return next((f.id for f in comparison.facts for m in f.mentions if m.article == slot.article and m.start <= slot.start < m.end), None)


def pairs_in_facts(ctx: Context, kind: str, check) -> Iterable[Found]:
    """`check(slots a, slots b, article a, article b)` on every two articles' slots of every fact."""
    for f, fact in enumerate(ctx.comparison.facts):
        slots = by_article(fact)
        for p, (first, second) in enumerate(combinations(sorted(slots), 2)):
            pair = check(slots[first], slots[second], first, second)
            if pair:
                yield Found(kind, fact.id, *pair, order=(IN_FACT, f, 0, p, KIND_ORDER[kind]))


def pairs_with_near_misses(ctx: Context, kind: str, check, rank: int) -> Iterable[Found]:
    """`check` between each article's slots of a fact and the closest statement of an article that
    does not report it (`Fact.possible`): a different value is often what kept the two apart."""
    for f, fact in enumerate(ctx.comparison.facts):
        slots = by_article(fact)
        for n, near in enumerate(fact.possible):
            for k, article in enumerate(sorted(slots)):
                if article != near.article and (pair := check(slots[article], near.slots, article, near.article)):
                    yield Found(kind, fact.id, *pair, order=(IN_FACT, f, 1, n, k, rank))


ACROSS = 0.25  # link probability at which two statements of different facts are compared for numbers


def linked_units(comparison: Comparison) -> Iterable[tuple[tuple, list[Slot], list[Slot], str | None, int, int]]:
    """Pairs of statements alignment kept apart but linked at least weakly, with their slots:
    (order, slots a, slots b, the fact of the first, first article, second article)."""
    fact_of_mention = {(m.article, m.start, m.end): fact.id for fact in comparison.facts for m in fact.mentions if m.field == "text"}
    in_text = {a.id: slots_by_field(a.slots).get("text", ([], [])) for a in comparison.articles}
    fact_at: dict[tuple[int, int], str | None] = {}  # (article, unit) -> the fact of the first mention holding its start

    def unit_slots(article: int, unit: int) -> list[Slot]:
        u = comparison.articles[article].units[unit]
        return slots_in(in_text[article], u.start, u.end)

    for k, ((first, second), scores) in enumerate(sorted(comparison.unit_scores.items())):
        rows, columns = (scores >= ACROSS).nonzero()
        for i, j in zip(rows.tolist(), columns.tolist()):
            if (first, i) not in fact_at:
                start_a = comparison.articles[first].units[i].start
                fact_at[first, i] = next((f for (a, start, end), f in fact_of_mention.items() if a == first and start <= start_a < end), None)
            yield (ACROSS_FACTS, k, i, j), unit_slots(first, i), unit_slots(second, j), fact_at[first, i], first, second
