"""Stage: tensions. Statements in different facts, on one topic, that pull against each other:
one says an amount falls where another says it rises ("significantly reduced its forces" / "an
increase in the number of American forces"), or one says an outcome is coming where another says
it is unlikely ("serious about ... pullout" / "complete withdrawal remains unlikely").

No entailment model licensed for use exists offline here, so this works from cues: a lexicon of
direction and likelihood words (`resources/tension-cues.json`), negation just before a cue, and
the topic words around each cue (grouped: "troops" and "forces" are one topic). The score is a
hand-weighted confidence in [0, 1]: how much the two statements' topics overlap, whether the cues
are strong ("surge", "unlikely") or common ("will"), and whether two outlets are involved.

It catches opposite directions and opposite outlooks stated in so many words. It cannot catch a
contradiction that needs world knowledge or arithmetic ("the talks collapsed" / "the deal was
signed"), irony, or a tension spread over several sentences.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from .._models import Comparison, Mention, Tension
from ..resources import resource_path
from ._pairscore import stemmer, stopwords

MIN_SCORE = 0.55
MAX_TENSIONS = 20
WINDOW = 8  # words either side of a cue that say what it is about
_NEGATION = re.compile(r"\b(?:not|never|no|n't|nor|without|hardly)\s+(?:\w+\s+){0,2}$", re.I)
_WORDS = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


@dataclass(frozen=True)
class _Cue:
    axis: str  # direction | likelihood
    sign: int  # +1 up / likely, -1 down / unlikely
    words: str
    weak: bool
    start: int
    end: int
    topic: frozenset[str]


@lru_cache(maxsize=1)
def _lexicon() -> tuple[list[tuple[re.Pattern, str, int, bool, str]], dict[str, str]]:
    """Cues (pattern, axis, sign, weak, the phrase's first word in lower case) and topic groups."""
    data = json.loads(resource_path("tension-cues.json").read_text(encoding="utf-8"))
    weak = {w.lower() for w in data.get("weak", [])}
    cues = []
    for axis, signs in (("direction", {"up": 1, "down": -1}), ("likelihood", {"likely": 1, "unlikely": -1})):
        for side, sign in signs.items():
            for phrase in data[axis][side]:
                pattern = re.compile(r"\b" + re.escape(phrase).replace(r"\ ", r"\s+") + r"\b", re.I)
                cues.append((pattern, axis, sign, phrase.lower() in weak, phrase.split()[0].lower()))
    cues.sort(key=lambda c: -len(c[0].pattern))  # longest first: "remains unlikely" before "unlikely"
    topics = {}
    for group in data["topics"]:
        for word in group:
            topics[word.lower()] = group[0]
    return cues, topics


def topic_of(word: str) -> str | None:
    """The topic group a word names ("troops", "forces" -> "troops"; "died", "dead" -> "deaths")."""
    return _lexicon()[1].get(word.lower())


def _topic_words(text: str, start: int, end: int, cue_spans: list[tuple[int, int]]) -> frozenset[str]:
    """Content words within WINDOW words of a cue, as topic names or stems."""
    _, topics = _lexicon()
    stop, stem = stopwords(), stemmer().stemWord
    before = [m for m in _WORDS.finditer(text, 0, start)][-WINDOW:]
    after = [m for m in _WORDS.finditer(text, end)][:WINDOW]
    out = set()
    for match in before + after:
        if any(s <= match.start() < e for s, e in cue_spans):
            continue
        word = match.group(0).lower().replace("’", "'")
        if word in stop or len(word) < 3:
            continue
        out.add(topics.get(word) or stem(word))
    return frozenset(out)


# Characters that a lower-case ASCII letter matches under re.IGNORECASE but that lower() does not
# turn into it: folded first, so that a cue's first word is in the folded text whenever it matches.
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})


def find_cues(text: str) -> list[_Cue]:
    cues, topics = _lexicon()
    folded = text.translate(_FOLD).lower()
    taken: list[tuple[int, int]] = []
    found = []
    for pattern, axis, sign, weak, first_word in cues:
        if first_word not in folded:  # cannot match; most cues are absent from most statements
            continue
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            taken.append(match.span())
            found.append((match, axis, sign, weak))
    out = []
    for match, axis, sign, weak in sorted(found, key=lambda f: f[0].start()):
        if _NEGATION.search(text[max(0, match.start() - 30) : match.start()]):
            sign = -sign
        topic = _topic_words(text, match.start(), match.end(), taken)
        own = topics.get(match.group(0).lower())
        if own and axis == "likelihood":
            topic = topic | {own}
        out.append(_Cue(axis, sign, match.group(0), weak, match.start(), match.end(), topic))
    return out


def _score(a: _Cue, b: _Cue, cross_outlet: bool) -> float:
    shared = a.topic & b.topic
    overlap = len(shared) / max(1, min(len(a.topic), len(b.topic)))
    strength = 1.0 - 0.25 * (a.weak + b.weak)
    return round(min(1.0, 0.2 + 0.4 * overlap + 0.2 * strength + 0.2 * cross_outlet), 3)


def _near(comparison: Comparison, a: Mention, b: Mention) -> bool:
    """Two statements of one article within two sentences of each other: one passage, often one
    speaker setting a claim against his answer to it, not two accounts that disagree."""
    if a.article != b.article or a.field != b.field or a.field != "text":
        return False
    starts = [s.start for s in comparison.articles[a.article].sentences]
    return abs(bisect_right(starts, a.start) - bisect_right(starts, b.start)) <= 2


def find_tensions(comparison: Comparison) -> list[Tension]:
    _, topics = _lexicon()
    group_names = set(topics.values())
    statements: list[tuple[str, Mention, list[_Cue]]] = []
    for fact in comparison.facts:
        for mention in fact.mentions:
            text = comparison.articles[mention.article].field_text(mention.field)[mention.start : mention.end]
            cues = find_cues(text)
            if cues:
                statements.append((fact.id, mention, cues))
    candidates = []
    for i, (fact_a, mention_a, cues_a) in enumerate(statements):
        for fact_b, mention_b, cues_b in statements[i + 1 :]:
            if fact_a == fact_b or _near(comparison, mention_a, mention_b):
                continue
            best = None
            for a in cues_a:
                for b in cues_b:
                    if a.axis != b.axis or a.sign == b.sign or a.weak and b.weak:
                        continue
                    shared = a.topic & b.topic
                    # a shared topic must be a named topic or two words, not one stray stem
                    if not (shared & group_names) and len(shared) < 2:
                        continue
                    score = _score(a, b, mention_a.article != mention_b.article)
                    if best is None or score > best[0]:
                        best = (score, a, b, shared)
            if best and best[0] >= MIN_SCORE:
                candidates.append((best, fact_a, mention_a, fact_b, mention_b))
    candidates.sort(key=lambda c: (-c[0][0], c[2].article, c[2].start, c[4].article, c[4].start))
    tensions = []
    for (score, a, b, shared), fact_a, mention_a, fact_b, mention_b in candidates[:MAX_TENSIONS]:
        first, second = (a, b) if a.sign < b.sign else (b, a)
        cue = f"{first.words.lower()} vs {second.words.lower()}"
        topic = ", ".join(sorted(shared & group_names) or sorted(shared))
        tensions.append(Tension(
            f"n{len(tensions) + 1}", _statement(mention_a), _statement(mention_b), score, cue, topic, (fact_a, fact_b)
        ))
    return tensions


def _statement(mention: Mention) -> Mention:
    """The statement, as its fact mention without the alignment score and slots it carries there."""
    return Mention(mention.article, mention.start, mention.end, mention.text, field=mention.field)


class TensionFinder:
    """Pipeline component: `Comparison.tensions`."""

    name = "tensions"

    def __call__(self, comparison: Comparison) -> None:
        comparison.tensions = find_tensions(comparison)
