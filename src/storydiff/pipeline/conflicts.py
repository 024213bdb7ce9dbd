"""Stage: conflicts. Inside each fact two or more outlets report, the values they give for the same
slot (a number, a date, a place, an actor) that cannot both be true; numbers also between
statements alignment kept apart but linked weakly, since a different number is often what kept
them apart; and, for one speaker's words, the different intermediaries outlets credit them to.

What does not conflict: values the wording allows to be one ("at least four" / "four", "January" /
"January 5", "about 7,500" / "7,480", "12 kilometres" / "7.5 miles", "Lyon" / "France"); values
only one side gives (an omission, not a disagreement); a name the other outlet also uses elsewhere
in its article (it knows the thing, it attaches it to another clause).
"""

from __future__ import annotations

import re
from itertools import combinations

from .._models import Comparison, Conflict, Fact, Slot, article_labels
from . import _places
from ._conflict_model import Candidate, ConflictModel, candidates, conflict_model, score_candidates
from ._attribution import PERSON_ROLES
from ._pairscore import stemmer, stopwords
from ._roles import LOCATIVE, Roles, doer_event, event_groups, in_event_group, same_event_word, with_phrasal_words
from ._speakers import name_key, names_nest, similar_names, spells_out
from .quote_groups import same_credit
from .tensions import topic_of
from ._values import NUMBER_WORDS, PHYSICAL, comparable, quantities_agree, singular

_WORD = re.compile(r"[A-Za-z][\w'’-]*")


def _by_article(fact: Fact) -> dict[int, list[Slot]]:
    """The slots of each article's mentions of a fact."""
    return {article: [s for m in mentions for s in m.slots] for article, mentions in fact.by_article().items()}


def _quantities_comparable(comparison: Comparison, a: Slot, b: Slot) -> bool:
    """Two quantities are about the same thing when their units match and what they count shares
    a word ("7,500 foreign troops" / "7,480 troops"); without a counted word on a side, when the
    words around them share one ("sales of about $5.4 billion" is not "a deal worth $2 billion")."""
    qa, qb = a.parsed, b.parsed
    both_counts = bool(qa.counted and qb.counted) and qa.unit is None is qb.unit
    # "Fourteen miners were trapped" / "the 17 men trapped": people either way
    people = both_counts and _people(qa) and _people(qb)
    if not (comparable(qa, qb) or people):
        return False
    if both_counts:
        if qa.counted_words & qb.counted_words - _ANYONE:
            return True  # they share a counted word
        # kin nouns ("jobs" / "workers"), people in two words, "three people" / "five people dead":
        # only if the words around them agree
        return bool(_around(comparison, a) & _around(comparison, b))
    if not _bare_counts_alike(comparison, a, b):
        return False
    return bool(context_words(comparison, a) & context_words(comparison, b))


def _bare_counts_alike(comparison: Comparison, a: Slot, b: Slot) -> bool:
    """A bare number against a count: "1,240 people" / "three Little Birch plants" count alike
    only if what follows the bare number says so ("Five of the seven members" is no count of members)."""
    qa, qb = a.parsed, b.parsed
    if bool(qa.counted) == bool(qb.counted):
        return True
    counted, bare = (qa, b) if qa.counted else (qb, a)
    following = comparison.articles[bare.article].field_text(bare.field)[bare.end : bare.end + 40]
    return bool(counted.counted_words & {singular(w) for w in _WORD.findall(following.lower())[:4]})


def _around(comparison: Comparison, slot: Slot) -> set[str]:
    """The words around a count, with the topics of its own words ("five people dead" is about deaths)."""
    own = {topic_of(w) for w in slot.parsed.counted_words} - {None}
    return context_words(comparison, slot) | own


# Nouns for people, as `singular` leaves them (what a count of people is written with).
_PEOPLE = frozenset(
    """child children troop police victim patient tourist civilian pupil student fan crew staff pilgrim migrant
    refugee miner worker passenger resident soldier officer firefighter protester demonstrator employee villager
    climber hiker teacher doctor nurse driver sailor fisherman fishermen farmer prisoner inmate hostage survivor
    runner player athlete voter member delegate visitor spectator""".split()
)


def _people(quantity) -> bool:
    """Whether a count is of people ("miners", "men", "passengers"), from a curated list."""
    return bool(quantity.counted_words & (_ANYONE | _PEOPLE))


# Counted words that say little: "arrested 41 people" and "some 5,000 people marched" are two
# counts, so these need shared words around them as well.
_ANYONE = frozenset({"people", "person", "other", "man", "woman", "men", "women", "individual"})


def quantity_conflict(comparison: Comparison, slots_a: list[Slot], slots_b: list[Slot], roles: Roles) -> tuple[Slot, Slot] | None:
    qa = [s for s in slots_a if s.kind == "quantity" and not _remainder(comparison, s)]
    qb = [s for s in slots_b if s.kind == "quantity" and not _remainder(comparison, s)]
    lonely_a, lonely_b = _unanswered(qa, qb), _unanswered(qb, qa)
    for a in qa:
        others = [b for b in qb if _quantities_comparable(comparison, a, b)] or _sole_counterpart(a, lonely_a, lonely_b)
        # "seven of the nine members" gives a whole; "two members wanted to hold" a part of it
        whole = _partitive_whole(comparison, a)
        others = [b for b in others if _partitive_whole(comparison, b) == whole and not _answered(comparison, b, a.article)]
        if not others or any(quantities_agree(a.parsed, b.parsed) for b in others):
            continue
        others = [b for b in others if not _two_events(roles, a, b)]  # last: it parses
        if not others:
            continue
        b = min(others, key=lambda b: abs(b.parsed.value - a.parsed.value))
        # "87 of the 180 seats" / "With 87 seats ... the 180-seat parliament": an outlet that gives
        # the other's figure anywhere does not dispute it
        if _stated_anywhere(comparison, a, b.article) or _stated_anywhere(comparison, b, a.article):
            continue
        return a, b
    return None


# A count of what is left or added, not of the whole: "four other regions" (beside the capital),
# "about seven kilometres to go" (at the 35-kilometre mark), "30,000 households were still without power".
_REST_WORDS = frozenset({"other", "more", "further", "additional", "extra", "remaining"})
_COMPARATIVES = frozenset("smaller larger bigger newer older younger richer poorer wealthier smallest largest biggest newest oldest".split())
_REST_AFTER = re.compile(r"\s*(?:to\s+go|to\s+play|from\s+(?:full\s+)?time|from\s+the\s+end|before\s+the\s+end|left|remaining|(?:(?:were|was|are|is|remain|remained)\s+)?still)\b", re.I)


def _remainder(comparison: Comparison, slot: Slot) -> bool:
    counted = (slot.parsed.counted or "").lower().split()
    if counted and (counted[0] in _REST_WORDS or (len(counted) > 1 and counted[0] in _COMPARATIVES)):
        return True  # "four other regions", "four smaller islands" (beside the two named)
    return bool(_REST_AFTER.match(comparison.articles[slot.article].field_text(slot.field), slot.end))


def _answered(comparison: Comparison, b: Slot, article: int) -> bool:
    """A value the other article already states in the same words: "Nearly 40 people were
    killed" is its "at least 37 people", not the 19 who died in an earlier quake. A floor answers
    only values near it ("at least two hurt" does not answer "30 killed")."""
    return any(
        s.kind == "quantity" and (_bounded(s) or 0 < s.parsed.low and b.parsed.high <= 1.5 * s.parsed.low) and s.parsed.unit == b.parsed.unit
        and s.parsed.counted_words & b.parsed.counted_words and quantities_agree(s.parsed, b.parsed)
        for s in comparison.articles[article].slots
    )


def _two_events(roles: Roles, a: Slot, b: Slot) -> bool:
    """Counts of people that two different events name ("arrested 41 people" / "5,000 people
    marched"): both hang as subject or object from event words (verbs or nouns, `_roles`) of no common group.
    Counts of one specific noun ("trying to reach 12 miners" / "to free 17 miners") are left to
    face each other, as event words vary more than such nouns do."""
    if a.parsed.counted_words & b.parsed.counted_words - _ANYONE:
        return False
    role_a, role_b = roles.of(a), roles.of(b)
    if role_a is None or role_b is None or not {role_a.relation, role_b.relation} <= {"nsubj", "nsubjpass", "dobj"}:
        return False
    return _different_events(role_a, role_b)


def _different_events(role_a, role_b) -> bool:
    """Both heads are event words, of no common group ("arrested" / "marched")."""
    groups_a, groups_b = event_groups({role_a.head}), event_groups({role_b.head})
    return bool(groups_a) and bool(groups_b) and not groups_a & groups_b


_PARTITIVE = re.compile(r"([\w,.]+)\s+(?:of|out of)\s+(?:the|its|their|his|her|our|all)\s+$", re.I)
_SHARE_WORDS = frozenset("all most some many none each half majority few several".split())


_PART_OF = re.compile(r"\s+(?:of|out of)\s+(?:the|its|their|his|her|our|all)\b", re.I)


def _partitive_part(comparison: Comparison, slot: Slot) -> bool:
    """A number before "of the": a part of a whole ("Five of the seven members voted for"), which
    another count may complement ("two voted against") rather than contradict."""
    return bool(_PART_OF.match(comparison.articles[slot.article].field_text(slot.field), slot.end))


def _partitive_whole(comparison: Comparison, slot: Slot) -> bool:
    """A number after "seven of the": the whole a part is taken from ("news of the 17 men" is not)."""
    text = comparison.articles[slot.article].field_text(slot.field)
    found = _PARTITIVE.search(text, max(0, slot.start - 30), slot.start)
    if not found:
        return False
    part = found.group(1).lower()
    return part[:1].isdigit() or part in NUMBER_WORDS or part in _SHARE_WORDS


_DURATIONS = frozenset({"day", "week", "month", "year", "calendar_decade"})


def _faces_alone(unit: str | None) -> bool:
    """Kinds of value that may face their counterpart without shared words: bare numbers, shares,
    sums, ages and durations ("nine years in prison" / "six years behind bars"), not measures."""
    return unit not in PHYSICAL or unit in _DURATIONS


def _unanswered(own: list[Slot], other: list[Slot]) -> list[Slot]:
    """The quantities of one side that agree with nothing comparable on the other."""
    return [a for a in own if not any(comparable(a.parsed, b.parsed) and quantities_agree(a.parsed, b.parsed) for b in other)]


def _sole_counterpart(a: Slot, lonely_a: list[Slot], lonely_b: list[Slot]) -> list[Slot]:
    """Inside one fact, a value of a kind (an age, a share, a sum, an uncounted number) that each
    side states once and that agree with nothing on the other side face each other even when the
    words around them differ: "died aged 109" / "died at the age of 111", "rise 8%" / "up 12%".
    Counted numbers face counted numbers of the same or a kindred noun ("1,400 jobs" / "4,100
    workers", never "42 people" / "29 passengers"); measures need the words around them to
    match, as a 35-kilometre route is not a place seven kilometres away."""
    def same_kind(x: Slot, y: Slot) -> bool:
        if not comparable(x.parsed, y.parsed):  # for counted numbers: the same or a kindred noun
            return False
        if _adjectival(x) != _adjectival(y):
            return False  # "the festival's nine-year history" describes a noun; "three days" says how long
        if x.parsed.unit is None:
            return bool(x.parsed.counted) == bool(y.parsed.counted)
        return _faces_alone(x.parsed.unit)

    if a not in lonely_a or not _faces_alone(a.parsed.unit):
        return []
    # stricter on this side than on the other: `a` must be its side's only unanswered value of its
    # unit (any bare number, counted or not), so "1,800 people employed" with "600 people" laid off
    # beside other bare figures faces nothing
    mine = [x for x in lonely_a if x.parsed.unit == a.parsed.unit or {x.parsed.unit, a.parsed.unit} <= _DURATIONS]
    theirs = [b for b in lonely_b if same_kind(a, b)]
    return theirs if len(mine) == 1 and len(theirs) == 1 else []


def _adjectival(slot: Slot) -> bool:
    """A value written as a modifier: "nine-year", "35-kilometre" (not "thirty-one homes", "12 co-workers")."""
    first = slot.text.split()[0] if slot.text.split() else ""
    return "-" in first and first.rsplit("-", 1)[1].lower() not in NUMBER_WORDS


def _bounded(slot: Slot) -> bool:
    """A figure that names a value, not only a floor or a ceiling: "over five years" agrees with
    any sentence longer than five years, and says nothing about which."""
    low, high = slot.parsed.low, slot.parsed.high
    return 0 < low and high <= 1.5 * low


def _bare(slot: Slot) -> bool:
    return slot.parsed.unit is None and not slot.parsed.counted


def _stated_anywhere(comparison: Comparison, value: Slot, article: int) -> bool:
    """Whether the article gives the value somewhere, also as a bare number ("terms of seven years"
    / "five-year terms instead of seven")."""
    return any(
        s.kind == "quantity" and _bounded(s) and (
            (comparable(value.parsed, s.parsed) and quantities_agree(value.parsed, s.parsed))
            or (s.parsed.value == value.parsed.value and (_bare(s) or _bare(value)))
        )
        for s in comparison.articles[article].slots
    )


def date_conflict(slots_a: list[Slot], slots_b: list[Slot], roles: Roles) -> tuple[Slot, Slot] | None:
    """A date of one side that agrees with none of the other's, facing one of the same form (two
    days, two months, two weekdays) that agrees with none of the first's, unless one dates the
    event and the other the report of it ("discovered on March 29" / "announced the find yesterday")."""
    da = [s for s in slots_a if s.kind == "date" and _placeable(s)]
    db = [s for s in slots_b if s.kind == "date" and _placeable(s)]
    lonely_a, lonely_b = _unagreed_dates(da, db)
    if not (da and db):
        return None
    pairs = [
        (a, b) for a in lonely_a for b in lonely_b
        if _form(a) == _form(b) and _bound(roles, a) == _bound(roles, b)
        and not _report_and_event(roles, a, b) and not _now_and_then(roles, a, b)
    ]
    # dates of one verb first ("ran aground on Tuesday" / "ran aground on November 2", not "began
    # pumping on Thursday"), then written alike: "June 3" faces "June 10" before "Tuesday" does
    pairs.sort(key=lambda pair: (not _same_event(roles, *pair), (pair[0].how is None) != (pair[1].how is None)))
    return pairs[0] if pairs else None


def _bound(roles: Roles, slot: Slot) -> str | None:
    """A deadline or a tally so far ("By Wednesday the fire had blackened ...", "closes by 2025",
    "until Friday") rather than the date of an event: it faces only a bound of its kind."""
    role = roles.of(slot)
    relation = role.relation.removeprefix("prep:") if role is not None else None
    return {"by": "by", "until": "until", "till": "until"}.get(relation)


def _now_and_then(roles: Roles, a: Slot, b: Slot) -> bool:
    """"Ombrey is clearing up today" / "the storm swept across on Monday": the state at the time
    of the report against the event before it."""
    for now, then in ((a, b), (b, a)):
        role_now, role_then = roles.of(now), roles.of(then)
        if (
            role_now is not None and role_then is not None and role_now.progressive and not role_then.progressive
            and now.text.lower() in _REPORT_DAY
        ):
            return True
    return False


_REPORT_DAY = frozenset({"today", "tonight", "now", "this morning", "this afternoon", "this evening"})


def _report_and_event(roles: Roles, a: Slot, b: Slot) -> bool:
    role_a, role_b = roles.of(a), roles.of(b)
    return role_a is not None and role_b is not None and role_a.reporting != role_b.reporting


def _form(slot: Slot) -> str | None:
    """What a date fixes: a day (written as a date or as a placed weekday), a month, a year, or an
    unplaced weekday. Only dates of one form face each other: "June 3" / "June 10", not "June" / "2025"."""
    if not slot.resolved:
        return "weekday"
    return slot.parsed.precision


def _placeable(slot: Slot) -> bool:
    value = slot.parsed
    return value.resolved or value.weekday is not None


_PLACE_PREPOSITIONS = frozenset({"in", "at", "near", "outside", "from", "to", "into", "across"})
_SPEECH = frozenset("said says say told tells added adds according stated claimed".split())


def context_words(comparison: Comparison, slot: Slot, before: int = 4, after: int = 3) -> set[str]:
    """Content-word stems just around a value: its role in the sentence ("claimed by a group
    called ...", "sales of about ..."). For places the preposition counts too ("in", "near")."""
    stop, stem = stopwords(), stemmer().stemWord
    text = comparison.articles[slot.article].field_text(slot.field)
    words_before = [w.lower() for w in _WORD.findall(text[max(0, slot.start - 60) : slot.start])]
    words_after = [w.lower() for w in _WORD.findall(text[slot.end : slot.end + 50])][:after]
    out = {topic_of(w) or stem(w) for w in words_before[-before:] + words_after if w not in stop and w not in _SPEECH and len(w) > 2}
    if slot.kind == "place":
        # the preposition that places it, also across "the fishing town of": "near X" / "near Y"
        preposition = next((w for w in reversed(words_before[-5:]) if w in _PLACE_PREPOSITIONS), None)
        if preposition:
            out.add(preposition)
    return out


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
    pattern = r"\b" + re.escape(slot.parsed.name) + r"\b"
    return any(re.search(pattern, text) for _, text in comparison.articles[article].fields())


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
    if kind == "place":
        return _places.may_contain(a.parsed.name, b.parsed.name)
    # actors by plain containment, so a people's name holds its country's ("Norvessan" / "Norvessa");
    # places need whole words ("Niger" is not in "Nigeria")
    name_a, name_b = a.parsed.name.lower(), b.parsed.name.lower()
    if name_a in name_b or name_b in name_a:
        return True
    # "CBK" / "the Central Bank of Korrin", where the recognizer kept only "Central Bank"
    return any(spells_out(x.parsed.name, _with_of_phrase(comparison, y)) for x, y in ((a, b), (b, a)))


_OF_PHRASE = re.compile(r"\s+(?:of|for)\s+(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3}")


def _with_of_phrase(comparison: Comparison, slot: Slot) -> str:
    """A name with the "of ..." that completes it in the text: "Central Bank" -> "Central Bank of Korrin"."""
    text = comparison.articles[slot.article].field_text(slot.field)
    following = _OF_PHRASE.match(text, slot.end)
    return slot.parsed.name + (following.group(0) if following else "")


def _statement(labels: list[str], a: Slot, b: Slot) -> str:
    return f"{labels[a.article]}: {_clean(a.text)}; {labels[b.article]}: {_clean(b.text)}"


def _clean(text: str) -> str:
    return " ".join(text.split())


def intermediary_conflicts(comparison: Comparison) -> list[tuple[str, Slot, Slot]]:
    """One speaker's words credited through different intermediaries by different outlets."""
    out = []
    for group in comparison.quotes:
        if "different_intermediaries" not in group.flags:
            continue
        credited = {}
        for qm in group.mentions:
            if qm.via and qm.article not in credited:
                written = [s for s in comparison.articles[qm.article].slots if s.kind == "intermediary" and s.text == qm.via]
                slot = min(written, key=lambda s: abs(s.start - qm.start), default=None)
                if slot is not None:
                    credited[qm.article] = slot
        for a, b in combinations(sorted(credited), 2):
            out.append((group.id, credited[a], credited[b]))
    return out


_QUOTED_WORD = re.compile(r"\w+")


def quote_speaker_conflicts(comparison: Comparison) -> list[tuple[Slot, Slot, str, str]]:
    """The same quoted words credited to different named people ("'They need help at the pump
    now,' Finance Minister Dagny Rask said" / "..., Prime Minister Alvar Nyland said"): the
    speaker spans and the two names. Quotations count as the same when most of the shorter one's
    words (at least six) stand in the other."""
    out = []
    quotes = [
        (article, q, set(_QUOTED_WORD.findall(article.text[q.start : q.end].lower())))
        for article in comparison.articles for q in article.quotes
        if q.kind == "direct" and q.named and q.speaker_kind == "person" and q.speaker_start is not None
        # named in the attribution itself: a "he said" resolved to the wrong person must not accuse an outlet
        and set(name_key(q.speaker)) & set(name_key(article.text[q.speaker_start : q.speaker_end]))
    ]
    for (art_a, qa, words_a), (art_b, qb, words_b) in combinations(quotes, 2):
        if art_a.id == art_b.id or min(len(words_a), len(words_b)) < 6:
            continue
        if len(words_a & words_b) < 0.7 * min(len(words_a), len(words_b)):
            continue
        if similar_names(qa.speaker, qb.speaker) or names_nest(qa.speaker, qb.speaker):
            continue
        slots = [
            Slot("actor", art.id, q.speaker_start, q.speaker_end, art.text[q.speaker_start : q.speaker_end], q.speaker, parsed=q)
            for art, q in ((art_a, qa), (art_b, qb))
        ]
        out.append((*slots, qa.speaker, qb.speaker))
    return out


def _counted_stems(pair: tuple[Slot, Slot]) -> set[str]:
    stem = stemmer().stemWord
    return {stem(w) for s in pair for w in (s.counted or "").lower().split()}


def _fact_credits(comparison: Comparison) -> list[tuple[str, Slot, Slot]]:
    """One statement credited to different intermediaries by different outlets, quoted or not
    ("told Radio Caldera" / "in an interview with the Pellmouth Herald")."""
    out = []
    for fact in comparison.facts:
        by_article = _by_article(fact)
        for first, second in combinations(sorted(by_article), 2):
            # a channel that names no one counts too: "in a written statement" / "told a news conference"
            credits_a = [s for s in by_article[first] if s.kind == "intermediary"]
            credits_b = [s for s in by_article[second] if s.kind == "intermediary"]
            if not credits_a or not credits_b:
                continue
            if any(same_credit(x.text, y.text) for x in credits_a for y in credits_b):
                continue  # "the Herald" / "an interview with the Merrowgate Herald": one credit
            out.append((fact.id, credits_a[0], credits_b[0]))
    return out


ACROSS = 0.25  # link probability at which two statements of different facts are compared for numbers


def _across_facts(
    comparison: Comparison, named_in: dict[int, set[str]], roles: Roles,
) -> list[tuple[str, str | None, Slot, Slot]]:
    """Numbers and places in statements alignment kept apart but linked at least weakly: a
    different value is often what lowered the link ("Nine people died ..." / "Seven people were
    confirmed dead ...", "will build a factory in Sallowford" / "to build its factory in Mistrel")."""
    fact_of = {(m.article, m.start, m.end): fact.id for fact in comparison.facts for m in fact.mentions if m.field == "text"}
    out = []
    for (first, second), scores in sorted(comparison.unit_scores.items()):
        articles = comparison.articles[first], comparison.articles[second]
        for i, j in zip(*(scores >= ACROSS).nonzero()):
            unit_a, unit_b = articles[0].units[i], articles[1].units[j]
            slots_a = [s for s in articles[0].slots if s.field == "text" and unit_a.start <= s.start < unit_a.end]
            slots_b = [s for s in articles[1].slots if s.field == "text" and unit_b.start <= s.start < unit_b.end]
            found = []
            pair = quantity_conflict(comparison, slots_a, slots_b, roles)
            # statements alignment kept apart need more than a shared noun: shared words around the numbers
            if pair and context_words(comparison, pair[0]) & context_words(comparison, pair[1]) - _counted_stems(pair):
                found.append(("quantity", *pair))
            # and a place named the same way in the parse as well as in the words around it
            pair = entity_conflict(comparison, "place", slots_a, slots_b, named_in, first, second, roles)
            if pair and _same_role(roles, *pair):
                found.append(("place", *pair))
            # and a date of the same verb: "ran aground on Tuesday" / "since it ran aground on November 3"
            pair = date_conflict(slots_a, slots_b, roles)
            if pair and _same_event(roles, *pair):
                found.append(("date", *pair))
            if found:
                fact = next((f for (a, start, end), f in fact_of.items() if a == first and start <= unit_a.start < end), None)
                out += [(kind, fact, x, y) for kind, x, y in found]
    return out


def _event_frames(comparison: Comparison, named_in: dict[int, set[str]], roles: Roles) -> list[tuple[str, None, Slot, Slot]]:
    """Values tied to one event by event words (`_roles`, `resources/event-words.json`), wherever
    the two sentences stand: "Thorne resigned yesterday" / "He stepped down on January 19",
    "discovered last week by farmer Tomas Gere" / "found by Nils Brandvik". Alignment often keeps
    such sentences apart, as they share little but the event. A date, a doer or a place is compared
    only where each article has exactly one for the event; counts of one thing by one event are
    compared like the counts of one fact ("Nineteen passengers were injured" / "injuring 29
    passengers")."""
    candidates = {article.id: _event_candidates(comparison, article) for article in comparison.articles}
    out = []
    for first, second in combinations(range(len(comparison.articles)), 2):
        for kind in ("date", "actor", "place", "quantity"):
            mine, theirs = candidates[first].get(kind, {}), candidates[second].get(kind, {})
            for group in sorted(set(mine) & set(theirs)):
                xs = [s for s in mine[group] if _does(roles, s, group)]
                ys = [s for s in theirs[group] if _does(roles, s, group)] if xs else []
                if kind == "quantity":
                    pair = quantity_conflict(comparison, xs, ys, roles)
                    if pair:
                        out.append(("quantity", None, *pair))
                    continue
                if kind == "actor":
                    xs, ys = _phrase_heads(comparison, xs), _phrase_heads(comparison, ys)
                if len(xs) != 1 or len(ys) != 1:
                    continue
                a, b = xs[0], ys[0]
                if kind == "date":
                    if date_conflict([a], [b], roles):
                        out.append(("date", None, a, b))
                elif kind == "place":
                    if entity_conflict(comparison, "place", [a], [b], named_in, first, second, roles):
                        out.append(("place", None, a, b))
                elif a.value != b.value and not (
                    _named(comparison, a, second, named_in) or _named(comparison, b, first, named_in) or _overlap(comparison, "actor", a, b)
                ):
                    out.append(("actor", None, a, b))
    return out


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


def _event_candidates(comparison: Comparison, article) -> dict[str, dict[int, list[Slot]]]:
    """An article's slots by kind and by the event groups their sentence's words belong to."""
    out: dict[str, dict[int, list[Slot]]] = {}
    groups_of_sentence: dict[int, set[int]] = {}
    for slot in article.slots:
        if slot.kind not in ("date", "actor", "place", "quantity") or slot.field != "text":
            continue
        if (slot.kind == "date" and not _placeable(slot)) or (slot.kind == "quantity" and _remainder(comparison, slot)):
            continue
        sentence = article.sentence_at(slot.start)
        if sentence is None:
            continue
        if sentence.start not in groups_of_sentence:
            words = {w.lower() for w in _WORD.findall(article.text[sentence.start : sentence.end])}
            groups_of_sentence[sentence.start] = event_groups(with_phrasal_words(words))
        for group in groups_of_sentence[sentence.start]:
            out.setdefault(slot.kind, {}).setdefault(group, []).append(slot)
    return out


def _does(roles: Roles, slot: Slot, group: int) -> bool:
    """Whether the parse ties the slot to an event word of the group: as its doer (an actor), where
    it happened (a place), what it counted (a quantity: subject or object) or when (a date)."""
    role = roles.of(slot)
    if role is None or role.reporting or not in_event_group(role.head, group):
        return False
    if slot.kind == "actor":
        return doer_event(role, group)
    if slot.kind == "place":
        return role.relation in LOCATIVE
    if slot.kind == "quantity":
        return role.relation in ("nsubj", "nsubjpass", "dobj") and slot.parsed.counted is not None
    return role.relation in _WHEN | {"advmod"}


def _same_event(roles: Roles, a: Slot, b: Slot) -> bool:
    role_a, role_b = roles.of(a), roles.of(b)
    if role_a is None or role_b is None or role_a.reporting or role_b.reporting:
        return False
    stem = stemmer().stemWord
    if not (stem(role_a.head) == stem(role_b.head) or same_event_word(role_a.head, role_b.head)) or role_a.head in stopwords():
        return False
    # "called an election yesterday" dates the calling, "called an election for November 6" the vote
    return role_a.relation == role_b.relation or {role_a.relation, role_b.relation} <= _WHEN


_WHEN = frozenset({"npadvmod", "tmod", "prep:on", "prep:in", "prep:at", "prep:during"})


def _covering(credited: set[tuple[int, str, int]], slots) -> set[tuple[int, str, int]]:
    """The slots among `slots` that sit inside an intermediary's credit."""
    return {(s.article, s.field, s.start) for s in slots if any(
        a == s.article and f == s.field and abs(start - s.start) <= 12 for a, f, start in credited)}


def named_by_article(comparison: Comparison) -> dict[int, set[str]]:
    """The ids of the entities each article names."""
    named_in: dict[int, set[str]] = {a.id: set() for a in comparison.articles}
    for entity in comparison.entities:
        for m in entity.mentions:
            named_in[m.article].add(entity.id)
    return named_in


def _credited(comparison: Comparison) -> set[tuple[int, str, int]]:
    """Where each article credits a quotation to an outlet (its intermediary slots)."""
    return {(s.article, s.field, s.start) for article in comparison.articles for s in article.slots if s.kind == "intermediary"}


def _unagreed_dates(mine: list[Slot], theirs: list[Slot]) -> tuple[list[Slot], list[Slot]]:
    """Each side's dates that agree with none of the other's."""
    return (
        [a for a in mine if all(a.parsed.agrees(b.parsed) is False for b in theirs)],
        [b for b in theirs if all(b.parsed.agrees(a.parsed) is False for a in mine)],
    )


def _second_opinion(
    comparison: Comparison, named_in: dict[int, set[str]], roles: Roles, model: ConflictModel, conflicts: list[Conflict], labels: list[str]
) -> list[Conflict]:
    """The learned model's conflicts the rules missed: per two articles and kind, its best-scored
    pair above the threshold, of values no reported conflict already holds. A rule's conflict the
    model weighed too carries its score."""
    scored = [c for c in score_candidates(model_candidates(comparison, named_in), roles, model, model_veto) if c.score is not None]
    held = {(s.article, s.field, s.start) for c in conflicts for s in (c.a, c.b)}
    by_spans = {frozenset({(c.a.article, c.a.field, c.a.start), (c.b.article, c.b.field, c.b.start)}): c for c in conflicts}
    best: dict[tuple[int, int, str], Candidate] = {}
    for candidate in scored:
        a, b = candidate.a, candidate.b
        rule = by_spans.get(frozenset({(a.article, a.field, a.start), (b.article, b.field, b.start)}))
        if rule is not None:
            rule.score = round(candidate.score, 3)
            continue
        if candidate.score < model.threshold or {(a.article, a.field, a.start), (b.article, b.field, b.start)} & held:
            continue
        key = (a.article, b.article, candidate.kind)
        if key not in best or candidate.score > best[key].score:
            best[key] = candidate
    out = []
    for candidate in sorted(best.values(), key=lambda c: (c.a.article, c.b.article, c.a.start, c.b.start)):
        out.append(Conflict(
            f"c{len(conflicts) + len(out) + 1}", candidate.kind, _fact_of(comparison, candidate.a), candidate.a, candidate.b,
            _statement(labels, candidate.a, candidate.b), found_by="model", score=round(candidate.score, 3),
        ))
    return out


def _fact_of(comparison: Comparison, slot: Slot) -> str | None:
    return next((f.id for f in comparison.facts for m in f.mentions if m.article == slot.article and m.start <= slot.start < m.end), None)


def model_veto(roles: Roles, candidate: Candidate) -> bool:
    """What the parse tells the rules makes a candidate no conflict, whatever the model weighs:
    counts or doers of two different events ("arrested 41 people" / "41 people marched", "Marrow
    arrested" / "the mayor resigned"), the doer of an event against the one it befalls ("Marrow
    arrested ..." / "Vane's arrest"), a deadline against a date, the report's day against the
    event's, the state today against the event before it."""
    a, b = candidate.a, candidate.b
    if candidate.kind == "quantity":
        return _two_events(roles, a, b)
    if candidate.kind == "date":
        return _bound(roles, a) != _bound(roles, b) or _report_and_event(roles, a, b) or _now_and_then(roles, a, b)
    role_a, role_b = roles.of(a), roles.of(b)
    if role_a is None or role_b is None:
        return False
    if _different_events(role_a, role_b):
        return True
    return any(doer_event(role_a, group) != doer_event(role_b, group) for group in event_groups({role_a.head}) & event_groups({role_b.head}))


def model_candidates(comparison: Comparison, named_in: dict[int, set[str]]) -> list[Candidate]:
    """Every pair of values the learned model (`_conflict_model`) weighs: per kind, the values
    each side gives that the other does not (by the rules' tests), facing each other. Outlets a
    quotation is credited to are left to the credits."""
    credited = _credited(comparison)

    def lonely(kind: str, mine: list[Slot], theirs: list[Slot], first: int, second: int):
        if kind == "quantity":
            # a figure the other side words alike ("nearly 40 people killed") is answered, whatever else it faces
            mine = [s for s in mine if not _remainder(comparison, s) and not _stated_anywhere(comparison, s, second) and not _answered(comparison, s, second)]
            theirs = [s for s in theirs if not _remainder(comparison, s) and not _stated_anywhere(comparison, s, first) and not _answered(comparison, s, first)]
            shape = {id(s): (_partitive_whole(comparison, s), _partitive_part(comparison, s), _adjectival(s)) for s in mine + theirs}
            pairs = [
                (a, b) for a, b in _quantity_pairs(mine, theirs)
                # what the rules know makes two figures no rivals: a part against its whole or another
                # part ("five of the seven" / "two voted against"), a modifier, a bare number against a count
                if shape[id(a)] == shape[id(b)] and _bare_counts_alike(comparison, a, b)
            ]
            return mine, theirs, pairs
        if kind == "date":
            mine, theirs = [s for s in mine if _placeable(s)], [s for s in theirs if _placeable(s)]
            lonely_a, lonely_b = _unagreed_dates(mine, theirs)
            return lonely_a, lonely_b, [(a, b) for a in lonely_a for b in lonely_b if _form(a) == _form(b)]
        if kind == "actor":
            mine = [s for s in mine if not _covering(credited, (s,))]
            theirs = [s for s in theirs if not _covering(credited, (s,))]
        ids_a, ids_b = {s.value for s in mine}, {s.value for s in theirs}
        lonely_a = [s for s in mine if s.value not in ids_b and not _named(comparison, s, second, named_in) and not _attributive(comparison, s)]
        lonely_b = [s for s in theirs if s.value not in ids_a and not _named(comparison, s, first, named_in) and not _attributive(comparison, s)]
        return lonely_a, lonely_b, [
            (a, b) for a in lonely_a for b in lonely_b
            # "at Greymere Park" / "in Lindqvale": a venue inside a town is no rival to it
            if not _overlap(comparison, kind, a, b) and (kind != "place" or _is_venue(a.parsed.name) == _is_venue(b.parsed.name))
        ]

    return candidates(comparison, lonely, context_words)


def _quantity_pairs(mine: list[Slot], theirs: list[Slot]) -> list[tuple[Slot, Slot]]:
    """Figures that could measure one thing and cannot both hold."""
    return [(a, b) for a in mine for b in theirs if comparable(a.parsed, b.parsed) and not quantities_agree(a.parsed, b.parsed)]


class ConflictFinder:
    """Pipeline component: `Comparison.conflicts`."""

    name = "conflicts"

    def __call__(self, comparison: Comparison) -> None:
        labels = article_labels(comparison.articles)
        named_in = named_by_article(comparison)
        found: list[tuple[str, str | None, Slot, Slot]] = []
        roles = Roles(comparison)
        for fact in comparison.facts:
            by_article = _by_article(fact)
            for article_a, article_b in combinations(sorted(by_article), 2):
                slots_a, slots_b = by_article[article_a], by_article[article_b]
                checks = (
                    ("quantity", quantity_conflict(comparison, slots_a, slots_b, roles)),
                    ("date", date_conflict(slots_a, slots_b, roles)),
                    ("place", entity_conflict(comparison, "place", slots_a, slots_b, named_in, article_a, article_b, roles)),
                    ("actor", entity_conflict(comparison, "actor", slots_a, slots_b, named_in, article_a, article_b, roles)),
                )
                found += [(kind, fact.id, *pair) for kind, pair in checks if pair]
            # the closest statement of an article that does not report the fact: a different
            # number is often what kept the two apart ("cost $240 million" / "$420 million"). Dates
            # are left out here: near misses are too often other events with other dates.
            for near in fact.possible:
                for article in sorted(by_article):
                    if article == near.article:
                        continue
                    pair = quantity_conflict(comparison, by_article[article], near.slots, roles)
                    if pair:
                        found.append(("quantity", fact.id, *pair))
                    # a place too, when the two name it in the same way: "detained ... in Corvel" /
                    # "taken into custody in Rennick"
                    pair = entity_conflict(comparison, "place", by_article[article], near.slots, named_in, article, near.article, roles)
                    if pair and _same_role(roles, *pair):
                        found.append(("place", fact.id, *pair))
        found += _across_facts(comparison, named_in, roles)
        found += _event_frames(comparison, named_in, roles)
        found += [("intermediary", fact_id, a, b) for fact_id, a, b in _fact_credits(comparison)]
        credits = intermediary_conflicts(comparison)
        credited = _credited(comparison)
        # an outlet named as an intermediary is reported as that (or as one credit), not as a second actor
        found = [f for f in found if not (f[0] == "actor" and _covering(credited, f[2:]))]
        found += [("intermediary", group, a, b) for group, a, b in credits]
        statements = {}
        for a, b, name_a, name_b in quote_speaker_conflicts(comparison):
            found.append(("actor", None, a, b))
            statements[(a.article, a.start, b.article, b.start)] = f"{labels[a.article]}: {name_a}; {labels[b.article]}: {name_b}"
        seen = set()
        conflicts = []
        for kind, fact, a, b in found:
            # one pair of spans is one conflict, however many ways (and in whichever order) it was found
            key = (kind, frozenset({(a.article, a.field, a.start), (b.article, b.field, b.start)}))
            if key in seen:
                continue
            seen.add(key)
            statement = statements.get((a.article, a.start, b.article, b.start)) or _statement(labels, a, b)
            conflicts.append(Conflict(f"c{len(conflicts) + 1}", kind, fact, a, b, statement))
        model = conflict_model()
        if model is not None:
            conflicts += _second_opinion(comparison, named_in, roles, model, conflicts, labels)
        comparison.conflicts = conflicts
