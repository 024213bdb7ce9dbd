"""Stage: word choice. What one outlet says where another says something else, inside the facts
they share, and the loaded, hedging and attribution-shading words each one uses.

Swaps: the words of two mentions of one fact are compared as bags of stems, so that tense,
articles, punctuation and word order do not count as differences. The content words left over on
each side are paired by the similarity of their token states (the sentence pass already computed
them), each with its best counterpart, both ways; names of one entity pair up whatever their
spelling. Adjacent pairs merge into phrases ("airstrike" / "drone strike").

Terms: a lexicon of regular expressions (`resources/loaded-terms.json`, extendable with
STORYDIFF_TERMS), matched in the body, title and captions of every article.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .._models import Article, Comparison, Entity, EntityMention, Fact, Mention, WordingItem
from ._pairscore import stemmer, stopwords
from ..article._speakers import names_nest

SWAP = 0.35  # token similarity at which two leftover words, each the other's best, count as a swap
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_TIME_WORDS = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
    september october november december next last this ago earlier later day days week weeks month months year years
    today yesterday tomorrow tonight morning evening night late midnight overnight noon afternoon shortly""".split()
)


@dataclass
class _Word:
    start: int
    end: int
    text: str
    stem: str
    entity: str | None  # id of the entity this word names, if any
    vector: np.ndarray | None
    lower: str  # the text in lower case
    root: str  # `lower` without a possessive "'s", as `_same_root` compares words


def _words(article: Article, spans: list[tuple[int, int]], entity_at: dict[int, str]) -> list[_Word]:
    stop, stem = stopwords(), stemmer().stemWord
    out = []
    for start, end in spans:
        matches = []
        for match in _WORD.finditer(article.text, start, end):
            text = match.group(0)
            lower = text.lower()
            if lower in stop or lower in _TIME_WORDS or len(text) < 2 or any(ch.isdigit() for ch in text):
                continue  # numbers and dates differ as conflicts, not as wording
            matches.append(match)
        for match, (first, last) in zip(matches, _token_ranges(article, [m.span() for m in matches])):
            text = match.group(0)
            lower = text.lower()
            vector = _direction(article.token_vectors[first:last]) if last > first else None
            root = lower.replace("’s", "").replace("'s", "")
            out.append(_Word(match.start(), match.end(), text, stem(lower.replace("’", "'")), entity_at.get(match.start()), vector, lower, root))
    return out


def _token_ranges(article: Article, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The tokens [first, last) inside each character span, all found at once."""
    tokens = article.token_spans
    if tokens is None or not len(tokens) or not spans:
        return [(0, 0)] * len(spans)
    starts, ends = np.array(spans).T
    return list(zip(np.searchsorted(tokens[:, 0], starts).tolist(), np.searchsorted(tokens[:, 1], ends, side="right").tolist()))


def _direction(states: np.ndarray) -> np.ndarray | None:
    """The mean of token states, normalised; None when it is 0."""
    vector = states[0] if len(states) == 1 else states.mean(axis=0)  # the mean of one row is that row
    norm = np.sqrt(vector.dot(vector))  # what np.linalg.norm computes for a vector
    return vector / norm if norm else None


def _entity_index(comparison: Comparison) -> dict[int, dict[int, str]]:
    """article -> character position -> entity id, for every word inside an entity's name in the body."""
    index: dict[int, dict[int, str]] = {a.id: {} for a in comparison.articles}
    for entity in comparison.entities:
        for m in entity.mentions:
            if m.field == "text" and m.kind != "description":
                for match in _WORD.finditer(comparison.articles[m.article].text, m.start, m.end):
                    index[m.article][match.start()] = entity.id
    return index


def fact_swaps(
    comparison: Comparison, fact: Fact, entity_at: dict[int, dict[int, str]], names: list[tuple[Entity, dict[int, list[EntityMention]]]]
) -> list[WordingItem]:
    """Swaps inside one fact (`entity_at`: `_entity_index`; `names`: `_names_by_article`)."""
    by_article = fact.by_article()
    if len(by_article) < 2:
        return []
    first = min(by_article)
    a = comparison.articles[first]
    words_a = _words(a, [(m.start, m.end) for m in by_article[first]], entity_at[first])
    items = []
    for other in sorted(by_article):
        if other == first:
            continue
        b = comparison.articles[other]
        words_b = _words(b, [(m.start, m.end) for m in by_article[other]], entity_at[other])
        items += _entity_swaps(names, fact, first, other)
        for left, right in _pairs(words_a, words_b):
            items.append(WordingItem(
                kind="swap",
                a=Mention(first, left[0].start, left[-1].end, a.text[left[0].start : left[-1].end]),
                b=Mention(other, right[0].start, right[-1].end, b.text[right[0].start : right[-1].end]),
                fact=fact.id,
            ))
    return items


def _same_root(a: str, b: str) -> bool:
    """'iraq' / 'iraqi', 'iran' / 'iranian', 'agreed' / 'agreement' (`_Word.root`s): one word, two forms."""
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) >= 4 and long.startswith(short[: max(4, len(short) - 2)]) and len(long) - len(short) <= 4


class _Counterparts:
    """The words of one side, for asking whether a word of the other has one of the same stem or root."""

    def __init__(self, words: list[_Word]) -> None:
        self.stems = {w.stem for w in words}
        # two words of one root share their first four letters (`_same_root`)
        self.by_prefix: dict[str, list[_Word]] = {}
        for w in words:
            if len(w.root) >= 4:
                self.by_prefix.setdefault(w.root[:4], []).append(w)

    def __contains__(self, word: _Word) -> bool:
        return word.stem in self.stems or any(_same_root(word.root, v.root) for v in self.by_prefix.get(word.root[:4], ()))


def _compound(a: str, b: str) -> bool:
    """'airstrike' / 'strike' (in lower case): one word holds the other."""
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) >= 4 and short != long and (long.endswith(short) or long.startswith(short))


def _pairs(words_a: list[_Word], words_b: list[_Word]) -> list[tuple[list[_Word], list[_Word]]]:
    """Leftover words of each side paired with their best counterpart, merged into phrases.
    Names of one entity on both sides are left to `_entity_swaps`."""
    entities_both = {w.entity for w in words_a if w.entity} & {w.entity for w in words_b if w.entity}
    left = [w for w in words_a if w.entity not in entities_both or w.entity is None]
    right = [w for w in words_b if w.entity not in entities_both or w.entity is None]
    in_a, in_b = _Counterparts(words_a), _Counterparts(words_b)
    left = [w for w in left if w not in in_b]
    right = [w for w in right if w not in in_a]
    pairs: list[tuple[_Word, _Word]] = []
    for wa in left:
        for wb in right:
            if _compound(wa.lower, wb.lower):
                pairs.append((wa, wb))
    taken = {id(w) for pair in pairs for w in pair}
    # Names pair only as names of one entity (`_entity_swaps`), never by similarity.
    left = [w for w in left if id(w) not in taken and w.vector is not None and not w.entity]
    right = [w for w in right if id(w) not in taken and w.vector is not None and not w.entity]
    if left and right:
        sims = np.vstack([w.vector for w in left]) @ np.vstack([w.vector for w in right]).T
        for i in range(len(left)):
            j = int(np.argmax(sims[i]))
            # Each the other's best, and alike in case: a name does not stand for a common word.
            if sims[i, j] >= SWAP and int(np.argmax(sims[:, j])) == i and left[i].text.islower() == right[j].text.islower():
                pairs.append((left[i], right[j]))
    # Only lower-case words widen a phrase: a name before a verb is its subject, not its modifier.
    leftover_a = [w for w in left if not w.entity and w.text.islower() and not any(w is p[0] for p in pairs)]
    leftover_b = [w for w in right if not w.entity and w.text.islower() and not any(w is p[1] for p in pairs)]
    return [(_widen(la, leftover_a), _widen(lb, leftover_b)) for la, lb in _phrases(pairs)]


def _widen(phrase: list[_Word], leftover: list[_Word]) -> list[_Word]:
    """A paired word takes in unpaired words right before it: 'strike' -> 'drone strike'."""
    words = list(phrase)
    changed = True
    while changed:
        changed = False
        for w in leftover:
            if any(w is x for x in words):
                continue
            if 0 < words[0].start - w.end <= 1:  # modifiers come before their noun in English
                words.append(w)
                words.sort(key=lambda x: x.start)
                changed = True
    return words


def _phrases(pairs: list[tuple[_Word, _Word]]) -> list[tuple[list[_Word], list[_Word]]]:
    """Merge pairs whose words are next to each other on both sides (or share a word)."""
    pairs = sorted(pairs, key=lambda p: (p[0].start, p[1].start))
    merged: list[tuple[list[_Word], list[_Word]]] = []
    for wa, wb in pairs:
        if merged:
            la, lb = merged[-1]
            near_a = wa is la[-1] or 0 <= wa.start - la[-1].end <= 5
            near_b = wb is lb[-1] or any(wb is w for w in lb) or 0 <= wb.start - lb[-1].end <= 5 or 0 <= lb[0].start - wb.end <= 5
            if near_a and near_b:
                if wa is not la[-1]:
                    la.append(wa)
                if not any(wb is w for w in lb):
                    lb.append(wb)
                    lb.sort(key=lambda w: w.start)
                continue
        merged.append(([wa], [wb]))
    return merged


def _names_by_article(comparison: Comparison) -> list[tuple[Entity, dict[int, list[EntityMention]]]]:
    """Every entity with its names in each article's body (descriptions left out), in order."""
    out = []
    for entity in comparison.entities:
        by_article: dict[int, list[EntityMention]] = {}
        for m in entity.mentions:
            if m.field == "text" and m.kind != "description":
                by_article.setdefault(m.article, []).append(m)
        out.append((entity, by_article))
    return out


def _entity_swaps(names: list[tuple[Entity, dict[int, list[EntityMention]]]], fact: Fact, first: int, other: int) -> list[WordingItem]:
    """Names of one entity written differently in the two articles' mentions of a fact
    (`names`: `_names_by_article`)."""
    items = []
    spans = {a: [(m.start, m.end) for m in fact.mentions if m.article == a] for a in (first, other)}

    def inside(m) -> bool:
        return any(s <= m.start and m.end <= e for s, e in spans[m.article])

    for entity, by_article in names:
        if first not in by_article or other not in by_article:
            continue
        here = [m for m in by_article[first] if inside(m)]
        there = [m for m in by_article[other] if inside(m)]
        if here and there and {m.text for m in here}.isdisjoint(m.text for m in there):
            a, b = here[0], there[0]
            if names_nest(a.text, b.text):
                continue  # a name and its short form ("Khalaf"): not a different word
            items.append(WordingItem(
                kind="swap", fact=fact.id, note=f"names of {entity.name}",
                a=Mention(first, a.start, a.end, a.text), b=Mention(other, b.start, b.end, b.text),
            ))
    return items


def _term_files() -> list[str]:
    from ..resources import data_files

    return data_files("loaded-terms.json", "STORYDIFF_TERMS")


_BEFORE_TERM = r"(?<![\w-])"


@lru_cache(maxsize=4)
def _lexicon(files: tuple[str, ...]) -> list[tuple[re.Pattern, str, str]]:
    entries = []
    for path in files:
        with open(path, encoding="utf-8") as handle:
            for term in json.load(handle)["terms"]:
                pattern = re.compile(_BEFORE_TERM + r"(?:" + term["pattern"] + r")(?![\w-])", re.IGNORECASE)
                entries.append((pattern, term["category"], term.get("note", "")))
    return entries


@lru_cache(maxsize=4)
def _unanchored(files: tuple[str, ...]) -> list[re.Pattern]:
    """Each pattern of `_lexicon` without its leading lookbehind, for `_term_matches`."""
    return [re.compile(pattern.pattern.removeprefix(_BEFORE_TERM), pattern.flags) for pattern, _, _ in _lexicon(files)]


_WORD_CHARACTER = re.compile(r"[\w-]")


def _term_matches(pattern: re.Pattern, unanchored: re.Pattern, text: str) -> list[re.Match]:
    """What `pattern.finditer(text)` finds, found faster: re cannot skip ahead to where a pattern
    could begin when it opens with a lookbehind, so `unanchored` (the pattern without it) is
    searched and the lookbehind tested here, at each match found."""
    found: list[re.Match] = []
    position = 0
    while (match := unanchored.search(text, position)) is not None:
        if match.end() == match.start():
            return list(pattern.finditer(text))  # an empty match: finditer's own rules for stepping past it
        if match.start() > 0 and _WORD_CHARACTER.match(text, match.start() - 1):
            position = match.start() + 1  # inside a word: the lookbehind fails here, as it would have
            continue
        found.append(match)
        position = match.end()
    return found


def loaded_terms(article: Article) -> list[WordingItem]:
    """Lexicon terms in an article; those inside a quotation are the speaker's words, not the
    outlet's (`voice` "quoted"), and are kept apart."""
    found = []
    quoted = _quoted_spans(article)
    files = tuple(_term_files())
    for field, text in article.fields():
        for (pattern, category, note), unanchored in zip(_lexicon(files), _unanchored(files)):
            for match in _term_matches(pattern, unanchored, text):
                if category == "attribution" and _DOCUMENT_SUBJECT.search(text, max(0, match.start() - 50), match.start()):
                    continue  # "the lawsuit claims": a document says what it was written to say
                voice = "quoted" if field == "text" and any(s <= match.start() and match.end() <= e for s, e in quoted) else "outlet"
                kind, why = category, note
                if category == "hedge" and voice == "outlet" and field == "text":
                    subject = _clause_subject(article, match.start())
                    if subject == "passive":
                        continue  # "he was supposed to": a duty or an expectation, no doubt cast
                    if subject == "active":
                        # "drones it alleged were deployed": someone's claim, reported with a
                        # verb that is not the neutral "said"
                        kind, why = "attribution", "a reporting verb that casts doubt where 'said' is neutral"
                mention = Mention(article.id, match.start(), match.end(), match.group(0), field=field)
                found.append(WordingItem(kind="term", a=mention, category=kind, note=why, voice=voice))
    found.sort(key=lambda item: (item.a.field != "text", item.a.field, item.a.start))
    return found


def _clause_subject(article: Article, offset: int) -> str | None:
    """Whether the hedge word at `offset` is the verb of a clause with its own subject, and of which
    voice: "active" ("what the prosecution alleged was": someone's claim, reported), "passive" ("he
    was supposed to": a duty), or None (a modifier, "the alleged victim", "allegedly": the writer's
    own doubt). Decided by the dependency parse of the word's sentence, not by words around it."""
    sentence = next((s for s in article.sentences if s.start <= offset < s.end), None)
    if sentence is None:
        return None
    from ..article._spacy import parse

    doc = next(iter(parse([article.text[sentence.start : sentence.end]])))
    token = next((t for t in doc if t.idx <= offset - sentence.start < t.idx + len(t)), None)
    deps = {child.dep_ for child in token.children} if token is not None else set()
    if deps & {"nsubjpass", "csubjpass", "auxpass"}:
        return "passive"
    if deps & {"nsubj", "csubj", "expl"}:
        return "active"
    return None


# A document as the subject of a reporting verb, a few words before it ("The suit, filed Friday, claims").
_DOCUMENT_SUBJECT = re.compile(
    r"\b(?:suit|lawsuit|complaint|filing|motion|petition|indictment|report|document|study|paper|letter|"
    r"statement|ruling|order|bill|policy|memo)s?\b[^.;:!?]{0,30}$",
    re.IGNORECASE,
)


# Words between quotation marks on one line: someone's words, whether or not the quote stage
# credited them (a title, a slogan, a quotation it found no speaker for).
_QUOTED = re.compile(r"“[^”\n]{1,600}”|\"[^\"\n]{1,600}\"|‘[^’\n]{3,300}’(?!\w)")


def _quoted_spans(article: Article) -> list[tuple[int, int]]:
    spans = [(q.start, q.end) for q in article.quotes if q.kind in ("direct", "partial")]
    spans += [(m.start(), m.end()) for m in _QUOTED.finditer(article.text)]
    return spans


class WordingFinder:
    """Pipeline component: fills `comparison.wording` with swaps inside shared facts and loaded terms."""

    name = "wording"

    def __call__(self, comparison: Comparison) -> None:
        entity_at = _entity_index(comparison)
        names = _names_by_article(comparison)
        items: list[WordingItem] = []
        for fact in comparison.facts:
            if fact.status != "unique":
                items += fact_swaps(comparison, fact, entity_at, names)
        for article in comparison.articles:
            items += loaded_terms(article)
        comparison.wording = items
