"""What a value does in its sentence: the word it hangs from and how, from spaCy's dependency parse.

Conflicts need it where the words around two values do not tell whether they answer the same
question: "bought by private equity firm Brightwater Capital" and "taken over by rival snack group
Tavish Brands" share no word, but both names are the agent of the takeover; "discovered on March
29" and "announced the find yesterday" are two events, not two dates of one. Only the few
sentences that hold a candidate conflict are parsed, once each, so the stage stays cheap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .._models import Comparison, Slot
from ._spacy import parse

# Words that make a name part of a bigger noun phrase; the phrase's place in the sentence is the name's.
_INSIDE_PHRASE = frozenset({"compound", "appos", "amod", "nmod", "nummod", "quantmod", "flat"})
# Verbs of telling, not the whole of SPEECH_VERBS: "called a snap election for October 26" and
# "ordered an inquiry on Monday" date events.
_REPORTING = frozenset(
    """say says said tell tells told announce announces announced confirm confirms confirmed report reports
    reported state states stated add adds added reveal reveals revealed disclose discloses disclosed declare
    declares declared publish publishes published release releases released issue issues issued unveil
    unveils unveiled tweet tweets tweeted write writes wrote post posts posted""".split()
)


_PART_OF_PLACE = frozenset(
    "centre center heart outskirts edge north south east west streets town city village port district region capital".split()
)


# Verbs news uses for one event, in their written forms (the pipeline runs no lemmatizer, so
# irregular pasts are listed): "begin a strike on Monday" / "a walkout starting on October 22",
# "bought by Morrowair" / "Quillany Air has agreed to buy". Kept to verbs that name the event
# itself; reporting verbs are apart (`_REPORTING`), and broad ones ("take", "make") are left out.
_EVENT_VERBS = tuple(frozenset(group.split()) for group in (
    "begin begins began begun beginning start starts started starting commence commenced launch launched open opens opened opening",
    "resign resigned resigning quit quits quitting step stepped stepping",
    "buy buys bought buying acquire acquired acquiring purchase purchased purchasing",
    "find finds found finding discover discovered discovering uncover uncovered unearth unearthed",
    "kill kills killed killing die dies died dying",
    "hold holds held holding host hosts hosted hosting stage staged",
    "arrest arrested arresting detain detained detaining",
    "close closes closed closing shut shuts shutting",
    "cut cuts cutting eliminate eliminated eliminating axe axed shed",
    "win wins won winning",
    "score scores scored scoring net netted",
    "land lands landed landing",
    "build builds built building construct constructed",
    "sink sinks sank sunk sinking",
    "convict convicted sentence sentenced",
    "sign signs signed signing",
    "elect elected",
    "leave leaves left leaving depart departed",
    "arrive arrives arrived arriving reach reached",
    "release released free freed",
    "sack sacked fire fired dismiss dismissed",
))
# Verbs whose subject does what their complement says: "Quillany Air has agreed to buy".
_RAISING = frozenset("agree agreed agrees plan plans planned want wants wanted decide decided aim aims seek seeks sought try tries tried hope hopes expect expects intend intends move moved vote voted offer offered".split())


def event_groups(words: set[str]) -> set[int]:
    """The event-verb groups any of these words belongs to (a cheap filter before parsing)."""
    return {i for i, group in enumerate(_EVENT_VERBS) if words & group}


def in_event_group(word: str, group: int) -> bool:
    return word in _EVENT_VERBS[group]


def is_event_verb(word: str) -> bool:
    return any(word in group for group in _EVENT_VERBS)


def same_event_verb(a: str, b: str) -> bool:
    """Whether two head words name one event: the same word, or two of one group."""
    return a == b or any(a in group and b in group for group in _EVENT_VERBS)


@dataclass(frozen=True)
class Role:
    relation: str  # "agent", "nsubj", "dobj", "npadvmod", "prep:on", ...
    head: str  # the word it hangs from, lower-cased: "bought", "discovered"
    progressive: bool = False  # the head is a present progressive: "is clearing up today"

    @property
    def reporting(self) -> bool:
        """Whether the value dates or credits the report rather than the event ("announced ... yesterday")."""
        return self.head in _REPORTING


class Roles:
    """Roles of slots in one comparison, parsing each sentence at most once."""

    def __init__(self, comparison: Comparison) -> None:
        self._comparison = comparison
        self._docs: dict[tuple[int, int], object] = {}
        self._roles: dict[tuple[int, int, int], Role | None] = {}

    def of(self, slot: Slot) -> Role | None:
        if slot.field != "text":
            return None  # titles and captions are rarely sentences the parser reads well
        key = (slot.article, slot.start, slot.end)
        if key not in self._roles:
            self._roles[key] = self._role(slot)
        return self._roles[key]

    def _role(self, slot: Slot) -> Role | None:
        article = self._comparison.articles[slot.article]
        sentence = article.sentence_at(slot.start)
        if sentence is None:
            return None
        key = (article.id, sentence.start)
        if key not in self._docs:
            self._docs[key] = next(iter(parse([article.text[sentence.start : sentence.end]])))
        doc = self._docs[key]
        start, end = slot.start - sentence.start, slot.end - sentence.start
        inside = [t for t in doc if start <= t.idx < end]
        root = next((t for t in inside if t.head.i == t.i or not start <= t.head.idx < end), None)
        if root is None:
            return None
        while True:
            while root.dep_ in _INSIDE_PHRASE and root.head.i != root.i:
                root = root.head
            # "through the centre of Kostel", "the town of Vresk": the place is where the phrase is
            of = root.head if root.dep_ == "pobj" and root.head.text.lower() == "of" else None
            if of is None or of.head.text.lower() not in _PART_OF_PLACE or of.head.i == of.i:
                break
            root = of.head
        if root.dep_ == "pobj" and root.head.i != root.i:
            preposition = root.head
            relation = "agent" if preposition.dep_ == "agent" else "prep:" + preposition.text.lower()
            return Role(relation, _word(preposition.head.text), _progressive(preposition.head))
        head = root.head
        if root.dep_ == "nsubj" and head.text.lower() in _RAISING:
            head = next((c for c in head.children if c.dep_ == "xcomp"), head)
        return Role(root.dep_, _word(head.text), _progressive(head))


def _progressive(verb) -> bool:
    """"is clearing", "are bracing": the tagger is not loaded, so the form and its auxiliary tell."""
    return verb.text.lower().endswith("ing") and any(c.dep_ == "aux" and c.text.lower() in ("is", "are", "am") for c in verb.children)


def _word(text: str) -> str:
    return re.sub(r"[’']s$", "", text.lower())
