"""Reported speech found by spaCy's dependency parser, where attribution patterns cannot reach.

    "... after CNBC reported that the mood in Beijing was pessimistic."      mid-sentence verb
    "It did not reveal the location and said it was withholding the names"  subject shared with an earlier verb
    "... led the French manufacturer to announce it would scrap its production"  subject is another verb's object
    "Big Machine has denied doing anything wrong"                             gerund content

The patterns of `_attribution.py` find attributions that open or close a sentence; these need the
sentence's structure: a reporting verb with a clausal complement (`ccomp`) is speech, the
complement is what was said, and the verb's subject, or the subject it shares, is who said it.
The parser costs about as much as the recognizer per sentence, so quote extraction runs it only on
sentences holding a reporting verb that the patterns left unexplained (outside quotation marks,
outside every attribution they completed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .._models import Article, Sentence
from ._attribution import SPEECH_VERBS
from ._spacy import parse

# Inflected reporting verbs of the patterns plus their base forms ("say they show", "to announce
# it would"). Directives are left out ("asked / urged / called on X to ..." report a request, not
# a statement), as are "continued" and "posted", whose complements are rarely speech.
_BASE_FORMS = """say tell add note state warn explain announce claim deny report confirm admit reveal insist argue
acknowledge recognize indicate predict suggest estimate allege tweet write conclude hint testify maintain disclose
stress emphasize emphasise caution vow pledge promise concede reiterate recall declare assert contend""".split()
_NOT_STATEMENTS = {"wondered", "asked", "asks", "urged", "urges", "called", "ordered", "continued", "posted", "chanted", "chant", "described", "describes"}
# Verbs whose statement may be a gerund: "denied being unfair", "admitted taking the money".
_GERUND_VERBS = frozenset("deny denies denied denying admit admits admitted admitting".split())
# "accused Big Machine of trying to stop her": the accusation is the gerund after "of".
_ACCUSING = frozenset("accuse accuses accused accusing".split())
REPORTING_VERBS = frozenset(v for v in SPEECH_VERBS.split("|") if " " not in v and v not in _NOT_STATEMENTS) | frozenset(
    _BASE_FORMS + "asserted contended asserts contends reiterates recalls".split()
) | _GERUND_VERBS | _ACCUSING
_CANDIDATE = re.compile(r"\b(?:" + "|".join(sorted(REPORTING_VERBS, key=len, reverse=True)) + r")\b", re.IGNORECASE)
_RELATIVE = frozenset("who which that".split())
MIN_WORDS = 3  # "the man died", "Kimberly was expecting"


@dataclass(frozen=True)
class Clause:
    """One reported statement: character spans in the article's text."""

    verb: tuple[int, int]
    speaker: tuple[int, int] | None
    content: tuple[int, int]
    apposition: tuple[int, int] | None = None  # "Big Machine" in "The group that owns ..., Big Machine, says"


def candidate_verbs(text: str, start: int, end: int) -> list[int]:
    """Where reporting verbs stand in text[start:end]."""
    return [m.start() for m in _CANDIDATE.finditer(text, start, end)]


def reported_clauses(article: Article, sentences: list[Sentence]) -> list[Clause]:
    """Reported statements in the given sentences of an article's body, outermost only ("the
    office said a clerk recalled that ..." is the office's statement)."""
    text = article.text
    starts = [_after_dateline(text, s.start, s.end) for s in sentences]
    clauses: list[Clause] = []
    for start, doc in zip(starts, parse(text[a : s.end] for a, s in zip(starts, sentences))):
        covered = -1  # tokens up to here belong to a statement already found (nested speech)
        for token in doc:
            if token.i <= covered or token.text.lower() not in REPORTING_VERBS:
                continue
            complement = _complement(token)
            if complement is None:
                continue
            first, last = complement.left_edge, complement.right_edge
            while first.i < last.i and (first.is_punct or first.lower_ == "that" and first.dep_ == "mark"):
                first = doc[first.i + 1]
            while last.i > first.i and last.is_punct and last.text not in "”\"’)":
                last = doc[last.i - 1]
            if first.i <= token.i or last.i - first.i + 1 < MIN_WORDS:
                continue
            covered = last.i
            offset = start
            subject = _subject(token)
            speaker, apposition = (_noun_phrase(subject), _apposition(subject)) if subject is not None else (None, None)
            clauses.append(Clause(
                (offset + token.idx, offset + token.idx + len(token)),
                _shift(speaker, offset),
                (offset + first.idx, offset + last.idx + len(last)),
                _shift(apposition, offset),
            ))
    return clauses


# "BERLIN (AP) — ", "HANOI, Vietnam (AP) — ": a dateline parses as the sentence's subject.
_DATELINE = re.compile(r"[A-Z][A-Z .'-]{2,}(?:,\s*[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,2})?\s*(?:\([^()]{1,30}\)\s*)?[—–-]+\s*")


def _after_dateline(text: str, start: int, end: int) -> int:
    match = _DATELINE.match(text, start, end)
    return match.end() if match else start


def _complement(verb):
    """The clause a reporting verb introduces: "said [it was ...]", "denied [doing anything wrong]",
    "accused them of [trying to stop her]"."""
    for child in verb.children:
        if child.i > verb.i and child.dep_ == "ccomp":
            return child
        if child.i > verb.i and child.dep_ == "xcomp" and verb.lower_ in _GERUND_VERBS and child.text.endswith("ing"):
            return child
        if child.i > verb.i and child.dep_ == "prep" and child.lower_ == "of" and verb.lower_ in _ACCUSING:
            return next((c for c in child.children if c.dep_ == "pcomp" and c.text.endswith("ing")), None)
    return None


def _shift(span: tuple[int, int] | None, offset: int) -> tuple[int, int] | None:
    return (span[0] + offset, span[1] + offset) if span else None


def _subject(verb):
    """Who speaks: the verb's subject; for a verb sharing its subject ("did not reveal ... and said")
    the first verb's, also through a preposition ("after accusing"); for a relative clause ("the
    group, which says ...") the noun it hangs on; for "led the manufacturer to announce" the object
    of the verb it completes."""
    for _ in range(4):  # a few steps up a chain of coordinated verbs, never a loop
        for child in verb.children:
            if child.dep_ == "nsubj" and child.i < verb.i:
                if child.lower_ in _RELATIVE and verb.dep_ == "relcl":
                    return verb.head
                return child
        if verb.dep_ == "xcomp":
            objects = [c for c in verb.head.children if c.dep_ == "dobj" and c.i < verb.i]
            if objects:
                return objects[-1]
        if verb.dep_ == "pcomp" and verb.head.dep_ == "prep":
            verb = verb.head.head  # "Swift got support after accusing them of ...": Swift accused
            continue
        if verb.dep_ not in ("conj", "xcomp", "advcl") or verb.head is verb:
            return None
        verb = verb.head
    return None


def _noun_phrase(noun) -> tuple[int, int]:
    """The words of a subject up to its head noun, and its coordinated partners ("Kevin King and
    Timothy Weeks"); appositions and relative clauses after it are left out."""
    end = noun.idx + len(noun)
    for child in noun.children:
        if child.dep_ == "conj" and child.i > noun.i:
            end = child.idx + len(child)
        elif child.dep_ == "prep" and child.i == noun.i + 1 and child.lower_ in ("of", "on", "for") and noun.text[:1].isupper():
            # a name that runs on: "The National Institute on Drug Abuse"
            tail = list(child.subtree)[1:]
            if tail and all(t.text[:1].isupper() or t.lower_ in ("of", "and", "the", "for", "on") for t in tail):
                end = tail[-1].idx + len(tail[-1])
    return noun.left_edge.idx if noun.left_edge.i <= noun.i else noun.idx, end


def _apposition(noun) -> tuple[int, int] | None:
    """A capitalised apposition after the subject: the name a description stands for."""
    for child in noun.children:
        if child.dep_ == "appos" and child.i > noun.i and child.text[:1].isupper():
            return child.left_edge.idx, child.idx + len(child)
    return None
