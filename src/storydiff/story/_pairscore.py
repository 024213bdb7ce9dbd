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


def _spans_within(spans: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """The spans (sorted, not overlapping) that meet [start, end): most units meet none, and
    then no word of theirs needs testing."""
    first = max(0, bisect.bisect_right(spans, (start, float("inf"))) - 1)
    last = bisect.bisect_left(spans, (end, -1))
    return [span for span in spans[first:last] if span[1] > start]


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
        said = _spans_within(attribution, unit.start, unit.end)
        content = [w.group(0).lower().replace("’", "'") for w in words if not (said and _in_spans(unit.start + w.start(), said))]
        stems.append({stem(w.removesuffix("'s")) for w in content if w not in stop and len(w) > 1})
        found = set()
        for match in _NAME.finditer(text):
            token = match.group(0)
            if token.lower() in stop or (said and _in_spans(unit.start + match.start(), said)):
                continue  # a capitalised stop word opening a sentence, or who said it
            found.add(stem(token.lower().removesuffix("'s").replace(",", "").rstrip(".")))
        names.append(found)
    keys: list[str | None] = []
    if article.token_spans is not None and len(article.token_spans):
        # whether each token starts inside an attribution, for all tokens at once (as `_in_spans`)
        starts = article.token_spans[:, 0]
        said_starts = np.array([s for s, _ in attribution], dtype=np.int64)
        said_ends = np.array([e for _, e in attribution], dtype=np.int64)
        holder = np.searchsorted(said_starts, starts, side="right") - 1
        inside = ((holder >= 0) & (starts < said_ends[np.maximum(holder, 0)])) if attribution else np.zeros(len(starts), bool)
        pieces = [article.text[start:end].lower() for start, end in article.token_spans.tolist()]
        keys = [
            piece if not said and piece.isalnum() and piece not in stop and (len(piece) > 1 or piece.isdigit()) else None
            for piece, said in zip(pieces, inside.tolist())
        ]
    return UnitWords(stems, names, lengths, keys)


def token_window(article: Article, start: int, end: int) -> tuple[int, int]:
    """[first, last): the tokens that may lie inside the characters [start, end], those starting
    in them (token spans come in text order), so a caller tests those and not the article's all."""
    starts = article.token_spans[:, 0]
    return int(np.searchsorted(starts, start)), int(np.searchsorted(starts, end, side="right"))


def _segment_sets(sets: list[set[str]], segs: list[Segment]) -> list[set[str]]:
    return [set().union(*(sets[u] for u in s.units)) for s in segs]


class WordRows:
    """Sets of words (one per segment, say) as rows of 0/1 over their vocabulary, so that what every
    set of one list shares with every set of another is one matrix product, not an intersection
    per pair of sets."""

    def __init__(self, sets: list[set]) -> None:
        self.index: dict = {}
        rows, columns = [], []
        for n, members in enumerate(sets):
            for member in members:
                rows.append(n)
                columns.append(self.index.setdefault(member, len(self.index)))
        self.rows = np.zeros((len(sets), len(self.index)))
        self.rows[rows, columns] = 1

    def shared(self, other: WordRows, weight: dict | None = None) -> np.ndarray:
        """[sets of self, sets of other]: the weight of what each two share (without `weight`, how many members)."""
        common = [w for w in self.index if w in other.index]
        mine = self.rows[:, [self.index[w] for w in common]]
        theirs = other.rows[:, [other.index[w] for w in common]]
        if weight is not None:
            mine = mine * np.array([weight[w] for w in common])
        return mine @ theirs.T

    def sizes(self, weight: dict) -> np.ndarray:
        """The weight of each set."""
        return self.rows @ np.array([weight[w] for w in self.index], np.float64)


@dataclass
class SegmentedArticle:
    """An article as `features` reads it: its segments and what each holds, and the counts rarity
    is weighed from, computed once however many articles it is scored against."""

    article: Article
    segments: list[Segment]
    words: UnitWords
    stems: WordRows  # content-word stems of each segment
    names: WordRows  # names and numbers of each segment
    lengths: np.ndarray  # words in each segment, at least 1
    vectors: np.ndarray  # `segment_vectors`
    stem_units: Counter  # how many units hold each stem
    name_units: Counter  # how many units hold each name
    keys: list[str]  # the distinct `UnitWords.token_keys`
    key_of_token: np.ndarray  # index into `keys` of each token; len(keys) for a token without one
    key_tokens: Counter  # key -> tokens with it


def segmented(article: Article, segs: list[Segment]) -> SegmentedArticle:
    words = unit_words(article)
    key_tokens = Counter(k for k in words.token_keys if k)
    keys = list(key_tokens)
    where = {k: n for n, k in enumerate(keys)}
    return SegmentedArticle(
        article, segs, words, WordRows(_segment_sets(words.stems, segs)), WordRows(_segment_sets(words.names, segs)),
        np.array([max(1, sum(words.lengths[u] for u in s.units)) for s in segs], np.float32), segment_vectors(article, segs),
        Counter(w for s in words.stems for w in s), Counter(w for s in words.names for w in s),
        keys, np.array([where[k] if k else len(keys) for k in words.token_keys], np.intp), key_tokens,
    )


def _idf(units: Counter, documents: int) -> dict[str, float]:
    """Rarity of each stem among all units of the comparison (units are the documents), from how
    many units hold it."""
    return {w: math.log((documents + 1) / (n + 0.5)) for w, n in units.items()}


def _overlap(left: WordRows, right: WordRows, idf: dict[str, float], smooth: float = 0.0) -> np.ndarray:
    """Weighted overlap coefficient |L ∩ R| / (min(|L|, |R|) + smooth) for every pair of sets.

    `smooth` keeps one shared common item (a country named in every sentence) from scoring 1."""
    # summed in another order than a set's (itself arbitrary): at most the last bits of a float64
    # differ, far below the float32 kept
    shared = left.shared(right, idf)
    smaller = np.minimum.outer(left.sizes(idf), right.sizes(idf)) + smooth
    # every weight is positive: a pair shares weight exactly when it shares a member
    out = np.zeros(shared.shape, np.float32)
    np.divide(shared, smaller, out=out, where=shared > 0, casting="unsafe")
    return out


def _token_weights(a: SegmentedArticle, b: SegmentedArticle) -> tuple[np.ndarray, np.ndarray]:
    """Rarity weight of each token of both articles; 0 for tokens without a key."""
    tokens = a.key_tokens + b.key_tokens
    total = sum(tokens.values()) + 1
    weight = {k: math.log(total / (n + 0.5)) for k, n in tokens.items()}

    def weights(side: SegmentedArticle) -> np.ndarray:
        return np.array([weight[k] for k in side.keys] + [0.0], np.float32)[side.key_of_token]

    return weights(a), weights(b)


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
    for every token of b, its best within each unit of a ([units a, tokens b]); similarities
    below 0 count as 0.

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
            sims = ta @ tb[lo:hi].T
            local = np.minimum(np.array(starts_b[first:last]) - lo, hi - lo - 1)
            best_in_b[:, first:last] = np.maximum.reduceat(sims, local, axis=1)
            best_in_a[:, lo:hi] = _row_block_maxima(sims, starts_a)
        first = last
    # clipping the maxima is clipping every similarity first (the maximum keeps order), on far fewer numbers
    np.maximum(best_in_b, 0, out=best_in_b)
    np.maximum(best_in_a, 0, out=best_in_a)
    return best_in_b, best_in_a


def _row_block_maxima(matrix: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """np.maximum.reduceat(matrix, starts, axis=0), one block of rows at a time: reduceat along
    the first axis walks the matrix a column at a time, many times slower than a row-wise maximum."""
    out = np.empty((len(starts), matrix.shape[1]), matrix.dtype)
    ends = [*starts[1:].tolist(), len(matrix)]
    for row, (start, end) in enumerate(zip(starts.tolist(), ends)):
        # as reduceat: a block that does not grow past its start is that one row
        np.maximum.reduce(matrix[start : max(end, start + 1)], axis=0, out=out[row])
    return out


def segment_vectors(article: Article, segs: list[Segment]) -> np.ndarray:
    """Mean of each segment's normalised token states, normalised."""
    dimension = article.token_vectors.shape[1] if article.token_vectors is not None else 384
    if not segs:
        return np.zeros((0, dimension))
    sums = np.zeros((len(article.units), dimension), np.float32)
    for index, (first, last) in enumerate(article.unit_tokens):
        if last > first:
            sums[index] = article.token_vectors[first:last].sum(axis=0)
        elif article.unit_vectors is not None:  # a unit past the token limit, embedded on its own
            sums[index] = article.unit_vectors[index]
    cum = np.vstack([np.zeros((1, sums.shape[1]), np.float32), np.cumsum(sums, axis=0)])
    vectors = np.stack([cum[s.last_unit + 1] - cum[s.first_unit] for s in segs])
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms > 0, norms, 1)


def features(a: SegmentedArticle, b: SegmentedArticle) -> dict[str, np.ndarray]:
    """Every feature of FEATURES for every segment of `a` against every segment of `b`."""
    units = len(a.words.stems) + len(b.words.stems)
    idf = _idf(a.stem_units + b.stem_units, units)
    name_idf = _idf(a.name_units + b.name_units, units)  # "Iraq" in every sentence proves little
    wa, wb = _token_weights(a, b)
    cover_a, cover_b = _coverage(a.article, a.segments, b.article, b.segments, wa, wb)
    return {
        "cos": a.vectors @ b.vectors.T,
        "cover_max": np.maximum(cover_a, cover_b),
        "cover_min": np.minimum(cover_a, cover_b),
        "words": _overlap(a.stems, b.stems, idf),
        "names": _overlap(a.names, b.names, name_idf, NAME_SMOOTH),
        "length": np.abs(np.log(a.lengths[:, None] / b.lengths[None, :])),
    }


def pair_features(a: Article, sa: list[Segment], b: Article, sb: list[Segment]) -> dict[str, np.ndarray]:
    """`features` of the segments `sa` of `a` against the segments `sb` of `b`."""
    return features(segmented(a, sa), segmented(b, sb))


@lru_cache(maxsize=1)
def _model() -> dict:
    from ..resources import resource_path

    return json.loads(resource_path("pair_model.json").read_text(encoding="utf-8"))


class PairScorer:
    """The trained logistic model over `features`."""

    def __init__(self, model: dict | None = None):
        self.model = model or _model()
        unknown = set(self.model["features"]) - set(FEATURES)
        if unknown:
            raise ValueError(f"the pair model uses unknown features: {sorted(unknown)}")

    @property
    def threshold(self) -> float:
        return float(self.model.get("threshold", 0.5))

    def score(self, a: SegmentedArticle, b: SegmentedArticle) -> np.ndarray:
        """Probabilities for every segment of `a` against every segment of `b`."""
        if not a.segments or not b.segments:
            return np.zeros((len(a.segments), len(b.segments)), np.float32)
        return self.apply(features(a, b))

    def apply(self, feats: dict[str, np.ndarray]) -> np.ndarray:
        model = self.model
        z = np.full(next(iter(feats.values())).shape, model["intercept"], dtype=np.float64)
        for name, weight, mean, scale in zip(model["features"], model["weights"], model["mean"], model["scale"]):
            z += weight * (feats[name] - mean) / scale
        return (1.0 / (1.0 + np.exp(-z))).astype(np.float32)
