"""Stage: timeline. The dated events of the story across all articles, in order: each date a
text states, with the clause that says what happened then; mentions of one fact whose dates agree
("January" / "January 5") are one event told by several outlets. Events whose date the texts do
not fix ("on Sunday" with no publication date, "days earlier") are listed after the dated ones.

Years: a date written without one keeps none (its ISO form is "--01-05"); for ordering only, it is
taken to fall in the story's year (the year most dates that state one give, else the publication
year).
"""

from __future__ import annotations

from collections import Counter

from .._models import Comparison, Mention, Slot, TimelineEvent


def _story_year(comparison: Comparison) -> int:
    years = Counter(
        s.parsed.year for a in comparison.articles for s in a.slots if s.kind == "date" and s.resolved and s.parsed.year
    )
    if years:
        return years.most_common(1)[0][0]
    published = [a.published_date.year for a in comparison.articles if a.published_date]
    return min(published) if published else 0


def _mention_of(comparison: Comparison, slot: Slot) -> tuple[Mention, str | None]:
    """The clause a date sits in (what happened then) and the fact it belongs to, if any."""
    fact_id, span = None, None
    for fact in comparison.facts:
        for mention in fact.mentions:
            if mention.article == slot.article and mention.field == slot.field and mention.start <= slot.start < mention.end:
                fact_id, span = fact.id, mention
    article = comparison.articles[slot.article]
    if slot.field == "text":
        unit = next((u for u in article.units if u.start <= slot.start < u.end), None)
        if unit is not None:
            return Mention(slot.article, unit.start, unit.end, article.text[unit.start : unit.end]), fact_id
    if span is not None:
        return span, fact_id
    text = article.field_text(slot.field)
    return Mention(slot.article, 0, len(text), text, field=slot.field), fact_id


def build_timeline(comparison: Comparison) -> list[TimelineEvent]:
    events: list[TimelineEvent] = []
    for article in comparison.articles:
        for slot in article.slots:
            if slot.kind != "date":
                continue
            mention, fact = _mention_of(comparison, slot)
            same = next(
                (e for e in events if fact is not None and e.fact == fact and e.dates[0].article != slot.article
                 and all(d.article != slot.article for d in e.dates) and e.dates[0].parsed.agrees(slot.parsed) is True
                 and slot.resolved),
                None,
            )
            if same is None:
                events.append(TimelineEvent("", slot.value, "", [mention], [slot], fact))
            else:
                same.mentions.append(mention)
                same.dates.append(slot)
    default_year = _story_year(comparison)
    for event in events:
        best = max(event.dates, key=lambda d: (d.resolved, _precision_rank(d)))
        event.date = best.value if best.resolved else None
        event.label = best.parsed.label() if event.date else " ".join(best.text.split())
    events = _merge_same_dates(events)
    order = {id(e): i for i, e in enumerate(events)}
    dated = sorted(
        (e for e in events if e.date),
        key=lambda e: (max(e.dates, key=_precision_rank).parsed.sort_key(default_year), order[id(e)]),
    )
    undated = [e for e in events if not e.date]
    for i, event in enumerate(dated + undated, 1):
        event.id = f"t{i}"
    return dated + undated


def _merge_same_dates(events: list[TimelineEvent]) -> list[TimelineEvent]:
    """One entry per date: what every outlet says happened then ("June": the talks, as four
    statements put it). Undated events stay apart: two "on Sunday"s may be two Sundays."""
    by_date: dict[str, TimelineEvent] = {}
    out = []
    for event in events:
        if event.date is None:
            out.append(event)
        elif event.date in by_date:
            first = by_date[event.date]
            first.mentions += [m for m in event.mentions if m not in first.mentions]
            first.dates += event.dates
        else:
            by_date[event.date] = event
            out.append(event)
    return out


def _precision_rank(slot: Slot) -> int:
    return {"day": 3, "month": 2, "year": 1}.get(slot.parsed.precision or "", 0)


class TimelineBuilder:
    """Pipeline component: `Comparison.timeline`."""

    name = "timeline"

    def __call__(self, comparison: Comparison) -> None:
        comparison.timeline = build_timeline(comparison)
