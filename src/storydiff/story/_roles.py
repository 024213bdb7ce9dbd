"""What a value does in its sentence: the word it hangs from and how, from spaCy's dependency parse.

Conflicts need it where the words around two values do not tell whether they answer the same
question: "bought by private equity firm Brightwater Capital" and "taken over by rival snack group
Tavish Brands" share no word, but both names are the agent of the takeover; "discovered on March
29" and "announced the find yesterday" are two events, not two dates of one. Only the few
sentences that hold a candidate conflict are parsed, once each, so the stage stays cheap.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from .._models import Comparison, Slot
from ..resources import resource_path
from ..article._spacy import parse

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


@lru_cache(maxsize=1)
def _event_words() -> tuple[tuple[frozenset[str], frozenset[str], frozenset[str]], ...]:
    """The event groups of `resources/event-words.json`: (verbs, nouns, how a noun names its doer) each."""
    data = json.loads(resource_path("event-words.json").read_text(encoding="utf-8"))
    return tuple(
        (frozenset(g["verbs"].split()), frozenset(g["nouns"].split()), frozenset(g.get("noun_doers", "prep:by").split()))
        for g in data["groups"]
    )


@lru_cache(maxsize=1)
def _groups_by_word() -> dict[str, frozenset[int]]:
    """Each event word's groups, built once from `_event_words`."""
    index: dict[str, set[int]] = {}
    for i, (verbs, nouns, _) in enumerate(_event_words()):
        for word in verbs | nouns:
            index.setdefault(word, set()).add(i)
    return {word: frozenset(groups) for word, groups in index.items()}


# Verbs whose particle makes the event, read as one word: "taken over by X" is not "taken to
# hospital by X", "stepped down" is not "stepped up patrols".
_PHRASAL = (
    (frozenset({"take", "takes", "took", "taken", "taking"}), "over", "takeover"),
    (frozenset({"step", "steps", "stepped", "stepping"}), "down", "stepdown"),
    # "headed home a corner", "headed in the winner": a goal, not "headed the company" or "headed home
    # after the final" (these need their object: `_NEEDS_OBJECT`)
    (frozenset({"head", "heads", "headed", "heading"}), "home", "headhome"),
    (frozenset({"head", "heads", "headed", "heading"}), "in", "headhome"),
)
_NEEDS_OBJECT = frozenset({"headhome"})


def with_phrasal_words(words: set[str]) -> set[str]:
    """A sentence's words with the phrasal verbs they may hold ("taken ... over" -> "takeover"),
    for the cheap filter before parsing; the parse then confirms the particle (`_head_word`)."""
    return words | {joined for verbs, particle, joined in _PHRASAL if particle in words and words & verbs}


_WHERE = frozenset({"in", "at", "near", "outside", "inside"})
# Prepositions that place something: "outside X" and "near Y" answer one question.
LOCATIVE = frozenset({"prep:in", "prep:at", "prep:near", "prep:outside", "prep:off", "prep:through", "prep:inside", "prep:on", "prep:to", "prep:into"})
_NAMING = frozenset("calling called named known dubbed styling styled".split())
# Verbs whose subject does what their complement says: "Quillany Air has agreed to buy".
_RAISING = frozenset("agree agreed agrees plan plans planned want wants wanted decide decided aim aims seek seeks sought try tries tried hope hopes expect expects intend intends move moved vote voted offer offered".split())


def event_groups(words: set[str]) -> set[int]:
    """The event groups any of these words belongs to (a cheap filter before parsing)."""
    index = _groups_by_word()
    return {group for word in words for group in index.get(word, ())}


def in_event_group(word: str, group: int) -> bool:
    return group in _groups_by_word().get(word, ())


def same_event_word(a: str, b: str) -> bool:
    """Whether two head words name one event: the same word, or two of one group."""
    index = _groups_by_word()
    return a == b or bool(index.get(a, frozenset()) & index.get(b, frozenset()))


def doer_event(role: "Role | None", group: int) -> bool:
    """Whether a role makes its name the doer of an event of the group: the subject or passive
    agent of one of its verbs, or "by" one of its nouns ("an arrest by X"), or another link the
    group allows ("a goal from Tobin Quist", "Jonas Brekke's free kick")."""
    if role is None or role.reporting:
        return False
    verbs, nouns, noun_doers = _event_words()[group]
    if role.relation in ("agent", "nsubj"):
        return role.head in verbs
    return role.relation in noun_doers and role.head in nouns


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

    def parse_ahead(self, slots: Iterable[Slot]) -> None:
        """Parses the sentences of `slots` that `of` would parse, all in one batch: spaCy parses a
        batch for about a third less than its sentences one by one, and each the same either way."""
        texts: dict[tuple[int, int], str] = {}
        for slot in slots:
            if slot.field != "text":
                continue
            article = self._comparison.articles[slot.article]
            sentence = article.sentence_at(slot.start)
            if sentence is not None and (article.id, sentence.start) not in self._docs:
                texts[article.id, sentence.start] = article.text[sentence.start : sentence.end]
        if texts:  # an empty batch would still load spaCy
            self._docs.update(zip(texts, parse(list(texts.values()))))

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
            # "a group calling itself Grey Lantern", "a group known as Black Meridian": the name is the group
            naming = root.head.head if root.dep_ == "pobj" and root.head.text.lower() == "as" else root.head
            if naming.text.lower() in _NAMING and naming.dep_ == "acl" and naming.i != root.i:
                root = naming.head
                continue
            # "through the centre of Kostel", "the town of Vresk": the place is where the phrase is
            of = root.head if root.dep_ == "pobj" and root.head.text.lower() == "of" else None
            if of is None or of.head.text.lower() not in _PART_OF_PLACE or of.head.i == of.i:
                break
            root = of.head
        if root.dep_ == "pobj" and root.head.i != root.i:
            preposition = root.head
            # "detained at a rented flat in Corvel": where the flat is, the detention was
            while (
                preposition.text.lower() in _WHERE and preposition.head.dep_ == "pobj"
                and preposition.head.head.text.lower() in _WHERE and preposition.head.head.i != preposition.i
            ):
                preposition = preposition.head.head
            relation = "agent" if preposition.dep_ == "agent" else "prep:" + preposition.text.lower()
            return Role(relation, _head_word(preposition.head), _progressive(preposition.head))
        head = root.head
        if root.dep_ == "nsubj" and head.text.lower() in _RAISING:
            head = next((c for c in head.children if c.dep_ == "xcomp"), head)
        return Role(root.dep_, _head_word(head), _progressive(head))


def _progressive(verb) -> bool:
    """"is clearing", "are bracing": the tagger is not loaded, so the form and its auxiliary tell."""
    return verb.text.lower().endswith("ing") and any(c.dep_ == "aux" and c.text.lower() in ("is", "are", "am") for c in verb.children)


def _head_word(token) -> str:
    """The head's word, joined with its particle where that makes the event (`_PHRASAL`)."""
    word = _word(token.text)
    particles = {c.text.lower() for c in token.children if c.dep_ in ("prt", "advmod")}  # the parser says either
    joined = next((joined for verbs, particle, joined in _PHRASAL if word in verbs and particle in particles), word)
    if joined in _NEEDS_OBJECT and not any(c.dep_ == "dobj" for c in token.children):
        return word
    return joined


def _word(text: str) -> str:
    return re.sub(r"[’']s$", "", text.lower())
