"""Copies in a corpus: one article text republished by many outlets (a wire story), lightly edited.

A *copy* is the same article text with light edits: headline or first sentence changed, a paragraph
added or dropped, typos fixed, boilerplate lines added, or cut short (the first 40-60% of it). It is
not a different article about the same event. This is the corpus form of
`storydiff.ingest.duplicates` (which compares a few texts pair by pair, exactly); the notion is the
same: word 3-shingles, near-equal sets, or a shorter text nearly contained in a longer one.

How: each text gets a MinHash signature of its lowercased word 3-shingles (`signature`: our own
numpy hashing, 128 values; 550-800 articles of ~1,000 words a second on one core, see
benchmarks/dedup_quality.py); `CopyFinder` keeps the signatures in a banded LSH index (MinHash LSH
as in datasketch: 48 bands of 2 values, kept as a sorted numpy array of band hashes, 16 bytes a
band, plus a small dict of the latest additions). A new article's bucket hits are only
candidates: each is confirmed from the signatures, by estimated Jaccard similarity, or by
estimated containment of the shorter text in the longer (a copy cut short).

    from storydiff.corpus.dedup import CopyFinder, signature, count_words, to_blob, from_blob

    finder = CopyFinder()                        # the defaults are the settings; keep them
    sig = signature(text)                        # np.ndarray, uint64, NUM_PERM values
    original = finder.add(key, sig, count_words(text))   # key of the group's first member, or None
    db.execute("insert ... values (?, ?, ?, ?)", (key, to_blob(sig), words, original))
    ...                                          # after a restart:
    finder.restore((key, from_blob(blob), words, copy_of) for key, blob, words, copy_of in rows)
    finder.similarity(sig_a, sig_b)              # estimated Jaccard: "97% the same text"

Deterministic: the hashes are fixed (no per-process seed), so the same texts added in the same order
give the same groups. A group's representative is its first-added member; every later copy points
at it, never at another copy. Groups never merge (an answer once given stays true): a text
matching two groups joins one, so when heavily edited copies arrive before their original, a copy
can end in a group of its own (see the benchmark's "shuffled" column). Signatures made with
another `SIGNATURE_VERSION` must be recomputed.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

__all__ = [
    "SIGNATURE_VERSION",
    "NUM_PERM",
    "SHINGLE",
    "CopyFinder",
    "Match",
    "band_keys",
    "signature",
    "signatures",
    "count_words",
    "to_blob",
    "from_blob",
]

# Bump when the hashing changes: stored signatures of another version do not compare.
SIGNATURE_VERSION = 1
SHINGLE = 3  # word 3-shingles, as storydiff.ingest.duplicates
NUM_PERM = 128  # minhash values per signature (1 KiB as uint64)

# LSH: BANDS bands of ROWS values each (the first BANDS * ROWS values of the signature). Two rows a
# band catch the pairs a copy cut short gives (Jaccard 0.3-0.4) almost always:
# P(candidate) = 1 - (1 - J**2)**48 is 0.99 at J = 0.3, 0.95 at J = 0.25, 0.05 at J = 0.03.
BANDS = 48
ROWS = 2

# Confirmation, from the signatures (see CopyFinder):
JACCARD = 0.6  # estimated Jaccard of the 3-shingle sets at least this: one text, edited
CONTAINED = 0.8  # or the shorter text's shingles this much inside the longer one ...
LENGTH_RATIO = 0.35  # ... and the shorter at least this share of the longer's words (cut short)
MIN_WORDS = 25  # shorter texts are never grouped: too little text to say it is one article

_WORD = re.compile(r"\w+")
_MASK = np.uint64(0xFFFFFFFFFFFFFFFF)
_EMPTY = np.uint64(0xFFFFFFFFFFFFFFFF)


def _constants(n: int, label: bytes) -> np.ndarray:
    """n fixed 64-bit values (odd), derived from a label: the same in every process."""
    out = np.empty(n, dtype=np.uint64)
    for i in range(n):
        digest = hashlib.blake2b(label + i.to_bytes(4, "little"), digest_size=8).digest()
        out[i] = int.from_bytes(digest, "little") | 1
    return out


_PERM_A = _constants(NUM_PERM, b"storydiff-minhash-a")
_PERM_B = _constants(NUM_PERM, b"storydiff-minhash-b")
_SHINGLE_MUL = _constants(8, b"storydiff-shingle")  # up to 8-word shingles
_BAND_MUL = _constants(ROWS + 1, b"storydiff-band")
_BAND_SALT = _constants(BANDS, b"storydiff-band-salt")
_WORD_CACHE: dict[str, int] = {}
_WORD_CACHE_MAX = 500_000  # words -> hash; cleared when full (about 75 MB at most)


def _fmix(x: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser, on an array (in place; wraps around)."""
    x ^= x >> np.uint64(33)
    x *= np.uint64(0xFF51AFD7ED558CCD)
    x ^= x >> np.uint64(33)
    x *= np.uint64(0xC4CEB9FE1A85EC53)
    x ^= x >> np.uint64(33)
    return x


def _word_hash(word: str) -> int:
    value = _WORD_CACHE.get(word)
    if value is None:
        if len(_WORD_CACHE) >= _WORD_CACHE_MAX:
            _WORD_CACHE.clear()
        value = int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")
        _WORD_CACHE[word] = value
    return value


def count_words(text: str) -> int:
    """The number of words of a text, as `CopyFinder.add` wants it (`\\w+` runs)."""
    return len(_WORD.findall(text))


def _shingle_hashes(text: str, size: int = SHINGLE) -> np.ndarray:
    words = _WORD.findall(text.lower())
    if not words:
        return np.empty(0, dtype=np.uint64)
    values = list(map(_WORD_CACHE.get, words))
    if None in values:
        values = [_word_hash(t) for t in words]
    w = np.array(values, dtype=np.uint64)
    if len(w) < size:  # a text shorter than a shingle: its words
        return _fmix(w.copy())
    n = len(w) - size + 1
    x = w[:n] * _SHINGLE_MUL[0]
    for i in range(1, size):
        x += w[i : i + n] * _SHINGLE_MUL[i]
    return np.unique(_fmix(x))


def signature(text: str) -> np.ndarray:
    """The MinHash signature of a text's lowercased word 3-shingles: NUM_PERM uint64 values.

    Store it with `to_blob` (NUM_PERM * 8 bytes) and read it back with `from_blob`. An empty text
    gives all-max values (never a copy of anything)."""
    return _minhash(_shingle_hashes(text))


def _minhash(x: np.ndarray) -> np.ndarray:
    if not len(x):
        return np.full(NUM_PERM, _EMPTY, dtype=np.uint64)
    out = np.empty(NUM_PERM, dtype=np.uint64)
    # (a*x + b) mod 2**64 per permutation, in chunks so the working set stays in cache.
    step = max(1, 16384 // max(1, len(x)))
    for i in range(0, NUM_PERM, step):
        h = np.multiply.outer(_PERM_A[i : i + step], x)
        h += _PERM_B[i : i + step, None]
        h.min(axis=1, out=out[i : i + step])
    return out


def signatures(texts: Iterable[str]) -> list[np.ndarray]:
    """`signature` of each text."""
    return [signature(t) for t in texts]


def to_blob(sig: np.ndarray) -> bytes:
    """A signature as bytes, for a SQLite BLOB (little-endian uint64)."""
    return np.asarray(sig, dtype="<u8").tobytes()


def from_blob(blob: bytes) -> np.ndarray:
    """A signature back from `to_blob` bytes."""
    sig = np.frombuffer(blob, dtype="<u8").astype(np.uint64)
    if len(sig) != NUM_PERM:
        raise ValueError(f"a signature of {len(sig)} values, not {NUM_PERM}: recompute it (version {SIGNATURE_VERSION})")
    return sig


def _as_sig(sig) -> np.ndarray:
    if isinstance(sig, (bytes, bytearray, memoryview)):
        return from_blob(bytes(sig))
    sig = np.asarray(sig, dtype=np.uint64)
    if sig.shape != (NUM_PERM,):
        raise ValueError(f"a signature must hold {NUM_PERM} values, not {sig.shape}")
    return sig


def _band_hashes(sigs: np.ndarray) -> np.ndarray:
    """(n, BANDS) uint64 hashes of the bands of n signatures (the band's number mixed in)."""
    sigs = np.atleast_2d(sigs)
    bands = sigs[:, : BANDS * ROWS].reshape(len(sigs), BANDS, ROWS)
    h = _BAND_SALT[None, :] * _BAND_MUL[ROWS]
    for r in range(ROWS):
        h = h + bands[:, :, r] * _BAND_MUL[r]
    return _fmix(h)


def band_keys(sig) -> list[int]:
    """The LSH bucket keys of a signature, one per band: texts that share one are the candidates
    `CopyFinder` confirms (for a caller that groups by them itself, e.g. in Spark)."""
    return _band_hashes(_as_sig(sig))[0].tolist()


@dataclass(frozen=True)
class Match:
    """The group a text copies: `key`, the group's first member; `member`, the member it was
    confirmed against (the best match; often `key` itself); the estimated Jaccard `similarity`
    of the text and that member, and `contained`, the estimated share of the shorter text's
    shingles inside the longer one."""

    key: int
    member: int
    similarity: float
    contained: float


def _compare(sig: np.ndarray, others: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Estimated Jaccard, containment of sig in each other, and of each other in sig.

    With min-wise hashes, the two minima are equal with probability J; sig's is the lower-or-equal
    with probability |A| / |A u B|; so P(equal) / P(sig's <= other's) = |A n B| / |A|."""
    equal = (others == sig).sum(axis=1).astype(np.float64)
    a_first = (sig <= others).sum(axis=1)
    b_first = (others <= sig).sum(axis=1)
    jaccard = equal / NUM_PERM
    a_in_b = equal / np.maximum(a_first, 1)
    b_in_a = equal / np.maximum(b_first, 1)
    return jaccard, a_in_b, b_in_a


class CopyFinder:
    """An incremental index of signatures that names the copies among them.

    `add` one article at a time (or `add_many`), in the order they arrive; it returns the key of the
    earlier article this one is a copy of (that group's first member), or None. `restore` rebuilds
    the index from stored (key, signature, words, copy_of) rows after a restart. Keys are ints.

    A new text is a copy of a group when, against one of the group's members, the estimated Jaccard
    similarity of their 3-shingle sets is >= `jaccard`, or the shorter text's shingles are >=
    `contained` inside the longer and it has >= `length_ratio` of its words (a copy cut short). When
    it matches members of several groups, the group with the most matching members wins, then the
    one holding the member most inside it or most like it (max of containment and Jaccard), then
    the earliest; the text points at that group's first member. Confirming against every member, not
    only the first, keeps a group whole when its first member was itself a heavily edited or
    cut-short copy. Texts under `min_words` words are indexed but never grouped. The defaults are the benchmarked settings
    (benchmarks/dedup_quality.py); change them only to experiment.
    """

    def __init__(
        self,
        *,
        jaccard: float = JACCARD,
        contained: float = CONTAINED,
        length_ratio: float = LENGTH_RATIO,
        min_words: int = MIN_WORDS,
    ) -> None:
        self.jaccard = jaccard
        self.contained = contained
        self.length_ratio = length_ratio
        self.min_words = min_words
        self._keys: list[int] = []
        self._row: dict[int, int] = {}
        self._sigs = np.empty((1024, NUM_PERM), dtype=np.uint64)
        self._words = np.empty(1024, dtype=np.int64)
        self._rep = np.empty(1024, dtype=np.int64)  # row of the group's first member
        # LSH buckets: a sorted array of band hashes with the row of each (merged in from time
        # to time), and a dict of the band hashes of the rows added since.
        self._frozen_hashes = np.empty(0, dtype=np.uint64)
        self._frozen_rows = np.empty(0, dtype=np.int64)
        self._frozen_count = 0
        self._recent: dict[int, list[int]] = {}

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key: int) -> bool:
        return key in self._row

    # -- building -------------------------------------------------------------------------------

    def _grow(self, n: int) -> None:
        size = len(self._sigs)
        if n <= size:
            return
        while size < n:
            size *= 2
        for name in ("_sigs", "_words", "_rep"):
            old = getattr(self, name)
            new = np.empty((size, *old.shape[1:]), dtype=old.dtype)
            new[: len(self._keys)] = old[: len(self._keys)]
            setattr(self, name, new)

    def _place(self, key: int, sig: np.ndarray, words: int, rep_row: int | None) -> int:
        """A new row for `key`; its band hashes are for the caller to index."""
        if key in self._row:
            raise ValueError(f"key {key} is already in the index")
        row = len(self._keys)
        self._grow(row + 1)
        self._keys.append(key)
        self._row[key] = row
        self._sigs[row] = sig
        self._words[row] = words
        self._rep[row] = row if rep_row is None else rep_row
        return row

    def _append(self, key: int, sig: np.ndarray, words: int, rep_row: int | None, hashes: np.ndarray) -> int:
        row = self._place(key, sig, words, rep_row)
        for h in hashes.tolist():
            self._recent.setdefault(h, []).append(row)
        if len(self._keys) - self._frozen_count >= max(2048, self._frozen_count // 4):
            self._freeze()
        return row

    def _freeze(self) -> None:
        """Merge the recent rows' band hashes into the sorted arrays."""
        start, end = self._frozen_count, len(self._keys)
        if end == start:
            return
        new = _band_hashes(self._sigs[start:end])
        hashes = np.concatenate([self._frozen_hashes, new.ravel()])
        rows = np.concatenate([self._frozen_rows, np.repeat(np.arange(start, end, dtype=np.int64), BANDS)])
        order = np.argsort(hashes, kind="stable")
        self._frozen_hashes, self._frozen_rows = hashes[order], rows[order]
        self._frozen_count = end
        self._recent = {}

    def _candidates(self, hashes: np.ndarray) -> np.ndarray:
        """Rows sharing at least one LSH band (of these band hashes)."""
        found: list[np.ndarray] = []
        if len(self._frozen_hashes):
            lo = np.searchsorted(self._frozen_hashes, hashes, side="left")
            hi = np.searchsorted(self._frozen_hashes, hashes, side="right")
            for a, b in zip(lo[hi > lo].tolist(), hi[hi > lo].tolist()):
                found.append(self._frozen_rows[a:b])
        recent = self._recent
        for h in hashes.tolist():
            rows = recent.get(h)
            if rows:
                found.append(np.asarray(rows, dtype=np.int64))
        if not found:
            return np.empty(0, dtype=np.int64)
        return np.unique(np.concatenate(found))

    def match(self, sig, words: int) -> Match | None:
        """The group an article with this signature and word count would join, without adding it."""
        sig = _as_sig(sig)
        return self._match(sig, words, _band_hashes(sig)[0])

    def _match(self, sig: np.ndarray, words: int, hashes: np.ndarray) -> Match | None:
        if words < self.min_words or not len(self._keys):
            return None
        rows = self._candidates(hashes)  # sorted: earliest first
        rows = rows[self._words[rows] >= self.min_words]
        if not len(rows):
            return None
        ok, jaccard, contained = self.confirm(sig, words, self._sigs[rows], self._words[rows])
        if not ok.any():
            return None
        # The group with the most members confirmed, then the member most inside or most like the
        # text (a copy cut short is more inside a whole copy than like another cut); the earliest
        # on a tie.
        rows, jaccard, contained = rows[ok], jaccard[ok], contained[ok]
        reps = self._rep[rows]
        first_reps, votes = np.unique(reps, return_counts=True)
        votes = votes[np.searchsorted(first_reps, reps)]
        score = np.maximum(jaccard, contained) + 1e-3 * jaccard
        best = int(np.lexsort((-score, -votes))[0])
        row = int(rows[best])
        return Match(self._keys[int(reps[best])], self._keys[row], float(jaccard[best]), float(contained[best]))

    def confirm(self, sig, words: int, others: np.ndarray, other_words: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Whether a text is one text with each of `others` (signatures, rows) by this finder's
        settings, with the estimated Jaccard and containment of each pair. Texts under
        `min_words` words confirm nothing. What `add` decides by, for a caller that finds the
        candidates itself (the Spark job, `storydiff.scale`)."""
        sig, others, other_words = _as_sig(sig), np.atleast_2d(others), np.asarray(other_words)
        jaccard, new_in_old, old_in_new = _compare(sig, others)
        contained = np.where(words <= other_words, new_in_old, old_in_new)
        ratio = np.minimum(words, other_words) / np.maximum(np.maximum(words, other_words), 1)
        ok = (jaccard >= self.jaccard) | ((contained >= self.contained) & (ratio >= self.length_ratio))
        ok &= (words >= self.min_words) & (other_words >= self.min_words)
        return ok, jaccard, contained

    def add(self, key: int, sig, words: int) -> int | None:
        """Index an article; return the key of the earlier article it copies (its group's first
        member), or None when it is the first of its text."""
        sig = _as_sig(sig)
        if key in self._row:
            raise ValueError(f"key {key} is already in the index")
        hashes = _band_hashes(sig)[0]
        found = self._match(sig, words, hashes)
        self._append(key, sig, int(words), None if found is None else self._row[found.key], hashes)
        return None if found is None else found.key

    def add_many(self, items: Iterable[tuple[int, object, int]]) -> list[int | None]:
        """`add` each (key, signature, words), in order; the same answers as one at a time."""
        return [self.add(key, sig, words) for key, sig, words in items]

    def restore(self, rows: Iterable[tuple[int, object, int, int | None]]) -> None:
        """Rebuild from stored (key, signature, words, copy_of) rows, in the order they were added
        (copy_of as `add` returned it). Signatures may be arrays or `to_blob` bytes. A copy_of
        that is not among the rows makes that article the first of its group."""
        pending: list[tuple[int, int | None]] = []
        for key, sig, words, copy_of in rows:
            row = self._place(key, _as_sig(sig), int(words), None)  # band hashes: by _freeze, at the end
            pending.append((row, copy_of))
        for row, copy_of in pending:
            first = self._row.get(copy_of) if copy_of is not None else None
            if first is not None:
                self._rep[row] = self._rep[first]
        self._freeze()

    # -- reading --------------------------------------------------------------------------------

    def copy_of(self, key: int) -> int | None:
        """The first member of the group `key` is a later copy in, or None."""
        row = self._row[key]
        rep = int(self._rep[row])
        return None if rep == row else self._keys[rep]

    def groups(self) -> dict[int, list[int]]:
        """Groups of two or more: first member's key -> all member keys, in the order added."""
        members: dict[int, list[int]] = {}
        n = len(self._keys)
        for row, rep in enumerate(self._rep[:n].tolist()):
            members.setdefault(self._keys[rep], []).append(self._keys[row])
        return {k: v for k, v in members.items() if len(v) > 1}

    def signature_of(self, key: int) -> np.ndarray:
        return self._sigs[self._row[key]].copy()

    @staticmethod
    def similarity(sig_a, sig_b) -> float:
        """Estimated Jaccard similarity of two texts' word 3-shingle sets (0-1), for display."""
        a, b = _as_sig(sig_a), _as_sig(sig_b)
        if a[0] == _EMPTY or b[0] == _EMPTY:
            return 0.0
        return float((a == b).sum()) / NUM_PERM

    @staticmethod
    def containment(sig_a, sig_b) -> float:
        """Estimated share of text a's shingles that are in text b."""
        a, b = _as_sig(sig_a), _as_sig(sig_b)
        return float(_compare(a, b[None, :])[1][0])
