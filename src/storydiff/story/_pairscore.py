"""How likely two stretches of text from two articles state the same fact: a probability in [0, 1].

The stretches are *segments*: one unit (a clause or short sentence) or a run of adjacent units of
one sentence, so that a whole sentence of one outlet can be matched against one clause of another.

Embedding cosine alone does not separate "the same fact, told differently" from "another fact on
the same topic" (both score 0.55-0.65 with MiniLM on news). So the score combines evidence:

* `cos`: cosine of the segments' mean token states (what they are about);
* `cover_max`, `cover_min`: token-level coverage in both directions, BERTScore-style: each content
  token of one segment matched to its most similar token of the other, weighted by rarity. The
  larger says one segment is contained in the other; the smaller, whether they say as much;
* `words`: rarity-weighted overlap of word stems; `names`: overlap of names and numbers;
* `length`: the log ratio of the segments' lengths in words.

A logistic model over these, trained on our annotated sentence pairs of real multi-outlet
news (NeuS, SemEval-2022; `benchmarks/train_pair_model.py`), turns them into a probability.
Its weights live in `resources/pair_model.json`.
"""

from __future__ import annotations

import bisect
import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .._models import Article
from ..article._attribution import attribution_spans

FEATURES = ("cos", "cover_max", "cover_min", "words", "names", "length")
MAX_RUN = 3  # a segment joins at most this many units (whole sentences always count)
NAME_SMOOTH = 1.5  # in rarity units: a name in one unit in thirty weighs about 3.4

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
_NAME = re.compile(r"\b(?:[A-Z][\w'’.-]*[a-z][\w'’-]*|[A-Z]{2,}[a-z]?s?|\d[\d,.]*)\b")


@dataclass(frozen=True)
class Segment:
    """A run of adjacent units [first_unit, last_unit] of one sentence."""

    first_unit: int
    last_unit: int
    start: int
    end: int

    @property
    def units(self) -> range:
        return range(self.first_unit, self.last_unit + 1)


def segments(article: Article, *, max_run: int = MAX_RUN) -> list[Segment]:
    """Every unit, every run of up to `max_run` adjacent units of a sentence, and every whole sentence."""
    by_sentence: dict[int, list[int]] = {}
    for index, unit in enumerate(article.units):
        by_sentence.setdefault(unit.sentence, []).append(index)
    out = []
    for members in by_sentence.values():
        runs = {(members[i], members[j]) for i in range(len(members)) for j in range(i, min(len(members), i + max_run))}
        runs.add((members[0], members[-1]))
        for first, last in sorted(runs):
            out.append(Segment(first, last, article.units[first].start, article.units[last].end))
    return out


def sentence_segments(article: Article) -> list[Segment]:
    """One segment per whole sentence (what the training annotations label)."""
    return [s for s in segments(article, max_run=1) if _is_sentence(article, s)]


def _is_sentence(article: Article, segment: Segment) -> bool:
    units = article.units
    first, last = units[segment.first_unit], units[segment.last_unit]
    before = segment.first_unit == 0 or units[segment.first_unit - 1].sentence != first.sentence
    after = segment.last_unit == len(units) - 1 or units[segment.last_unit + 1].sentence != last.sentence
    return before and after


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    from ..resources import resource_path

    return frozenset(resource_path("stopwords-en.txt").read_text(encoding="utf-8").split())


@lru_cache(maxsize=1)
def stemmer():
    import Stemmer  # PyStemmer: the Snowball English stemmer, in C, with a word cache

    return Stemmer.Stemmer("english")


@dataclass
class UnitWords:
    """What alignment needs of one article's words, computed once per article.

    Per unit: content-word stems, names and numbers, length in words. Per token of the model:
    a rarity key, or None for stop words, punctuation and attribution ("Khalaf told al-Sabah").
    """

    stems: list[set[str]]
    names: list[set[str]]
    lengths: list[int]
    token_keys: list[str | None]


def _in_spans(position: int, spans: list[tuple[int, int]]) -> bool:
    """Whether a position falls in one of `spans` (sorted, not overlapping)."""
    index = bisect.bisect_right(spans, (position, float("inf"))) - 1
    return index >= 0 and spans[index][0] <= position < spans[index][1]


def unit_words(article: Article) -> UnitWords:
    stop = stopwords()
    stem = stemmer().stemWord
    attribution: list[tuple[int, int]] = []
    for sentence in article.sentences:
        text = article.text[sentence.start : sentence.end]
        attribution.extend((sentence.start + s, sentence.start + e) for s, e in attribution_spans(text))
    attribution.sort()
    stems, names, lengths = [], [], []
    for unit in article.units:
        text = article.text[unit.start : unit.end]
        words = list(_WORD.finditer(text))
        lengths.append(len(words))
        content = [
            w.group(0).lower().replace("’", "'") for w in words if not _in_spans(unit.start + w.start(), attribution)
        ]
        stems.append({stem(w.removesuffix("'s")) for w in content if w not in stop and len(w) > 1})
        found = set()
        for match in _NAME.finditer(text):
            token = match.group(0)
            if token.lower() in stop or _in_spans(unit.start + match.start(), attribution):
                continue  # a capitalised stop word opening a sentence, or who said it
            found.add(stem(token.lower().removesuffix("'s").replace(",", "").rstrip(".")))
        names.append(found)
    keys: list[str | None] = []
    for start, end in article.token_spans if article.token_spans is not None else []:
        piece = article.text[start:end].lower()
        content = piece.isalnum() and piece not in stop and (len(piece) > 1 or piece.isdigit())
        keys.append(piece if content and not _in_spans(int(start), attribution) else None)
    return UnitWords(stems, names, lengths, keys)


def _segment_sets(sets: list[set[str]], segs: list[Segment]) -> list[set[str]]:
    return [set().union(*(sets[u] for u in s.units)) for s in segs]


def _idf(all_sets: list[list[set[str]]]) -> dict[str, float]:
    """Rarity of each stem among all units of the comparison (units are the documents)."""
    df: Counter[str] = Counter()
    total = 0
    for sets in all_sets:
        for s in sets:
            df.update(s)
            total += 1
    return {w: math.log((total + 1) / (n + 0.5)) for w, n in df.items()}


def _overlap(left: list[set[str]], right: list[set[str]], idf: dict[str, float] | None, smooth: float = 0.0) -> np.ndarray:
    """Weighted overlap coefficient |L ∩ R| / (min(|L|, |R|) + smooth) for every pair of sets.

    `smooth` keeps one shared common item (a country named in every sentence) from scoring 1."""
    out = np.zeros((len(left), len(right)), np.float32)
    weight = (lambda s: sum(idf.get(w, 1.0) for w in s)) if idf is not None else len
    right_weights = [weight(r) for r in right]
    for i, l in enumerate(left):
        if not l:
            continue
        wl = weight(l)
        for j, r in enumerate(right):
            if r and (shared := l & r):
                out[i, j] = weight(shared) / (min(wl, right_weights[j]) + smooth)
    return out


def _token_weights(words_a: UnitWords, words_b: UnitWords) -> tuple[np.ndarray, np.ndarray]:
    """Rarity weight of each token of both articles; 0 for tokens without a key."""
    df = Counter(k for k in words_a.token_keys + words_b.token_keys if k)
    total = sum(df.values()) + 1

    def weights(keys: list[str | None]) -> np.ndarray:
        return np.array([math.log(total / (df[k] + 0.5)) if k else 0.0 for k in keys], np.float32)

    return weights(words_a.token_keys), weights(words_b.token_keys)


def _unit_starts(article: Article) -> tuple[np.ndarray, np.ndarray]:
    """Start token of each unit (clipped for reduceat) and whether the unit has no tokens."""
    n = max(1, len(article.token_spans))
    starts = np.minimum([first for first, _ in article.unit_tokens], n - 1)
    empty = np.array([last <= first for first, last in article.unit_tokens], dtype=bool)
    return starts, empty


def _coverage(a: Article, sa: list[Segment], b: Article, sb: list[Segment], wa, wb) -> tuple[np.ndarray, np.ndarray]:
    """Rarity-weighted share of each segment's content tokens matched in the other, both ways."""
    cover_a = np.zeros((len(sa), len(sb)), np.float32)
    cover_b = np.zeros((len(sa), len(sb)), np.float32)
    if not len(a.token_spans) or not len(b.token_spans) or not wa.any() or not wb.any():
        return cover_a, cover_b
    starts_a, empty_a = _unit_starts(a)
    starts_b, empty_b = _unit_starts(b)
    best_per_unit_b, best_per_unit_a = _unit_maxima(a.token_vectors, b.token_vectors, starts_a, starts_b)
    best_per_unit_b[:, empty_b] = 0
    best_per_unit_a[empty_a, :] = 0
    best_seg_b = np.stack([best_per_unit_b[:, s.first_unit : s.last_unit + 1].max(axis=1) for s in sb], axis=1)
    best_seg_a = np.stack([best_per_unit_a[s.first_unit : s.last_unit + 1, :].max(axis=0) for s in sa], axis=0)
    unit_sum_a = np.add.reduceat(best_seg_b * wa[:, None], starts_a, axis=0)  # [units a, segs b]
    unit_sum_b = np.add.reduceat(best_seg_a * wb[None, :], starts_b, axis=1)  # [segs a, units b]
    unit_mass_a = np.add.reduceat(wa, starts_a)
    unit_mass_b = np.add.reduceat(wb, starts_b)
    unit_sum_a[empty_a, :] = 0
    unit_mass_a[empty_a] = 0
    unit_sum_b[:, empty_b] = 0
    unit_mass_b[empty_b] = 0
    cum_a = np.vstack([np.zeros((1, len(sb)), np.float32), np.cumsum(unit_sum_a, axis=0)])
    cum_b = np.hstack([np.zeros((len(sa), 1), np.float32), np.cumsum(unit_sum_b, axis=1)])
    mass_cum_a = np.concatenate([[0.0], np.cumsum(unit_mass_a)])
    mass_cum_b = np.concatenate([[0.0], np.cumsum(unit_mass_b)])
    for i, s in enumerate(sa):
        mass = mass_cum_a[s.last_unit + 1] - mass_cum_a[s.first_unit]
        if mass > 0:
            cover_a[i] = (cum_a[s.last_unit + 1] - cum_a[s.first_unit]) / mass
    for j, s in enumerate(sb):
        mass = mass_cum_b[s.last_unit + 1] - mass_cum_b[s.first_unit]
        if mass > 0:
            cover_b[:, j] = (cum_b[:, s.last_unit + 1] - cum_b[:, s.first_unit]) / mass
    return cover_a, cover_b


CHUNK_TOKENS = 2048  # token similarities are computed this many tokens of `b` at a time


def _unit_maxima(ta: np.ndarray, tb: np.ndarray, starts_a: np.ndarray, starts_b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For every token of a, its best similarity within each unit of b ([tokens a, units b]), and
    for every token of b, its best within each unit of a ([units a, tokens b]).

    Units are disjoint and ordered, so np.maximum.reduceat gives per-unit maxima. The token
    similarity matrix is built a block of b's units at a time: two long articles would
    otherwise need gigabytes for it."""
    best_in_b = np.zeros((len(ta), len(starts_b)), np.float32)
    best_in_a = np.zeros((len(starts_a), len(tb)), np.float32)
    bounds = list(starts_b) + [len(tb)]
    first = 0
    while first < len(starts_b):
        last = first + 1
        while last < len(starts_b) and bounds[last + 1] - bounds[first] <= CHUNK_TOKENS:
            last += 1
        lo, hi = bounds[first], bounds[last]
        if hi > lo:
            sims = np.clip(ta @ tb[lo:hi].T, 0, None)
            local = np.minimum(np.array(starts_b[first:last]) - lo, hi - lo - 1)
            best_in_b[:, first:last] = np.maximum.reduceat(sims, local, axis=1)
            best_in_a[:, lo:hi] = np.maximum.reduceat(sims, starts_a, axis=0)
        first = last
    return best_in_b, best_in_a


def segment_vectors(article: Article, segs: list[Segment]) -> np.ndarray:
    """Mean of each segment's normalised token states, normalised."""
    sums = np.zeros((len(article.units), article.token_vectors.shape[1] if article.token_vectors is not None else 384), np.float32)
    for index, (first, last) in enumerate(article.unit_tokens):
        if last > first:
            sums[index] = article.token_vectors[first:last].sum(axis=0)
        elif article.unit_vectors is not None:  # a unit past the token limit, embedded on its own
            sums[index] = article.unit_vectors[index]
    cum = np.vstack([np.zeros((1, sums.shape[1]), np.float32), np.cumsum(sums, axis=0)])
    vectors = np.stack([cum[s.last_unit + 1] - cum[s.first_unit] for s in segs]) if segs else np.zeros((0, sums.shape[1]))
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms > 0, norms, 1)


def pair_features(a: Article, sa: list[Segment], b: Article, sb: list[Segment], *, words: tuple[UnitWords, UnitWords] | None = None) -> dict[str, np.ndarray]:
    """Every feature of FEATURES for every segment of `a` against every segment of `b`."""
    words_a, words_b = words or (unit_words(a), unit_words(b))
    idf = _idf([words_a.stems, words_b.stems])
    name_idf = _idf([words_a.names, words_b.names])  # "Iraq" in every sentence proves little
    wa, wb = _token_weights(words_a, words_b)
    cover_a, cover_b = _coverage(a, sa, b, sb, wa, wb)
    len_a = np.array([max(1, sum(words_a.lengths[u] for u in s.units)) for s in sa], np.float32)
    len_b = np.array([max(1, sum(words_b.lengths[u] for u in s.units)) for s in sb], np.float32)
    return {
        "cos": segment_vectors(a, sa) @ segment_vectors(b, sb).T,
        "cover_max": np.maximum(cover_a, cover_b),
        "cover_min": np.minimum(cover_a, cover_b),
        "words": _overlap(_segment_sets(words_a.stems, sa), _segment_sets(words_b.stems, sb), idf),
        "names": _overlap(_segment_sets(words_a.names, sa), _segment_sets(words_b.names, sb), name_idf, NAME_SMOOTH),
        "length": np.abs(np.log(len_a[:, None] / len_b[None, :])),
    }


@lru_cache(maxsize=1)
def _model() -> dict:
    from ..resources import resource_path

    return json.loads(resource_path("pair_model.json").read_text(encoding="utf-8"))


class PairScorer:
    """The trained logistic model over `pair_features`."""

    def __init__(self, model: dict | None = None):
        self.model = model or _model()
        unknown = set(self.model["features"]) - set(FEATURES)
        if unknown:
            raise ValueError(f"the pair model uses unknown features: {sorted(unknown)}")

    @property
    def threshold(self) -> float:
        return float(self.model.get("threshold", 0.5))

    def score(self, a: Article, sa: list[Segment], b: Article, sb: list[Segment], **kwargs) -> np.ndarray:
        """Probabilities for every segment of `a` against every segment of `b`."""
        if not sa or not sb:
            return np.zeros((len(sa), len(sb)), np.float32)
        return self.apply(pair_features(a, sa, b, sb, **kwargs))

    def apply(self, feats: dict[str, np.ndarray]) -> np.ndarray:
        model = self.model
        z = np.full(next(iter(feats.values())).shape, model["intercept"], dtype=np.float64)
        for name, weight, mean, scale in zip(model["features"], model["weights"], model["mean"], model["scale"]):
            z += weight * (feats[name] - mean) / scale
        return (1.0 / (1.0 + np.exp(-z))).astype(np.float32)
