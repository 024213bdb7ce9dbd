"""Per-article stage: names. The people, organisations, places and groups spaCy's recognizer finds in
an article's body, title and captions (`Article.named_entities`), read by quote extraction (to tell
people from places) and, across a story, by entity linking (`story/entities.py`)."""

from __future__ import annotations

import re
from functools import lru_cache

from .._models import Article, Comparison
from ._spacy import recognize

KEEP = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "LAW", "PRODUCT", "WORK_OF_ART"})
def find_named_entities(article: Article) -> list[tuple[str, int, int, str]]:
    """(field, start, end, label) of the names in an article's body, title and captions; a
    leading 'the' and a trailing "'s" are dropped. Names the recognizer misses but the text
    gives in parentheses after a name ("Hashd al-Sha'abi forces (Popular Mobilization Units)")
    are added."""
    return find_all_named_entities([article])[0]


def find_all_named_entities(articles: list[Article]) -> list[list[tuple[str, int, int, str]]]:
    """`find_named_entities` of each article, the recognizer run once over all their fields
    (one batch; each text's names are the same as alone)."""
    fields = [(index, field, text) for index, article in enumerate(articles) for field, text in article.fields()]
    found: list[list[tuple[str, int, int, str]]] = [[] for _ in articles]
    for (index, field, text), doc in zip(fields, recognize(text for _, _, text in fields)):
        spans = []
        for ent in doc.ents:
            if ent.label_ not in KEEP:
                continue
            start, end = ent.start_char, ent.end_char
            if text[start:end].lower().startswith("the "):
                start += 4
            if text[start:end].endswith(("'s", "’s")):
                end -= 2
            end = start + len(text[start:end].rstrip(" ,.’'"))
            if end > start and not headline_fragment(text[start:end]):
                spans.append((start, end, ent.label_))
        for start, end, label in list(spans):
            match = _PARENTHESIZED.match(text, end)
            if match and not any(s <= match.start(1) < e for s, e, _ in spans):
                spans.append((match.start(1), match.end(1), label))
        found[index] += [(field, start, end, label) for start, end, label in sorted(spans)]
    return found


def headline_fragment(name: str) -> bool:
    """A recognized 'name' that is a piece of a headline or a page label in title case or capitals
    ("Obama To Nominate Regina Benjamin", "Clinton Defends Her Actions Before", "CLOSE WHAT YOU NEED
    TO KNOW"): it holds a capitalised function word no name has. Names keep their particles
    ("Bank of England", "Abu Bakr al-Baghdadi")."""
    words = re.findall(r"[\w'’-]+", name)
    if len(words) < 3:
        return False
    return any(w.lower() in _headline_words() and w[:1].isupper() for w in words[1:])


@lru_cache(maxsize=1)
def _headline_words() -> frozenset[str]:
    from ..resources import resource_path, word_list

    return word_list(resource_path("lang/en/headline-words.txt"))


# "NAME (Other Name)" / "NAME forces (Other Name)": capitalised words in parentheses after a name.
_PARENTHESIZED = re.compile(r"(?:\s+[a-z][\w'’-]*){0,2}\s*\(\s*((?:[A-Z][\w'’-]*)(?:\s+(?:[A-Z][\w'’-]*|of|the|and|al-[\w'’-]+))*)\s*\)")


class NameFinder:
    """Pipeline component: the recognizer's names in every article (`Article.named_entities`).
    Runs early: quote extraction uses its PERSON labels to tell people from places."""

    name = "names"
    per_article = True

    def __call__(self, comparison: Comparison) -> None:
        for article, names in zip(comparison.articles, find_all_named_entities(comparison.articles)):
            article.named_entities = names
