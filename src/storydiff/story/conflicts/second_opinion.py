"""The learned second opinion: a logistic model (`story/_conflict_model.py`) weighs every pair
of values two articles could disagree on, as the rules' own tests pick them and with their vetoes;
its best pair per two articles and kind above its threshold is reported (`found_by: model`)."""

from __future__ import annotations

from ..._models import Comparison, Conflict, Slot
from .._conflict_model import Candidate, ConflictModel, candidates, score_candidates
from .._roles import Roles, doer_event, event_groups
from ._names import _attributive, _is_venue, _named, _overlaps
from ._shared import placeable as _placeable
from ._shared import remainder as _remainder
from .actors import _covering
from .base import context_words, fact_of, statement
from .dates import _bound, _form, _now_and_then, _report_and_event, _unagreed_dates
from .quantities import (
    _adjectival, _answered, _bare_counts_alike, _different_events, _partitive_part, _partitive_whole, _quantity_pairs,
    _stated_anywhere, _two_events,
)

_fact_of = fact_of
_statement = statement


def _credited(comparison: Comparison) -> set[tuple[int, str, int]]:
    """Where each article credits a quotation to an outlet (its intermediary slots)."""
    return {(s.article, s.field, s.start) for article in comparison.articles for s in article.slots if s.kind == "intermediary"}


def _second_opinion(
    comparison: Comparison, named_in: dict[int, set[str]], roles: Roles, model: ConflictModel, conflicts: list[Conflict], labels: list[str]
) -> list[Conflict]:
    """The learned model's conflicts the rules missed: per two articles and kind, its best-scored
    pair above the threshold, of values no reported conflict already holds. A rule's conflict the
    model weighed too carries its score."""
    scored = [c for c in score_candidates(model_candidates(comparison, named_in, keep=model.could_pass_rows), roles, model, model_veto) if c.score is not None]
    held = {(s.article, s.field, s.start) for c in conflicts for s in (c.a, c.b)}
    by_spans = {frozenset({(c.a.article, c.a.field, c.a.start), (c.b.article, c.b.field, c.b.start)}): c for c in conflicts}
    best: dict[tuple[int, int, str], Candidate] = {}
    for candidate in scored:
        a, b = candidate.a, candidate.b
        rule = by_spans.get(frozenset({(a.article, a.field, a.start), (b.article, b.field, b.start)}))
        if rule is not None:
            rule.score = round(candidate.score, 3)
            continue
        if candidate.score < model.threshold or {(a.article, a.field, a.start), (b.article, b.field, b.start)} & held:
            continue
        key = (a.article, b.article, candidate.kind)
        if key not in best or candidate.score > best[key].score:
            best[key] = candidate
    out = []
    for candidate in sorted(best.values(), key=lambda c: (c.a.article, c.b.article, c.a.start, c.b.start)):
        out.append(Conflict(
            f"c{len(conflicts) + len(out) + 1}", candidate.kind, _fact_of(comparison, candidate.a), candidate.a, candidate.b,
            _statement(labels, candidate.a, candidate.b), found_by="model", score=round(candidate.score, 3),
        ))
    return out


def model_veto(roles: Roles, candidate: Candidate) -> bool:
    """What the parse tells the rules makes a candidate no conflict, whatever the model weighs:
    counts or doers of two different events ("arrested 41 people" / "41 people marched", "Marrow
    arrested" / "the mayor resigned"), the doer of an event against the one it befalls ("Marrow
    arrested ..." / "Vane's arrest"), a deadline against a date, the report's day against the
    event's, the state today against the event before it."""
    a, b = candidate.a, candidate.b
    if candidate.kind == "quantity":
        return _two_events(roles, a, b)
    if candidate.kind == "date":
        return _bound(roles, a) != _bound(roles, b) or _report_and_event(roles, a, b) or _now_and_then(roles, a, b)
    role_a, role_b = roles.of(a), roles.of(b)
    if role_a is None or role_b is None:
        return False
    if _different_events(role_a, role_b):
        return True
    return any(doer_event(role_a, group) != doer_event(role_b, group) for group in event_groups({role_a.head}) & event_groups({role_b.head}))


def model_candidates(comparison: Comparison, named_in: dict[int, set[str]], keep=None) -> list[Candidate]:
    """Every pair of values the learned model (`_conflict_model`) weighs: per kind, the values
    each side gives that the other does not (by the rules' tests), facing each other. Outlets a
    quotation is credited to are left to the credits. `keep`: as for `_conflict_model.candidates`."""
    credited = _credited(comparison)

    def lonely(kind: str, mine: list[Slot], theirs: list[Slot], first: int, second: int):
        if kind == "quantity":
            # a figure the other side words alike ("nearly 40 people killed") is answered, whatever else it faces
            mine = [s for s in mine if not _remainder(comparison, s) and not _stated_anywhere(comparison, s, second) and not _answered(comparison, s, second)]
            theirs = [s for s in theirs if not _remainder(comparison, s) and not _stated_anywhere(comparison, s, first) and not _answered(comparison, s, first)]
            shape = {id(s): (_partitive_whole(comparison, s), _partitive_part(comparison, s), _adjectival(s)) for s in mine + theirs}
            pairs = [
                (a, b) for a, b in _quantity_pairs(mine, theirs)
                # what the rules know makes two figures no rivals: a part against its whole or another
                # part ("five of the seven" / "two voted against"), a modifier, a bare number against a count
                if shape[id(a)] == shape[id(b)] and _bare_counts_alike(comparison, a, b)
            ]
            return mine, theirs, pairs
        if kind == "date":
            mine, theirs = [s for s in mine if _placeable(s)], [s for s in theirs if _placeable(s)]
            lonely_a, lonely_b = _unagreed_dates(mine, theirs)
            return lonely_a, lonely_b, [(a, b) for a in lonely_a for b in lonely_b if _form(a) == _form(b)]
        if kind == "actor":
            mine = [s for s in mine if not _covering(credited, (s,))]
            theirs = [s for s in theirs if not _covering(credited, (s,))]
        ids_a, ids_b = {s.value for s in mine}, {s.value for s in theirs}
        lonely_a = [s for s in mine if s.value not in ids_b and not _named(comparison, s, second, named_in) and not _attributive(comparison, s)]
        lonely_b = [s for s in theirs if s.value not in ids_a and not _named(comparison, s, first, named_in) and not _attributive(comparison, s)]
        overlap = _overlaps(comparison, kind, lonely_a, lonely_b)
        return lonely_a, lonely_b, [
            (a, b) for i, a in enumerate(lonely_a) for j, b in enumerate(lonely_b)
            # "at Greymere Park" / "in Lindqvale": a venue inside a town is no rival to it
            if not overlap[i][j] and (kind != "place" or _is_venue(a.parsed.name) == _is_venue(b.parsed.name))
        ]

    return candidates(comparison, lonely, context_words, keep)


