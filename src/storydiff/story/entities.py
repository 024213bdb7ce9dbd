"""Stage: the people, organisations, places and groups of a story, one entity per real thing.

1. spaCy's small English pipeline (named-entity recognizer only) finds names in each article.
2. Within an article, names are linked when they are the same name written differently
   ("Abdul Karim Khalaf" / "Khalaf"), when the text defines one by the other ("Popular Mobilization
   Forces (PMF)", "Hashd al-Sha'abi forces (Popular Mobilization Units)"), and when an acronym is the
   initials of a name. Descriptions that stand for a name join it: appositions ("caretaker prime
   minister, Adel Abdul-Mahdi"), titles before a name ("top Iranian general Qassem Soleimani"), and
   the speaker descriptions quote extraction resolved ("the 78-year-old politician").
3. Across articles, entities join on equal names, on a person's name written differently
   (transliterations: "Qassem" / "Qasem"), and on a curated list of aliases the texts cannot teach
   ("Daesh" = "Islamic State" = "IS"; `resources/aliases.json`, extendable with STORYDIFF_ALIASES).
"""

from __future__ import annotations

import functools
import json
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from .._models import Article, Comparison, Entity, EntityMention
from ..article.names import find_all_named_entities, headline_fragment
from ..article._speakers import PERSON_ROLES, initials, name_key, same_person, similar_names, strip_titles

_ACRONYM = re.compile(r"^[A-Z][A-Z0-9.&-]{1,7}$")
# Words that may stand in a title before a name with the role word: "top Iranian general".
_MODIFIERS = frozenset(
    """top senior former chief deputy acting caretaker leading veteran prominent military army police state
    foreign defence defense interior finance prime vice assistant associate executive general managing
    national regional local interim outgoing incoming retired late then new longtime long-time""".split()
)


def _alias_files() -> list[str]:
    from ..resources import data_files

    return data_files("aliases.json", "STORYDIFF_ALIASES")


@lru_cache(maxsize=4)
def _aliases(files: tuple[str, ...]) -> dict[tuple[str, ...], int]:
    """Name key -> alias group number."""
    groups: dict[tuple[str, ...], int] = {}
    number = 0
    for path in files:
        with open(path, encoding="utf-8") as handle:
            for group in json.load(handle)["groups"]:
                for name in group["names"]:
                    groups.setdefault(_key(name), number)
                number += 1
    return groups


@lru_cache(maxsize=4)
def _alias_groups(files: tuple[str, ...]) -> list[tuple[str, str]]:
    """(type, first name) of every alias group, in group number order."""
    groups = []
    for path in files:
        with open(path, encoding="utf-8") as handle:
            groups += [(group.get("type", "ORG"), group["names"][0]) for group in json.load(handle)["groups"]]
    return groups


def _alias_group(key: tuple[str, ...], aliases: dict[tuple[str, ...], int], places: frozenset[int] = frozenset()) -> int | None:
    """The alias group of a name, or of the alias it starts or ends with ("Daesh Takfiri").

    Only a group's own words may surround it: "Society of America" and "North America" are not
    America, so a part counts only when no "of" joins it to the rest and the group is no place."""
    if key in aliases:
        return aliases[key]
    for size in range(len(key) - 1, 0, -1):
        for part, rest in ((key[:size], key[size:]), (key[-size:], key[:-size])):
            if part not in aliases or aliases[part] in places or {"of", "for"} & set(rest):
                continue
            if len(part) > 1 or len(part[0]) > 3:  # "IS" alone is too short to trust
                return aliases[part]
    return None


def _key(name: str) -> tuple[str, ...]:
    return name_key(re.sub(r"^(?:the|The)\s+", "", name))


class _Union:
    """Union-find over name mentions that refuses to join two clusters holding the full names of
    two different people of one surname ("Coretta Scott King" and "Martin Luther King" through a
    bare "King"): the bare surname stays with whichever it joined first."""

    def __init__(self, n: int, people: list[str | None] | None = None) -> None:
        self.parent = list(range(n))
        self.people: dict[int, set[str]] = {i: {p} for i, p in enumerate(people or []) if p}

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        names_a, names_b = self.people.get(ra, set()), self.people.get(rb, set())
        if any(_two_of_a_family(x, y) for x in names_a for y in names_b):
            return
        root, other = min(ra, rb), max(ra, rb)
        self.parent[other] = root
        if names_a or names_b:
            self.people[root] = names_a | names_b


def _two_of_a_family(a: str, b: str) -> bool:
    """Two full names with one surname that are not one person's: "Lucy Somers" / "Luke Somers"."""
    ka, kb = name_key(a), name_key(b)
    return ka[-1:] == kb[-1:] and not (same_person(a, b) or similar_names(a, b))


_PEOPLE_LABELS = frozenset({"PERSON", "ORG", "NORP"})
_SURNAME_LABELS = frozenset({"PERSON", "ORG"})


def link_entities(comparison: Comparison) -> list[Entity]:
    mentions: list[EntityMention] = []
    labels: list[str] = []
    for article in comparison.articles:
        for field, start, end, label in article.named_entities:
            text = article.field_text(field)[start:end]
            kind = "acronym" if _ACRONYM.match(text) else "name"
            mentions.append(EntityMention(article.id, start, end, text, kind, field))
            labels.append(label)
    # Full names of people (two words or more) a cluster may hold one of, but never two different ones.
    stripped = [strip_titles(m.text) for m in mentions]  # once per mention: the pair loops below read them often
    full_names = [
        bare if label == "PERSON" and m.kind == "name" and len(name_key(bare)) >= 2 else None
        for m, label, bare in zip(mentions, labels, stripped)
    ]
    union = _Union(len(mentions), full_names)
    aliases = _aliases(tuple(_alias_files()))
    keys = [_key(bare if label == "PERSON" else m.text) for m, label, bare in zip(mentions, labels, stripped)]
    # Where "NAME (" or "NAME forces (" could open another name of NAME: `_defines` is tried only there.
    opens = [bool(_OPENS_DEFINITION.match(comparison.articles[m.article].field_text(m.field), m.end)) for m in mentions]
    by_article: dict[int, list[int]] = {}
    for index, m in enumerate(mentions):
        by_article.setdefault(m.article, []).append(index)

    places = frozenset(n for n, (kind, _) in enumerate(_alias_groups(tuple(_alias_files()))) if kind in ("GPE", "LOC"))
    groups = [_alias_group(key, aliases, places) for key in keys]
    spelled = [initials(m.text) for m in mentions]

    # Within an article. Only the pairs one of the tests below could join are tried (equal keys;
    # people's names sharing a word, as `same_person` and `_surname_of` need; a name opening a
    # definition; an acronym and a name with its initials), in the order of trying every pair:
    # whether `_Union` refuses a union depends on what was joined before.
    for article in comparison.articles:
        indices = by_article.get(article.id, [])
        by_word: dict[str, list[int]] = {}
        if any(labels[i] == "PERSON" for i in indices):
            for i in indices:
                if labels[i] in _PEOPLE_LABELS:
                    for word in set(name_key(mentions[i].text)):
                        by_word.setdefault(word, []).append(i)
        by_initials = _groups_of(indices, spelled)
        acronyms = [i for i in indices if mentions[i].kind == "acronym" and len(mentions[i].text) >= 2]
        candidates = _pairs_within(_groups_of(indices, keys).values()) | _pairs_within(by_word.values())
        candidates |= _pairs_with([i for i in indices if opens[i]], indices)
        for i in acronyms:
            candidates |= _pairs_with([i], by_initials.get(mentions[i].text.replace(".", ""), []))
        for i, j in sorted(candidates):
            a, b = mentions[i], mentions[j]
            pair = (labels[i], labels[j])
            if (
                keys[i] == keys[j]
                # The recognizer sometimes calls a surname an organisation ("Trump"): one PERSON
                # label is enough to compare as people.
                or ("PERSON" in pair and _PEOPLE_LABELS.issuperset(pair) and "acronym" not in (a.kind, b.kind) and same_person(a.text, b.text))
                # ... and sometimes a whole name: a one-word surname of a two-word name of the
                # same article is that name whatever the labels ("Marta Ilves" / "Ilves").
                or ("PERSON" in pair and _SURNAME_LABELS.issuperset(pair) and _surname_of(a.text, b.text))
            ):
                union.union(i, j)
            elif (
                a.field == b.field and ((opens[i] and _defines(article, a, b)) or (opens[j] and _defines(article, b, a)))
                and not _person_and_place(labels[i], labels[j])
            ):
                union.union(i, j)
            elif a.kind == "acronym" and len(a.text) >= 2 and spelled[j] == a.text.replace(".", ""):
                union.union(i, j)
            elif b.kind == "acronym" and len(b.text) >= 2 and spelled[i] == b.text.replace(".", ""):
                union.union(i, j)

    # Across articles: equal names, people's names written differently, curated aliases.
    # Only pairs of equal keys, of people and of one alias group are tried, in order (as above).
    everyone = range(len(mentions))
    candidates = _pairs_within(_groups_of((i for i in everyone if keys[i]), keys).values())
    candidates |= _pairs_within([[i for i in everyone if labels[i] == "PERSON"]])
    candidates |= _pairs_within(_groups_of((i for i in everyone if groups[i] is not None), groups).values())
    similar = functools.cache(similar_names)  # for this comparison only: its mentions repeat a few names
    for i, j in sorted(candidates):
        if mentions[i].article == mentions[j].article:
            continue
        if keys[i] and keys[i] == keys[j]:
            union.union(i, j)
        elif labels[i] == labels[j] == "PERSON" and union.find(i) != union.find(j) and similar(stripped[i], stripped[j]):
            union.union(i, j)
        elif groups[i] is not None and groups[i] == groups[j]:
            union.union(i, j)

    clusters: dict[int, list[int]] = {}
    for index in range(len(mentions)):
        clusters.setdefault(union.find(index), []).append(index)
    entities = []
    alias_groups = _alias_groups(tuple(_alias_files()))
    for members in clusters.values():
        label = Counter(labels[i] for i in members).most_common(1)[0][0]
        known = [alias_groups[groups[i]] for i in members if groups[i] is not None]
        names = [mentions[i] for i in members]
        if known:  # a curated group: its type, and its first name as the one to show
            label, canonical = known[0]
        else:
            shown = [stripped[i] if label == "PERSON" else mentions[i].text for i in members if mentions[i].kind == "name"]
            canonical = max(shown, key=lambda n: (len(name_key(n)), -len(n)), default=names[0].text)
        entity = Entity(id="", type=label, name=canonical, mentions=sorted(names, key=lambda m: (m.article, m.field != "text", m.field, m.start)))
        entities.append(entity)
    _add_descriptions(comparison, entities)
    entities.sort(key=lambda e: (-len(e.articles), e.mentions[0].article, e.mentions[0].start))
    for number, entity in enumerate(entities, start=1):
        entity.id = f"e{number}"
    return entities


def _groups_of(indices: Iterable[int], key: list) -> dict:
    """`indices` by their `key`, each group in order."""
    groups: dict = {}
    for i in indices:
        groups.setdefault(key[i], []).append(i)
    return groups


def _pairs_within(groups: Iterable[list[int]]) -> set[tuple[int, int]]:
    """Every pair (i < j) of indices of one group."""
    return {(i, j) for group in groups for n, i in enumerate(group) for j in group[n + 1 :]}


def _pairs_with(some: list[int], others: list[int]) -> set[tuple[int, int]]:
    """Every pair (i < j) of an index of `some` and another of `others`."""
    return {(min(i, j), max(i, j)) for i in some for j in others if i != j}


def _defines(article: Article, name: EntityMention, other: EntityMention) -> bool:
    """'NAME (OTHER)' or 'NAME forces (OTHER)': the text gives OTHER as another name of NAME."""
    text = article.field_text(name.field)
    return bool(_OPENS_DEFINITION.fullmatch(text, name.end, other.start)) and text[other.end : other.end + 2].lstrip().startswith(")")


_OPENS_DEFINITION = re.compile(r"(?:\s+[a-z][\w'’-]*){0,2}\s*\(\s*")


def _surname_of(a: str, b: str) -> bool:
    ka, kb = name_key(a), name_key(b)
    short, long = (ka, kb) if len(ka) <= len(kb) else (kb, ka)
    return len(short) == 1 and len(long) in (2, 3) and len(short[0]) >= 4 and short[0] == long[-1]


def _person_and_place(a: str, b: str) -> bool:
    """'ambassador to Baghdad (Douglas A. Silliman)': a person in parentheses after a place is a
    description's completion, not another name of the place."""
    places = {"GPE", "LOC", "FAC", "NORP"}
    return (a == "PERSON" and b in places) or (b == "PERSON" and a in places)


def _add_descriptions(comparison: Comparison, entities: list[Entity]) -> None:
    """Descriptions that stand for a person: appositions, titles, and resolved speakers. A name
    the recognizer called an organisation or a place but the text calls a spokeswoman is a person."""
    for entity in entities:
        # a title or role beside a two-word name makes it a person, whatever the recognizer said
        # ("President Octavia Lume" is no place)
        if entity.type in ("ORG", "NORP", "GPE", "LOC", "FAC") and any(
            m.kind == "name" and len(name_key(m.text)) >= 2 and _descriptions_around(comparison.articles[m.article].field_text(m.field), m.start, m.end)
            for m in entity.mentions
        ):
            entity.type = "PERSON"
    people = [e for e in entities if e.type == "PERSON"]
    for entity in people:
        for m in list(entity.mentions):
            if m.kind != "name":
                continue
            text = comparison.articles[m.article].field_text(m.field)
            for start, end in _descriptions_around(text, m.start, m.end):
                entity.mentions.append(EntityMention(m.article, start, end, text[start:end], "description", m.field))
    for article in comparison.articles:
        for quote in article.quotes:
            if quote.speaker_start is None or not quote.named or not quote.speaker:
                continue
            expression = article.text[quote.speaker_start : quote.speaker_end]
            if expression.lower() in ("he", "she", "they", "it") or _key(expression) == _key(quote.speaker):
                continue
            for entity in people:
                if any(m.article == article.id and m.kind == "name" and same_person(m.text, quote.speaker) for m in entity.mentions):
                    if not any(m.article == article.id and m.field == "text" and m.start <= quote.speaker_start < m.end for m in entity.mentions):
                        entity.mentions.append(EntityMention(article.id, quote.speaker_start, quote.speaker_end, expression, "description"))
                    break
    for entity in people:
        seen = set()
        unique = []
        for m in sorted(entity.mentions, key=lambda m: (m.article, m.field != "text", m.field, m.start, -m.end)):
            if (m.article, m.field, m.start) in seen:
                continue
            seen.add((m.article, m.field, m.start))
            unique.append(m)
        entity.mentions = unique


_APPOSITION_AFTER = re.compile(r"^,\s+((?:the|a|an)\s+[^,;()“”\"]{3,90}?),")


_ROLE_OF_BEFORE = re.compile(
    r"(?P<desc>\b(?:[\w'’-]+[ \t]+){0,2}(?:" + "|".join(sorted(PERSON_ROLES)) + r")[ \t]+(?:of|at|for)[ \t]+(?:the[ \t]+)?"
    r"[A-Z][\w'’&-]*(?:[ \t]+[A-Z][\w'’&-]*){0,4}),[ \t]+$"
)


def _descriptions_around(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """'top Iranian general NAME', 'caretaker prime minister, NAME', 'NAME, the commander of ...,'."""
    found = []
    before = text[max(0, start - 80) : start]
    words = list(re.finditer(r"[\w'’-]+", before))
    trailing = before[words[-1].end() :] if words else ""
    if words and re.fullmatch(r",?\s+", trailing) and words[-1].group(0).lower() in PERSON_ROLES:
        first = len(words) - 1
        while first > 0:
            word = words[first - 1].group(0)
            if not re.fullmatch(r"[ \t]+", before[words[first - 1].end() : words[first].start()]):
                break  # a description never runs over punctuation or a line break ("Daily.\n\nMayor")
            if word.lower() in _MODIFIERS or word.lower() in PERSON_ROLES or (word[0].isupper() and word.lower() not in ("the", "a", "an", "in", "on", "of")):
                first -= 1
            else:
                break
        found.append((start - len(before) + words[first].start(), start - len(before) + words[-1].end()))
    # "The chief executive of Sarnet Breweries, Lorcan Mistry, ..." (the long pattern is searched
    # only where it could end: after a comma and spaces, "$" allowing a final line break)
    if not found and before.rstrip(" \t\n").endswith(",") and (role_of := _ROLE_OF_BEFORE.search(before)):
        found.append((start - len(before) + role_of.start("desc"), start - len(before) + role_of.end("desc")))
    match = _APPOSITION_AFTER.match(text[end : end + 120])
    if match and any(w.lower() in PERSON_ROLES for w in re.findall(r"[\w'’-]+", match.group(1))):
        found.append((end + match.start(1), end + match.end(1)))
    return found


class EntityLinker:
    """Pipeline component: fills `comparison.entities` from the names found in every article."""

    name = "entities"

    def __call__(self, comparison: Comparison) -> None:
        # a pipeline without the `names` stage: find them here (an article with no names at all,
        # beside others that have some, is not run through the recognizer twice)
        if not any(article.named_entities for article in comparison.articles):
            for article, names in zip(comparison.articles, find_all_named_entities(comparison.articles)):
                article.named_entities = names
        comparison.entities = link_entities(comparison)
