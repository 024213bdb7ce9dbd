"""Copies (near-duplicates) in Spark, with corpus mode's MinHash and corpus mode's answers.

Corpus mode (`corpus.dedup.CopyFinder`) adds articles one at a time, in id order, and confirms
each against the earlier ones that share an LSH band. Here the same bands are keys of a
`groupByKey` (of ids only), pairs inside a bucket are confirmed with the finder's own test
(`CopyFinder.confirm`), and the confirmed pairs are joined into components (`_graph`). A
component holds every article any of its members could be confirmed against, so running a
`CopyFinder` over each component alone, in id order, gives exactly the groups corpus mode gives,
with no all-pairs step and no global state.
"""

from __future__ import annotations

from typing import Any

from ._graph import components


def find_copies(signed: Any) -> Any:
    """From an RDD of (id, signature blob, words): an RDD of (id, copy_of, similarity) for every
    article that is a copy of an earlier one. Only ids travel through the bucket shuffle
    (16 bytes a band, not the 1 KiB signature); signatures join the candidate pairs after."""
    from ..corpus.dedup import MIN_WORDS

    long_enough = signed.filter(lambda r: r[2] >= MIN_WORDS)
    candidates = long_enough.flatMap(_bands).groupByKey().flatMap(_bucket_pairs).distinct()
    sigs = long_enough.map(lambda r: (r[0], (r[1], r[2])))
    pairs = (
        candidates.join(sigs).map(lambda kv: (kv[1][0], (kv[0], *kv[1][1])))  # (earlier, (later, its sig, its words))
        .join(sigs).filter(lambda kv: _confirmed(kv[1][0], kv[1][1])).map(lambda kv: (kv[1][0][0], kv[0]))
    )
    members = components(pairs)  # (id, component)
    by_component = members.join(sigs).map(lambda kv: (kv[1][0], (kv[0], *kv[1][1])))  # members all have pairs: all long enough
    return by_component.groupByKey().flatMap(lambda kv: _decide(kv[1]))


def _bands(row):
    from ..corpus.dedup import band_keys, from_blob

    key, blob, _ = row
    return [(band, key) for band in band_keys(from_blob(blob))]


def _bucket_pairs(bucket):
    """Every (earlier, later) pair of ids sharing the bucket."""
    ids = sorted(set(bucket[1]))
    return [(later, earlier) for n, later in enumerate(ids) for earlier in ids[:n]]


_CONFIRMING = None


def _confirmed(one, other) -> bool:
    """Whether two texts, (id, signature blob, words) and (signature blob, words), are one by the
    finder's own test (`CopyFinder.confirm`, which does not depend on the order of the two)."""
    global _CONFIRMING
    from ..corpus.dedup import CopyFinder, from_blob

    if _CONFIRMING is None:  # one per Python worker: the test needs only its settings
        _CONFIRMING = CopyFinder()
    _, blob_a, words_a = one
    blob_b, words_b = other
    ok, _, _ = _CONFIRMING.confirm(from_blob(blob_a), int(words_a), from_blob(blob_b)[None, :], [int(words_b)])
    return bool(ok[0])


def _decide(members):
    """Corpus mode's decisions for one component: a CopyFinder fed its members in id order, each
    decided by corpus mode's own `decide_copy`."""
    from ..corpus._steps import decide_copy
    from ..corpus.dedup import CopyFinder, from_blob

    finder = CopyFinder()
    out = []
    for key, blob, words in sorted(members):
        original, similarity = decide_copy(finder, key, from_blob(blob), words)
        if original is not None:
            out.append((key, original, similarity))
    return out
