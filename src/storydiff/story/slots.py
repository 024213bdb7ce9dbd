"""Stage: slots. The values each fact mention states, so later stages can compare them: quantities
with what they count, dates placed against the publication date and against other dates in the
text, places and actors (the resolved entities) and the intermediaries quotations are credited to.

Every article gets `Article.slots` (its dates and quantities, in body, title and captions); every
fact mention gets the slots inside it in `Mention.slots`.
"""

from __future__ import annotations

import bisect
import re

from .._models import Article, Comparison, Entity, Slot
from ..article.values import number_text as _number_text
from ..article._values import MONTHS, WEEKDAYS

PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})
ACTOR_TYPES = frozenset({"PERSON", "ORG"})
_PLACE_BEFORE = re.compile(r"\b(?:in|near|outside|through|across|around)\s+$")


def article_slots(article: Article) -> list[Slot]:
    """The dates and quantities the `values` stage found in an article, as slots of this story."""
    slots: list[Slot] = []
    for field, d in article.dates:
        slots.append(Slot(
            "date", article.id, d.start, d.end, d.text, d.value.iso(), field, resolved=d.value.resolved, how=d.how, parsed=d.value,
        ))
    for field, q in article.quantities:
        slots.append(Slot(
            "quantity", article.id, q.start, q.end, q.text, _number_text(q.value), field,
            unit=q.unit, counted=q.counted, low=q.low, high=q.high, parsed=q,
        ))
    return slots


def entity_slots(comparison: Comparison) -> dict[int, list[Slot]]:
    """Places and actors: every place where a resolved entity is named, per article."""
    out: dict[int, list[Slot]] = {a.id: [] for a in comparison.articles}
    for entity in comparison.entities:
        kind = "place" if entity.type in PLACE_TYPES else "actor" if entity.type in ACTOR_TYPES else None
        if kind is None:
            continue
        for m in entity.mentions:
            if m.kind == "description":
                continue
            text = comparison.articles[m.article].field_text(m.field)
            # the recognizer often takes an unknown town for an organisation or a person: "detained in
            # Corvel", "a summit held in Vel Astra" (not "in Okafor's view")
            at_place = (
                entity.type in ("ORG", "PERSON")
                and _PLACE_BEFORE.search(text, max(0, m.start - 12), m.start)
                and not text.startswith(("'s", "’s"), m.end)
            )
            out[m.article].append(Slot("place" if at_place else kind, m.article, m.start, m.end, m.text, entity.id, m.field, parsed=entity))
    return out


# Up to three capitalised words: "Pennick Bay", "Vel Astra".
_PLACE_NAME = r"(?P<name>[A-Z][\w'’-]+(?:[^\S\n]+[A-Z][\w'’-]+){0,2})"
# "the fishing town of Pennick Bay", "the village of Kestrow", "the centre of Piltrow": a place even
# when the recognizer misses it; "a plant near Sarnet", "a camp outside Velmoor": names after these
# are places, known or not.
_DESCRIBED_PLACE = re.compile(
    r"\b(?:(?:town|village|city|port|district|province|region|county|suburb|island|hamlet|municipality|state"
    r"|centre|center|outskirts|heart|streets|edge)\s+of"
    r"|near|outside"
    r"|capital(?:,(?=\s+[A-Z][\w'’-]+(?:[^\S\n]+[A-Z][\w'’-]+){0,2}\s*,)|(?=\s+[A-Z])))\s+"  # "the Halmurian capital, Yskar,"
    + _PLACE_NAME
    # "Corvane, the Tessarin capital,": the name before its description
    + r"|(?<![\w'’-])" + _PLACE_NAME.replace("?P<name>", "?P<before>")
    + r",\s+the\s+(?:[A-Z][\w-]*\s+|[a-z]+\s+){0,2}(?:capital|port\s+city|border\s+town|market\s+town)\b(?![’'])"
)
# Where something goes or takes place: "diverted to Haldenport", "will move to Valka", "a summit held
# in Dunmere". Names after these are places only where the recognizer saw nothing else in them
# ("moved to Chelsea" the club, "held in Parliament", "built in Python" stay what it says).
_PLACE_AFTER_VERB = re.compile(
    r"\b(?:(?:divert|diverted|move|moved|moving|relocate|relocated|relocating|flew|flown|fly|sailed|evacuated|transferred|airlifted|rerouted)\s+to"
    r"|(?:held|hosted|staged|built|opened)\s+in)\s+" + _PLACE_NAME
)
# Words that open a sentence before a name, never part of it ("In Yskar, the capital, ...").
_SENTENCE_OPENERS = frozenset({"in", "at", "on", "the", "from", "to", "near"})


def described_places(article: Article, taken: list[Slot]) -> list[Slot]:
    out = []
    for field, text in article.fields():
        found = [(m, True) for m in _DESCRIBED_PLACE.finditer(text)] + [(m, False) for m in _PLACE_AFTER_VERB.finditer(text)]
        for match, described in found:
            group = "name" if match.group("name") else "before"
            start, end = match.span(group)
            words = match.group(group).split()
            if words[0].lower() in _SENTENCE_OPENERS:
                if len(words) == 1:
                    continue
                start += len(words[0]) + 1
                words = text[start:end].split()
            if words[0].lower() in MONTHS or words[0].lower() in WEEKDAYS:  # "outside March", "moved to Friday": a time
                continue
            if any(s.field == field and s.start < end and start < s.end and (s.kind == "place" or not described) for s in taken + out):
                continue  # already a place; after a verb, anything the recognizer named stays what it named
            name = text[start:end]
            place = Entity(id=f"place:{name}", type="GPE", name=name)
            out.append(Slot("place", article.id, start, end, name, place.id, field, parsed=place))
    return out


# A title or trade before a two- or three-word name: "Foreign Minister Renata Cassaro", "novelist
# Céline Lenoir", "striker Tomas Vrell". The small recognizer misses many unfamiliar names; after
# such a word they are people, known or not.
_TITLED_PERSON = re.compile(
    r"\b(?:[Mm]inister|[Pp]resident|[Pp]remier|[Cc]hancellor|[Mm]ayor|[Gg]overnor|[Jj]udge|[Ss]enator|[Ss]ecretary"
    r"|[Nn]ovelist|[Aa]uthor|[Ww]riter|[Pp]oet|[Aa]rtist|[Ss]triker|[Mm]idfielder|[Dd]efender|[Gg]oalkeeper|[Cc]aptain"
    r"|[Cc]oach|[Ff]armer|[Tt]eacher|[Ff]isherman|[Oo]fficer|[Dd]irector|[Cc]hairman|[Cc]hairwoman|[Ss]pokes(?:man|woman|person)"
    r"|Dr\.?|Mr\.?|Mrs\.?|Ms\.?|Prof\.?)\s+(?P<name>[A-Z][\w'’-]+(?:[^\S\n]+[A-Z][\w'’-]+){1,2})"
)


def titled_people(article: Article, taken: list[Slot]) -> list[Slot]:
    """People the recognizer missed, named after a title or trade."""
    out = []
    for field, text in article.fields():
        for match in _TITLED_PERSON.finditer(text):
            start, end = match.span("name")
            if any(s.field == field and s.start < end and start < s.end for s in taken + out):
                continue
            name = match.group("name")
            person = Entity(id=f"person:{name}", type="PERSON", name=name)
            out.append(Slot("actor", article.id, start, end, name, person.id, field, parsed=person))
    return out


# A group introduced by its chosen name: "a group calling itself the Northern Dawn Front", "a
# group called the Sons of the Ridge". The recognizer often keeps only part of such a name ("Ridge").
_GROUP_NOUN = r"(?:group|organi[sz]ation|faction|movement|collective|network|militia|cell|outfit|gang|coalition|alliance)"
_NAMED_GROUP = re.compile(
    # "called" and "named" are verbs as often ("the coalition called Tuesday's vote a sham"): only after "a"
    r"(?:\b" + _GROUP_NOUN + r"\s+(?:calling\s+(?:itself|themselves)|known\s+as)"
    r"|\b[Aa]n?\s+(?:[\w-]+\s+){0,2}?" + _GROUP_NOUN + r"\s+(?:called|named|dubbed))\s+(?:the\s+)?"
    r"(?P<name>[A-Z][\w'’-]+(?:[^\S\n]+(?:[A-Z][\w'’-]+|of(?:[^\S\n]+the)?(?=[^\S\n]+[A-Z]))){0,4})"
)


def named_groups(article: Article) -> list[Slot]:
    """Groups named as they name themselves, whole."""
    out = []
    for field, text in article.fields():
        for match in _NAMED_GROUP.finditer(text):
            start, end = match.span("name")
            name = match.group("name")
            first = name.split()[0].lower().rstrip("'’s")
            if first in MONTHS or first in WEEKDAYS or text.startswith(("'s", "’s"), end) or re.match(r"\s+as\b", text[end:]):
                continue  # "a group named Friday's ...", "named Anne Hidalgo as its leader": no group's name
            group = Entity(id=f"group:{name}", type="ORG", name=name)
            out.append(Slot("actor", article.id, start, end, name, group.id, field, parsed=group))
    return out


def intermediary_slots(article: Article) -> list[Slot]:
    """Where a quotation's intermediary is written ("told Kuwait's al-Sabah newspaper")."""
    out = []
    for quote in article.quotes:
        if not quote.via:
            continue
        window_start = max(0, min(quote.start, quote.speaker_start or quote.start) - 250)
        window_end = min(len(article.text), quote.end + 250)
        found = [m for m in re.finditer(re.escape(quote.via), article.text[window_start:window_end])]
        if not found:
            continue
        # the occurrence nearest the quotation
        middle = (quote.start + quote.end) / 2 - window_start
        best = min(found, key=lambda m: abs((m.start() + m.end()) / 2 - middle))
        start, end = window_start + best.start(), window_start + best.end()
        if not any(s.start == start for s in out):  # quotes that share one credit ("He added") share its slot
            out.append(Slot("intermediary", article.id, start, end, quote.via, quote.via, parsed=quote))
    return out


class SlotFinder:
    """Pipeline component: `Article.slots` and each fact mention's `Mention.slots`."""

    name = "slots"

    def __call__(self, comparison: Comparison) -> None:
        by_entity = entity_slots(comparison)
        for article in comparison.articles:
            groups = named_groups(article)
            # the whole of a group's name, not the recognizer's part of it ("Ridge" in "the Sons of the Ridge")
            named = [s for s in by_entity[article.id] if not any(g.field == s.field and g.start < s.end and s.start < g.end for g in groups)]
            named += groups
            described = described_places(article, named)
            # "the town of Grenvik": a place, whatever the recognizer took it for
            named = [s for s in named if not any(d.field == s.field and d.start < s.end and s.start < d.end for d in described)]
            titled = titled_people(article, named + described)
            article.slots = sorted(
                article_slots(article) + named + described + titled + intermediary_slots(article),
                key=lambda s: (s.field != "text", s.field, s.start, s.end),
            )
        by_field = {article.id: slots_by_field(article.slots) for article in comparison.articles}
        for fact in comparison.facts:
            for mention in fact.mentions + fact.possible:
                mention.slots = slots_in(by_field[mention.article].get(mention.field, ([], [])), mention.start, mention.end)


def slots_in(field_slots: tuple[list[int], list[Slot]], start: int, end: int) -> list[Slot]:
    """The slots starting inside [start, end) of one field's (starts, slots) from slots_by_field."""
    starts, slots = field_slots
    return slots[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)]


def slots_by_field(slots: list[Slot]) -> dict[str, tuple[list[int], list[Slot]]]:
    """An article's slots (in `Article.slots` order: by field, then start) by field, each field's
    with their starts, so the slots inside a mention are one slice."""
    out: dict[str, tuple[list[int], list[Slot]]] = {}
    for slot in slots:
        starts, held = out.setdefault(slot.field, ([], []))
        starts.append(slot.start)
        held.append(slot)
    return out
