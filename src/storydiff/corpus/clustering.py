"""Incremental story clustering: group a growing pile of articles into stories.

Features (per article, built once, ``StoryFeatures``; the text is not needed afterwards)
---------------------------------------------------------------------------------------
* ``vector``: the article's document vector (unit, stored as float16). In production (corpus
  ingest, corpus/_steps.py ``build_features``) it is the static word-piece table distilled from
  MiniLM (article/static_embed.py) on ``f"{title}\n{text}"``. (``StoryFeatures.vector_texts``
  gives the title + ~100 words lead that the transformer itself would take, kept for comparison
  in benchmarks/stories_quality.py.)
* ``terms``: hashed bag of tokens in four views (no vocabulary, so the corpus can grow):
  ``words`` (Snowball-stemmed content words of title and lead), ``title`` (stemmed title words),
  ``names`` (capitalised words and adjacent pairs: "Hong", "Kong", "hong_kong") and ``numbers``
  ("#2019", "#7.5"). Each token is crc32-hashed into 22 bits and tagged with its view (2 bits);
  the stored value is the sublinear term frequency 1 + log(count).
* ``day``: days since 1970-01-01, or None.
* ``outlet``: a 32-bit id of the outlet's name (``outlet_id``), or 0 when not known.

Pairs: a learned same-story probability
---------------------------------------
Two articles are compared by five cosines (dense vector; tf-idf words, title, names, numbers,
IDF from the corpus so far, frozen when the article is added) and their weighted ``mixed``
similarity. A fixed rule on those (an earlier version: mean link minus the best competitor's
similarity) does not transfer between corpora: how similar two articles of one event are depends
on how crowded their region is (two earthquakes of one topic; days of one running story). So the
decision is learned: gradient-boosted trees (corpus/_story_model.py, trained by
benchmarks/train_story_model.py on NeuS train, with mate-less articles, and ECB+ topics 1-22
only) give P(same event) from the cosines AND from where each article stands among the other's
best-known neighbours (its rank, the gaps to the 1st/3rd/6th/11th best similarity, the share of
best neighbours they have in common). Each article keeps its ``known_best`` best neighbours (ids and mixed similarities),
updated as later articles arrive, so those relative features grow with the corpus. The trees are
monotone in every feature with a known direction (more similar, or nearer in rank, never lowers
the probability), which keeps inputs unlike the training pairs (tiny corpora) from scoring high.

Clustering a step (add() works in steps of STEP = 1024 articles, in input order)
-------------------------------------------------------------------------------
1. Neighbours: each new article's ``neighbours`` nearest articles by vector, among all earlier
   articles (usearch HNSW index, searched before the step is added) and the other new articles of
   the step (exact); pairs further apart in time than ``max_days`` (both dated) are dropped. Each
   found pair enters both articles' best-known lists.
2. Pairs scored: every neighbour pair (among the new articles, and with earlier articles in a
   story open to them in time); then, for each existing story where one of those earlier
   neighbours passes ``join_threshold``, the article against the story's latest ``story_sample``
   members (the story's link is their mean).
3. Graph-restricted average-link agglomeration on those probabilities (pairs never scored count
   0): merge the adjacent pair of clusters with the highest mean probability while it exceeds
   ``threshold``; a cluster joins an existing story only above ``join_threshold`` (higher: a lone
   earlier article cannot dilute a weak link the way an event's own articles do when they come in
   one step). Existing stories never merge with each other or lose articles, so story ids are
   stable (0, 1, 2, ... in order of creation). Time: a story covers at most ``max_days`` days
   from its first to its last dated article (clusters merge, and an article joins a story, only if the
   result stays within that span; undated articles and stories are time-compatible with any).
   Measured on real dated news (allsides, blind-judged same-story pairs, docs/benchmarks.md): a
   window on the gap to the nearest member let a running subject reported every day chain into
   one story of many events (of the links the span removed, 32 in 40 joined other events), while
   NeuS articles dated from AllSides put 98.7% of same-event pairs within 2 days of each other.
Both thresholds come with the model (chosen by cross-validation on its training sets).

What the pair model cannot see (applied to its probability in ``_score``, measured on allsides
with blind-judged pairs, docs/benchmarks.md):
* Outlets. Two articles of one outlet count 0 for each other: they are in one story only through
  other outlets' articles. An outlet's articles on a subject share its style and boilerplate and
  look alike whatever the day; the model learnt from events each outlet reports once.
* Missing dates. A dated pair is scored only after passing the time window; an undated article
  has not, and in a dated corpus its nearest are mostly other days' stories on its topic. Its
  pairs are discounted by P(inside the window | vector cosine), counted on this corpus's dated
  candidate pairs (``_time_unknown``); with no dated articles (ECB+, NeuS) nothing changes.

Cost per article: one ANN query and insert, ``neighbours`` + (stories reached x
``story_sample``) pair features and tree evaluations, and a few heap operations, so the whole
run grows ~linearly (see benchmarks/stories_scale.py). Memory per article: float16 vector (twice:
ours and the index's), <= ``article_terms`` terms, ``known_best`` neighbour ids and similarities.

Within one step the result does not depend on the order; across steps it does (a story formed in
an early step cannot absorb a later, better partner's story). Same inputs in the same order and
the same batches give the same output (one-thread index inserts, ties broken by article number).
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
from ._story_model import StoryPairModel, story_pair_model

__all__ = ["ClusterSettings", "StoryClusterer", "StoryFeatures", "outlet_id"]

HASH_BITS = 22  # per view; 4M buckets keep collisions rare at millions of articles
VIEW_BITS = 2
ID_SPACE = 1 << (HASH_BITS + VIEW_BITS)
VIEWS = ("words", "title", "names", "numbers")
LEAD_WORDS = 400  # words of the body used for terms: news puts the event in its lead
VECTOR_LEAD_WORDS = 100  # title + this many body words ~ 128 word pieces for the encoder
NO_DAY = -(2**31)
NO_OUTLET = 0
_HEAD = {1: "<BHIi", 2: "<BHIiI"}  # StoryFeatures.to_bytes header by version
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


def outlet_id(name: str | None) -> int:
    """A stable 32-bit id of an outlet's name (case and spacing ignored); NO_OUTLET for none."""
    name = " ".join((name or "").split()).casefold()
    return (zlib.crc32(name.encode("utf-8")) or 1) if name else NO_OUTLET


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
    outlet: int = NO_OUTLET  # outlet_id() of the outlet's name; NO_OUTLET: not known

    VERSION: ClassVar[str] = "2"  # bump when build() changes, so stored features get rebuilt

    @staticmethod
    def vector_texts(title: str | None, text: str) -> str:
        """The text to feed the encoder: title and the first ~100 words (~128 word pieces)."""
        body = _lead(text or "", VECTOR_LEAD_WORDS)
        return f"{title.strip()}\n{body}" if title and title.strip() else body

    @classmethod
    def build(cls, title: str | None, text: str, vector: np.ndarray, day: int | None = None, outlet: str | None = None) -> "StoryFeatures":
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
        return cls(v.astype(np.float16), ids, tf, None if day is None else int(day), outlet_id(outlet))

    def to_bytes(self) -> bytes:
        """Little-endian: version u8 (2), dim u16, n_terms u32, day i32 (NO_DAY if None), outlet
        u32, f16 vector, u32 term ids, f16 term tf. About 0.8 kB + 6 bytes per distinct term.
        Version 1 (read still: no outlet) had no outlet field."""
        head = struct.pack(_HEAD[2], 2, len(self.vector), len(self.term_ids), NO_DAY if self.day is None else self.day, self.outlet)
        return b"".join((head, self.vector.astype("<f2").tobytes(), self.term_ids.astype("<u4").tobytes(), self.term_tf.astype("<f2").tobytes()))

    @staticmethod
    def _head(data: bytes) -> tuple[int, int, int, int, int]:
        """(dim, n_terms, day, outlet, offset of the vector) of `to_bytes` data of any version."""
        version = data[0] if data else 0
        if version not in _HEAD:
            raise ValueError(f"unknown StoryFeatures version {version}")
        _, dim, n, day, *outlet = struct.unpack_from(_HEAD[version], data, 0)
        return dim, n, day, outlet[0] if outlet else NO_OUTLET, struct.calcsize(_HEAD[version])

    @classmethod
    def vector_from_bytes(cls, data: bytes) -> np.ndarray:
        """Only the vector of `to_bytes` data (float32), without decoding the terms."""
        dim, _n, _day, _outlet, o = cls._head(data)
        return np.frombuffer(data, "<f2", dim, o).astype(np.float32)

    @classmethod
    def from_bytes(cls, data: bytes) -> "StoryFeatures":
        dim, n, day, outlet, o = cls._head(data)
        vec = np.frombuffer(data, "<f2", dim, o).astype(np.float16)
        o += 2 * dim
        ids = np.frombuffer(data, "<u4", n, o).astype(np.uint32)
        o += 4 * n
        tf = np.frombuffer(data, "<f2", n, o).astype(np.float16)
        return cls(vec, ids, tf, None if day == NO_DAY else day, outlet)


# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ClusterSettings:
    """The defaults are THE settings (the view weights and the threshold's choice: see the module
    docstring and benchmarks/train_story_model.py)."""

    dense_weight: float = 0.5  # weight of the dense (static-table) cosine in the mixed similarity
    words_weight: float = 0.35  # stemmed content words (tf-idf cosine)
    title_weight: float = 0.05  # stemmed title words
    names_weight: float = 0.1  # capitalised names and name pairs
    numbers_weight: float = 0.0  # numbers
    threshold: float | None = None  # merge new articles' clusters while their mean same-story probability > this; None: the model's
    join_threshold: float | None = None  # the same for joining an existing story; None: the model's
    neighbours: int = 20  # ANN neighbours per article: the candidate pairs
    known_best: int = 12  # best-known neighbours kept per article (ranks, gaps, shared neighbours)
    story_sample: int = 32  # latest members of an existing story an article is compared with
    max_days: int = 2  # most days between a story's first and last dated article
    article_terms: int = 128  # sparse terms kept per article after idf weighting
    exact_search: bool = False  # brute-force neighbours instead of usearch (tests, tiny corpora)

    def weights(self) -> np.ndarray:
        """Weights of the five views (dense, words, title, names, numbers) in the mixed similarity."""
        return np.array([self.dense_weight, self.words_weight, self.title_weight, self.names_weight, self.numbers_weight], np.float32)


# a missing best-known neighbour (fewer articles than known_best) counts as an unrelated one at
# this mixed similarity (random pairs of different NeuS-train events: median ~0.2)
_UNRELATED = 0.2
_GAP_RANKS = (0, 2, 5, 10)
_SHARED = 10
# the time window's pass rate is counted in bins of vector cosine; a bin's estimate starts from
# this many pseudo-pairs that pass (no dated evidence yet: no discount)
_WINDOW_BINS = 20
_WINDOW_PRIOR = 10.0


def _span_ok(lo1: int, hi1: int, lo2: int, hi2: int, max_days: int) -> bool:
    """Whether two dated spans together cover at most max_days days (an undated side: always)."""
    if lo1 == NO_DAY or lo2 == NO_DAY:
        return True
    return max(hi1, hi2) - min(lo1, lo2) <= max_days


def _widen(lo: int, hi: int, lo2: int, hi2: int) -> tuple[int, int]:
    """The span covering both (NO_DAY: no dated article)."""
    if lo2 == NO_DAY:
        return lo, hi
    if lo == NO_DAY:
        return lo2, hi2
    return min(lo, lo2), max(hi, hi2)


def _index_path(path: Path) -> Path:
    """Where StoryClusterer.save keeps the vector index of the state saved to `path`."""
    return path.with_name(path.name + ".index")


def _cos_bin(cos: np.ndarray) -> np.ndarray:
    """Cosine -> bin of width 1 / _WINDOW_BINS over [0, 1] (below 0: the first)."""
    return np.clip((np.asarray(cos, np.float64) * _WINDOW_BINS).astype(np.int64), 0, _WINDOW_BINS - 1)


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
    """Single-pass story clusterer; see the module docstring for the method and the settings."""

    def __init__(self, settings: ClusterSettings | None = None, model: StoryPairModel | None = None):
        self.s = settings or ClusterSettings()
        self._model = model  # loaded on first use: pair_table (training) needs none
        # training only (benchmarks/train_story_model.py): when a list, every scored pair's
        # (key a, key b, FEATURES row) is appended, as the model saw it at that moment
        self.scored: list[tuple[np.ndarray, np.ndarray, np.ndarray]] | None = None
        self._w = self.s.weights()
        self._dim: int | None = None
        self._index: VectorIndex | None = None
        self._df = np.zeros(ID_SPACE, np.int32)
        self._n_docs = 0
        self._key_to_idx: dict[int, int] = {}
        self._keys = _Grow((), np.int64)
        # per article
        self._unit: _Grow | None = None  # unit vector, float16
        self._day = _Grow((), np.int32, NO_DAY)
        self._outlet = _Grow((), np.uint32, NO_OUTLET)
        self._story = _Grow((), np.int64, -1)
        self._sp_start = _Grow((), np.int64)
        self._sp_len = _Grow((), np.int64)
        self._sp_ids = _Grow((), np.int32)
        self._sp_w = _Grow((), np.float16)  # tf-idf, unit length per view
        L = self.s.known_best
        self._best_ids = _Grow((L,), np.int64, -1)  # best-known neighbours, best first
        self._best_sims = _Grow((L,), np.float32, -np.inf)
        # per story (internal index == story id)
        self._st_n = _Grow((), np.int32)
        self._st_lo = _Grow((), np.int32, NO_DAY)
        self._st_hi = _Grow((), np.int32, NO_DAY)
        self._members: list[list[int]] = []
        self._neighbours: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        # dated candidate pairs (an article and one of its nearest, both dated) by vector-cosine
        # bin: how many were seen, how many fell inside the time window (see _time_unknown)
        self._win_seen = np.zeros(_WINDOW_BINS, np.int64)
        self._win_pass = np.zeros(_WINDOW_BINS, np.int64)

    @property
    def model(self) -> StoryPairModel:
        if self._model is None:
            self._model = story_pair_model()
        return self._model

    @property
    def threshold(self) -> float:
        return self.model.threshold if self.s.threshold is None else float(self.s.threshold)

    @property
    def join_threshold(self) -> float:
        return self.model.join_threshold if self.s.join_threshold is None else float(self.s.join_threshold)

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
    def pair_table(cls, items: list[tuple[int, StoryFeatures]], settings: ClusterSettings | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(keys a, keys b, FEATURES rows) of the candidate pairs among `items` (one step, nothing
        clustered before): what the pair model sees. For benchmarks/train_story_model.py."""
        self = cls(settings)
        if len(items) > STEP:
            raise ValueError(f"pair_table takes at most {STEP} articles (one step)")
        first = self._append(items)
        a, b = self._step_pairs(first)
        keys = self._keys.v
        return keys[a], keys[b], self._pair_features(a, b)

    @classmethod
    def restore(cls, settings: ClusterSettings | None, items: Iterable[tuple[int, StoryFeatures, int]]) -> "StoryClusterer":
        """Rebuild from stored (key, features, story_id), in their original order; assignments are
        taken as given. Steps of STEP articles as in add(), so IDF and the index grow the same way;
        neighbours are searched among all articles, so the best-known lists are those of the end."""
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
                self._join(i, int(sid))
            self._neighbours = {}
        return self

    # ----------------------------------------------------------------------------- snapshots
    # Rebuilding from stored features re-runs every neighbour search (25 s for 37k articles);
    # a snapshot of the state after the last run makes adding to a large corpus cost only the new
    # articles. It is a cache: `load` refuses a snapshot that does not match what the caller
    # stored (another settings or model, other articles, other stories), and the caller then restores.
    _ARRAYS = ("_keys", "_day", "_outlet", "_story", "_sp_start", "_sp_len", "_sp_ids", "_sp_w", "_best_ids", "_best_sims", "_st_n", "_st_lo", "_st_hi")

    def _meta(self) -> dict:
        return {"settings": repr(self.s), "model": self.model.digest, "dim": self._dim, "n_docs": self._n_docs, "format": 4}

    def save(self, path: str | os.PathLike) -> None:
        """Write the clusterer's state to `path` (and its vector index to `path` + ".index"),
        each through a temporary file renamed into place."""
        path = Path(path)
        if self._dim is None:
            return
        arrays = {name: getattr(self, name).v for name in self._ARRAYS}
        arrays["_unit"] = self._unit.v
        nz = np.flatnonzero(self._df)
        arrays["df_ids"], arrays["df_counts"] = nz.astype(np.int64), self._df[nz]
        arrays["win_seen"], arrays["win_pass"] = self._win_seen, self._win_pass
        arrays["meta"] = np.frombuffer(json.dumps(self._meta()).encode(), np.uint8)
        temporary = path.with_name(path.name + ".tmp")
        with open(temporary, "wb") as handle:
            np.savez(handle, **arrays)
        index = _index_path(path)
        index_tmp = index.with_name(index.name + ".tmp")
        self._index.save(str(index_tmp))
        os.replace(index_tmp, index)
        os.replace(temporary, path)

    @staticmethod
    def discard(path: str | os.PathLike) -> None:
        """Remove what `save` wrote to `path`, if anything (a state that no longer matches)."""
        for file in (Path(path), _index_path(Path(path))):
            file.unlink(missing_ok=True)

    @classmethod
    def load(cls, settings: ClusterSettings | None, path: str | os.PathLike, expect: dict[int, int]) -> "StoryClusterer | None":
        """The state `save` wrote, if it holds exactly the articles of `expect` ({key: story});
        None otherwise (no snapshot, a damaged one, other settings or model, other articles)."""
        path = Path(path)
        self = cls(settings)
        try:
            with np.load(path, allow_pickle=False) as archive:
                meta = json.loads(archive["meta"].tobytes().decode())
                mine = self._meta()
                if any(meta.get(k) != mine[k] for k in ("format", "settings", "model")):
                    return None
                keys, stories = archive["_keys"], archive["_story"]
                if len(keys) != len(expect) or any(expect.get(int(k)) != int(c) for k, c in zip(keys.tolist(), stories.tolist())):
                    return None
                self._dim = int(meta["dim"])
                self._n_docs = int(meta["n_docs"])
                for name in self._ARRAYS:
                    getattr(self, name).extend(archive[name])
                self._unit = _Grow((self._dim,), np.float16)
                self._unit.extend(archive["_unit"])
                self._df[archive["df_ids"]] = archive["df_counts"]
                if archive["win_seen"].shape != self._win_seen.shape or archive["win_pass"].shape != self._win_pass.shape:
                    return None
                self._win_seen[:] = archive["win_seen"]
                self._win_pass[:] = archive["win_pass"]
            self._members = [[] for _ in range(self._st_n.n)]
            for i, c in enumerate(self._story.v.tolist()):
                self._members[c].append(i)
            self._key_to_idx = {int(k): i for i, k in enumerate(keys.tolist())}
            self._index = VectorIndex(self._dim, exact=self.s.exact_search)
            self._index.load(str(_index_path(path)), len(keys))
        except (OSError, ValueError, KeyError, IndexError, json.JSONDecodeError, UnicodeDecodeError):
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
        """Store new articles' vectors and terms, find their neighbours (self._neighbours) and
        update everyone's best-known neighbours. Returns the first new internal number."""
        s = self.s
        if self._dim is None:
            self._dim = len(items[0][1].vector)
            self._index = VectorIndex(self._dim, exact=s.exact_search)
            self._unit = _Grow((self._dim,), np.float16)
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
        unit = np.vstack([np.asarray(f.vector, np.float32) for _, f in items])
        # term weights, vectorised over the step: tf * idf, unit length per view; keep each
        # article's heaviest
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
            scale = np.where(norms > 0, 1.0 / norms, 0.0)
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
        self._unit.extend(unit.astype(np.float16))
        self._day.extend(np.array([NO_DAY if f.day is None else f.day for _, f in items], np.int32))
        self._outlet.extend(np.array([f.outlet for _, f in items], np.uint32))
        self._story.extend(np.full(len(items), -1, np.int64))
        self._best_ids.extend(np.full((len(items), s.known_best), -1, np.int64))
        self._best_sims.extend(np.full((len(items), s.known_best), -np.inf, np.float32))
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
        top_sims = np.take_along_axis(nd, top, 1)
        ok = np.isfinite(top_sims) & (js >= 0)
        # time window: neighbours too far apart in time are dropped (never scored)
        dx = self._day.a[rows][:, None].astype(np.int64)
        dj = self._day.a[np.where(ok, js, 0)].astype(np.int64)
        inside = np.abs(dx - dj) <= s.max_days
        dated = ok & (dx != NO_DAY) & (dj != NO_DAY)
        cos_bin = _cos_bin(top_sims[dated])
        self._win_seen += np.bincount(cos_bin, minlength=_WINDOW_BINS)
        self._win_pass += np.bincount(cos_bin[inside[dated]], minlength=_WINDOW_BINS)
        ok &= (dx == NO_DAY) | (dj == NO_DAY) | inside
        r_idx = np.broadcast_to(rows[:, None], js.shape)[ok]
        sims = self._view_sims(r_idx, js[ok]) @ self._w
        self._neighbours = {}
        at = np.concatenate(([0], np.cumsum(ok.sum(axis=1))))
        for r, i in enumerate(rows.tolist()):
            jr, sr = js[r][ok[r]], sims[at[r] : at[r + 1]]
            o = np.lexsort((jr, -sr))  # best first by the mixed similarity, ties by number
            self._neighbours[i] = (jr[o], sr[o])
        self._learn_best(r_idx, js[ok], sims)
        return first

    def _learn_best(self, a: np.ndarray, b: np.ndarray, sims: np.ndarray) -> None:
        """Each pair (a, b) found is a neighbour of both: merge it into both articles' best-known
        lists (best first, ties by number, no repeats)."""
        L = self.s.known_best
        who = np.concatenate((a, b))
        other = np.concatenate((b, a))
        x = np.concatenate((sims, sims)).astype(np.float32)
        touched = np.unique(who)
        # candidates per touched article: its current list plus the new pairs
        old_ids = self._best_ids.a[touched]
        old_sims = self._best_sims.a[touched]
        slot = np.searchsorted(touched, who)
        cand_row = np.concatenate((np.repeat(np.arange(len(touched)), L), slot))
        cand_id = np.concatenate((old_ids.ravel(), other))
        cand_sim = np.concatenate((old_sims.ravel(), x))
        real = cand_id >= 0
        cand_row, cand_id, cand_sim = cand_row[real], cand_id[real], cand_sim[real]
        # drop repeats of (row, id): keep one
        o = np.lexsort((cand_sim, cand_id, cand_row))
        cand_row, cand_id, cand_sim = cand_row[o], cand_id[o], cand_sim[o]
        first_of = np.ones(len(o), bool)
        first_of[1:] = (cand_row[1:] != cand_row[:-1]) | (cand_id[1:] != cand_id[:-1])
        cand_row, cand_id, cand_sim = cand_row[first_of], cand_id[first_of], cand_sim[first_of]
        o = np.lexsort((cand_id, -cand_sim, cand_row))  # per row: best first, ties by number
        cand_row, cand_id, cand_sim = cand_row[o], cand_id[o], cand_sim[o]
        start = np.searchsorted(cand_row, np.arange(len(touched)))
        rank = np.arange(len(cand_row)) - start[cand_row]
        keep = rank < L
        new_ids = np.full((len(touched), L), -1, np.int64)
        new_sims = np.full((len(touched), L), -np.inf, np.float32)
        new_ids[cand_row[keep], rank[keep]] = cand_id[keep]
        new_sims[cand_row[keep], rank[keep]] = cand_sim[keep]
        self._best_ids.a[touched] = new_ids
        self._best_sims.a[touched] = new_sims

    def _view_sims(self, a: np.ndarray, b: np.ndarray, chunk: int = 16384) -> np.ndarray:
        """Cosine per view (dense, words, title, names, numbers) of the pairs (a[p], b[p]): [P, 5]."""
        out = np.zeros((len(a), 5), np.float32)
        for s in range(0, len(a), chunk):
            out[s : s + chunk] = self._view_sims_chunk(a[s : s + chunk], b[s : s + chunk])
        return out

    def _view_sims_chunk(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        P = len(a)
        out = np.zeros((P, 5), np.float32)
        if P == 0:
            return out
        out[:, 0] = np.einsum("pd,pd->p", self._unit.a[a].astype(np.float32), self._unit.a[b].astype(np.float32))
        # sparse: the a-side articles' terms as sorted keys (pair << 24 | term id), each b-side
        # term looked up there
        la = self._sp_len.a[a]
        pos_a = np.repeat(self._sp_start.a[a] - np.concatenate(([0], np.cumsum(la)[:-1])), la) + np.arange(la.sum())
        keys = (np.repeat(np.arange(P, dtype=np.int64), la) << 24) | self._sp_ids.a[pos_a].astype(np.int64)
        if len(keys) == 0:
            return out
        lb = self._sp_len.a[b]
        pos_b = np.repeat(self._sp_start.a[b] - np.concatenate(([0], np.cumsum(lb)[:-1])), lb) + np.arange(lb.sum())
        pair = np.repeat(np.arange(P, dtype=np.int64), lb)
        tid = self._sp_ids.a[pos_b].astype(np.int64)
        at = np.minimum(np.searchsorted(keys, (pair << 24) | tid), len(keys) - 1)
        hit = keys[at] == ((pair << 24) | tid)
        prod = self._sp_w.a[pos_a[at[hit]]].astype(np.float32) * self._sp_w.a[pos_b[hit]].astype(np.float32)
        view = tid[hit] >> HASH_BITS
        out[:, 1:] = np.bincount(pair[hit] * 4 + view, weights=prod, minlength=4 * P).reshape(P, 4)
        return out

    def _pair_features(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """The FEATURES rows of the pairs (a[p], b[p]), from the articles' best-known neighbours."""
        views = self._view_sims(a, b)
        mixed = views @ self._w
        L = self.s.known_best
        best_a, best_b = self._best_sims.a[a], self._best_sims.a[b]
        best_a = np.where(np.isfinite(best_a), best_a, _UNRELATED)
        best_b = np.where(np.isfinite(best_b), best_b, _UNRELATED)
        cols = [views[:, k] for k in range(5)] + [mixed]
        rank_a = np.minimum((best_a > mixed[:, None] + 1e-6).sum(axis=1), L)  # b's place in a's list
        rank_b = np.minimum((best_b > mixed[:, None] + 1e-6).sum(axis=1), L)
        cols += [np.log1p(np.minimum(rank_a, rank_b)), np.log1p(np.maximum(rank_a, rank_b))]
        for k in _GAP_RANKS:
            ga, gb = mixed - best_a[:, min(k, L - 1)], mixed - best_b[:, min(k, L - 1)]
            cols += [np.minimum(ga, gb), np.maximum(ga, gb)]
        ia, ib = self._best_ids.a[a][:, :_SHARED], self._best_ids.a[b][:, :_SHARED]
        same = (ia[:, :, None] == ib[:, None, :]) & (ia[:, :, None] >= 0)
        cols.append(same.any(axis=2).sum(axis=1) / _SHARED)
        cols.append(views[:, 0] - views[:, 3])
        return np.column_stack(cols).astype(np.float64)

    def _step_pairs(self, first: int) -> tuple[np.ndarray, np.ndarray]:
        """The candidate pairs among this step's new articles (from their neighbour lists), each once."""
        pa, pb = [], []
        for i in range(first, self._keys.n):
            js, _ = self._neighbours[i]
            js = js[js >= first]
            pa.append(np.minimum(js, i))
            pb.append(np.maximum(js, i))
        if not pa:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        key = np.unique(np.concatenate(pa).astype(np.int64) * (1 << 32) + np.concatenate(pb))
        return key >> 32, key & ((1 << 32) - 1)

    def _story_time_ok(self, i: int, c: int) -> bool:
        d = self._day.a[i]
        return _span_ok(d, d, self._st_lo.a[c], self._st_hi.a[c], self.s.max_days)

    def _cluster_step(self, first: int) -> dict[int, int]:
        """Average-link agglomeration on same-story probabilities of this step's articles, with the
        stories they touch as frozen clusters (they may gain members, never merge or lose any)."""
        s = self.s
        last = self._keys.n
        nb_new = last - first
        a_new, b_new = self._step_pairs(first)
        # the new articles' neighbours among earlier articles, in stories open to them in time
        oa, ob, oc = [], [], []
        for r in range(nb_new):
            i = first + r
            js, _ = self._neighbours.pop(i)
            for j in js[js < first].tolist():
                c = int(self._story.a[j])
                if self._story_time_ok(i, c):
                    oa.append(i)
                    ob.append(j)
                    oc.append(c)
        p_new = self._score(np.concatenate((a_new, np.array(oa, np.int64))), np.concatenate((b_new, np.array(ob, np.int64))))
        # an existing story is compared with an article (through its latest members) only when
        # one of its members among the article's neighbours passes join_threshold: its mean over
        # members could hardly pass otherwise, and the members' pairs are most of the cost
        best: dict[tuple[int, int], float] = {}
        for i, c, q in zip(oa, oc, p_new[len(a_new):].tolist()):
            best[(i, c)] = max(best.get((i, c), 0.0), q)
        to_story = sorted(k for k, q in best.items() if q > self.join_threshold)
        # nodes: 0..nb_new-1 the new articles, then one per story compared
        story_node: dict[int, int] = {}
        for _, c in to_story:
            story_node.setdefault(c, nb_new + len(story_node))
        stories = list(story_node)  # node nb_new + t <-> stories[t]
        sa, sb, owner = [], [], []
        for n, (i, c) in enumerate(to_story):
            members = self._members[c][-s.story_sample :]
            sa.extend([i] * len(members))
            sb.extend(members)
            owner.extend([n] * len(members))
        p_story = self._score(np.array(sa, np.int64), np.array(sb, np.int64))
        # summed probability between adjacent nodes; a story's sum is its sampled members' mean
        # times its size, so that sum / (size * size) is the average link
        pairsum: dict[tuple[int, int], float] = {}
        for x, y, q in zip((a_new - first).tolist(), (b_new - first).tolist(), p_new[: len(a_new)].tolist()):
            pairsum[(x, y)] = q
        if to_story:
            owner_arr = np.array(owner, np.int64)
            sums = np.bincount(owner_arr, weights=p_story, minlength=len(to_story))
            counts = np.bincount(owner_arr, minlength=len(to_story))
            for n, (i, c) in enumerate(to_story):
                pairsum[(i - first, story_node[c])] = float(sums[n] / counts[n]) * float(self._st_n.a[c])
        label = self._agglomerate(first, nb_new, stories, pairsum)
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
            self._join(i, c)
            out[int(self._keys.a[i])] = c
        return out

    def _score(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """P(same story) of the pairs (a[p], b[p]), with what the pair model cannot see:
        * two articles of one outlet count 0: they are one story only through other outlets.
          An outlet's articles on one subject share its house style and boilerplate, so they
          look alike across days (same-outlet links of the shipped clusterer, judged blind on
          allsides: 6 of 46 the same event), and the model learnt from events that each outlet
          reports once (NeuS: three outlets an event);
        * a pair with an undated article is discounted by the chance that the time window
          would have let it through (_time_unknown)."""
        if len(a) == 0:
            return np.zeros(0)
        X = self._pair_features(a, b)
        if self.scored is not None:
            self.scored.append((self._keys.a[a], self._keys.a[b], X))
        p = self.model.probability(X)
        undated = (self._day.a[a] == NO_DAY) | (self._day.a[b] == NO_DAY)
        if undated.any():
            p = np.where(undated, p * self._time_unknown(X[:, 0]), p)
        oa = self._outlet.a[a]
        return np.where((oa != NO_OUTLET) & (oa == self._outlet.a[b]), 0.0, p)

    def _time_unknown(self, cos: np.ndarray) -> np.ndarray:
        """P(a candidate pair at this vector cosine falls inside the time window), estimated from
        this corpus's dated candidate pairs: the share of them, at this cosine or closer, that the
        window let through. A dated pair is scored only once it has passed the window, so its
        probability is P(same | features, inside); an undated pair lacks that evidence and gets
        P(same | features) ~ P(same | features, inside) x P(inside | cosine) (same-event articles
        are nearly always inside: NeuS pairs with AllSides dates, 98.7% within 2 days).
        Why: in 8 years of allsides news, a dated article's 20 nearest are inside 2 days 6.5% of
        the time, so an undated article's nearest are mostly other years' stories on its topic;
        before this discount, judged links from undated articles were right 30 times in 76
        (docs/benchmarks.md). With no dated pairs (ECB+, NeuS as given), the estimate is 1: no
        change. Tail shares ("this cosine or closer") keep sparse top bins steady."""
        seen = np.cumsum(self._win_seen[::-1])[::-1]
        passed = np.cumsum(self._win_pass[::-1])[::-1]
        rate = (passed + _WINDOW_PRIOR) / (seen + _WINDOW_PRIOR)
        return rate[_cos_bin(cos)]

    def _agglomerate(self, first: int, nb_new: int, stories: list[int], pairsum: dict[tuple[int, int], float]) -> np.ndarray:
        """Graph-restricted average link: merge the adjacent pair with the highest mean same-story
        probability (pairs never scored count 0) while it exceeds the threshold; two stories never
        merge, and clusters merge only within the time window. Returns each node's representative."""
        import heapq

        s = self.s
        n_nodes = nb_new + len(stories)
        size = np.ones(n_nodes, np.int64)
        frozen = np.zeros(n_nodes, bool)
        lo = np.full(n_nodes, NO_DAY, np.int64)
        hi = np.full(n_nodes, NO_DAY, np.int64)
        days = self._day.a[first : first + nb_new]
        lo[:nb_new] = hi[:nb_new] = days
        for t, c in enumerate(stories):
            n = nb_new + t
            size[n] = self._st_n.a[c]
            frozen[n] = True
            lo[n], hi[n] = self._st_lo.a[c], self._st_hi.a[c]
        adj: list[set[int]] = [set() for _ in range(n_nodes)]
        for a, b in pairsum:
            adj[a].add(b)
            adj[b].add(a)
        parent = list(range(n_nodes))  # a node is a live cluster while it is its own parent
        version = np.zeros(n_nodes, np.int64)

        def find(n: int) -> int:
            root = n
            while parent[root] != root:
                root = parent[root]
            while parent[n] != root:
                parent[n], n = root, parent[n]
            return root

        heap: list[tuple[float, int, int, int, int]] = []
        merge, join = self.threshold, self.join_threshold

        def push(a: int, b: int) -> None:
            a, b = min(a, b), max(a, b)
            if (frozen[a] and frozen[b]) or not _span_ok(lo[a], hi[a], lo[b], hi[b], s.max_days):
                return
            x = pairsum.get((a, b), 0.0) / float(size[a] * size[b])
            if x > (join if frozen[a] or frozen[b] else merge):
                heapq.heappush(heap, (-x, a, b, int(version[a]), int(version[b])))

        for a, b in sorted(pairsum):
            push(a, b)
        while heap:
            _, a, b, va, vb = heapq.heappop(heap)
            if parent[a] != a or parent[b] != b or version[a] != va or version[b] != vb:
                continue  # stale: one side changed since this score was computed
            keep, gone = (b, a) if frozen[b] else (a, b)  # a frozen story keeps its node
            parent[gone] = keep
            size[keep] += size[gone]
            lo[keep], hi[keep] = _widen(lo[keep], hi[keep], lo[gone], hi[gone])
            version[keep] += 1
            # average link is additive: the merged cluster's sum with a neighbour is the parts' sums
            for n in adj[gone]:
                if n == keep:
                    continue
                k2 = (gone, n) if gone < n else (n, gone)
                k1 = (keep, n) if keep < n else (n, keep)
                pairsum[k1] = pairsum.get(k1, 0.0) + pairsum.pop(k2, 0.0)
                adj[n].discard(gone)
                adj[n].add(keep)
            pairsum.pop((min(keep, gone), max(keep, gone)), None)
            adj[keep] |= adj[gone]
            adj[keep].discard(keep)
            adj[keep].discard(gone)
            adj[gone] = set()
            for n in sorted(adj[keep]):
                push(keep, n)
        return np.array([find(n) for n in range(n_nodes)], np.int64)

    def _new_stories(self, n: int) -> int:
        first = self._st_n.n
        self._st_n.extend(np.zeros(n, np.int32))
        self._st_lo.extend(np.full(n, NO_DAY, np.int32))
        self._st_hi.extend(np.full(n, NO_DAY, np.int32))
        self._members.extend([] for _ in range(n))
        return first

    def _join(self, i: int, c: int) -> None:
        self._story.a[i] = c
        self._st_n.a[c] += 1
        self._members[c].append(i)
        d = self._day.a[i]
        self._st_lo.a[c], self._st_hi.a[c] = _widen(self._st_lo.a[c], self._st_hi.a[c], d, d)
