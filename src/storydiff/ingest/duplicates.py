"""Near-duplicate texts: one article given twice, with a few words changed, or cut short.

Two texts are copies when nearly all their word trigrams are the same (Jaccard similarity of the
sets of lowercased word 3-shingles), or when one holds nearly all of the other's and is at most
twice its length (a copy cut short). Inputs are compared pair by pair, exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# One article given twice, or with a few words changed, is above this (a three-word edit of a
# 500-word text keeps 0.98); different articles on one event, even close rewrites of one wire
# story, stay well below. The words that do differ are kept with the copy, never hidden.
COPY_THRESHOLD = 0.9
# A copy cut short: the shorter text's trigrams nearly all in the longer, which is notably longer
# but at most twice as long (a longer article that quotes a whole wire story adds reporting of its
# own). Texts of about one length are copies only by Jaccard: a short text with one word changed
# keeps most of its trigrams, and that one word may be the story.
CONTAINED = 0.9
CONTAINED_RATIO = 0.5
CUT_SHORT = 0.85
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


def copy_similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """How much two shingle sets are one text: their Jaccard similarity, or, for a text cut short,
    the share of the smaller inside the larger (0 when neither holds)."""
    if not a or not b:
        return 0.0
    score = jaccard(a, b)
    if score >= COPY_THRESHOLD:
        return score
    small, large = sorted((a, b), key=len)
    contained = len(small & large) / len(small)
    cut_short = CONTAINED_RATIO * len(large) <= len(small) <= CUT_SHORT * len(large)
    return contained if contained >= CONTAINED and cut_short else 0.0


@dataclass
class CopyGroup:
    """Texts that are copies of one another: `first` is the one to keep (the longest, the earliest
    on a tie), `copies` the others, each with its similarity to `first`."""

    first: int
    copies: list[tuple[int, float]]


def copy_groups(texts: list[str]) -> list[CopyGroup]:
    """Groups of copies among `texts` (indices); groups of one are not returned."""
    sets = [shingles(t) for t in texts]
    leader: dict[int, int] = {}
    for j in range(len(texts)):
        for i in range(j):
            if leader.get(i, i) == i and copy_similarity(sets[i], sets[j]):
                leader[j] = i
                break
    members: dict[int, list[int]] = {}
    for j in range(len(texts)):
        members.setdefault(leader.get(j, j), []).append(j)
    groups = []
    for group in members.values():
        if len(group) < 2:
            continue
        kept = max(group, key=lambda i: (len(sets[i]), -i))
        copies = [(i, round(copy_similarity(sets[kept], sets[i]) or jaccard(sets[kept], sets[i]), 3)) for i in group if i != kept]
        groups.append(CopyGroup(kept, copies))
    return sorted(groups, key=lambda g: g.first)


def changed_words(a: str, b: str) -> list[tuple[str, str]]:
    """Where copy `b` differs from `a`, word by word: (words of a, words of b) pairs, in order."""
    import difflib

    wa, wb = a.split(), b.split()
    matcher = difflib.SequenceMatcher(None, wa, wb, autojunk=False)
    return [(" ".join(wa[i1:i2]), " ".join(wb[j1:j2])) for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal"]
