"""Incremental story clustering: group a growing pile of articles into stories.

Features (per article, built once, ``StoryFeatures``; the text is not needed afterwards)
---------------------------------------------------------------------------------------
* ``vector``: the article's document vector (unit, stored as float16). In production (corpus
  ingest, corpus/_steps.py ``build_features``) it is the static word-piece table distilled from
  MiniLM (article/static_embed.py) on ``f"{title}\n{text}"``; the defaults below were chosen for
  those vectors. (``StoryFeatures.vector_texts`` gives the title + ~100 words lead that the
  transformer itself would take, kept for comparison in benchmarks/stories_quality.py.)
* ``terms``: hashed bag of tokens in four views (no vocabulary, so the corpus can grow):
  ``words`` (Snowball-stemmed content words of title and lead), ``title`` (stemmed title words),
  ``names`` (capitalised words and adjacent pairs: "Hong", "Kong", "hong_kong") and ``numbers``
  ("#2019", "#7.5"). Each token is crc32-hashed into 22 bits and tagged with its view (2 bits);
  the stored value is the sublinear term frequency 1 + log(count).
* ``day``: days since 1970-01-01, or None.

Similarity
----------
An article becomes one vector ``z`` = concatenation of sqrt(weight_v) * unit(view_v), with the
dense MiniLM view and the four tf-idf views (IDF from the corpus so far, frozen when the article
is added), so ``z_x . z_y`` = sum over views of weight_v * cosine_v(x, y): a mix of "what the
text is about" (MiniLM) and "which names, numbers and rare words it shares" (terms), which is what
separates two similar events (two earthquakes, two days of one trial) that MiniLM alone blurs.

Clustering a step (add() works in steps of STEP = 1024 articles, in input order)
-------------------------------------------------------------------------------
1. Neighbours: each new article's ``neighbours`` nearest articles by vector, among all earlier
   articles (usearch HNSW index, searched before the step is added) and the other new articles of
   the step (exact); their mixed similarities z.z' are computed, and pairs further apart in time
   than ``max_days`` (both dated) are dropped: they are neither candidates nor competitors.
2. Graph: nodes are the new articles plus one FROZEN node per existing story that a new article
   reached; edges follow the neighbour lists. Existing stories can gain articles, but never merge
   with each other or lose any, so story ids stay stable (0, 1, 2, ... in order of creation).
3. Provisional pass: graph-restricted average-link agglomeration (always merge the adjacent pair
   with the highest mean pairwise similarity; link computed exactly from the clusters' summed z)
   while link > ``start_link``. This finds large, tight stories.
4. ``passes`` competition passes: every member's background bg = its best similarity to an
   article OUTSIDE its cluster of the previous pass (members of an existing story: their stored
   background, raised by new articles outside it). Agglomerate again from scratch with
   score(A, B) = link(A, B) - alpha * (mean bg(A) + mean bg(B)) / 2 > ``threshold``:
   "A and B are closer to each other than either is to anything else". A raw similarity
   threshold does not transfer between corpora, because how similar two articles of one story
   are depends on how crowded that region is (one topic with many events, days of one running
   story); subtracting the local background (as in CSLS / hubness reduction) makes the decision
   relative. Backgrounds are taken outside the provisional cluster, so a large story's own
   members do not count as its competitors.
5. Each resulting cluster keeps its frozen story's id or gets a new one; every article stores its
   background, and new articles raise the backgrounds of their older neighbours in other stories.
A time window also applies to clusters: two clusters merge only if their dated spans lie within
``max_days`` of each other (undated articles and stories are always time-compatible).

Cost per article: one ANN query and insert, ``neighbours`` sparse+dense dot products, and a few
heap operations, so the whole run grows ~linearly (see benchmarks/stories_scale.py). Memory per
article: float16 vector (twice: ours and the index's), <= ``article_terms`` terms, a few scalars;
per story: a float32 vector sum and <= ``story_terms`` terms.

Within one step the result does not depend on the order; across steps it does (a story formed in
an early step cannot absorb a later, better partner's story). Same inputs in the same order and
the same batches give the same output (one-thread index inserts, ties broken by article number).

Settings (``ClusterSettings``; the defaults were chosen on NeuS train only, with the production
static vectors, see benchmarks/stories_quality.py --choose): the view weights, ``start_link``,
``threshold``, ``alpha``, ``passes``, ``bg_floor``, ``neighbours``, ``max_days``,
``story_terms``, ``article_terms``.

``bg_floor`` is the lowest background: the similarity level of UNRELATED articles. With no real
competitor known a merge still needs link > bg_floor + threshold. This is what keeps small
corpora (a user's few feeds, tens of articles) apart: there, the only competitor of a story is
often the other, unrelated story, so "closer to each other than to anything else" holds
trivially and only the floor says no. The level depends on the vector kind: random pairs of
different NeuS-train events have median dense cosine 0.28 (p90 0.44) with the static table
against 0.14 (p90 0.29) with the transformer, so the floor moved from 0.2 (MiniLM) to 0.3.

``start_link`` must stay below the typical link inside a multi-article story: the provisional
pass is what keeps a story's own members from counting as each other's competitors. NeuS train
(events of 3 articles) prefers it higher (0.8-0.9, and dense_weight 0.4: +0.012 F1 there), but
then larger stories fall apart (the 4-article dam story of tests/data/corpus/stories.jsonl
already loses a member at 0.65), so it stays at 0.5 with dense_weight 0.5.
"""
from __future__ import annotations

import json
import math
import os
import re
import struct
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Iterable

import numpy as np

from ._ann import VectorIndex

__all__ = ["ClusterSettings", "StoryClusterer", "StoryFeatures"]

HASH_BITS = 22  # per view; 4M buckets keep collisions rare at millions of articles
VIEW_BITS = 2
ID_SPACE = 1 << (HASH_BITS + VIEW_BITS)
VIEWS = ("words", "title", "names", "numbers")
LEAD_WORDS = 400  # words of the body used for terms: news puts the event in its lead
VECTOR_LEAD_WORDS = 100  # title + this many body words ~ 128 word pieces for the encoder
NO_DAY = -(2**31)
STEP = 1024  # articles per internal step of add(): IDF refresh and in-step exact neighbours

# ---------------------------------------------------------------------------------------------
# Tokens
_STOP = frozenset(
    """a about above after again against all almost also although always am among an and another any anybody
    anyone anything anywhere are aren't around as at be became because become becomes been before being below
    beside besides between beyond both but by can cannot could couldn't did didn't do does doesn't doing don't
    done down during each either else elsewhere enough etc even ever every everyone everything everywhere except
    few for former formerly from further get gets getting give given go goes going gone got had hadn't has hasn't
    have haven't having he he'd he'll her here hers herself him himself his how however i i'd i'll i'm i've if in
    indeed into is isn't it it's its itself just last latter least less let like made make many may me meanwhile
    might mine more moreover most mostly much must my myself namely neither never nevertheless next no nobody none
    nor not nothing now nowhere of off often on once one only onto or other others otherwise our ours ourselves out
    over own per perhaps please put rather re really said same say says see seem seemed seems several she she'd
    she'll should shouldn't since so some somehow someone something sometime sometimes somewhere still such than
    that that's the their theirs them themselves then there thereafter thereby therefore these they they'd they'll
    they're they've this those though through throughout thus to together too told toward towards under until up
    upon us very via was wasn't we we'd we'll we're we've well were weren't what whatever when whenever where
    whereas wherever whether which while who whoever whole whom whose why will with within without won't would
    wouldn't yet you you'd you'll you're you've your yours yourself yourselves mr mrs ms new year years news""".split()
)
# words capitalised for reasons other than being names (sentence starts, dates, bylines)
_CAP_STOP = _STOP | frozenset(
    """monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december jan feb mar apr jun jul aug sep sept oct nov dec photo video read
    image images getty ap reuters update updated pm am et pt pst est edt pdt""".split()
)
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’\-]*[A-Za-z]|[A-Za-z]")
_NAME_WORD = r"(?:[A-Z][A-Za-z'’\-]*[a-z][A-Za-z'’\-]*|[A-Z]{2,})"
_NAME_SEQ = re.compile(_NAME_WORD + r"(?:\s+" + _NAME_WORD + r")*")
_NUMBER = re.compile(r"\d[\d,.]*\d|\d")
_STEMMER = None


def _stem(words: list[str]) -> list[str]:
    global _STEMMER
    if _STEMMER is None:
        import Stemmer  # PyStemmer, a storydiff dependency

        _STEMMER = Stemmer.Stemmer("english")
    return _STEMMER.stemWords(words)


def _norm(tok: str) -> str:
    tok = tok.lower().replace("’", "'")
    return tok[:-2] if tok.endswith("'s") else tok


def _words(text: str) -> list[str]:
    out = [w for w in (_norm(t) for t in _TOKEN.findall(text)) if len(w) > 1 and w not in _STOP]
    return _stem(out)


def _names(text: str) -> list[str]:
    out: list[str] = []
    for seq in _NAME_SEQ.findall(text):
        parts = [p for p in (_norm(w) for w in seq.split()) if len(p) > 1 and p not in _CAP_STOP]
        out.extend(parts)
        out.extend(a + "_" + b for a, b in zip(parts, parts[1:]))  # "hong_kong" is rarer than either word
    return out


def _numbers(text: str) -> list[str]:
    out = []
    for n in _NUMBER.findall(text):
        n = n.replace(",", "").rstrip(".")
        if n not in {"0", "1", "2", "3"}:  # too common to tell events apart
            out.append(n)
    return out


def _lead(text: str, n_words: int) -> str:
    parts = text.split(maxsplit=n_words)
    return " ".join(parts[:n_words])


def _hash(view: int, tok: str) -> int:
    # crc32 is stable across processes (Python's hash() is salted)
    return (view << HASH_BITS) | (zlib.crc32(tok.encode("utf-8")) & ((1 << HASH_BITS) - 1))


# ---------------------------------------------------------------------------------------------
@dataclass
class StoryFeatures:
    """Compact, serialisable per-article features (see the module docstring)."""

    vector: np.ndarray  # float16 [d], unit length
    term_ids: np.ndarray  # uint32, sorted, view in the top bits
    term_tf: np.ndarray  # float16, 1 + log(count)
    day: int | None = None

    VERSION: ClassVar[str] = "1"  # bump when build() changes, so stored features get rebuilt

    @staticmethod
    def vector_texts(title: str | None, text: str) -> str:
        """The text to feed the encoder: title and the first ~100 words (~128 word pieces)."""
        body = _lead(text or "", VECTOR_LEAD_WORDS)
        return f"{title.strip()}\n{body}" if title and title.strip() else body

    @classmethod
    def build(cls, title: str | None, text: str, vector: np.ndarray, day: int | None = None) -> "StoryFeatures":
        title = (title or "").strip()
        body = _lead(text or "", LEAD_WORDS)
        if not title:  # e.g. ECB+: no title field; the first line plays that part
            first, _, _ = body.partition("\n")
            title = first if len(first.split()) <= 30 else ""
        both = f"{title}.\n{body}" if title else body
        counts: Counter[int] = Counter()
        for view, toks in enumerate((_words(both), _words(title), _names(both), _numbers(both))):
            for tok in toks:
                counts[_hash(view, tok)] += 1
        ids = np.array(sorted(counts), dtype=np.uint32)
        tf = np.array([1.0 + math.log(counts[i]) for i in ids.tolist()], dtype=np.float16)
        v = np.asarray(vector, dtype=np.float32).ravel()
        n = float(np.linalg.norm(v))
        v = v / n if n > 0 else v
        return cls(v.astype(np.float16), ids, tf, None if day is None else int(day))

    def to_bytes(self) -> bytes:
        """Little-endian: version u8, dim u16, n_terms u32, day i32 (NO_DAY if None), f16 vector,
        u32 term ids, f16 term tf. About 0.8 kB + 6 bytes per distinct term."""
        head = struct.pack("<BHIi", 1, len(self.vector), len(self.term_ids), NO_DAY if self.day is None else self.day)
        return b"".join((head, self.vector.astype("<f2").tobytes(), self.term_ids.astype("<u4").tobytes(), self.term_tf.astype("<f2").tobytes()))

    @staticmethod
    def vector_from_bytes(data: bytes) -> np.ndarray:
        """Only the vector of `to_bytes` data (float32), without decoding the terms."""
        version, dim, _n, _day = struct.unpack_from("<BHIi", data, 0)
        if version != 1:
            raise ValueError(f"unknown StoryFeatures version {version}")
        return np.frombuffer(data, "<f2", dim, struct.calcsize("<BHIi")).astype(np.float32)

    @classmethod
    def from_bytes(cls, data: bytes) -> "StoryFeatures":
        version, dim, n, day = struct.unpack_from("<BHIi", data, 0)
        if version != 1:
            raise ValueError(f"unknown StoryFeatures version {version}")
        o = struct.calcsize("<BHIi")
        vec = np.frombuffer(data, "<f2", dim, o).astype(np.float16)
        o += 2 * dim
        ids = np.frombuffer(data, "<u4", n, o).astype(np.uint32)
        o += 4 * n
        tf = np.frombuffer(data, "<f2", n, o).astype(np.float16)
        return cls(vec, ids, tf, None if day == NO_DAY else day)


# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ClusterSettings:
    """The defaults are THE settings, for the production static vectors (chosen on NeuS train only,
    subject to tests/data/corpus/stories.jsonl giving its 3 stories; see
    benchmarks/stories_quality.py --choose)."""

    dense_weight: float = 0.5  # weight of the dense (static-table) cosine in the mixed similarity
    words_weight: float = 0.35  # stemmed content words (tf-idf cosine)
    title_weight: float = 0.05  # stemmed title words
    names_weight: float = 0.1  # capitalised names and name pairs
    numbers_weight: float = 0.0  # numbers
    threshold: float = -0.03  # merge when link - alpha * background > threshold
    alpha: float = 1.0  # how much the competing background counts (0 = plain average link)
    start_link: float = 0.5  # provisional pass: plain average link above this mixed similarity
    passes: int = 2  # re-clusterings with backgrounds outside the previous pass's clusters
    bg_floor: float = 0.3  # lowest background (unrelated level): no competitor known, join only if link > bg_floor + threshold
    neighbours: int = 20  # ANN neighbours per article: the candidate stories and competitors
    max_days: int = 3  # a dated article joins a dated story only within this many days of its span
    story_terms: int = 256  # sparse terms kept per story sum (largest weights)
    article_terms: int = 128  # sparse terms kept per article after idf weighting
    exact_search: bool = False  # brute-force neighbours instead of usearch (tests, tiny corpora)

    def view_weights(self) -> np.ndarray:
        return np.array([self.words_weight, self.title_weight, self.names_weight, self.numbers_weight], np.float32)


class _Grow:
    """Amortised-doubling numpy array (rows)."""

    def __init__(self, shape_tail=(), dtype=np.float32, fill=0):
        self.a = np.full((16, *shape_tail), fill, dtype)
        self.n = 0
        self.fill = fill

    def extend(self, rows: np.ndarray) -> None:
        need = self.n + len(rows)
        if need > len(self.a):
            cap = max(need, 2 * len(self.a))
            b = np.full((cap, *self.a.shape[1:]), self.fill, self.a.dtype)
            b[: self.n] = self.a[: self.n]
            self.a = b
        self.a[self.n : need] = rows
        self.n = need

    @property
    def v(self) -> np.ndarray:
        return self.a[: self.n]


class StoryClusterer:
    """Single-pass story clusterer; see the module docstring for the rule and the settings."""

    def __init__(self, settings: ClusterSettings | None = None):
        self.s = settings or ClusterSettings()
        self._dim: int | None = None
        self._index: VectorIndex | None = None
        self._df = np.zeros(ID_SPACE, np.int32)
        self._n_docs = 0
        self._scratch = np.zeros(ID_SPACE, np.float32)
        self._key_to_idx: dict[int, int] = {}
        self._keys = _Grow((), np.int64)
        # per article
        self._dense: _Grow | None = None  # sqrt(dense_weight) * unit vector, float16
        self._day = _Grow((), np.int32, NO_DAY)
        self._story = _Grow((), np.int64, -1)
        self._bg = _Grow((), np.float32)
        self._sp_start = _Grow((), np.int64)
        self._sp_len = _Grow((), np.int64)
        self._sp_ids = _Grow((), np.int32)
        self._sp_w = _Grow((), np.float16)
        # per story (internal index == story id)
        self._st_n = _Grow((), np.int32)
        self._st_dense: _Grow | None = None
        self._st_bgsum = _Grow((), np.float64)
        self._st_lo = _Grow((), np.int32, NO_DAY)
        self._st_hi = _Grow((), np.int32, NO_DAY)
        self._st_terms: list[tuple[np.ndarray, np.ndarray]] = []

    # ----------------------------------------------------------------------------- public API
    def add(self, items: Iterable[tuple[int, StoryFeatures]]) -> dict[int, int]:
        """Cluster new articles (in the given order); returns {key: story_id} for them."""
        items = list(items)
        out: dict[int, int] = {}
        # fixed-size steps bound memory (the in-step similarity matrix) whatever the caller's batch
        for start in range(0, len(items), STEP):
            first = self._append(items[start : start + STEP])
            out.update(self._cluster_step(first))
        return out

    @classmethod
    def restore(cls, settings: ClusterSettings | None, items: Iterable[tuple[int, StoryFeatures, int]]) -> "StoryClusterer":
        """Rebuild from stored (key, features, story_id), in their original order; assignments are
        taken as given. Steps of STEP articles as in add(), so IDF and the index grow the same way
        (IDF differs slightly from the original run when its batches differed)."""
        items = list(items)
        self = cls(settings)
        if not items:
            return self
        n_st = max(int(sid) for _, _, sid in items) + 1
        for start in range(0, len(items), STEP):
            part = items[start : start + STEP]
            first = self._append([(k, f) for k, f, _ in part], everyone=True)
            if self._st_n.n < n_st:
                self._new_stories(n_st - self._st_n.n)
            for i, (_, _, sid) in enumerate(part, start=first):
                self._story.a[i] = int(sid)
                self._join(i, int(sid), 0.0)
            # background: best similarity to a (time-compatible) neighbour in another story; older
            # neighbours in other stories have this article as a competitor too
            for i in range(first, self._keys.n):
                js, ss = self._neighbours[i]
                best = self.s.bg_floor
                for j, sim in zip(js.tolist(), ss.tolist()):  # best first, time-filtered
                    cj = int(self._story.a[j])
                    if cj == self._story.a[i]:
                        continue
                    best = max(best, sim)
                    if sim > self._bg.a[j] and j < i:
                        self._st_bgsum.a[cj] += sim - float(self._bg.a[j])
                        self._bg.a[j] = sim
                if best > self._bg.a[i]:
                    self._st_bgsum.a[self._story.a[i]] += best - float(self._bg.a[i])
                    self._bg.a[i] = best
            self._neighbours = {}
        return self

    # ----------------------------------------------------------------------------- snapshots
    # Rebuilding from stored features re-runs every neighbour search (25 s for 37k articles);
    # a snapshot of the state after the last run makes adding to a large corpus cost only the new
    # articles. It is a cache: `load` refuses a snapshot that does not match what the caller
    # stored (another settings, other articles, other stories), and the caller then restores.
    _ARRAYS = ("_keys", "_day", "_story", "_bg", "_sp_start", "_sp_len", "_sp_ids", "_sp_w", "_st_n", "_st_bgsum", "_st_lo", "_st_hi")

    def save(self, path: str | os.PathLike) -> None:
        """Write the clusterer's state to `path` (and its vector index to `path` + ".index"),
        each through a temporary file renamed into place."""
        path = Path(path)
        if self._dim is None:
            return
        arrays = {name: getattr(self, name).v for name in self._ARRAYS}
        arrays["_dense"] = self._dense.v
        arrays["_st_dense"] = self._st_dense.v
        nz = np.flatnonzero(self._df)
        arrays["df_ids"], arrays["df_counts"] = nz.astype(np.int64), self._df[nz]
        lengths = np.array([len(ids) for ids, _ in self._st_terms], np.int64)
        arrays["st_term_lengths"] = lengths
        arrays["st_term_ids"] = np.concatenate([ids for ids, _ in self._st_terms] or [np.zeros(0, np.int32)]).astype(np.int32)
        arrays["st_term_w"] = np.concatenate([w for _, w in self._st_terms] or [np.zeros(0, np.float32)]).astype(np.float32)
        meta = {"settings": repr(self.s), "dim": self._dim, "n_docs": self._n_docs, "format": 1}
        arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), np.uint8)
        temporary = path.with_name(path.name + ".tmp")
        with open(temporary, "wb") as handle:
            np.savez(handle, **arrays)
        index_tmp = path.with_name(path.name + ".index.tmp")
        self._index.save(str(index_tmp))
        os.replace(index_tmp, path.with_name(path.name + ".index"))
        os.replace(temporary, path)

    @classmethod
    def load(cls, settings: ClusterSettings | None, path: str | os.PathLike, expect: dict[int, int]) -> "StoryClusterer | None":
        """The state `save` wrote, if it holds exactly the articles of `expect` ({key: story});
        None otherwise (no snapshot, a damaged one, other settings or other articles)."""
        path = Path(path)
        self = cls(settings)
        try:
            with np.load(path, allow_pickle=False) as archive:
                meta = json.loads(archive["meta"].tobytes().decode())
                if meta.get("format") != 1 or meta.get("settings") != repr(self.s):
                    return None
                keys, stories = archive["_keys"], archive["_story"]
                if len(keys) != len(expect) or any(expect.get(int(k)) != int(c) for k, c in zip(keys.tolist(), stories.tolist())):
                    return None
                self._dim = int(meta["dim"])
                self._n_docs = int(meta["n_docs"])
                for name in self._ARRAYS:
                    getattr(self, name).extend(archive[name])
                self._dense = _Grow((self._dim,), np.float16)
                self._dense.extend(archive["_dense"])
                self._st_dense = _Grow((self._dim,), np.float32)
                self._st_dense.extend(archive["_st_dense"])
                self._df[archive["df_ids"]] = archive["df_counts"]
                ends = np.cumsum(archive["st_term_lengths"])
                ids, w = archive["st_term_ids"], archive["st_term_w"]
                self._st_terms = [(ids[e - n:e].copy(), w[e - n:e].copy()) for n, e in zip(archive["st_term_lengths"].tolist(), ends.tolist())]
            self._key_to_idx = {int(k): i for i, k in enumerate(keys.tolist())}
            self._index = VectorIndex(self._dim, exact=self.s.exact_search)
            self._index.load(str(path.with_name(path.name + ".index")), len(keys))
        except (OSError, ValueError, KeyError, json.JSONDecodeError, UnicodeDecodeError):
            return None
        return self

    @property
    def n_articles(self) -> int:
        return self._keys.n

    @property
    def n_stories(self) -> int:
        return self._st_n.n

    def story_of(self, key: int) -> int:
        return int(self._story.a[self._key_to_idx[key]])

    # ----------------------------------------------------------------------------- internals
    def _append(self, items: list[tuple[int, StoryFeatures]], everyone: bool = False) -> int:
        s = self.s
        if self._dim is None:
            self._dim = len(items[0][1].vector)
            self._index = VectorIndex(self._dim, exact=s.exact_search)
            self._dense = _Grow((self._dim,), np.float16)
            self._st_dense = _Grow((self._dim,), np.float32)
        first = self._keys.n
        keys = []
        for k, f in items:
            k = int(k)
            if k in self._key_to_idx or k in keys:
                raise ValueError(f"article key {k} was added already")
            keys.append(k)
        for n, k in enumerate(keys):
            self._key_to_idx[k] = first + n
        self._keys.extend(np.array(keys, np.int64))
        vw = np.sqrt(self.s.view_weights())
        unit = np.vstack([np.asarray(f.vector, np.float32) for _, f in items])
        dense = unit * math.sqrt(s.dense_weight)
        # term weights, vectorised over the step: tf * idf, unit length per view, then
        # sqrt(view weight), so that z.z' = sum_v weight_v * cos_v; keep each article's heaviest
        lens = np.array([len(f.term_ids) for _, f in items], np.int64)
        ids = np.concatenate([f.term_ids for _, f in items]).astype(np.int64)
        tf = np.concatenate([f.term_tf for _, f in items]).astype(np.float32)
        art = np.repeat(np.arange(len(items)), lens)
        # IDF as if articles came one by one: an article's document frequencies count the articles
        # before it and itself (term ids are unique within an article), so the weights depend on
        # the order only, not on how the articles were batched (restore() relies on this)
        by_term = np.lexsort((np.arange(len(ids)), ids))
        sorted_ids = ids[by_term]
        run_start = np.concatenate(([0], np.flatnonzero(np.diff(sorted_ids)) + 1))
        run_len = np.diff(np.concatenate((run_start, [len(ids)])))
        within = np.arange(len(ids)) - np.repeat(run_start, run_len)
        seen = np.empty(len(ids), np.int64)
        seen[by_term] = within + 1  # occurrences in this step up to and including this article
        df = self._df[ids].astype(np.int64) + seen
        n_docs = self._n_docs + art + 1
        idf = (np.log((1.0 + n_docs) / (1.0 + df)) + 1.0).astype(np.float32)
        np.add.at(self._df, sorted_ids[run_start], run_len.astype(np.int32))
        self._n_docs += len(items)
        w = tf * idf
        group = art * 4 + (ids >> HASH_BITS)
        norms = np.sqrt(np.bincount(group, weights=w * w, minlength=4 * len(items)))
        with np.errstate(divide="ignore", invalid="ignore"):
            scale = np.where(norms > 0, np.tile(vw, len(items)) / norms, 0.0)
        w = (w * scale[group]).astype(np.float32)
        order = np.lexsort((ids, -w, art))  # per article, heaviest first, ties by id
        starts_in = np.concatenate(([0], np.cumsum(lens)[:-1]))
        rank = np.arange(len(order)) - starts_in[art[order]]
        keep = np.sort(order[(rank < s.article_terms) & (w[order] > 0)])  # back to (article, id) order
        new_lens = np.bincount(art[keep], minlength=len(items))
        pos = self._sp_ids.n
        self._sp_start.extend(pos + np.concatenate(([0], np.cumsum(new_lens)[:-1])))
        self._sp_len.extend(new_lens)
        self._sp_ids.extend(ids[keep].astype(np.int32))
        self._sp_w.extend(w[keep].astype(np.float16))
        self._dense.extend(dense.astype(np.float16))
        self._day.extend(np.array([NO_DAY if f.day is None else f.day for _, f in items], np.int32))
        self._story.extend(np.full(len(items), -1, np.int64))
        self._bg.extend(np.zeros(len(items), np.float32))
        B, K = len(items), s.neighbours
        rows = np.arange(first, first + B)
        if everyone:
            # restore: neighbours among all articles, whatever their order
            self._index.add(unit)
            nk, nd = self._index.search(unit, K + 1)
            nd = np.where((nk >= 0) & (nk != rows[:, None]), nd, -np.inf)
        else:
            # neighbours among earlier steps' articles (index, searched before adding this step) and
            # the other articles of this step (exact)
            nk, nd = self._index.search(unit, K)
            nd = np.where(nk >= 0, nd, -np.inf)
            self._index.add(unit)
            inner = unit @ unit.T
            np.fill_diagonal(inner, -np.inf)
            nk = np.hstack((nk, np.broadcast_to(rows, (B, B))))
            nd = np.hstack((nd, inner))
        top = np.argsort(-nd, axis=1, kind="stable")[:, :K]  # nearest by vector
        js = np.take_along_axis(nk, top, 1)
        ok = np.isfinite(np.take_along_axis(nd, top, 1)) & (js >= 0)
        # time window: neighbours too far apart in time are neither candidates nor competitors
        dx = self._day.a[rows][:, None].astype(np.int64)
        dj = self._day.a[np.where(ok, js, 0)].astype(np.int64)
        ok &= (dx == NO_DAY) | (dj == NO_DAY) | (np.abs(dx - dj) <= s.max_days)
        sims = self._pair_sims(rows, js, ok)
        self._neighbours = {}
        for r, i in enumerate(rows.tolist()):
            jr, sr = js[r][ok[r]], sims[r][ok[r]]
            o = np.lexsort((jr, -sr))  # best first by the mixed similarity, ties by number
            self._neighbours[i] = (jr[o], sr[o])
        return first

    def _pair_sims(self, rows: np.ndarray, js: np.ndarray, ok: np.ndarray) -> np.ndarray:
        """Mixed similarity z_i . z_j for every (rows[r], js[r, k]) where ok, vectorised."""
        B, K = js.shape
        jj = np.where(ok, js, rows[:, None])
        d = np.einsum("rd,rkd->rk", self._dense.a[rows].astype(np.float32), self._dense.a[jj].astype(np.float32))
        # sparse: look each neighbour's terms up in its row article's (row << 24 | term) keys
        ri_len = self._sp_len.a[rows]
        ri_pos = np.repeat(self._sp_start.a[rows] - np.concatenate(([0], np.cumsum(ri_len)[:-1])), ri_len) + np.arange(ri_len.sum())
        keys = (np.repeat(np.arange(B, dtype=np.int64), ri_len) << 24) | self._sp_ids.a[ri_pos].astype(np.int64)
        kw = self._sp_w.a[ri_pos].astype(np.float32)
        flat = jj.ravel()
        flat_ok = ok.ravel()
        pl = np.where(flat_ok, self._sp_len.a[flat], 0)
        pos = np.repeat(self._sp_start.a[flat] - np.concatenate(([0], np.cumsum(pl)[:-1])), pl) + np.arange(pl.sum())
        pair = np.repeat(np.arange(B * K), pl)
        q = ((pair // K).astype(np.int64) << 24) | self._sp_ids.a[pos].astype(np.int64)
        at = np.searchsorted(keys, q)
        at[at >= len(keys)] = 0
        hit = keys[at] == q if len(keys) else np.zeros(len(q), bool)
        sp = np.bincount(pair[hit], weights=kw[at[hit]] * self._sp_w.a[pos[hit]].astype(np.float32), minlength=B * K)
        return np.where(ok, d + sp.reshape(B, K), -np.inf).astype(np.float32)

    def _sparse(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        a = self._sp_start.a[i]
        b = a + self._sp_len.a[i]
        return self._sp_ids.a[a:b], self._sp_w.a[a:b]

    def _story_time_ok(self, i: int, c: int) -> bool:
        d = self._day.a[i]
        lo = self._st_lo.a[c]
        if d == NO_DAY or lo == NO_DAY:
            return True
        return lo - self.s.max_days <= d <= self._st_hi.a[c] + self.s.max_days

    def _sp_dot(self, a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]) -> float:
        if len(a[0]) == 0 or len(b[0]) == 0:
            return 0.0
        sc = self._scratch
        sc[a[0]] = a[1]
        v = float(sc[b[0]] @ b[1])
        sc[a[0]] = 0.0
        return v

    def _cluster_step(self, first: int) -> dict[int, int]:
        """Average-link agglomeration of this step's articles on their neighbour graph, with the
        stories they touch as frozen clusters (they may gain members, never merge or lose any)."""
        s = self.s
        last = self._keys.n
        nb_new = last - first
        nbrs = [self._neighbours.pop(i) for i in range(first, last)]
        # nodes: 0..nb_new-1 the new articles, then one per touched story
        story_node: dict[int, int] = {}
        edges: dict[tuple[int, int], float] = {}  # (node, node) -> average link, singletons' known
        to_story: list[tuple[int, int]] = []
        for r, (js, sims) in enumerate(nbrs):
            i = first + r
            for j, x in zip(js.tolist(), sims.tolist()):
                if j >= first:  # (neighbour lists are time-filtered already)
                    edges[(min(r, j - first), max(r, j - first))] = x  # the pair's own similarity
                else:
                    c = int(self._story.a[j])
                    if not self._story_time_ok(i, c):
                        continue
                    if c not in story_node:
                        story_node[c] = nb_new + len(story_node)
                    to_story.append((r, story_node[c]))
        stories = list(story_node)  # node nb_new + t <-> stories[t]
        for r, n in to_story:
            if (r, n) not in edges:
                c = stories[n - nb_new]
                i = first + r
                link = float(self._st_dense.a[c] @ self._dense.a[i].astype(np.float32))
                ids, w = self._sparse(i)
                link += self._sp_dot(self._st_terms[c], (ids, w.astype(np.float32)))
                edges[(r, n)] = link / int(self._st_n.a[c])

        # each new article's neighbours as nodes (-1: an article of an untouched story, always
        # "outside"); and, per touched story, which new articles could raise its members' background
        nbr_nodes: list[list[tuple[int, float]]] = []
        raisers: list[dict[int, list[tuple[float, int]]]] = [{} for _ in stories]
        for r, (js, sims) in enumerate(nbrs):
            row = []
            for j, x in zip(js.tolist(), sims.tolist()):
                if j >= first:
                    row.append((j - first, x))
                else:
                    n = story_node.get(int(self._story.a[j]), -1)
                    row.append((n, x))
                    if n >= 0 and x > self._bg.a[j]:
                        raisers[n - nb_new].setdefault(j, []).append((x, r))
            nbr_nodes.append(row)
        for d in raisers:
            for lst in d.values():
                lst.sort(key=lambda t: (-t[0], t[1]))
        # provisional pass: plain average link above start_link (finds big tight stories too);
        # then `passes` re-clusterings where each member's background is its best similarity
        # outside its provisional cluster (the competition), and merges need link > background
        label = self._agglomerate(first, nb_new, stories, edges, nbr_nodes, raisers, None, s.start_link)
        for _ in range(s.passes):
            label = self._agglomerate(first, nb_new, stories, edges, nbr_nodes, raisers, label, s.threshold)
        bg, _ = self._backgrounds(first, nbrs, label, stories, nb_new)
        # story ids: a cluster with a frozen story keeps it; others get new ids in article order
        rep_story: dict[int, int] = {}
        for t, c in enumerate(stories):
            rep_story[int(label[nb_new + t])] = c
        out = {}
        for r in range(nb_new):
            i = first + r
            root = int(label[r])
            if root not in rep_story:
                rep_story[root] = self._new_stories(1)
            c = rep_story[root]
            self._story.a[i] = c
            self._join(i, c, float(bg[r]))
            out[int(self._keys.a[i])] = c
        # the new articles are competitors of their older neighbours in other stories
        for r, (js, sims) in enumerate(nbrs):
            c = self._story.a[first + r]
            for j, x in zip(js.tolist(), sims.tolist()):
                if j < first and self._story.a[j] != c and x > self._bg.a[j]:
                    cj = int(self._story.a[j])
                    self._st_bgsum.a[cj] += x - float(self._bg.a[j])
                    self._bg.a[j] = x
        return out

    def _backgrounds(self, first, nbrs, label, stories, nb_new) -> tuple[np.ndarray, np.ndarray]:
        """(best similarity of each new article to a neighbour outside its own cluster, and for each
        touched story the rise of its members' summed background caused by new articles outside
        it). label None: no clusters yet (every new article counts as outside)."""
        s = self.s
        node_of_story = {c: nb_new + t for t, c in enumerate(stories)}
        bg = np.full(nb_new, s.bg_floor, np.float64)
        raised: dict[int, float] = {}  # old article -> its background given the new articles
        for r, (js, sims) in enumerate(nbrs):
            own = -2 if label is None else label[r]
            found = False
            for j, x in zip(js.tolist(), sims.tolist()):  # best first
                if j >= first:
                    other = -1 if label is None else label[j - first]
                else:
                    n = node_of_story.get(int(self._story.a[j]))
                    other = -1 if (n is None or label is None) else label[n]
                    if other != own and x > raised.get(j, float(self._bg.a[j])):
                        raised[j] = x
                if other != own and not found:
                    bg[r] = max(s.bg_floor, x)
                    found = True
        extra = np.zeros(len(stories), np.float64)
        for j, x in raised.items():
            n = node_of_story.get(int(self._story.a[j]))
            if n is not None:
                extra[n - nb_new] += x - float(self._bg.a[j])
        return bg, extra

    def _agglomerate(self, first, nb_new, stories, edges, nbr_nodes, raisers, prev, threshold) -> np.ndarray:
        """Graph-restricted average link on score(A, B) = link(A, B) - alpha * (bg(A) + bg(B)) / 2,
        link = mean pairwise similarity (exact, from the clusters' summed z), bg = mean background of
        the members (prev None: provisional pass, no backgrounds). Merges the best adjacent pair
        while its score > threshold; two stories never merge. Returns each node's representative."""
        import heapq

        s = self.s
        n_nodes = nb_new + len(stories)
        size = np.zeros(n_nodes, np.int64)
        dense = np.zeros((n_nodes, self._dim), np.float32)
        frozen = np.zeros(n_nodes, bool)
        lo = np.full(n_nodes, NO_DAY, np.int64)
        hi = np.full(n_nodes, NO_DAY, np.int64)
        terms: list[tuple[np.ndarray, np.ndarray]] = []
        for r in range(nb_new):
            i = first + r
            size[r] = 1
            dense[r] = self._dense.a[i]
            ids, w = self._sparse(i)
            terms.append((ids, w.astype(np.float32)))
            if self._day.a[i] != NO_DAY:
                lo[r] = hi[r] = self._day.a[i]
        for t, c in enumerate(stories):
            n = nb_new + t
            size[n] = self._st_n.a[c]
            dense[n] = self._st_dense.a[c]
            frozen[n] = True
            terms.append(self._st_terms[c])
            lo[n], hi[n] = self._st_lo.a[c], self._st_hi.a[c]
        adj: list[set[int]] = [set() for _ in range(n_nodes)]
        for a, b in edges:
            if a != b:
                adj[a].add(b)
                adj[b].add(a)
        # summed similarity between adjacent clusters: known for the initial nodes, and after a
        # merge the sum of the two parts' sums (average link is additive), so dot products are
        # only needed when a neighbour was adjacent to one part only
        pairsum: dict[tuple[int, int], float] = {}
        for (a, b), link in edges.items():
            pairsum[(a, b)] = link * float(size[a] * size[b])
        parent = list(range(n_nodes))
        version = np.zeros(n_nodes, np.int64)
        alive = np.ones(n_nodes, bool)
        floor = s.bg_floor

        def find(n: int) -> int:
            root = n
            while parent[root] != root:
                root = parent[root]
            while parent[n] != root:
                parent[n], n = root, parent[n]
            return root

        # summed background of each node's members (additive, so merged clusters just add up)
        bg = np.zeros(n_nodes, np.float64)
        alpha = 0.0
        if prev is not None:
            alpha = s.alpha
            # new articles: best similarity outside their cluster of the previous pass
            for r in range(nb_new):
                v = floor
                for n, x in nbr_nodes[r]:  # best first
                    if n < 0 or prev[n] != prev[r]:
                        v = max(floor, x)
                        break
                bg[r] = v
            # a story: its members' stored backgrounds, raised by new articles outside its cluster
            for t, c in enumerate(stories):
                tot = float(self._st_bgsum.a[c])
                for j, lst in raisers[t].items():
                    for x, r in lst:  # best first
                        if prev[r] != prev[nb_new + t]:
                            tot += x - float(self._bg.a[j])
                            break
                bg[nb_new + t] = tot

        def time_ok(a: int, b: int) -> bool:
            if lo[a] == NO_DAY or lo[b] == NO_DAY:
                return True
            return lo[b] - s.max_days <= hi[a] and lo[a] - s.max_days <= hi[b]

        def score(a: int, b: int) -> float:
            key = (a, b) if a < b else (b, a)
            total = pairsum.get(key)
            if total is None:
                total = float(dense[a] @ dense[b]) + self._sp_dot(terms[a], terms[b])
                pairsum[key] = total
            link = total / float(size[a] * size[b])
            return link - alpha * 0.5 * (bg[a] / size[a] + bg[b] / size[b])

        heap: list[tuple[float, int, int, int, int]] = []

        def push(a: int, b: int) -> None:
            if frozen[a] and frozen[b]:
                return
            if not time_ok(a, b):
                return
            x = score(a, b)
            if x > threshold:
                a, b = min(a, b), max(a, b)
                heapq.heappush(heap, (-x, a, b, int(version[a]), int(version[b])))

        for a in range(n_nodes):
            for b in adj[a]:
                if a < b:
                    push(a, b)
        while heap:
            _, a, b, va, vb = heapq.heappop(heap)
            if not (alive[a] and alive[b]) or version[a] != va or version[b] != vb:
                continue  # stale: one side changed since this score was computed
            keep, gone = (b, a) if frozen[b] else (a, b)
            alive[gone] = False
            parent[gone] = keep
            size[keep] += size[gone]
            dense[keep] += dense[gone]
            bg[keep] += bg[gone]
            frozen[keep] = frozen[keep] or frozen[gone]
            if lo[gone] != NO_DAY:
                lo[keep] = lo[gone] if lo[keep] == NO_DAY else min(lo[keep], lo[gone])
                hi[keep] = hi[gone] if hi[keep] == NO_DAY else max(hi[keep], hi[gone])
            terms[keep] = self._merge_terms(terms[keep], terms[gone])
            version[keep] += 1
            for n in adj[keep] | adj[gone]:
                if n == keep or n == gone:
                    continue
                k1 = (keep, n) if keep < n else (n, keep)
                k2 = (gone, n) if gone < n else (n, gone)
                p1, p2 = pairsum.pop(k1, None), pairsum.pop(k2, None)
                if p1 is not None and p2 is not None and n in adj[keep] and n in adj[gone]:
                    pairsum[k1] = p1 + p2
            adj[keep] |= adj[gone]
            adj[keep].discard(keep)
            adj[keep].discard(gone)
            for n in adj[gone]:
                adj[n].discard(gone)
                if n != keep:
                    adj[n].add(keep)
            adj[gone] = set()
            for n in sorted(adj[keep]):
                push(keep, n)
        return np.array([find(n) for n in range(n_nodes)], np.int64)

    def _merge_terms(self, a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        if len(a[0]) == 0:
            return b[0].copy(), b[1].astype(np.float32)
        if len(b[0]) == 0:
            return a
        u, inv = np.unique(np.concatenate((a[0], b[0])), return_inverse=True)
        tot = np.bincount(inv, weights=np.concatenate((a[1], b[1])).astype(np.float64)).astype(np.float32)
        if len(u) > self.s.story_terms:  # keep the heaviest terms (ties by id)
            keep = np.sort(np.argsort(-tot, kind="stable")[: self.s.story_terms])
            u, tot = u[keep], tot[keep]
        return u.astype(np.int32), tot

    def _new_stories(self, n: int) -> int:
        first = self._st_n.n
        self._st_n.extend(np.zeros(n, np.int32))
        self._st_dense.extend(np.zeros((n, self._dim), np.float32))
        self._st_bgsum.extend(np.zeros(n, np.float64))
        self._st_lo.extend(np.full(n, NO_DAY, np.int32))
        self._st_hi.extend(np.full(n, NO_DAY, np.int32))
        self._st_terms.extend((np.zeros(0, np.int32), np.zeros(0, np.float32)) for _ in range(n))
        return first

    def _join(self, i: int, c: int, bg_self: float) -> None:
        self._st_n.a[c] += 1
        self._st_dense.a[c] += self._dense.a[i].astype(np.float32)
        self._bg.a[i] = bg_self
        self._st_bgsum.a[c] += bg_self
        d = self._day.a[i]
        if d != NO_DAY:
            lo, hi = self._st_lo.a[c], self._st_hi.a[c]
            self._st_lo.a[c] = d if lo == NO_DAY else min(lo, d)
            self._st_hi.a[c] = d if hi == NO_DAY else max(hi, d)
        ids, w = self._sparse(i)
        self._st_terms[c] = self._merge_terms(self._st_terms[c], (ids, w.astype(np.float32)))
