"""A learned second opinion on conflicts: every pair of values two articles could disagree on,
scored by how likely it is one contradiction.

The hand rules of `conflicts.py` find a conflict where one test says the two values answer one
question (the words around them, the parse, one event group). On wording they were not built
from, each test alone misses most contradictions (first scores of 0.27-0.50 on unseen sets),
though together the signals often point the right way. So every candidate pair (two values of one
kind that agree with nothing on the other side) is described by those signals at once, and a
logistic model weighs them:

* `context`: cosine of the two sentences' token states with the values themselves left out (what
  is said of them: "X won the Prix Sorelle" / "the Prix Sorelle was awarded to Y");
* `unit`: the alignment score of the clauses holding them; `same_fact`: aligned as one fact;
* `shared_words`, `sentence_overlap`: content words around them, and of their sentences, in common;
* `first_sentence`, `last_sentence`: the earlier and the later of their sentences' positions (a
  contradiction on the story's main fact is most often in the first sentences), capped so long
  articles do not fall off the scale;
* `rivals_a`, `rivals_b`: how many other values of the kind each side still has in play;
* `name_word`: two names sharing a word ("Merrowan Isles" / "the Merrowan Meteorological Office");
* parse features (`_roles`): the same relation, heads of one event group, both doers, both
  placed, a reporting verb; `same_type` (person or organisation) for actors;
* quantities: `ratio` (log ratio of the two figures: rivals far apart are seldom one count) and
  `same_noun` (they count the same word);
* the kind, one-hot.

Trained by `benchmarks/train_conflict_model.py` on the hand-made pairs of
`tests/data/conflict_pairs.json` (made-up articles; the weights and the threshold live in
`resources/conflict_model.json`, with their leave-one-set-out figures). What each value's
sentence says is computed once per value, and candidates are parsed only when their cheap
features leave them a chance (computed over arrays for all pairs at once); the pairs themselves
still grow with the product of the values each side has in play.
"""

from __future__ import annotations

import bisect
import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .._models import Article, Comparison, Slot
from ..resources import resource_path
from ._pairscore import WordRows, stemmer, stopwords, token_window
from ._roles import LOCATIVE, Roles, event_groups, same_event_word

KINDS = ("quantity", "date", "place", "actor")
CHEAP = (
    "context", "unit", "same_fact", "shared_words", "sentence_overlap", "first_sentence", "last_sentence",
    "rivals_a", "rivals_b", "same_type", "name_word", "ratio", "same_noun",
)
PARSED = ("same_relation", "one_event", "both_doers", "both_placed", "reporting")
FEATURES = CHEAP + PARSED + tuple(f"kind_{k}" for k in KINDS)
MAX_POSITION = 8  # sentences: the training articles are short; further down is "far down"

_WORD = re.compile(r"[A-Za-z][\w'’-]*")


@dataclass
class Candidate:
    """Two values of one kind, in two articles, that agree with nothing on the other side."""

    kind: str
    a: Slot
    b: Slot
    features: dict[str, float]
    score: float | None = None


def candidates(comparison: Comparison, lonely, around, keep=None) -> list[Candidate]:
    """Every candidate pair between each two articles, with its cheap features. The rules supply
    their own tests (`conflicts.py`): `lonely(kind, mine, theirs, first, second)` returns each
    side's values of the kind still in play and the pairs of them that may face each other;
    `around(comparison, slot)` the content words around a value. `keep(rows)`, given the pairs'
    feature rows (columns `FEATURES`, parse features 0), says which to return
    (`ConflictModel.could_pass_rows`); without it, all are."""
    out = []
    spans: dict[int, list[tuple[int, int, str]]] = {}  # each article's fact mentions, looked up per value
    for fact in comparison.facts:
        for m in fact.mentions:
            spans.setdefault(m.article, []).append((m.start, m.end, fact.id))
    seen: dict[int, _Side] = {}  # what each value's sentence says, computed once per value
    for i, first in enumerate(comparison.articles):
        for second in comparison.articles[i + 1 :]:
            scores = comparison.unit_scores.get((first.id, second.id))
            for kind in KINDS:
                mine = [s for s in first.slots if s.kind == kind and s.field == "text"]
                theirs = [s for s in second.slots if s.kind == kind and s.field == "text"]
                lonely_a, lonely_b, pairs = lonely(kind, mine, theirs, first.id, second.id)
                if not pairs:
                    continue
                rows = _feature_rows(comparison, kind, pairs, scores, spans, seen, around)
                rows[:, _COLUMN["rivals_a"]] = math.log1p(len(lonely_a) - 1)
                rows[:, _COLUMN["rivals_b"]] = math.log1p(len(lonely_b) - 1)
                chosen = range(len(pairs)) if keep is None else np.flatnonzero(keep(rows)).tolist()
                for r in chosen:
                    a, b = pairs[r]
                    out.append(Candidate(kind, a, b, dict(zip(_CHEAP_NAMES, rows[r, _CHEAP_COLUMNS].tolist()))))
    return out


@dataclass
class _Side:
    """One value's sentence, as the features read it."""

    context: np.ndarray | None  # mean token state without the value
    sentence: int  # index of its sentence
    unit: int | None
    words: set[str]  # content stems of the sentence, names and the value left out
    around: set[str]  # the rules' window of words (`conflicts.context_words`)
    facts: set[str]  # ids of the facts whose mentions hold the value


def _side(comparison: Comparison, slot: Slot, seen: dict[int, _Side], around, spans) -> _Side:
    if id(slot) not in seen:
        article = comparison.articles[slot.article]
        context, sentence = _context(article, slot)
        seen[id(slot)] = _Side(
            context, sentence, _unit(article, slot), _sentence_words(article, slot), around(comparison, slot),
            _facts_holding(spans, slot),
        )
    return seen[id(slot)]


_COLUMN = {name: j for j, name in enumerate(FEATURES)}
_CHEAP_NAMES = CHEAP + tuple(f"kind_{k}" for k in KINDS)  # what a candidate's features hold before the parse
_CHEAP_COLUMNS = [_COLUMN[name] for name in _CHEAP_NAMES]


def _feature_rows(comparison: Comparison, kind: str, pairs, scores, spans, seen: dict[int, _Side], around) -> np.ndarray:
    """The cheap features of every pair of one kind between two articles, one row each (columns
    `FEATURES`; parse features and rivals left 0). Computed over arrays, not pair by pair: the
    pairs grow with the product of the values in play, and on long real articles thousands of
    them are weighed for a handful that could pass."""
    left = list({id(a): a for a, _ in pairs}.values())
    right = list({id(b): b for _, b in pairs}.values())
    where_a = {id(a): n for n, a in enumerate(left)}
    where_b = {id(b): n for n, b in enumerate(right)}
    ia = np.array([where_a[id(a)] for a, _ in pairs])
    ib = np.array([where_b[id(b)] for _, b in pairs])
    sides_a = [_side(comparison, a, seen, around, spans) for a in left]
    sides_b = [_side(comparison, b, seen, around, spans) for b in right]
    rows = np.zeros((len(pairs), len(FEATURES)))

    def column(name: str, values) -> None:
        rows[:, _COLUMN[name]] = values

    known = next((s.context for s in sides_a + sides_b if s.context is not None), None)
    if known is not None:
        def stacked(sides):  # a value with no token states faces everything at 0
            return np.stack([s.context if s.context is not None else np.zeros_like(known) for s in sides])

        column("context", np.einsum("ij,ij->i", stacked(sides_a)[ia], stacked(sides_b)[ib]))
    if scores is not None:
        unit_a = np.array([-1 if s.unit is None else s.unit for s in sides_a])[ia]
        unit_b = np.array([-1 if s.unit is None else s.unit for s in sides_b])[ib]
        both = (unit_a >= 0) & (unit_b >= 0)
        column("unit", np.where(both, scores[np.maximum(unit_a, 0), np.maximum(unit_b, 0)], 0.0))
    column("same_fact", _common([s.facts for s in sides_a], [s.facts for s in sides_b], ia, ib) > 0)
    column("shared_words", _common([s.around for s in sides_a], [s.around for s in sides_b], ia, ib))
    words = _common([s.words for s in sides_a], [s.words for s in sides_b], ia, ib)
    sizes_a, sizes_b = np.array([len(s.words) for s in sides_a])[ia], np.array([len(s.words) for s in sides_b])[ib]
    column("sentence_overlap", words / np.maximum(1, sizes_a + sizes_b - words))
    sentence_a, sentence_b = np.array([s.sentence for s in sides_a])[ia], np.array([s.sentence for s in sides_b])[ib]
    column("first_sentence", np.minimum(np.minimum(sentence_a, sentence_b), MAX_POSITION))
    column("last_sentence", np.minimum(np.maximum(sentence_a, sentence_b), MAX_POSITION))
    if kind == "actor":
        types = {t: n for n, t in enumerate({str(s.parsed.type) for s in left + right})}
        column("same_type", np.array([types[str(a.parsed.type)] for a in left])[ia] == np.array([types[str(b.parsed.type)] for b in right])[ib])
    if kind in ("place", "actor"):
        column("name_word", _common([_name_words(a.text) for a in left], [_name_words(b.text) for b in right], ia, ib) > 0)
    if kind == "quantity":
        x, y = np.abs([a.parsed.value for a in left])[ia], np.abs([b.parsed.value for b in right])[ib]
        both = (x > 0) & (y > 0)
        with np.errstate(divide="ignore"):
            column("ratio", np.where(both, np.abs(np.log(np.where(both, x, 1.0)) - np.log(np.where(both, y, 1.0))), 3.0))
        counted_a = [a.parsed.counted_words if a.parsed.counted else set() for a in left]
        counted_b = [b.parsed.counted_words if b.parsed.counted else set() for b in right]
        column("same_noun", _common(counted_a, counted_b, ia, ib) > 0)
    column(f"kind_{kind}", 1.0)
    return rows


def _common(sets_a: list[set], sets_b: list[set], ia: np.ndarray, ib: np.ndarray) -> np.ndarray:
    """How many members each pair's two sets share: one product of indicator matrices over the
    block's vocabulary instead of a set intersection per pair."""
    return WordRows(sets_a).shared(WordRows(sets_b))[ia, ib]


def _name_words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text) if w[0].isupper() and len(w) > 2}


def _facts_holding(spans: dict[int, list[tuple[int, int, str]]], slot: Slot) -> set[str]:
    return {fact for start, end, fact in spans.get(slot.article, ()) if start <= slot.start < end}


def _context(article: Article, slot: Slot) -> tuple[np.ndarray | None, int]:
    """The mean token state of the value's sentence without the value's own tokens, and the sentence's index."""
    sentence = article.sentence_at(slot.start)
    if sentence is None:
        return None, MAX_POSITION
    index = article.sentences.index(sentence)
    if article.token_vectors is None or article.token_spans is None:
        return None, index
    first, last = token_window(article, sentence.start, sentence.end)
    spans = article.token_spans[first:last]
    keep = (spans[:, 0] >= sentence.start) & (spans[:, 1] <= sentence.end) & ~((spans[:, 0] >= slot.start) & (spans[:, 1] <= slot.end))
    states = article.token_vectors[first:last][keep]
    if len(states) == 0:
        return None, index
    mean = states.mean(axis=0)
    return mean / (np.linalg.norm(mean) or 1.0), index


def _unit(article: Article, slot: Slot) -> int | None:
    # units come in text order and do not overlap: the one holding the value starts last before it
    index = bisect.bisect_right(article.units, slot.start, key=lambda u: u.start) - 1
    return index if index >= 0 and slot.start < article.units[index].end else None


def _sentence_words(article: Article, slot: Slot) -> set[str]:
    """Content-word stems of the value's sentence, names and the value left out."""
    sentence = article.sentence_at(slot.start)
    if sentence is None:
        return set()
    stop, stem = stopwords(), stemmer().stemWord
    text = article.text[sentence.start : slot.start] + " " + article.text[slot.end : sentence.end]
    return {stem(w.lower()) for w in _WORD.findall(text) if not w[0].isupper() and w.lower() not in stop and len(w) > 2}


def add_parsed_features(candidate: Candidate, roles: Roles) -> None:
    role_a, role_b = roles.of(candidate.a), roles.of(candidate.b)
    both = role_a is not None and role_b is not None
    stem = stemmer().stemWord
    candidate.features.update(
        same_relation=float(both and role_a.relation == role_b.relation),
        one_event=float(both and bool(event_groups({role_a.head}) & event_groups({role_b.head}) or (
            stem(role_a.head) == stem(role_b.head) and same_event_word(role_a.head, role_b.head)))),
        both_doers=float(both and role_a.relation in ("nsubj", "agent") and role_b.relation in ("nsubj", "agent")),
        both_placed=float(both and role_a.relation in LOCATIVE and role_b.relation in LOCATIVE),
        reporting=float((role_a is not None and role_a.reporting) or (role_b is not None and role_b.reporting)),
    )


@dataclass(frozen=True)
class ConflictModel:
    """Logistic weights over standardised `FEATURES`, and the score above which a pair is reported."""

    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float
    threshold: float

    def score(self, features: dict[str, float]) -> float:
        x = (np.array([features.get(name, 0.0) for name in FEATURES]) - self.mean) / self.scale
        z = float(x @ self.weights + self.bias)
        return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))  # no overflow either way

    def could_pass(self, features: dict[str, float]) -> bool:
        """Whether the best parse features could still lift the cheap ones over the threshold
        (so only those candidates are parsed)."""
        return bool(self.could_pass_rows(np.array([[features.get(name, 0.0) for name in FEATURES]]))[0])

    def could_pass_rows(self, rows: np.ndarray) -> np.ndarray:
        """`could_pass` for many candidates at once: rows of features in the order of `FEATURES`."""
        best = np.array(rows, dtype=float)
        for j, (name, weight) in enumerate(zip(FEATURES, self.weights)):
            if name in PARSED:  # each parse feature is 0 or 1, standardised by a positive scale
                best[:, j] = 1.0 if weight > 0 else 0.0
        z = ((best - self.mean) / self.scale) @ self.weights + self.bias
        return np.exp(-np.logaddexp(0.0, -z)) >= self.threshold  # the logistic, with no overflow either way


@lru_cache(maxsize=1)
def conflict_model() -> ConflictModel | None:
    path = resource_path("conflict_model.json")
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES:
        return None  # written for other features: retrain (benchmarks/train_conflict_model.py)
    scale = np.maximum(np.array(data["scale"]), 1e-6)  # a constant feature was written with scale 1; never divide by 0
    return ConflictModel(np.array(data["mean"]), scale, np.array(data["weights"]), float(data["bias"]), float(data["threshold"]))


def score_candidates(found: list[Candidate], roles: Roles, model: ConflictModel, veto) -> list[Candidate]:
    """Scores every candidate, parsing it, unless `veto(roles, candidate)` (the rules' parse
    tests) rules it out; returns them all, scored or not. The candidates come gated already
    (`candidates(..., keep=model.could_pass_rows)`): only those that could pass are here."""
    for candidate in found:
        if not veto(roles, candidate):
            add_parsed_features(candidate, roles)
            candidate.score = model.score(candidate.features)
    return found
