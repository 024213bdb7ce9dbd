"""Near-duplicate texts: one article given twice, or a wire story republished with light edits.

Two texts are copies when most of their word trigrams are the same (Jaccard similarity of the
sets of lowercased word 3-shingles). A handful of inputs is compared pair by pair, exactly; a
corpus uses MinHash over the same shingles (datasketch) so that it need not compare every pair.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# One article given twice, or with a few words changed, is above this (a three-word edit of a
# 500-word text keeps 0.98); different articles on one event, even close rewrites of one wire
# story, stay well below. The words that do differ are kept with the copy, never hidden.
COPY_THRESHOLD = 0.9
SHINGLE = 3

_WORD = re.compile(r"\w+")


def shingles(text: str, size: int = SHINGLE) -> frozenset[str]:
    """The set of lowercased word n-grams of a text (the words themselves when it is shorter)."""
    words = _WORD.findall(text.lower())
    if len(words) < size:
        return frozenset(words)
    return frozenset(" ".join(words[i : i + size]) for i in range(len(words) - size + 1))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


@dataclass
class CopyGroup:
    """Texts that are copies of one another: `first` is kept, `copies` are the others, each with
    its similarity to `first`."""

    first: int
    copies: list[tuple[int, float]]


def copy_groups(texts: list[str], threshold: float = COPY_THRESHOLD) -> list[CopyGroup]:
    """Groups of near-identical texts among `texts` (indices), each led by its earliest text.

    A text joins the group of the earliest text it copies; groups of one are not returned.
    """
    sets = [shingles(t) for t in texts]
    leader: dict[int, int] = {}
    groups: dict[int, CopyGroup] = {}
    for j in range(len(texts)):
        for i in range(j):
            if leader.get(i, i) != i:
                continue  # compare with the first of each group only
            score = jaccard(sets[i], sets[j])
            if score >= threshold:
                leader[j] = i
                groups.setdefault(i, CopyGroup(i, [])).copies.append((j, score))
                break
    return [groups[i] for i in sorted(groups)]


def changed_words(a: str, b: str, limit: int = 20) -> list[tuple[str, str]]:
    """Where copy `b` differs from `a`, word by word: (words of a, words of b) pairs, in order."""
    import difflib

    wa, wb = a.split(), b.split()
    matcher = difflib.SequenceMatcher(None, wa, wb, autojunk=False)
    out = [(" ".join(wa[i1:i2]), " ".join(wb[j1:j2])) for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal"]
    return out[:limit]
