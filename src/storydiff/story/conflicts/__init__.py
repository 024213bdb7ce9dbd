"""Stage: conflicts. Two outlets giving values for one slot of one fact that cannot both hold: a
number, a date, a place, an actor, or the intermediary one speaker's words are credited through.

Each kind is a detector in a module of its own (`quantities`, `dates`, `places`, `actors`,
`intermediaries`), registered in `base.REGISTRY` behind one interface: candidates, veto, score.
The finder runs them all, keeps one conflict per pair of spans (the first found, in the order the
search runs: inside facts, across weakly linked statements, event frames, credits, speakers), then
adds the learned second opinion (`second_opinion`). A new kind of conflict is one new module.

What does not conflict: values the wording allows to be one ("at least four" / "four", "January" /
"January 5", "about 7,500" / "7,480", "12 kilometres" / "7.5 miles", "Lyon" / "France"); values
only one side gives (an omission, not a disagreement); a name the other outlet also uses elsewhere
in its article (it knows the thing, it attaches it to another clause).
"""

from __future__ import annotations

from ..._models import Comparison, Conflict
from .._conflict_model import conflict_model
from . import actors, dates, intermediaries, places, quantities  # noqa: F401  (each registers its detector)
from .base import REGISTRY, Context, Detector, Found, named_by_article, register, statement
from .second_opinion import _second_opinion, model_candidates, model_veto

__all__ = ["REGISTRY", "ConflictFinder", "Detector", "Found", "model_candidates", "model_veto", "named_by_article", "register"]


class ConflictFinder:
    """Pipeline component: `Comparison.conflicts`, from every registered detector."""

    name = "conflicts"

    def __call__(self, comparison: Comparison) -> None:
        ctx = Context(comparison)
        found: list[Found] = []
        for detector in REGISTRY:
            for candidate in detector.candidates(ctx):
                if not detector.veto(ctx, candidate):
                    found.append(candidate)
        found.sort(key=lambda f: f.order)
        seen = set()
        conflicts = []
        for f in found:
            # one pair of spans is one conflict, however many ways (and in whichever order) it was found
            key = (f.kind, frozenset({(f.a.article, f.a.field, f.a.start), (f.b.article, f.b.field, f.b.start)}))
            if key in seen:
                continue
            seen.add(key)
            said = f.statement or statement(ctx.labels, f.a, f.b)
            conflicts.append(Conflict(f"c{len(conflicts) + 1}", f.kind, f.fact, f.a, f.b, said))
        model = conflict_model()
        if model is not None:
            conflicts += _second_opinion(comparison, ctx.named_in, ctx.roles, model, conflicts, ctx.labels)
        comparison.conflicts = conflicts
