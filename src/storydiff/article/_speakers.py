"""Who a speaker expression stands for, within one article.

"Major General Abdul Karim Khalaf", "Khalaf", "he", "the senior Iraqi military official",
"the 78-year-old politician", "Iraq's military spokesman": the article names a person once in full
and then refers back (or forward) with a surname, a pronoun or a description. This module keeps a
register of the names an article uses and resolves each expression to the most complete name, or
keeps it as an unnamed source ("an Iraqi security source", "officials"), never guessing a name for it.

Hand-written rules, because no offline library resolves coreference for news here (spaCy's small
English pipeline has no coreference component, and neural resolvers download their models). The
rules follow news style: a pronoun refers to the last speaker; a definite description to a name
given with the same title ("Mayor Lena Okafor" / "the mayor") or in apposition ("caretaker prime
minister, Adel Abdul-Mahdi"), else to the person last named before it, else to the next person quoted.
"""

from __future__ import annotations

import bisect
import difflib
import re
from dataclasses import dataclass, field
from functools import lru_cache

from ._attribution import GROUP_NOUNS, NAME, ORGANIZATION_ROLES, PERSON_ROLES, ROLE_NOUNS
from ._values import MONTHS, WEEKDAYS

# Words that may stand before a name as a title or role; they are not part of the name.
TITLE_WORDS = frozenset(
    """president vice prime minister mayor governor senator sen sen. representative rep rep. secretary general gen gen.
    major maj maj. lieutenant lt lt. colonel col col. captain capt capt. admiral adm adm. sergeant sgt sgt. corporal cpl
    cpl. chief commander ambassador envoy judge justice chancellor king queen prince princess sheikh pope bishop reverend
    rev rev. dr dr. mr mr. mrs mrs. ms ms. professor prof prof. spokesman spokeswoman spokesperson foreign defense defence
    interior finance state former acting caretaker deputy premier chairman chairwoman director officer fisherman
    brigadier marshal field sir lord lady speaker leader minister-president attorney detective inspector agent
    us u.s. uk u.k. eu midfielder defender striker forward goalkeeper quarterback pitcher councillor councilor
    councilman councilwoman alderman assemblyman assemblywoman""".split()
) | (PERSON_ROLES - frozenset("man woman person member friend user head star".split()))  # "Coach Lena Okafor"
UNNAMED_MARKERS = frozenset("unnamed anonymous unidentified familiar".split())
_PRONOUNS = frozenset("he she they it".split())
_POSSESSIVES = {"his": "he", "her": "she", "their": "they", "its": "it"}
_STOP_OPENERS = frozenset(
    """the a an in on at but and or for to from with by as if when while after before this that these those separately
    currently instead later meanwhile however also there here it what who which during since until so yet still""".split()
)
_NAME_RUN = re.compile(NAME)
_ORG_WORDS = frozenset(
    """agency forces force corps airport base department council party ministry government news newspaper times post
    university company group coalition agreement army navy command office court committee union bank station radio
    service organization organisation association institute foundation house senate congress parliament assembly
    units unit brigade brigades militia league federation alliance society club commission authority network
    corporation corp inc ltd trust fund police productions records studios pictures entertainment media holdings
    partners labs systems airlines airways motors""".split()
)
_ROLE = re.compile(r"\b(?:" + ROLE_NOUNS + r")\b", re.IGNORECASE)


_GROUPS = frozenset(GROUP_NOUNS.split("|"))
# Descriptions of a business by its trade ("the French manufacturer", "the Japanese carmaker").
_COMPANY_NOUNS = frozenset(
    "airline automaker bank brand brokerage carmaker carrier chain company developer firm insurer label lender maker manufacturer operator publisher retailer utility".split()
)
_DEMONYM = re.compile(r"^(?:[A-Z][a-z]+(?:an|ian|ese|ish|ch|i|ic)|US|U\.S\.|UK|U\.K\.)$")
_QUANTIFIERS = frozenset("some many others several most".split())


def _is_unnamed(expression: str, words: list[str], head_word: str | None) -> bool:
    """'an Iraqi security source', 'the unnamed source', 'officials', 'coalition forces', 'Both
    sides', 'Recent governments'; not a proper name built on a group word ('Indiana State Police')."""
    if words[0] in ("a", "an", "one", "another") or UNNAMED_MARKERS & set(words):
        return True
    written = expression.split()
    if len(written) >= 2 and all(w[:1].isupper() for w in written if w.lower() not in _NAME_JOINERS):
        return False
    if head_word in _GROUPS and words[0] not in ("the", "his", "her", "their", "its"):
        return True
    # Capitalised only because it opens a sentence: "Recent governments have recognized ...".
    possessive = words[0].endswith(("'s", "’s"))  # "China's commerce ministry" identifies its source
    return len(written) >= 2 and not possessive and words[0] not in _NAME_JOINERS and not any(w[:1].isupper() for w in written[1:])


_NAME_JOINERS = frozenset("of and for the de la".split())


def _plural(word: str) -> bool:
    """'authors', 'supporters', never 'boss' or 'press'; roles of one person ('the 56-year-old') are not plural."""
    return word.endswith("s") and not word.endswith(("ss", "us", "is")) and word not in PERSON_ROLES and word[:-1] in PERSON_ROLES | _MORE_SINGULARS


_DOCUMENT_HEADS = frozenset("study report survey paper analysis research review audit website poll".split())
_MORE_SINGULARS = frozenset("author co-author physician supporter critic engineer nurse official".split())


def _role_just_before(before: str, roles: str) -> bool:
    """Text before a name ends with a role in apposition: "the spokesman ", "ambassador to Britain, ",
    "ambassador to Britain ". After a longer phrase a comma must close it: in "the ambassador to
    Britain accused the UK" the UK is no ambassador."""
    return bool(re.search(
        r"\b(?:" + roles + r")\b(?:[ \t]*[,(]?[ \t]*|\s+(?:of|for|at|in|to)\s+(?:the\s+)?[\w'’-]+(?:\s+[\w'’-]+){0,3}[ \t]*[,(][ \t]*"
        r"|\s+(?:of|for|at|in|to)\s+(?:the\s+)?(?!(?:the|a|an|his|her|its|their)\b)[\w'’.-]+[ \t]+)$",  # "ambassador to Britain Liu Xiaming"
        before,
    ))


def _is_group(description: str | None) -> bool:
    """'officials in Kabul', 'coalition forces': several people, never 'he' or 'she'."""
    core = re.split(r"\s+(?:in|at|from|of|for|familiar|close|who)\s+", (description or "").lower(), maxsplit=1)[0]
    return bool(core.split()) and core.split()[-1] in _GROUPS


def same_person(a: str, b: str) -> bool:
    """'Khalaf' / 'Abdul Karim Khalaf', 'Abdul-Karim Khalaf' / 'Abdul Karim Khalaf', 'Liu' / 'Liu Xiaming'."""
    ka, kb = name_key(person_name(a)), name_key(person_name(b))
    if not ka or not kb:
        return False
    short, long = (ka, kb) if len(ka) <= len(kb) else (kb, ka)
    if not set(short) <= set(long):
        return False
    # One word may be a surname written first or last; more must end alike.
    return len(short) == 1 and short[0] in (long[0], long[-1]) or short[-1] == long[-1]


def similar_names(a: str, b: str) -> bool:
    """One person (or body) under two spellings: `same_person`, or the same number of words, each
    equal or alike ("Qassem Soleimani" / "Qasem Soleimani")."""
    if same_person(a, b):
        return True
    ka, kb = name_key(a), name_key(b)
    if len(ka) < 2 or len(kb) < 2 or len(ka) != len(kb):
        return False
    return all(x == y or (len(x) >= 4 and _alike(x, y)) for x, y in zip(ka, kb))


def _alike(x: str, y: str) -> bool:
    """difflib's ratio of two words at least 0.8; its cheap upper bounds rule most pairs out first."""
    matcher = difflib.SequenceMatcher(None, x, y)
    return matcher.real_quick_ratio() >= 0.8 and matcher.quick_ratio() >= 0.8 and matcher.ratio() >= 0.8


@lru_cache(maxsize=8192)
def person_name(name: str) -> str:
    """A person's name without a trailing affiliation ('Joneigh Khaldun of the Michigan Department ...')."""
    return re.split(r"\s+(?:of|for|from|at)\s+(?:the\s+)?[A-Z]", name, maxsplit=1)[0]


_SUFFIXES = frozenset("jr sr ii iii iv".split())


@lru_cache(maxsize=8192)  # pure, and asked for the same names pair after pair
def name_key(name: str) -> tuple[str, ...]:
    """Tokens of a name for matching: lower case, hyphens and apostrophe forms unified, 'Jr.' dropped."""
    name = name.replace("’", "'").replace("-", " ").lower()
    name = re.sub(r"'s\b", "", name)
    return tuple(t for t in (t.strip(".,") for t in name.split()) if t and t not in _SUFFIXES)


def initials(name: str) -> str:
    """'World Health Organization' -> 'WHO', 'Popular Mobilization Forces' -> 'PMF'."""
    return "".join(w[0] for w in re.findall(r"[A-Za-z][\w'’-]*", name) if w[0].isupper())


_ACRONYM = re.compile(r"[A-Z][A-Z&]{1,6}")


def is_acronym(text: str) -> bool:
    """'WHO', 'U.S.', 'PG&E': what `spells_out` takes for an acronym (dots ignored)."""
    return bool(_ACRONYM.fullmatch(text.replace(".", "")))


def spells_out(acronym: str, name: str) -> bool:
    """'WHO' / 'World Health Organization', 'U.S.' / 'United States' (dots ignored)."""
    letters = acronym.replace(".", "")
    if not is_acronym(acronym) or len(name.split()) < 2:
        return False
    # "PG&E" / "Pacific Gas & Electric Co.": the "&" spells nothing, a company suffix is left out.
    return initials(name) == letters or initials(_COMPANY_SUFFIX.sub("", name)) == letters.replace("&", "")


_COMPANY_SUFFIX = re.compile(r",?\s+(?:Co|Inc|Corp|Ltd|LLC|PLC|Company|Corporation)\.?$")


def names_nest(a: str, b: str) -> bool:
    """One name's words all stand in the other: "Baghdad" / "Baghdad International Airport",
    "Herald" / "Merrowgate Herald", "Ruiz" / "Tom Ruiz"; never "Niger" / "Nigeria"."""
    words_a, words_b = set(name_key(a)), set(name_key(b))
    return bool(words_a and words_b) and (words_a <= words_b or words_b <= words_a)


_ABBREVIATIONS = {
    "gov": "governor", "sen": "senator", "rep": "representative", "gen": "general", "lt": "lieutenant",
    "col": "colonel", "capt": "captain", "adm": "admiral", "sgt": "sergeant", "dr": "doctor", "pres": "president",
    "supt": "superintendent", "prof": "professor", "amb": "ambassador",
}


def role_words(text: str) -> set[str]:
    """Lower-case words of a title, abbreviations written out ('Gov.' -> 'governor')."""
    words = {w.strip(".,").lower() for w in re.split(r"[\s-]+", text)}
    return words | {_ABBREVIATIONS[w] for w in words if w in _ABBREVIATIONS}


def strip_titles(name: str) -> str:
    """'US President Donald Trump' -> 'Donald Trump'; 'Major-General Abdul Karim Khalaf' -> 'Abdul Karim Khalaf'.
    A body's name keeps its words: 'Indiana State Police' is not 'Police'."""
    tokens = name.replace("’s", "").replace("'s", "").split()
    if len(tokens) >= 2 and tokens[-1].lower().strip(",.") in _ORG_WORDS:
        return " ".join(tokens).strip(" ,.")
    cut = 0
    for index, token in enumerate(tokens):
        parts = token.lower().split("-")
        if all(p in TITLE_WORDS for p in parts) or (len(parts) > 1 and parts[-1] in ("born", "based")):
            cut = index + 1  # "Australian-born Assange", "London-based ..."
    rest = tokens[cut:] or tokens
    return " ".join(rest).strip(" ,.")


@dataclass
class NameMention:
    start: int
    end: int
    text: str  # as written, titles included
    name: str  # titles stripped
    titled: bool
    person: bool = False


# What ends a role in apposition after a name ("Lee, the mayor, said", "Lee, a doctor at ..."); not a
# verb of its own ("published in the Reports, the 43-year-old man had suffered": a new subject).
_APPOSITION_END = r"(?!\s+(?:had|has|have|was|were|is|are|will|would|could|can|did|does|may|might)\b)"

# A phrase that opens a sentence before its subject, and the verb after that subject.
_OPENING_PHRASE = re.compile(
    r"(?:Following|After|Before|During|Despite|Since|Having|Speaking|Asked|Later|Earlier|Minutes|Hours|Moments)\b[^.;:]{0,120}?[,”\"]+\s+$"
)
_VERB_AFTER = re.compile(r"\s+(?:also\s+|then\s+|later\s+)?[a-z]+(?:ed|s)\b")

_CALENDAR = frozenset(WEEKDAYS) | frozenset(MONTHS)
# A proper name with its joiners, on one line: "Doctors for Camp Closure", "Center for Disease Control and Prevention".
_LONG_NAME = r"[A-Z][\w'’&-]*(?:[^\S\n]+(?:(?:of|for|and|on|the|&)[^\S\n]+)*[A-Z][\w'’&-]*)*"
_NAME_OF_BODY = re.compile(r"^(?P<name>" + NAME + r")\s+(?:of|at|from|with)\s+\S")
_TWO_NAMES = re.compile(r"^(?P<a>" + NAME + r")\s+and\s+(?P<b>" + NAME + r")$")
_WITH_TEAM = re.compile(r"^(?P<person>" + NAME + r")\s+(?P<team>and\s+(?:his|her|their)\s+(?:team|colleagues|co-authors|co-workers))$")
# Words before a name that make it something other than its sentence's subject ("According to Lee", "After meeting Lee").
_NOT_A_SUBJECT = re.compile(r"[“\"‘]|\b(?:according|after|before|with|by|for|of|from|to|at|on|in|than|like|unlike|about|against|as)\b", re.I)


# Words that place or time a sentence, and never say anything themselves: an expression made of
# them ("Saturday", "Earlier Sunday", "Last week") or opening with a preposition ("In California")
# is a misread subject, not a speaker.
_TIME_WORDS = frozenset(
    """earlier later today yesterday tonight last this next week weekend month year morning afternoon
    evening night day days recently meanwhile then now also""".split()
) | _CALENDAR
_PLACE_OPENERS = frozenset("in on at during after before since from until by across inside outside".split())
# Nouns for parts of a text or counts of things ("One question asks", "Another reads"): the
# question is not the one who asked it.
_NOT_SPEAKERS = frozenset("question questions another one item items line lines point points".split())


def can_speak(words: list[str]) -> bool:
    """Whether a subject expression (lower-case words) can be someone who says something; the
    writer's "I" or "we" (in a quoted post or letter) names no one."""
    if all(w in _TIME_WORDS or w.isdigit() for w in words):
        return False
    if len(words) == 1 and words[0] in ("i", "we", "me", "us", "you"):
        return False
    if words[0] in _PLACE_OPENERS:
        return False
    return not (len(words) <= 2 and words[-1] in _NOT_SPEAKERS)


@dataclass
class Resolution:
    name: str | None  # the most complete name, or the description of an unnamed source
    named: bool
    kind: str  # person | organization | unnamed | unknown


@dataclass
class SpeakerRegister:
    """The names one article uses, and the speakers resolved so far (in text order)."""

    text: str
    sentence_starts: list[int]
    names: list[NameMention] = field(default_factory=list)
    spoken: list[tuple[int, Resolution]] = field(default_factory=list)  # (position, who spoke there)
    frame_speakers: list[tuple[int, str]] = field(default_factory=list)  # people named as speakers, in order
    recognized: list[tuple[int, int]] = field(default_factory=list)  # PERSON spans from the recognizer
    organizations: list[tuple[int, int]] = field(default_factory=list)  # ORG spans from the recognizer
    issuers: list[tuple[int, Resolution]] = field(default_factory=list)  # who spoke through a statement, letter, post
    _long_names: list[str] | None = None  # capitalised runs with their joiners ("Centre for Disease Control"), found once
    _lower: str | None = None  # the text in lower case, made once

    @classmethod
    def build(
        cls, text: str, sentence_starts: list[int], people: list[tuple[int, int]] = (), organizations: list[tuple[int, int]] = ()
    ) -> SpeakerRegister:
        """`people`, `organizations`: spans a named-entity recognizer labelled PERSON or ORG, when one has run."""
        register = cls(text, sentence_starts)
        register.recognized = list(people)
        register.organizations = list(organizations)
        starts = set(sentence_starts)
        person_starts = {start for start, _ in register.recognized}
        for match in _NAME_RUN.finditer(text):
            tokens = [(m.start() + match.start(), m.group(0)) for m in re.finditer(r"\S+", match.group(0))]
            # A capitalised function word opening a sentence or a quotation is not part of a name.
            while tokens and (tokens[0][0] in starts or text[tokens[0][0] - 1 : tokens[0][0]] in ("", "“", '"', "‘")) and tokens[0][1].lower() in _STOP_OPENERS:
                tokens = tokens[1:]
            # A person the recognizer found inside the run starts a name of its own: "to Britain Liu
            # Xiaming" is Britain, then Liu Xiaming.
            cut = next((i for i, (p, _) in enumerate(tokens) if i and p in person_starts), None)
            if cut is not None:
                tokens = tokens[cut:]
            if not tokens:
                continue
            start, end = tokens[0][0], tokens[-1][0] + len(tokens[-1][1])
            raw = text[start:end]
            name = strip_titles(raw)
            titled = name != raw.replace("’s", "").replace("'s", "").strip(" ,.")
            register.names.append(NameMention(start, end, raw, name, titled))
        register._mark_people()
        return register

    def _mark_people(self) -> None:
        text = self.text
        for mention in self.names:
            before = text[max(0, mention.start - 60) : mention.start].lower()
            after = text[mention.end : mention.end + 40].lower()
            appositive = _role_just_before(before, "|".join(PERSON_ROLES)) or re.match(
                r"^[,(]\s*(?:the|a|an)?\s*(?:[\w'-]+\s+){0,3}(?:" + "|".join(PERSON_ROLES) + r")\b" + _APPOSITION_END, after
            )
            last = name_key(mention.name)[-1:] or ("",)
            # The recognizer's PERSON must cover the whole run: "Iraq's Hashd al-Sha'abi" with only
            # "Hashd al-Sha'abi" labelled is a possessive phrase, not a person's name.
            recognized = any(start <= mention.start and mention.end <= end for start, end in self.recognized)
            if mention.name.lower() in _CALENDAR:
                continue  # "early Tuesday, Jefferies analyst ...": a day, not the analyst
            if mention.titled or appositive or (recognized and len(name_key(mention.name)) >= 2):
                mention.person = not (last[0] in _ORG_WORDS)
        # A surname of a known person is that person ("Khalaf", "Abdul-Mahdi").
        people = [m for m in self.names if m.person]
        for mention in self.names:
            if not mention.person and any(self._same_person(mention.name, p.name) for p in people):
                mention.person = True

    @staticmethod
    def _same_person(a: str, b: str) -> bool:
        return same_person(a, b)

    def full_name(self, name: str) -> str:
        """The most complete form of a person's name in this article ('Khalaf' -> 'Abdul Karim Khalaf'):
        the variant with most words, the first used on a tie, so every variant maps to one name."""
        name = strip_titles(name)
        best, best_words = None, 0
        for mention in self.names:
            words = len(name_key(mention.name))
            if mention.person and self._same_person(mention.name, name) and words > best_words:
                best, best_words = mention.name, words
        return best or name

    def _sentence_index(self, position: int) -> int:
        """The sentence holding `position` (the first one before any sentence starts)."""
        return max(0, bisect.bisect_right(self.sentence_starts, position) - 1)

    def resolve(self, start: int, end: int) -> Resolution:
        """Who the speaker expression text[start:end] stands for."""
        expression = self.text[start:end].strip()
        words = [w.lower().strip(",.’'") for w in expression.split()]  # "the researchers’": the researchers
        if not words or not can_speak(words):
            return Resolution(None, False, "unknown")
        # The head noun comes before any attached phrase: "the spokesman for the ... Armed Forces".
        core = re.split(r"\s+(?:for|of|at|in|from|with|who|that|familiar|close)\s+", expression, maxsplit=1)[0]
        core_words = [w.rstrip("’'") if w.endswith(("s’", "s'")) else w for w in core.lower().split()]
        head = _ROLE.findall(core)
        head_word = core_words[-1] if core_words[-1] in _GROUPS else head[-1].lower() if head else None
        if head_word is None and words[0] in ("the", "his", "her", "their", "its") and len(core_words) >= 2:
            head_word = core_words[-1]  # "the 56-year-old", "the singer and guitarist"
        belongs = _NAME_OF_BODY.match(expression)
        named_end = start + belongs.end("name") if belongs else start
        if belongs and (
            any(m.person and start < m.end <= named_end for m in self.names) or any(start <= a and b <= named_end for a, b in self.recognized)
        ):
            # "Mara Quist of the harbour police": Mara Quist ("Secretary of State Mike Pompeo" is no such phrase)
            return self.resolve(start, named_end)
        pair = _TWO_NAMES.match(expression)
        if pair:  # "Volker and Morrison said": both, under their full names
            first, second = self.resolve(start, start + pair.end("a")), self.resolve(start + pair.start("b"), end)
            if first.name and second.name and first.named and second.named:
                kind = "person" if first.kind == second.kind == "person" else "unknown"
                return Resolution(f"{first.name} and {second.name}", True, kind)
        team = _WITH_TEAM.match(expression)
        if team:  # "Paganini and his team": the person and their team, as one speaker
            person = self.resolve(start, start + team.end("person"))
            if person.name:
                return Resolution(f"{person.name} {team.group('team')}", person.named, person.kind)
        if len(words) == 1 and words[0] in _QUANTIFIERS:
            return Resolution(expression, False, "unnamed")  # "Some said ...": some of those just mentioned
        if words[0] == "the" and len(words) >= 2 and all(w[:1].isupper() for w in expression.split()[1:] if w.lower() not in ("of", "and", "for", "the")):
            expression, words = expression.split(None, 1)[1], words[1:]  # "The San Francisco Chronicle": a name
            start = end - len(expression)
        if len(words) == 2 and words[0] in ("his", "her") and words[1] in ORGANIZATION_ROLES:
            # "His office said": the office of the person "his" stands for ("Eric Holcomb's office")
            owner = self.resolve(start, start + len(expression.split()[0]))
            if owner.name and owner.kind == "person":
                return Resolution(f"{owner.name}'s {words[1]}", True, "organization")
        if len(words) == 1 and words[0] in _POSSESSIVES:  # "his vow that ...": he vowed
            words = [_POSSESSIVES[words[0]]]
        if len(words) == 1 and words[0] in _PRONOUNS:
            if words[0] in ("it", "they"):  # an organisation or a group, more often than a person
                earlier = [r for p, r in self.spoken if p < start and r.name and r.kind != "person"]
                if earlier and (words[0] == "it" or not self.last_speaker(start) or earlier[-1] is self.last_speaker(start)):
                    return earlier[-1]
            earlier = self.last_speaker(start)
            if words[0] in ("he", "she"):
                # A person who opens a sentence since the last attribution is the one "he" means
                # ('Simmons teed up McDonald's cameo. “...,” he said.'): subjects stay in focus.
                subject = self._recent_subject(start, after=max((p for p, r in self.spoken if p < start and r.name), default=-1))
                if subject:
                    return subject
            if earlier and earlier.kind != "person" and words[0] in ("he", "she"):
                # "he" is one person: not "officials in Kabul" or a company quoted before.
                singular = earlier.kind == "unnamed" and not _is_group(earlier.name)
                if not singular:
                    return self._last_person(start) or earlier
            return earlier or self._last_person(start) or Resolution(None, False, "unknown")
        if head_word in _DOCUMENT_HEADS and words[0] in ("the", "a", "an", "its", "their", "his", "her"):
            # "a report from Kotak Equities", "a report in the Argus Leader": its publisher speaks;
            # "The report says" after one: the same publisher.
            publisher = self._publisher(start, end, head_word)
            if publisher:
                return publisher
        if _is_unnamed(expression, words, head_word):
            return self._unnamed(start, expression, head_word)
        # An expression ending in a person's name is that person: "China's ambassador to Britain Liu Xiaming".
        named_person = [(s, e) for s, e in self.recognized if start < s and e == end]
        if named_person:
            return Resolution(person_name(self.full_name(self.text[named_person[0][0] : end])), True, "person")
        possessive = "'s" in expression.replace("’", "'") and expression[:1].isupper() and words[0] != "the"
        if head_word and possessive:
            # "Bolivia's public defender's office", "Swift's rep": the description identifies its
            # source; "Iraq's military spokesman" may also stand for a person named nearby.
            if head_word in PERSON_ROLES:
                described = self._describe(start, end, head_word, nearby_only=True)
                if described:
                    return described
            kind = "organization" if head_word in ORGANIZATION_ROLES else "person"
            return Resolution(expression, True, kind)
        body = self._group_body(words[1]) if len(words) == 2 and words[0] == "the" and words[1].endswith("s") else None
        if body:
            return Resolution(body, True, "organization")
        if head_word and words[0] in ("the", "his", "her", "their", "its"):
            if head_word in ORGANIZATION_ROLES:
                modifiers = [w for w in core.split()[1:-1] if w[:1].isupper()]
                if head_word in _COMPANY_NOUNS and modifiers and all(_DEMONYM.match(w) for w in modifiers):
                    # "the German automaker" after "Volkswagen is showing ...": a company of that
                    # country, the one opening a recent sentence.
                    focus = self._opening_body(start)
                    if focus:
                        return focus
                if modifiers:
                    # "the US coalition", "the Iraqi government": a description that identifies.
                    return Resolution(expression.removeprefix("the ").removeprefix("The "), True, "organization")
                return self._organization(start, expression)
            if head_word in _GROUPS or _plural(head_word):
                # "the doctors", "the authors": never one person; the body the text names after them, if any ("Doctors for Camp Closure")
                body = next((m.name for m in self.names if m.start < start and not m.person and len(m.name.split()) >= 2
                             and head_word in m.name.lower().split()), None)
                return Resolution(body, True, "organization") if body else Resolution(expression, False, "unnamed")
            if head_word in _DOCUMENT_HEADS and len(words) <= 3:
                return Resolution(expression, False, "unnamed")  # "The study found": the study itself speaks
            earlier = self.last_speaker(start)
            if head_word not in PERSON_ROLES and earlier and earlier.kind == "unnamed":
                return earlier  # "the insider added" after "a source close to ...": the same unnamed speaker
            introduced = self._introduced_unnamed(start, head_word)
            if introduced:
                return introduced  # "the spokesperson said" after "A spokesperson who did not wish to be named"
            return self._describe(start, end, head_word) or Resolution(expression, False, "unnamed")
        # A name (with or without titles); an acronym the article spells out stands for that name.
        name = strip_titles(expression)
        spelled = self._spelled_out(name)
        if spelled:
            return Resolution(spelled, True, "organization")
        mention = next((m for m in self.names if m.start <= start < m.end or start <= m.start < end), None)
        person = bool(mention and mention.person) or any(m.person and self._same_person(m.name, name) for m in self.names)
        if person:
            return Resolution(person_name(self.full_name(name)), True, "person")
        return Resolution(name, True, "organization" if name_key(name)[-1:] and name_key(name)[-1] in _ORG_WORDS else "unknown")

    def long_names(self) -> list[str]:
        """Capitalised runs of the text with their joiners, a leading "The" left out."""
        if self._long_names is None:
            self._long_names = [re.sub(r"^The\s+", "", m.group(0)) for m in re.finditer(_LONG_NAME, self.text)]
        return self._long_names

    def _group_body(self, head_word: str) -> str | None:
        """The body a group description is said to belong to: "The doctors, members of a recently
        formed group Doctors for Camp Closure, ..." makes every "the doctors" that group."""
        match = re.search(
            r"\b[Tt]he\s+(?:[\w-]+\s+)?" + re.escape(head_word) + r",\s+(?:all\s+)?(?:members|part|founders|representatives)\s+of\s+"
            r"(?:the\s+|an?\s+)?(?:[a-z][\w-]*\s+){0,3}(?P<name>" + _LONG_NAME + r")",
            self.text,
        )
        return match.group("name") if match else None

    def _spelled_out(self, name: str) -> str | None:
        """The full name an acronym stands for in this article: "WHO" / "World Health Organization",
        "the CDC" / "Centre for Disease Control", "Chinese CDC" / "Chinese Center for Disease Control and Prevention"."""
        words = name.split()
        if not words or not _ACRONYM.fullmatch(words[-1].replace(".", "")) or not all(w[:1].isupper() for w in words):
            return None
        wanted = "".join(w[0] for w in words[:-1]) + words[-1].replace(".", "")
        for candidate in self.long_names():
            letters = initials(candidate)
            if len(candidate.split()) >= 2 and candidate != name and (
                letters == wanted or spells_out(wanted, candidate) or len(wanted) >= 3 and letters.startswith(wanted) and len(letters) - len(wanted) <= 1
            ):
                return candidate
        return None

    def _organization(self, start: int, expression: str) -> Resolution:
        """'the company' after 'Big Machine said ...': the organisation last quoted, else the last
        organisation-like name in the few sentences before; else the description itself."""
        # "the port authority" is not whichever body spoke last: its modifiers must fit the name.
        modifiers = [w for w in expression.lower().split()[1:-1] if len(w) >= 4]

        def fits(name: str) -> bool:
            return all(w[:5] in name.lower() for w in modifiers)

        spoken = [(p, r) for p, r in self.spoken if p < start and r.name and r.named and r.kind in ("organization", "unknown")]
        fitting = [(p, r) for p, r in spoken if fits(r.name)]
        if fitting:
            # A body quoted before and named again since the last one spoke is the one in focus:
            # 'Dick Clark said ... Swift accused Big Machine of ... The company denied' is Big Machine.
            floor = max(fitting[-1][0], self.sentence_starts[max(0, self._sentence_index(start) - 2)])
            again = [m for m in self.names if floor < m.start < start and not m.person]
            for mention in reversed(again):
                quoted = next((r for _, r in reversed(fitting) if names_nest(r.name, mention.name)), None)
                if quoted is not None:
                    return quoted
            return fitting[-1][1]
        floor = self.sentence_starts[max(0, self._sentence_index(start) - 3)]
        # A body the recognizer names, rather than a place ("PG&E ... the Sierra Nevada foothills. The utility said").
        bodies = [self.text[a:b] for a, b in self.organizations if floor <= a and b <= start and fits(self.text[a:b])]
        if bodies:
            return Resolution(re.sub(r"^(?:[Tt]he\s+)", "", bodies[-1]).removesuffix("'s").removesuffix("’s"), True, "organization")
        names = [m for m in self.names if floor <= m.start < start and not m.person and len(m.name.split()) >= 2 and fits(m.name)]
        if names:
            return Resolution(names[-1].name, True, "organization")
        if modifiers:
            # "the utilities commission" for "the California Public Utilities Commission" named anywhere before
            head = expression.lower().split()[-1]
            named = [n for n in self.long_names() if fits(n) and head in n.lower().split() and len(n.split()) >= 2 and self.text.find(n) < start]
            if named:
                return Resolution(named[-1], True, "organization")
        if "'s" in expression.replace("’", "'"):
            return Resolution(expression.removeprefix("the ").removeprefix("The "), True, "organization")
        return Resolution(expression, False, "unnamed")

    def _publisher(self, start: int, end: int, head_word: str, *, within: int = 4) -> Resolution | None:
        """The body a document is "from", "by" or "in" ("a report in the Argus Leader"), written in
        the expression or just after it; for "the report" alone, the one of the last such document
        in the `within` sentences before."""
        publisher = re.compile(r"\b" + re.escape(head_word) + r"\s+(?:from|by|in)\s+(?:the\s+)?(?P<name>" + _LONG_NAME + r")")
        found = publisher.match(self.text, start + self.text[start:end].lower().rfind(head_word))
        if found is None and self.text[start:end].lower().split()[0] == "the":
            floor = self.sentence_starts[max(0, self._sentence_index(start) - within)]
            earlier = list(publisher.finditer(self.text, floor, start))
            found = earlier[-1] if earlier else None
        if found is None:
            return None
        name = person_name(found.group("name").removesuffix("'s").removesuffix("’s"))  # "Argus Leader of Sioux Falls"
        return Resolution(name, True, "organization")

    def _opening_body(self, position: int, *, within: int = 2) -> Resolution | None:
        """The body the recognizer names at the opening of the latest of the `within` sentences
        before `position` (or of its own), as "he" is the person opening one."""
        index = self._sentence_index(position)
        for k in range(index, max(-1, index - within - 1), -1):
            opening = self.sentence_starts[k]
            bodies = [(a, b) for a, b in self.organizations if opening <= a < min(position, opening + 3)]
            if bodies:
                return Resolution(self.text[slice(*bodies[0])].removesuffix("'s").removesuffix("’s"), True, "organization")
        return None

    def _unnamed(self, start: int, expression: str, head_word: str | None) -> Resolution:
        # "the unnamed source" after "an Iraqi security source": the same unnamed speaker.
        if expression.lower().startswith("the ") and head_word:
            for _, earlier in reversed([s for s in self.spoken if s[0] < start]):
                if earlier.kind == "unnamed" and earlier.name and head_word in earlier.name.lower():
                    return earlier
        return Resolution(expression, False, "unnamed")

    def last_speaker(self, position: int) -> Resolution | None:
        earlier = [r for p, r in self.spoken if p < position and r.name]
        return earlier[-1] if earlier else None

    def _last_person(self, position: int, *, within: int | None = None) -> Resolution | None:
        floor = self.sentence_starts[max(0, self._sentence_index(position) - within)] if within is not None else 0
        people = [m for m in self.names if m.person and floor <= m.start and m.end <= position]
        return Resolution(self.full_name(people[-1].name), True, "person") if people else None

    def _recent_subject(self, position: int, *, after: int, within: int = 2) -> Resolution | None:
        """The person named at the opening of the latest sentence, among the `within` sentences before
        `position` and its own, that starts after `after`; None when none does."""
        index = self._sentence_index(position)
        for k in range(index, max(-1, index - within - 1), -1):
            sentence_start = self.sentence_starts[k]
            if sentence_start <= after:
                return None
            opening = [m for m in self.names if m.person and sentence_start <= m.start < min(position, sentence_start + 40)]
            if not opening:
                # After an opening phrase: "Following a performance of “Black Water,” Simmons teed up ..."
                opening = [
                    m for m in self.names if m.person and sentence_start <= m.start < position
                    and _OPENING_PHRASE.match(self.text, sentence_start, m.start) and _VERB_AFTER.match(self.text, m.end)
                ][:1]
            lead = self.text[sentence_start : opening[0].start].rsplit(",", 1)[-1] if opening else ""  # "On Tuesday, Lee ..."
            if opening and not _NOT_A_SUBJECT.search(lead):
                mention = opening[0]
                # The recognizer's person inside the run, without a title the word lists lack ("Midfielder Tomas Brenner").
                inside = [(a, b) for a, b in self.recognized if mention.start <= a and b == mention.end]
                name = self.text[inside[0][0] : inside[0][1]] if inside else mention.name
                return Resolution(person_name(self.full_name(name)), True, "person")
        return None

    def _introduced_unnamed(self, position: int, head_word: str, *, within: int = 3) -> Resolution | None:
        """An unnamed speaker introduced a few sentences before with an indefinite article ("A
        spokesperson who ..."), when no name stands beside it; the latest one."""
        floor = self.sentence_starts[max(0, self._sentence_index(position) - within)]
        for match in reversed(list(re.finditer(r"\b[Aa]n?\s+(?:[\w-]+\s+){0,2}?" + re.escape(head_word) + r"\b", self.text[floor:position]))):
            after = self.text[floor + match.end() : floor + match.end() + 40]
            if not re.match(r"^,?\s+(?:[A-Z][\w'’-]+\s*){1,3}(?:,|said|told)", after):  # "a spokesman, Ali Raza, said": named
                return Resolution(match.group(0), False, "unnamed")
        return None

    def _salient_person(self, position: int, *, within: int) -> Resolution | None:
        """Of the people named in the last `within` sentences, the one the article has named most
        so far; the latest on a tie."""
        floor = self.sentence_starts[max(0, self._sentence_index(position) - within)]
        recent = [m for m in self.names if m.person and floor <= m.start and m.end <= position]
        if not recent:
            return None
        earlier = [m for m in self.names if m.person and m.end <= position]

        def mentions(candidate: NameMention) -> int:
            return sum(1 for m in earlier if self._same_person(m.name, candidate.name))

        best = max(reversed(recent), key=mentions)  # max keeps the first of equals: the latest
        return Resolution(self.full_name(best.name), True, "person")

    def _describe(self, start: int, end: int, head_word: str, *, nearby_only: bool = False) -> Resolution | None:
        # 1. The same role used as a title or in apposition with a name ("Mayor Lena Okafor", "the mayor").
        for mention in self.names:
            if not mention.person:
                continue
            if mention.start <= start < mention.end:
                continue
            if head_word in role_words(mention.text) or self._appositive(mention, head_word):
                return Resolution(self.full_name(mention.name), True, "person")
        # 2. The person most talked about among those named in the few sentences before ("The
        #    56-year-old said" after "... sacked by Manchester United", which is not him).
        before = self._salient_person(start, within=3)
        if before and self._told_apart(start, end, before.name):
            return None  # "Dempsey told the man to ...", then "the man wrote": someone else, unnamed
        if before:
            return before
        # 3. Nobody before: the next person quoted (a lead sentence's "the spokesman says ..."),
        #    unless another role is written beside them ("Ines Varga, a transport analyst" is not
        #    "the planning director"); else the next person named.
        quoted = [(p, n) for p, n in self.frame_speakers if p >= end and (not nearby_only or p <= end + 300) and not self._other_role(p, head_word)]
        if nearby_only:
            return Resolution(self.full_name(quoted[0][1]), True, "person") if quoted else None
        if quoted:
            return Resolution(self.full_name(quoted[0][1]), True, "person")
        later = [m for m in self.names if m.person and m.start >= end and not self._other_role(m.start, head_word)]
        return Resolution(self.full_name(later[0].name), True, "person") if later else None

    def _told_apart(self, start: int, end: int, name: str) -> bool:
        """Whether an earlier sentence names `name` and uses the description text[start:end] beside
        it, for someone else."""
        if self._lower is None:
            self._lower = self.text.lower()
        description = re.compile(r"\b" + re.escape(self._lower[start:end]) + r"\b")
        current = self._sentence_index(start)
        for match in description.finditer(self._lower, 0, self.sentence_starts[current] if current else 0):
            k = self._sentence_index(match.start())
            sentence_start, sentence_end = self.sentence_starts[k], self.sentence_starts[k + 1]
            if match.end() <= sentence_end and any(
                m.person and sentence_start <= m.start < sentence_end and self._same_person(m.name, name) for m in self.names
            ):
                return True
        return False

    def _other_role(self, position: int, head_word: str) -> bool:
        """Whether the name at `position` carries a person role other than `head_word`, as a title or in apposition."""
        mention = next((m for m in self.names if m.start <= position < m.end), None)
        if mention is None:
            return False
        apposition = re.match(r"^[,(]\s*([^,.;()]*)", self.text[mention.end : mention.end + 50].lower())
        roles = (role_words(mention.text) | set(re.findall(r"[\w-]+", apposition.group(1) if apposition else ""))) & PERSON_ROLES
        return bool(roles) and head_word not in roles

    def _appositive(self, mention: NameMention, head_word: str) -> bool:
        before = self.text[max(0, mention.start - 50) : mention.start].lower()
        after = self.text[mention.end : mention.end + 50].lower()
        return bool(
            _role_just_before(before, re.escape(head_word))
            or re.match(r"^[,(]\s*(?:the|a|an)?\s*(?:[\w'-]+\s+){0,3}" + re.escape(head_word) + r"\b" + _APPOSITION_END, after)
        )

    def note_speaker_names(self, spans: list[tuple[int, int]]) -> None:
        """Where people are named as the speakers of attributions (for descriptions that come first)."""
        for start, end in spans:
            mention = next((m for m in self.names if m.start <= start < m.end and m.person), None)
            if mention:
                self.frame_speakers.append((start, mention.name))
        self.frame_speakers.sort()

    def record(self, position: int, resolution: Resolution, *, issued: bool = False) -> None:
        self.spoken.append((position, resolution))
        if issued and resolution.name:
            self.issuers.append((position, resolution))

    def last_issuer(self, position: int, *, within: int = 8) -> Resolution | None:
        """Who last spoke through a statement (or letter, post) in the `within` sentences before:
        "the statement continued" after another speaker's words in between."""
        floor = self.sentence_starts[max(0, self._sentence_index(position) - within)]
        earlier = [r for p, r in self.issuers if floor <= p < position]
        return earlier[-1] if earlier else None
