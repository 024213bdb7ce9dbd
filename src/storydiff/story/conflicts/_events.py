"""Values tied to one event by event words (`_roles`, `resources/event-words.json`), wherever the
two sentences stand: "Thorne resigned yesterday" / "He stepped down on January 19", "discovered last
week by farmer Tomas Gere" / "found by Nils Brandvik". Alignment often keeps such sentences apart, as
they share little but the event. Each detector compares the values of its kind that two articles
tie to one event group (`frames`); a date, a doer or a place only where each article has exactly
one, counts like the counts of one fact."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations

from ..._models import Comparison, Slot
from .._roles import LOCATIVE, Roles, doer_event, event_groups, in_event_group, with_phrasal_words
from ._shared import WHEN as _WHEN
from ._shared import placeable as _placeable
from ._shared import remainder as _remainder
from .base import EVENT_FRAMES, WORD, Context

_WORD = WORD
# The order the original search compared the kinds of one event in.
_FRAME_KINDS = ("date", "actor", "place", "quantity")


def frames(ctx: Context, kind: str) -> Iterator[tuple[int, int, int, list[Slot], list[Slot]]]:
    """(first article, second article, event group, its values of `kind` in each that the parse
    ties to the event) for every event group two articles share."""
    if "_event_candidates" not in ctx.__dict__:
        ctx.__dict__["_event_candidates"] = {a.id: _event_candidates(ctx.comparison, a) for a in ctx.comparison.articles}
        _parse_ahead(ctx, ctx.__dict__["_event_candidates"])
    candidates = ctx.__dict__["_event_candidates"]
    for first, second, group, mine, theirs in _shared_groups(ctx, candidates, kind):
        xs = [s for s in mine if _does(ctx.roles, s, group)]
        ys = [s for s in theirs if _does(ctx.roles, s, group)] if xs else []
        yield first, second, group, xs, ys


def _shared_groups(ctx: Context, candidates, kind: str) -> Iterator[tuple[int, int, int, list[Slot], list[Slot]]]:
    """(first article, second article, event group, the values of `kind` each ties to it by its words)."""
    for first, second in combinations(range(len(ctx.comparison.articles)), 2):
        mine, theirs = candidates[first].get(kind, {}), candidates[second].get(kind, {})
        for group in sorted(set(mine) & set(theirs)):
            yield first, second, group, mine[group], theirs[group]


def _parse_ahead(ctx: Context, candidates) -> None:
    """Parses at once the sentences `frames` will ask about for every kind, in two batches (see
    `Roles.parse_ahead`): the first side's values, then the second's where the first side has one
    the parse ties to the event."""
    shared = [found for kind in _FRAME_KINDS for found in _shared_groups(ctx, candidates, kind)]
    ctx.roles.parse_ahead(s for _, _, _, mine, _ in shared for s in mine)
    ctx.roles.parse_ahead(s for _, _, group, mine, theirs in shared if any(_does(ctx.roles, x, group) for x in mine) for s in theirs)


def frame_order(first: int, second: int, kind: str, group: int) -> tuple:
    return (EVENT_FRAMES, first, second, _FRAME_KINDS.index(kind), group)


def _event_candidates(comparison: Comparison, article) -> dict[str, dict[int, list[Slot]]]:
    """An article's slots by kind and by the event groups their sentence's words belong to."""
    out: dict[str, dict[int, list[Slot]]] = {}
    groups_of_sentence: dict[int, set[int]] = {}
    for slot in article.slots:
        if slot.kind not in ("date", "actor", "place", "quantity") or slot.field != "text":
            continue
        if (slot.kind == "date" and not _placeable(slot)) or (slot.kind == "quantity" and _remainder(comparison, slot)):
            continue
        sentence = article.sentence_at(slot.start)
        if sentence is None:
            continue
        if sentence.start not in groups_of_sentence:
            words = {w.lower() for w in _WORD.findall(article.text[sentence.start : sentence.end])}
            groups_of_sentence[sentence.start] = event_groups(with_phrasal_words(words))
        for group in groups_of_sentence[sentence.start]:
            out.setdefault(slot.kind, {}).setdefault(group, []).append(slot)
    return out


def _does(roles: Roles, slot: Slot, group: int) -> bool:
    """Whether the parse ties the slot to an event word of the group: as its doer (an actor), where
    it happened (a place), what it counted (a quantity: subject or object) or when (a date)."""
    role = roles.of(slot)
    if role is None or role.reporting or not in_event_group(role.head, group):
        return False
    if slot.kind == "actor":
        return doer_event(role, group)
    if slot.kind == "place":
        return role.relation in LOCATIVE
    if slot.kind == "quantity":
        return role.relation in ("nsubj", "nsubjpass", "dobj") and slot.parsed.counted is not None
    return role.relation in _WHEN | {"advmod"}


