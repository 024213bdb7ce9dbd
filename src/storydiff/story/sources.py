"""Stage: who the articles cite, and which facts rest on whom.

Across all articles, the speakers of the quotations (people, organisations, unnamed sources),
the intermediaries credited ("Kuwait's al-Sabah newspaper", "a news release") and the photo
agencies of the captions become one list of sources; each records which articles cite it and
through which intermediary (the chain speaker -> intermediary -> outlet). Every fact then lists the
sources its mentions rest on, and is marked when all of them are unnamed.

One real-world speaker is one source: "Abdul Karim Khalaf" (Press TV) and "Abdul-Karim Khalaf"
(Middle East Eye) match on their name's words; a surname alone matches the full name.
"""

from __future__ import annotations

import functools
import re

from .._models import Article, Citation, Comparison, Source
from ..article._attribution import DOCUMENT_NOUNS, MEDIA_NOUNS, PLATFORMS
from ..article._speakers import name_key, similar_names, spells_out

_MEDIA = re.compile(r"\b(?:" + MEDIA_NOUNS + r"|Reuters|AFP|AP|Associated Press|BBC|CNN|Xinhua|Anadolu|IRNA|Tasnim)\b", re.IGNORECASE)
_DOCUMENT = re.compile(r"\b(?:" + DOCUMENT_NOUNS + r")\b", re.IGNORECASE)
_PLATFORM = re.compile(PLATFORMS)  # "social media", "Instagram", "X": where posts are read
# "(Photo by AFP)", "(AFP/File photo)", "Photo: Reuters", "| Getty Images"
_PHOTO_CREDIT = re.compile(
    r"(?:photo|image|picture)s?\s+(?:by|:)\s*(?P<a>[A-Z][\w&.'’ -]{1,40}?)\s*[)/|]|\((?P<b>[A-Z][\w&.'’ -]{1,30}?)\s*/\s*(?:file\s+)?photo\)"
    r"|[|/–—-]\s*(?P<c>Getty Images|Reuters|AFP|AP|EPA|Anadolu|Xinhua|Shutterstock)\s*$",
    re.IGNORECASE,
)
_LEADING = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)


def _match_key(name: str) -> tuple[str, ...]:
    return name_key(_LEADING.sub("", name))


def same_speaker(a: str, b: str) -> bool:
    """Whether two names (from any articles) stand for one speaker."""
    ka, kb = _match_key(a), _match_key(b)
    if not (ka and kb):
        return False
    a, b = _LEADING.sub("", a), _LEADING.sub("", b)
    return ka == kb or similar_names(a, b) or spells_out(a, b) or spells_out(b, a)


def _kind_of_via(name: str) -> str:
    if _DOCUMENT.search(name):
        return "document"
    return "media" if _MEDIA.search(name) or _PLATFORM.fullmatch(name) else "organization"


def photo_credit(caption: str) -> str | None:
    match = _PHOTO_CREDIT.search(caption)
    if not match:
        return None
    credit = next(g for g in match.groups() if g)
    return credit.strip(" .")


class _Registry:
    """Sources found so far; names matched loosely, unnamed sources only to identical descriptions."""

    def __init__(self) -> None:
        self.sources: list[Source] = []
        # for this comparison only: each name is asked about against every source so far
        self._same_speaker = functools.cache(same_speaker)

    def find(self, name: str, kind: str, named: bool, role: str) -> Source:
        for source in self.sources:
            compatible = named == source.named and (
                self._same_speaker(name, source.name) if named else _match_key(name) == _match_key(source.name)
            )
            if compatible:
                if len(_match_key(name)) > len(_match_key(source.name)):
                    source.name = name  # keep the most complete name
                if role not in source.roles:
                    source.roles.append(role)
                return source
        source = Source(id=f"s{len(self.sources) + 1}", name=name, kind=kind, named=named, roles=[role])
        self.sources.append(source)
        return source

    @staticmethod
    def cite(source: Source, article: int, via: str | None = None) -> None:
        """Record that `article` cites `source` (through `via`); quote ids are added by quote_groups."""
        if not any(c.article == article and c.via == via for c in source.citations):
            source.citations.append(Citation(article, via))


def link_sources(comparison: Comparison) -> None:
    """Fill `comparison.sources`, each quote's `source` and each fact's sources."""
    registry = _Registry()
    for article in comparison.articles:
        for quote in article.quotes:
            if not quote.speaker:
                continue
            speaker = registry.find(quote.speaker, quote.speaker_kind, quote.named, "speaker")
            via = registry.find(quote.via, _kind_of_via(quote.via), True, "intermediary") if quote.via else None
            registry.cite(speaker, article.id, via.id if via else None)
            if via:
                registry.cite(via, article.id)
            quote.source = speaker.id
        for caption in article.captions:
            credit = photo_credit(caption)
            if credit:
                registry.cite(registry.find(credit, "media", True, "photo"), article.id)
    comparison.sources = registry.sources
    _fact_sources(comparison)


def _fact_sources(comparison: Comparison) -> None:
    """A fact rests on the speakers of the quotations and reports that cover its mentions."""
    by_id = {s.id: s for s in comparison.sources}
    for fact in comparison.facts:
        found: list[str] = []
        own_voice = False
        for mention in fact.mentions:
            article: Article = comparison.articles[mention.article]
            covering = [
                q.source
                for q in article.quotes
                if (shared := _overlap(q.start, q.end, mention.start, mention.end)) >= 0.5 * (mention.end - mention.start)
                or shared >= 0.5 * (q.end - q.start)
            ]
            if not covering:
                own_voice = True
            for source in covering:
                if source and source not in found:
                    found.append(source)
                elif source is None:
                    own_voice = True
        fact.sources = found
        fact.unnamed_only = bool(found) and not own_voice and all(not by_id[s].named for s in found)


def _overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    return max(0, min(a_end, b_end) - max(a_start, b_start))


class SourceLinker:
    """Pipeline component: fills `comparison.sources`, quotes' sources and facts' sources."""

    name = "sources"

    def __call__(self, comparison: Comparison) -> None:
        link_sources(comparison)
