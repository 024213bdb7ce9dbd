"""Tests on names as values: whether two names of people, organisations or places answer one
question in two articles (`entity_conflict`), and what makes them no rivals (one inside the other,
a venue inside a town, a name the other article also uses, a name used as a modifier)."""

from __future__ import annotations

import functools
import re

from ..._models import Comparison, Slot
from .. import _places
from ...article._attribution import PERSON_ROLES
from .._roles import LOCATIVE, Roles, doer_event, event_groups
from ...article._speakers import is_acronym, spells_out
from .base import context_words


def entity_conflict(
    comparison: Comparison, kind: str, slots_a: list[Slot], slots_b: list[Slot], named_in: dict[int, set[str]],
    article_a: int, article_b: int, roles: Roles,
) -> tuple[Slot, Slot] | None:
    """A place or actor only one side names, where the other names a different one in the same
    role (words around it in common, or for the only name of its kind either side leaves
    unmatched, the same place in the parse: both the agent, both the subject), and neither article
    names the other's anywhere."""
    ea = [s for s in slots_a if s.kind == kind]
    eb = [s for s in slots_b if s.kind == kind]
    ids_a, ids_b = {s.value for s in ea}, {s.value for s in eb}
    lonely_a = [s for s in ea if s.value not in ids_b and not _named(comparison, s, article_b, named_in) and not _attributive(comparison, s)]
    lonely_b = [s for s in eb if s.value not in ids_a and not _named(comparison, s, article_a, named_in) and not _attributive(comparison, s)]
    best = None
    for a in lonely_a:
        for b in lonely_b:
            if kind == "actor" and a.parsed.type != b.parsed.type and not (
                _one_doer(roles.of(a), roles.of(b)) and not _modifies(comparison, a, ea) and not _modifies(comparison, b, eb)
            ):
                # both the doer of one event ('bought by Morrowair' / 'Quillany Air has agreed to buy'):
                # the recognizer's person-or-organisation guess for made-up names does not overrule that,
                # unless one only modifies the doer's name ("Ostrel captain Marek Holm")
                continue  # a person against an organisation: two roles, not two answers
            if kind == "place" and _is_venue(a.parsed.name) != _is_venue(b.parsed.name):
                continue  # "at Greymere Park" / "in Lindqvale": a venue inside a town, not another place
            shared = len(context_words(comparison, a) & context_words(comparison, b))
            # an actor needs two words of role in common ("claimed by a group called"), unless it is
            # the only name of its kind either side leaves unmatched
            alone = sum(x.parsed.type == a.parsed.type for x in lonely_a) == 1 and sum(x.parsed.type == b.parsed.type for x in lonely_b) == 1
            needed = 1 if kind == "place" or alone else 2
            if shared < needed and alone and _same_role(roles, a, b):
                shared = needed  # "bought by firm X" / "taken over by group Y"; "built outside X" / "to be built near Y"
            if shared < needed or (best is not None and shared <= best[0]):
                continue
            # checked last: for places it may load the gazetteer
            if _overlap(comparison, kind, a, b) or any(_overlap(comparison, kind, a, other) for other in eb) or any(
                _overlap(comparison, kind, b, other) for other in ea
            ):
                continue
            best = (shared, a, b)
    return (best[1], best[2]) if best else None


_VENUE_WORDS = frozenset(
    """park stadium arena airport bridge station hospital street road avenue square base hall centre center
    building tower school university college church mosque temple market mall court prison museum theatre
    theater hotel palace port harbour harbor terminal plant factory mine""".split()
)


_ROLES_THAT_ANSWER = frozenset({"agent", "nsubj", "nsubjpass", "dobj", "pobj", "attr"})


def _same_role(roles: Roles, a: Slot, b: Slot) -> bool:
    role_a, role_b = roles.of(a), roles.of(b)
    if role_a is None or role_b is None or role_a.reporting or role_b.reporting:
        return False  # "Brightwater said": a speaker, not the buyer
    if a.kind == "place" and {role_a.relation, role_b.relation} <= LOCATIVE:
        return True
    if a.kind == "actor" and _one_doer(role_a, role_b):
        # "bought by Morrowair" / "Quillany Air has agreed to buy", "a goal from Quist" / "Feld scored"
        return True
    return role_a.relation == role_b.relation and (role_a.relation in _ROLES_THAT_ANSWER or role_a.relation.startswith("prep:"))


def _one_doer(role_a, role_b) -> bool:
    """Both roles make their names the doer of one event (`_roles.doer_event`)."""
    return role_a is not None and role_b is not None and any(
        doer_event(role_a, group) and doer_event(role_b, group) for group in event_groups({role_a.head})
    )


def _is_venue(name: str) -> bool:
    words = name.lower().split()
    return bool(words) and words[-1] in _VENUE_WORDS


def _named(comparison: Comparison, slot: Slot, article: int, named_in: dict[int, set[str]]) -> bool:
    """Whether another article names the thing anywhere: as the same entity, or in the same words."""
    if slot.value in named_in[article]:
        return True
    name = slot.parsed.name
    pattern = r"\b" + re.escape(name) + r"\b"
    # the plain substring test first: most names are not there at all, and it is far cheaper than the scan
    return any(name in text and re.search(pattern, text) for _, text in comparison.articles[article].fields())


def _attributive(comparison: Comparison, slot: Slot) -> bool:
    """A name used as a modifier ("the Vessany capital", "Marisca's health ministry") names what
    something belongs to, not where or who: it competes with no other name."""
    if slot.kind != "place":
        return False
    text = comparison.articles[slot.article].field_text(slot.field)
    after = text[slot.end : slot.end + 3]
    return after.startswith(("'s", "’s")) or (
        text[max(0, slot.start - 4) : slot.start].lower() == "the " and bool(re.match(r" [a-z]", after))
    )


def _overlap(comparison: Comparison, kind: str, a: Slot, b: Slot) -> bool:
    """Whether two names can stand for one thing or one inside the other."""
    return _overlaps(comparison, kind, [a], [b])[0][0]


def _overlaps(comparison: Comparison, kind: str, xs: list[Slot], ys: list[Slot]) -> list[list[bool]]:
    """`_overlap` of each of `xs` with each of `ys`, what each name needs found once, not once per pair."""
    if kind == "place":
        contain = functools.cache(_places.may_contain)  # a test of the two names alone, which values repeat
        return [[contain(x.parsed.name, y.parsed.name) for y in ys] for x in xs]

    # actors by plain containment, so a people's name holds its country's ("Norvessan" / "Norvessa");
    # places need whole words ("Niger" is not in "Nigeria")
    lower_x, lower_y = [x.parsed.name.lower() for x in xs], [y.parsed.name.lower() for y in ys]

    # "CBK" / "the Central Bank of Korrin", where the recognizer kept only "Central Bank" (the text
    # after a name is read only when the other is an acronym)
    acronym_x, acronym_y = [is_acronym(x.parsed.name) for x in xs], [is_acronym(y.parsed.name) for y in ys]

    def spells(acronym: Slot, name: Slot) -> bool:
        return spells_out(acronym.parsed.name, _with_of_phrase(comparison, name))

    return [
        [lx in ly or ly in lx or (ax and spells(x, y)) or (ay and spells(y, x)) for y, ly, ay in zip(ys, lower_y, acronym_y)]
        for x, lx, ax in zip(xs, lower_x, acronym_x)
    ]


_OF_PHRASE = re.compile(r"\s+(?:of|for)\s+(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3}")


def _with_of_phrase(comparison: Comparison, slot: Slot) -> str:
    """A name with the "of ..." that completes it in the text: "Central Bank" -> "Central Bank of Korrin"."""
    text = comparison.articles[slot.article].field_text(slot.field)
    following = _OF_PHRASE.match(text, slot.end)
    return slot.parsed.name + (following.group(0) if following else "")


# Between a name and the name it modifies: its possessive and role words ("Ostrel captain", "Kestria's
# foreign minister"), never a conjunction or a verb ("Fenn and Holm", "Fenn beat Holm").
_ROLE_WORDS = "|".join(sorted(PERSON_ROLES | {"captain", "striker", "midfielder", "defender", "goalkeeper", "winger", "forward", "foreign", "finance", "defence", "defense", "prime", "deputy", "vice", "interior", "health", "club", "team", "firm", "company"}, key=len, reverse=True))
_MODIFIER_GAP = re.compile(r"(?:[’']s)?(?:\s+(?:" + _ROLE_WORDS + r")){1,3}\s+")


def _modifies(comparison: Comparison, slot: Slot, others: list[Slot]) -> bool:
    """Whether the name modifies a later name of its noun phrase: "Ostrel" in "Ostrel captain Marek Holm"."""
    text = comparison.articles[slot.article].field_text(slot.field)
    return any(
        o.field == slot.field and slot.end < o.start < slot.end + 40 and _MODIFIER_GAP.fullmatch(text, slot.end, o.start)
        for o in others
    )


def _phrase_heads(comparison: Comparison, slots: list[Slot]) -> list[Slot]:
    """Names that modify a later name of one noun phrase give way to it: in "Ostrel captain Marek
    Holm" the doer is Marek Holm, not his club."""
    return [s for s in slots if not _modifies(comparison, s, slots)]


