"""What a corpus shows beyond a list of stories:

- `reporting_order`: for a story, who reported it first and who followed, and how long after;
- `quote_trail`: for each quotation of a compared story, the first article that carried it and
  the later ones that repeated it, with or without crediting anyone for it;
- `omissions`: for each outlet across many compared stories, which kinds of facts it leaves out
  that most of the other outlets on the story report, with examples.

Times are what the articles say of themselves: many give a day only, so order within a day is
known only where both give a time; such ties are reported as "the same day", never guessed.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .._models import Comparison
from ..store import StoredArticle


@dataclass
class Reported:
    """One article in the order a story was reported."""

    article: int  # store id
    outlet: str | None
    title: str | None
    published: str | None
    after: str | None = None  # how long after the first report: "same day", "3 hours", "2 days"
    copy_of: int | None = None  # the store id of the article this one copies


@dataclass
class ReportingOrder:
    first: list[Reported] = field(default_factory=list)  # the earliest (several when tied)
    followers: list[Reported] = field(default_factory=list)  # in time order
    undated: list[Reported] = field(default_factory=list)  # no publication time known


def _moment(published: str | None) -> tuple[datetime.datetime, bool] | None:
    """The publication time, and whether it has a time of day (not only a date)."""
    if not published:
        return None
    try:
        if len(published) <= 10:
            return datetime.datetime.fromisoformat(published[:10]), False
        value = datetime.datetime.fromisoformat(published.replace("Z", "+00:00"))
    except ValueError:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return value, True


def _gap(first: tuple[datetime.datetime, bool], later: tuple[datetime.datetime, bool]) -> str:
    (a, a_timed), (b, b_timed) = first, later
    days = (b.date() - a.date()).days
    if a_timed and b_timed:
        hours = (b - a).total_seconds() / 3600
        if hours < 1:
            return "within the hour"
        if hours < 48:
            return f"{hours:.0f} hours"
        return f"{hours / 24:.0f} days"
    if days == 0:
        return "same day"
    return f"{days} day{'s' if days != 1 else ''}"


def reporting_order(members: Iterable[StoredArticle]) -> ReportingOrder:
    """Who reported first and who followed. Copies are listed with what they copy."""
    dated, undated = [], []
    for m in members:
        a = m.article
        item = Reported(m.id, a.outlet, a.title, a.published, copy_of=m.copy_of)
        moment = _moment(a.published)
        (dated if moment else undated).append((moment, item))
    order = ReportingOrder(undated=[item for _, item in undated])
    if not dated:
        return order
    # Day-only dates sort before timed ones of the same day: the day is all that is known.
    dated.sort(key=lambda t: (t[0][0].date(), t[0][0] if t[0][1] else datetime.datetime.min, t[1].article))
    start = dated[0][0]
    for moment, item in dated:
        tied = moment[0].date() == start[0].date() and not (moment[1] and start[1] and moment[0] > start[0])
        if tied:
            item.after = None
            order.first.append(item)
        else:
            item.after = _gap(start, moment)
            order.followers.append(item)
    return order


@dataclass
class Repeat:
    article: int  # index in the comparison
    outlet: str | None
    published: str | None
    credited: bool  # names where the words came from: an intermediary, or the first outlet
    via: str | None = None


@dataclass
class QuoteTrail:
    group: str  # QuoteGroup.id
    speaker: str | None
    text: str  # the first carrier's wording
    first: int  # index in the comparison of the first article that carried it
    first_outlet: str | None
    first_published: str | None
    repeats: list[Repeat] = field(default_factory=list)


def quote_trail(comparison: Comparison) -> list[QuoteTrail]:
    """For each quotation carried by two articles or more: the first to carry it, and the later
    ones, each with whether it credits anyone for the words (an intermediary such as "told
    Reuters", or the first outlet by name). Articles without a date follow the dated ones."""
    articles = comparison.articles

    def when(index: int):
        moment = _moment(articles[index].published)
        return (0, moment[0], index) if moment else (1, datetime.datetime.max, index)

    out = []
    for group in comparison.quotes:
        if group.level != "certain" or len(group.articles) < 2:
            continue
        by_article = group.by_article()
        ordered = sorted(by_article, key=when)
        first = ordered[0]
        first_outlet = articles[first].outlet
        trail = QuoteTrail(
            group.id, group.speaker, by_article[first][0].text, first, first_outlet, articles[first].published,
        )
        for index in ordered[1:]:
            mention = by_article[index][0]
            via = next((m.via for m in by_article[index] if m.via), None)
            names_first = bool(first_outlet) and first_outlet.lower() in _around(articles[index].text, mention.start, mention.end)
            trail.repeats.append(Repeat(index, articles[index].outlet, articles[index].published, bool(via) or names_first, via))
        out.append(trail)
    return out


def _around(text: str, start: int, end: int, reach: int = 200) -> str:
    return text[max(0, start - reach):end + reach].lower()


# -- omissions ------------------------------------------------------------------------------------

FACT_KINDS = ("numbers", "dates", "quotes", "places", "people and organisations", "other statements")


def fact_kind(fact, comparison: Comparison) -> str:
    """A fact's kind, from what its mentions hold: a number, a date, a quotation (words in
    quotation marks), a place, a named actor; else an other statement."""
    kinds = {slot.kind for m in fact.mentions for slot in m.slots}
    for kind, name in (("quantity", "numbers"), ("date", "dates")):
        if kind in kinds:
            return name
    # From the comparison's quote groups (what its JSON keeps), not the articles' own quotes.
    quoted = [(q.article, q.start, q.end) for g in comparison.quotes for q in g.mentions if q.kind in ("direct", "partial")]
    for m in fact.mentions:
        if m.field == "text" and any(a == m.article and s < m.end and m.start < e for a, s, e in quoted):
            return "quotes"
    for kind, name in (("place", "places"), ("actor", "people and organisations")):
        if kind in kinds:
            return name
    return "other statements"


@dataclass
class OutletOmissions:
    outlet: str
    stories: int = 0  # compared stories it took part in
    missed: Counter = field(default_factory=Counter)  # kind -> facts most others reported and it did not
    reported: Counter = field(default_factory=Counter)  # kind -> such facts it did report
    examples: dict[str, list[tuple[int, str]]] = field(default_factory=lambda: defaultdict(list))  # kind -> (story, fact text)

    def rate(self, kind: str) -> float:
        total = self.missed[kind] + self.reported[kind]
        return self.missed[kind] / total if total else 0.0


def omissions(compared: Iterable[tuple[int, Comparison]], *, majority: float = 0.5, examples: int = 3) -> list[OutletOmissions]:
    """For each outlet: the facts that most of the other articles of a story report (more than
    `majority` of them, and at least two) and its article does not, counted by kind. Only sure
    facts count. Outlets in order of how many stories they took part in."""
    outlets: dict[str, OutletOmissions] = {}
    for story, comparison in compared:
        names = [a.outlet or a.source or f"article {a.id}" for a in comparison.articles]
        n = len(names)
        if n < 3:
            continue  # with two articles, "most others" is one outlet: not a pattern
        for name in set(names):
            outlets.setdefault(name, OutletOmissions(name)).stories += 1
        for fact in comparison.facts:
            if fact.level != "certain" or fact.status == "unique":
                continue
            carriers = set(fact.articles)
            kind = fact_kind(fact, comparison)
            for index, name in enumerate(names):
                others = n - 1
                carried_by_others = len(carriers - {index})
                if carried_by_others < 2 or carried_by_others <= majority * others:
                    continue
                record = outlets[name]
                if index in carriers:
                    record.reported[kind] += 1
                else:
                    record.missed[kind] += 1
                    if len(record.examples[kind]) < examples:
                        record.examples[kind].append((story, fact.mentions[0].text))
    return sorted(outlets.values(), key=lambda o: (-o.stories, o.outlet))


def compare_stories(corpus, story_ids: Iterable[int], *, progress: Callable[[int, int], None] | None = None) -> Iterable[tuple[int, Comparison]]:
    """Compare stored stories one after another (for `omissions`), skipping any that cannot be."""
    from .._exceptions import NotEnoughArticles

    ids = list(story_ids)
    for done, story in enumerate(ids, start=1):
        try:
            yield story, corpus.compare(story)
        except NotEnoughArticles:
            pass
        if progress:
            progress(done, len(ids))


def headline(comparison: Comparison) -> dict:
    """A comparison's figures for a list of stories: how much the outlets differ, in findings the
    tool is sure of (possible ones are counted apart)."""
    facts = comparison.facts
    sure = [c for c in comparison.conflicts if c.level != "possible"]
    told = [g for g in comparison.quotes if g.level != "possible" and set(g.flags) - {"one_outlet"}]
    return {
        "articles": len(comparison.articles),
        "facts": len(facts),
        "shared": sum(f.status == "shared" for f in facts),
        "partial": sum(f.status == "partial" for f in facts),
        "unique": sum(f.status == "unique" for f in facts),
        "conflicts": len(sure),
        "possible_conflicts": len(comparison.conflicts) - len(sure),
        "quotes_told_differently": len(told),
        # the share of facts that not every outlet reports: 0 when they all tell the same facts
        "differ": round(1 - sum(f.status == "shared" for f in facts) / len(facts), 3) if facts else None,
    }


SPREAD_SAMPLE = 24  # articles per story: an estimate of a mean needs no more


def spread(store, stories: list[int]) -> dict[int, float]:
    """1 - the mean pairwise cosine of each story's stored title-and-lead vectors (no copies)."""
    import numpy as np

    from .clustering import StoryFeatures

    if not stories:
        return {}
    listed = ", ".join(str(int(s)) for s in stories)
    vectors: dict[int, list] = defaultdict(list)
    # Copies are left out here, not in SQL: a copy_of term would lead SQLite to its copy_of
    # index (every article has copy_of NULL) instead of the story index (0.4 s against 3 ms).
    for story, copy_of, data in store.blobs("features", "a.story, a.copy_of, b.data", where=f"a.story IN ({listed})"):
        if copy_of is None and len(vectors[story]) < SPREAD_SAMPLE:
            vectors[story].append(StoryFeatures.vector_from_bytes(data))
    out = {}
    for story, rows in vectors.items():
        if len(rows) < 2:
            continue
        matrix = np.stack(rows)
        cosines = matrix @ matrix.T
        n = len(rows)
        mean = (cosines.sum() - np.trace(cosines)) / (n * (n - 1))
        out[story] = round(float(max(0.0, 1.0 - mean)), 3)
    return out
