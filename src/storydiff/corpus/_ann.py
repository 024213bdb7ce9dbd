"""Approximate nearest-neighbour index over unit article vectors (inner product).

usearch (HNSW) when it is installed, otherwise an exact numpy scan (fine up to ~20k articles;
O(n) per query beyond that). Vectors are added in a fixed order with one thread, so the graph
and therefore every search result is the same for the same input order (determinism).
"""
from __future__ import annotations

import numpy as np



def _usearch_index_class():
    """usearch's Index, or None when it is not installed (then searches are exact numpy scans).

    onnxruntime must be imported BEFORE usearch: in the other order (usearch 2.26.6, onnxruntime
    1.32.0) the process segfaults on import. Importing it here keeps any import order safe."""
    try:
        import onnxruntime  # noqa: F401  (load order, see above)
    except ImportError:  # pragma: no cover
        pass
    try:
        from usearch.index import Index
    except ImportError:  # pragma: no cover - exercised only where usearch is absent
        return None
    return Index


class VectorIndex:
    """Keys are dense ints 0..n-1 (the clusterer's internal article numbers)."""

    def __init__(self, ndim: int, *, exact: bool = False, connectivity: int = 16, expansion_add: int = 64, expansion_search: int = 64):
        self.ndim = ndim
        self.size = 0
        index_class = None if exact else _usearch_index_class()
        self._exact = index_class is None
        if self._exact:
            self._chunks: list[np.ndarray] = []
            self._matrix = np.zeros((0, ndim), np.float16)
        else:
            self._index = index_class(
                ndim=ndim, metric="ip", dtype="f16", connectivity=connectivity,
                expansion_add=expansion_add, expansion_search=expansion_search,
            )

    def add(self, vectors: np.ndarray) -> None:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if len(vectors) == 0:
            return
        keys = np.arange(self.size, self.size + len(vectors), dtype=np.uint64)
        if self._exact:
            self._chunks.append(vectors.astype(np.float16))
        else:
            self._index.add(keys, vectors, threads=1)  # one thread: the same graph on every run
        self.size += len(vectors)

    def save(self, path: str) -> None:
        """Write the index to `path` (usearch's own file; the exact fallback as .npy)."""
        if self._exact:
            if self._chunks:
                self._matrix = np.vstack([self._matrix, *self._chunks])
                self._chunks = []
            with open(path, "wb") as handle:
                np.save(handle, self._matrix)
        else:
            self._index.save(path)

    def load(self, path: str, size: int) -> None:
        """Read what `save` wrote; `size` vectors are expected (ValueError otherwise)."""
        if self._exact:
            with open(path, "rb") as handle:
                self._matrix = np.load(handle, allow_pickle=False)
            self._chunks = []
            found = len(self._matrix)
        else:
            self._index.load(path)
            found = len(self._index)
        if found != size:
            raise ValueError(f"the index holds {found} vectors, not {size}")
        self.size = size

    def search(self, vectors: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
        """(keys [q, count] with -1 where fewer exist, similarities [q, count]) best first."""
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        q = len(vectors)
        keys = np.full((q, count), -1, np.int64)
        sims = np.full((q, count), -np.inf, np.float32)
        if q == 0 or self.size == 0:
            return keys, sims
        if self._exact:
            if self._chunks:
                self._matrix = np.vstack([self._matrix, *self._chunks])
                self._chunks = []
            S = vectors @ self._matrix.astype(np.float32).T
            k = min(count, self.size)
            # stable sort on (-sim, key) so ties always resolve the same way
            order = np.argsort(-S, axis=1, kind="stable")[:, :k]
            keys[:, :k] = order
            sims[:, :k] = np.take_along_axis(S, order, axis=1)
            return keys, sims
        m = self._index.search(vectors, min(count, self.size), threads=1)
        # usearch answers one query with a Matches of 1-D arrays, several with BatchMatches [q, count]
        found_keys = m.keys.reshape(q, -1).astype(np.int64)
        found_dist = m.distances.reshape(q, -1).astype(np.float32)
        counts = m.counts.reshape(q) if hasattr(m, "counts") else np.array([len(m.keys)])
        for i in range(q):
            c = int(counts[i])
            keys[i, :c] = found_keys[i, :c]
            sims[i, :c] = 1.0 - found_dist[i, :c]  # usearch "ip" distance is 1 - dot
        return keys, sims
