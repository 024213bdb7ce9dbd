"""Stage: how sure each finding is, and whether it is shown by default.

Every finding gets a `basis` (what its confidence rests on: a fact's alignment score band, a
quote's kind of speaker, a loaded word's category and voice, how a conflict was found), a
`confidence` (the share of findings on that basis that were right on the real-news dev half:
`resources/confidence.json`, made by `benchmarks/calibrate.py`) and a `level`: `certain` when the
confidence reaches the precision line its kind must hold (0.90 for facts, quotes and conflicts,
0.95 for joined names, 0.80 for wording), `possible` otherwise. Default views show certain
findings; possible ones are a switch away, never shown as if certain.

A basis the calibration has not seen (a new kind of finding) gets the prior, 0.5: possible.
"""

from __future__ import annotations

import bisect
import json
from functools import lru_cache

from .._models import Comparison, Conflict, Entity, Fact, QuoteGroup, Tension, WordingItem
from ..resources import resource_path

PRIOR = 0.5


@lru_cache(maxsize=1)
def calibration() -> dict:
    return json.loads(resource_path("confidence.json").read_text(encoding="utf-8"))


def gate(kind: str) -> float:
    return calibration()["gates"][kind]


def rate(basis: str) -> float:
    return calibration()["rates"].get(basis, PRIOR)


def certain(basis: str, confidence: float, kind: str) -> bool:
    """At or above its kind's line; or a basis the calibration saw right every time, often enough
    to trust although too rare on real news to reach the line by its smoothed rate."""
    return confidence >= gate(kind) or basis in calibration().get("certain", [])


# ---- bases -----------------------------------------------------------------------------------

# Bands of a shared fact's alignment score, and of a unique fact's best link to any statement of
# another article: a unique fact whose nearest counterpart elsewhere scores high may well be told
# there in other words.
_FACT_BANDS = (0.8, 0.7, 0.0)
_NEAR_BANDS = (0.4, 0.2, 0.1, 0.0)


def fact_basis(comparison: Comparison, fact: Fact) -> str:
    heading = _in_heading(comparison, fact)
    if fact.status == "unique":
        near = _nearest_elsewhere(comparison, fact)
        band = next(b for b in _NEAR_BANDS if near >= b)
        return f"unique:{'heading' if heading else f'near>={band:.1f}'}"
    if heading:
        return "fact:heading"
    score = fact.score if fact.score is not None else 0.0
    band = next(b for b in _FACT_BANDS if score >= b)
    return f"fact:score>={band:.1f}"


def _nearest_elsewhere(comparison: Comparison, fact: Fact) -> float:
    """The best link probability from the units of a unique fact to any unit of another article on the story."""
    best = max((m.score for m in fact.possible), default=0.0)
    if not comparison.unit_scores:
        return best
    first = fact.mentions[0]
    article, all_units = first.article, comparison.articles[first.article].units
    # the units inside the first mention: units come in text order, so from the first starting in it
    lo = bisect.bisect_left(all_units, first.start, key=lambda u: u.start)
    hi = bisect.bisect_right(all_units, first.end, key=lambda u: u.start)
    units = [k for k in range(lo, hi) if all_units[k].end <= first.end]
    for other in range(len(comparison.articles)):
        if other == article or other in comparison.off_story:
            continue
        key = (min(article, other), max(article, other))
        matrix = comparison.unit_scores.get(key)
        if matrix is None or not units:
            continue
        rows = matrix[units] if article < other else matrix[:, units].T
        if rows.size:
            best = max(best, float(rows.max()))
    return best


def _in_heading(comparison: Comparison, fact: Fact) -> bool:
    for m in fact.mentions:
        if m.field != "text":
            continue
        sentence = comparison.articles[m.article].sentence_at(m.start)
        if sentence is not None and sentence.heading:
            return True
    return False


def quote_basis(group: QuoteGroup, speaker_kinds: dict[str, str]) -> str:
    if not group.speaker:
        return "speaker:none"
    return f"speaker:{speaker_kinds.get(group.id, 'unknown')}"


def entity_basis(entity: Entity) -> str:
    names = {m.text.lower() for m in entity.mentions if m.kind in ("name", "acronym")}
    if len(names) <= 1:
        return "entity:one-name"
    return f"entity:names:{entity.type}"


def wording_basis(item: WordingItem) -> str:
    if item.kind == "term":
        return f"term:{item.category}:{item.voice}"
    if item.note and item.note.startswith("names of"):
        return "swap:names"
    if item.b is not None and contested(item.a.text, item.b.text):
        return "swap:contested"
    return "swap:words"


def contested(a: str, b: str) -> bool:
    """Whether two wordings are two choices of one contested group ("illegal" / "undocumented")."""
    stems_a, stems_b = _label_groups(a), _label_groups(b)
    return bool(stems_a & stems_b) and a.lower() != b.lower()


def _label_groups(text: str) -> set[int]:
    import Stemmer

    stem = Stemmer.Stemmer("english").stemWord
    words = " ".join(stem(w) for w in text.lower().replace("-", " ").split())
    return {n for n, group in enumerate(_contested()) if any(f" {label} " in f" {words} " for label in group)}


@lru_cache(maxsize=1)
def _contested() -> list[list[str]]:
    import os

    import Stemmer

    stem = Stemmer.Stemmer("english").stemWord
    paths = [resource_path("lang/en/contested-labels.json")] + [p for p in os.environ.get("STORYDIFF_LABELS", "").split(os.pathsep) if p]
    groups = []
    for path in paths:
        for group in json.loads(open(path, encoding="utf-8").read())["groups"]:
            groups.append([" ".join(stem(w) for w in label.lower().replace("-", " ").split()) for label in group])
    return groups


def conflict_basis(comparison: Comparison, conflict: Conflict, fact_levels: dict[str, str]) -> str:
    """A count of one named thing ("58 people" / "119 people") is the one kind of conflict whose
    two values say plainly that they answer one question; dates ("Friday" / "Saturday") and places
    so often belong to two moments or two people of a running story that they stay loose."""
    if conflict.kind == "quantity" and _same_count(conflict):
        return "conflict:quantity:same-count"
    fact_level = fact_levels.get(conflict.fact or "", "none")
    return f"conflict:{conflict.kind}:fact-{fact_level}"


def _same_count(conflict: Conflict) -> bool:
    """Both values count the same named thing in the same unit ("58 people" / "119 people killed");
    a measure or a money written as a word ("38 pounds", "12 degrees") counts no thing."""
    a, b = conflict.a, conflict.b
    if not (a.counted and b.counted) or a.unit != b.unit:
        return False
    head = _head(a.counted)
    return head == _head(b.counted) and head not in _measures()


@lru_cache(maxsize=1)
def _measures() -> frozenset[str]:
    import Stemmer

    from ..resources import word_list

    stem = Stemmer.Stemmer("english").stemWord
    return frozenset(stem(w) for w in word_list(resource_path("lang/en/measure-words.txt")))


def _head(counted: str) -> str:
    import Stemmer

    return Stemmer.Stemmer("english").stemWord(counted.split()[-1].lower())


def tension_basis(tension: Tension) -> str:
    return "tension"


# ---- the stage -------------------------------------------------------------------------------


def _assign(finding, basis: str, kind: str) -> None:
    finding.basis = basis
    finding.confidence = round(rate(basis), 3)
    finding.level = "certain" if certain(basis, finding.confidence, kind) else "possible"


class ConfidenceScorer:
    """Pipeline component: a basis, confidence and level on every finding (runs last)."""

    name = "confidence"

    def __call__(self, comparison: Comparison) -> None:
        for fact in comparison.facts:
            _assign(fact, fact_basis(comparison, fact), "unique" if fact.status == "unique" else "facts")
        speaker_kinds = _speaker_kinds(comparison)
        for group in comparison.quotes:
            _assign(group, quote_basis(group, speaker_kinds), "quotes")
        for entity in comparison.entities:
            _assign(entity, entity_basis(entity), "entities")
        for item in comparison.wording:
            _assign(item, wording_basis(item), "terms" if item.kind == "term" else "swaps")
        fact_levels = {f.id: f.level for f in comparison.facts}
        for conflict in comparison.conflicts:
            _assign(conflict, conflict_basis(comparison, conflict, fact_levels), "conflicts")
        for tension in comparison.tensions:
            _assign(tension, tension_basis(tension), "tensions")


def _speaker_kinds(comparison: Comparison) -> dict[str, str]:
    """Each quote group's kind of speaker, from the quotes behind it, and whether some outlet
    names the speaker in the attribution itself ("..., Ana Ruiz said") rather than leaving it to be
    resolved ("he said", a description, the words before)."""
    from ..article._speakers import name_key

    kinds: dict[str, str] = {}
    for group in comparison.quotes:
        named_here = False
        first = None
        for m in group.mentions:
            article = comparison.articles[m.article]
            quote = next((q for q in article.quotes if q.start <= m.start < q.end or m.start <= q.start < m.end), None)
            if quote is None:
                continue
            first = first or quote
            if quote.speaker and quote.speaker_start is not None:
                written = article.text[quote.speaker_start : quote.speaker_end]
                named_here = named_here or bool(set(name_key(written)) & set(name_key(quote.speaker)))
        if first is not None:
            how = "explicit" if named_here else "resolved"
            kinds[group.id] = f"{first.speaker_kind}:{'named' if first.named else 'unnamed'}:{how}"
    return kinds
