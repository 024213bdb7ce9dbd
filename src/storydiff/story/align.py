"""Stage: align the statements of all articles into facts.

1. Every segment (a clause, a run of adjacent clauses, a whole sentence) of each article is scored
   against every segment of every other article (`_pairscore.py`): the probability that the two
   state the same fact.
2. Pairs at or above the model's threshold are taken strongest first. A pair whose units are all
   free starts a fact; a pair touching one existing fact adds its free units to that fact; a pair
   touching two facts merges them only if their units match on average. This is what lets one
   sentence match parts of two sentences in another outlet (many-to-many).
3. An article may state a fact in places that are not next to each other (a lead sentence and a
   later restatement), but a non-adjacent addition needs a strong link: otherwise a general lead
   sentence would collect every statement on its topic.
4. The units of one article in a fact become one mention per run of adjacent units. Units no other
   article matches become that article's unique facts, one per sentence (or run of clauses).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

import numpy as np

from .._models import Article, Comparison, Fact, Mention
from ._pairscore import PairScorer, Segment, segmented, segments
from ..article._speakers import name_key, same_person

STRONG = 0.8  # a link this sure may add a non-adjacent statement of the same article to a fact
GROUP = 0.5  # two facts merge when the links between their units average at least this
POSSIBLE = 0.25  # closest statements above this (and below the threshold) are shown as possible


@dataclass
class _Scores:
    """Segment-pair probabilities for one pair of articles (a < b)."""

    a: int
    b: int
    segs_a: list[Segment]
    segs_b: list[Segment]
    matrix: np.ndarray  # [segments of a, segments of b]
    unit_best: np.ndarray = field(init=False)  # [units of a, units of b]: best segment pair covering both

    def __post_init__(self) -> None:
        na = max((s.last_unit for s in self.segs_a), default=-1) + 1
        nb = max((s.last_unit for s in self.segs_b), default=-1) + 1
        # Best over the segments of a holding each unit, then over those of b: one pass per segment.
        rows = np.zeros((na, len(self.segs_b)), np.float32)
        for i, sa in enumerate(self.segs_a):
            block = rows[sa.first_unit : sa.last_unit + 1]
            np.maximum(block, self.matrix[i], out=block)
        best = np.zeros((na, nb), np.float32)
        for j, sb in enumerate(self.segs_b):
            block = best[:, sb.first_unit : sb.last_unit + 1]
            np.maximum(block, rows[:, j : j + 1], out=block)
        self.unit_best = best


class _Facts:
    """Units assigned to facts, with the link scores that put them there."""

    def __init__(self) -> None:
        self.fact_of: dict[tuple[int, int], int] = {}
        self.members: dict[int, set[tuple[int, int]]] = {}
        self.link: dict[tuple[int, int], float] = {}
        self._next = 0

    def new(self, units: set[tuple[int, int]], score: float) -> None:
        fid, self._next = self._next, self._next + 1
        self.members[fid] = set()
        self.add(fid, units, score)

    def add(self, fid: int, units: set[tuple[int, int]], score: float) -> None:
        for unit in units:
            self.fact_of[unit] = fid
            self.members[fid].add(unit)
            self.link[unit] = max(self.link.get(unit, 0.0), score)

    def merge(self, keep: int, drop: int) -> None:
        for unit in self.members.pop(drop):
            self.fact_of[unit] = keep
            self.members[keep].add(unit)


def _adjacent(article: Article, units: set[int], others: set[int]) -> bool:
    """Whether two sets of units of one article lie in the same or neighbouring sentences."""
    near = {article.units[u].sentence + d for u in others for d in (-1, 0, 1)}
    return any(article.units[u].sentence in near for u in units)


def align(comparison: Comparison, scorer: PairScorer | None = None) -> list[Fact]:
    articles = comparison.articles
    on_story = {a.id for a in articles} - set(comparison.off_story)
    scorer = scorer or PairScorer()
    threshold = scorer.threshold
    segs = [segments(a) for a in articles]
    headings = [[a.sentences[u.sentence].heading for u in a.units] for a in articles]
    sides = [segmented(article, s) for article, s in zip(articles, segs)]  # once per article, not per pair
    tables: dict[tuple[int, int], _Scores] = {}
    candidates = []
    for a in range(len(articles)):
        for b in range(a + 1, len(articles)):
            matrix = scorer.score(sides[a], sides[b])
            table = _Scores(a, b, segs[a], segs[b], matrix)
            tables[a, b] = table
            for i, j in zip(*np.nonzero(matrix >= threshold)):
                sa, sb = segs[a][i], segs[b][j]
                if (headings[a][sa.first_unit] or headings[b][sb.first_unit]) and matrix[i, j] < STRONG:
                    continue  # a subheading is terse and general: only a strong link is trusted
                size = (sa.last_unit - sa.first_unit) + (sb.last_unit - sb.first_unit)
                # Strongest first; on a tie, the smaller pair of segments (the more precise match).
                candidates.append((-float(matrix[i, j]), size, a, i, b, j))
    candidates.sort()

    def unit_score(x: tuple[int, int], y: tuple[int, int]) -> float:
        if x[0] == y[0]:
            return np.nan
        if x[0] > y[0]:
            x, y = y, x
        return float(tables[x[0], y[0]].unit_best[x[1], y[1]])

    speakers = _unit_speakers(articles)
    facts = _Facts()
    for negative, _, a, i, b, j in candidates:
        score = -negative
        units = {(a, u) for u in segs[a][i].units} | {(b, u) for u in segs[b][j].units}
        touched = {facts.fact_of[u] for u in units if u in facts.fact_of}
        free = {u for u in units if u not in facts.fact_of}
        if not touched:
            if _one_speaker(speakers, units):
                facts.new(units, score)
            continue
        if len(touched) == 1:
            fid = touched.pop()
            if free and _may_join(articles, facts.members[fid], free, score) and _one_speaker(speakers, facts.members[fid] | free):
                facts.add(fid, free, score)
            continue
        if len(touched) == 2 and not free:
            keep, drop = sorted(touched)
            cross = [
                unit_score(x, y) for x in facts.members[keep] for y in facts.members[drop] if x[0] != y[0]
            ]
            if (
                cross and np.mean(cross) >= GROUP and _may_join(articles, facts.members[keep], facts.members[drop], score)
                and _one_speaker(speakers, facts.members[keep] | facts.members[drop])
            ):
                facts.merge(keep, drop)

    result: list[Fact] = []
    for members in facts.members.values():
        mentions = _mentions(articles, members, facts.link)
        cross = [unit_score(x, y) for x in members for y in members if x[0] < y[0]]
        result.append(_fact(mentions, on_story, score=float(np.mean(cross)) if cross else None))
    for article in articles:
        result.extend(_unique_facts(article, facts, on_story))
    closest = _closest(tables)
    for fact in result:
        fact.possible = _possible(fact, articles, closest)
    comparison.unit_scores = {key: table.unit_best for key, table in tables.items()}
    rank = {"shared": 0, "partial": 1, "unique": 2}
    result.sort(key=lambda f: (rank[f.status], f.mentions[0].article, f.mentions[0].start))
    for number, fact in enumerate(result, start=1):
        fact.id = f"f{number}"
    return result


def _unit_speakers(articles: list[Article]) -> dict[tuple[int, int], str]:
    """The speaker of each unit that is someone's words, where the attribution names that person
    itself ("..., Ana Ruiz said"; not "he said", which may be resolved wrongly)."""
    out: dict[tuple[int, int], str] = {}
    for article in articles:
        named = [
            quote for quote in article.quotes
            if quote.named and quote.speaker and quote.speaker_kind == "person" and quote.speaker_start is not None
            and set(name_key(article.text[quote.speaker_start : quote.speaker_end])) & set(name_key(quote.speaker))
        ]
        for index, unit in enumerate(article.units):
            speaker = next((quote.speaker for quote in named if quote.start < unit.end and unit.start < quote.end), None)
            if speaker is not None:
                out[article.id, index] = speaker
    return out


def _one_speaker(speakers: dict[tuple[int, int], str], units: set[tuple[int, int]]) -> bool:
    """Whether the statements a fact would group are all one speaker's (or nobody's in
    particular): two people saying alike things are two statements, not one fact."""
    named = list(dict.fromkeys(speakers[u] for u in units if u in speakers))
    return all(same_person(x, y) or set(name_key(x)) & set(name_key(y)) for k, x in enumerate(named) for y in named[k + 1 :])


def _may_join(articles: list[Article], members: set[tuple[int, int]], new: set[tuple[int, int]], score: float) -> bool:
    """New units may join a fact if, in each article, they continue a passage the fact already
    holds there, or the article is new to the fact, or the link is strong."""
    if score >= STRONG:
        return True
    for a in {u[0] for u in new}:
        held = {u[1] for u in members if u[0] == a}
        if held and not _adjacent(articles[a], {u[1] for u in new if u[0] == a}, held):
            return False
    return True


def _mentions(articles: list[Article], members: set[tuple[int, int]], link: dict) -> list[Mention]:
    """One mention per run of adjacent units of one article."""
    mentions = []
    for a in sorted({u[0] for u in members}):
        article = articles[a]
        units = sorted(u[1] for u in members if u[0] == a)
        runs: list[list[int]] = [[units[0]]]
        for u in units[1:]:
            if u == runs[-1][-1] + 1:
                runs[-1].append(u)
            else:
                runs.append([u])
        for run in runs:
            start, end = article.units[run[0]].start, article.units[run[-1]].end
            score = max(link.get((a, u), 0.0) for u in run)
            mentions.append(Mention(a, start, end, article.text[start:end], round(score, 3)))
    return mentions


def _unique_facts(article: Article, facts: _Facts, on_story: set[int]) -> list[Fact]:
    out, run = [], []
    for index, unit in enumerate(article.units):
        key = (article.id, index)
        if key in facts.fact_of or (run and article.units[run[-1]].sentence != unit.sentence):
            if run:
                out.append(run)
            run = []
        if key not in facts.fact_of:
            run.append(index)
    if run:
        out.append(run)
    return [
        _fact(
            [Mention(article.id, article.units[r[0]].start, article.units[r[-1]].end,
                     article.text[article.units[r[0]].start : article.units[r[-1]].end], 1.0)],
            on_story,
        )
        for r in out
    ]


def _fact(mentions: list[Mention], on_story: set[int], *, score: float | None = None) -> Fact:
    covered = {m.article for m in mentions}
    status = "shared" if covered >= on_story else "partial" if len(covered) > 1 else "unique"
    return Fact(id="", status=status, mentions=mentions, score=None if score is None else round(score, 3))


@dataclass
class _Closest:
    """Each segment of one article, with the segment of another it scores best against."""

    segs: list[Segment]
    starts: list[int]  # of `segs`, which come in text order
    theirs: list[Segment]
    best: list[int]  # index into `theirs`, per segment of `segs`
    score: list[float]

    @staticmethod
    def of(segs: list[Segment], theirs: list[Segment], matrix: np.ndarray) -> _Closest:
        best = matrix.argmax(axis=1).tolist() if theirs else []
        score = matrix.max(axis=1).tolist() if theirs else []
        return _Closest(segs, [s.start for s in segs], theirs, best, score)


def _closest(tables: dict[tuple[int, int], _Scores]) -> dict[tuple[int, int], _Closest]:
    """Both ways for every pair of articles: (article, other) -> its segments' closest in other."""
    out = {}
    for (a, b), table in tables.items():
        out[a, b] = _Closest.of(table.segs_a, table.segs_b, table.matrix)
        out[b, a] = _Closest.of(table.segs_b, table.segs_a, table.matrix.T)
    return out


def _possible(fact: Fact, articles: list[Article], closest: dict[tuple[int, int], _Closest]) -> list[Mention]:
    """For each article that does not report the fact, its closest statement if near the threshold."""
    covered = set(fact.articles)
    found = []
    for other in range(len(articles)):
        if other in covered:
            continue
        best, best_seg = POSSIBLE, None
        for mention in fact.mentions:
            near = closest[mention.article, other]
            if not near.theirs:
                continue
            # the segments inside the mention, in text order: those starting in it that end in it too
            for i in range(bisect.bisect_left(near.starts, mention.start), bisect.bisect_right(near.starts, mention.end)):
                if near.segs[i].end <= mention.end and near.score[i] > best:
                    best, best_seg = near.score[i], near.theirs[near.best[i]]
        if best_seg is not None:
            text = articles[other].text[best_seg.start : best_seg.end]
            found.append(Mention(other, best_seg.start, best_seg.end, text, round(best, 3)))
    return found


class Aligner:
    """Pipeline component: fills `comparison.facts`."""

    name = "align"

    def __init__(self, scorer: PairScorer | None = None):
        self.scorer = scorer

    def __call__(self, comparison: Comparison) -> None:
        comparison.facts = align(comparison, self.scorer)
