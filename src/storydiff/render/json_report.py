"""The comparison as JSON, following `storydiff/resources/comparison.schema.json` (versioned)."""

from __future__ import annotations

import json

from .._models import (
    SCHEMA_VERSION, Article, Comparison, Conflict, Entity, Fact, Mention, QuoteGroup, Slot, Source, Tension, TimelineEvent,
    WordingItem,
)
from .._version import __version__


def _mention(m: Mention) -> dict:
    out = {"article": m.article, "start": m.start, "end": m.end, "text": m.text, "score": m.score}
    if m.field != "text":
        out["field"] = m.field
    if m.slots:
        out["slots"] = [_slot(s) for s in m.slots]
    return out


def _slot(s: Slot) -> dict:
    out = _span(s) | {"kind": s.kind, "value": s.value}
    if s.kind == "quantity":
        out |= {"unit": s.unit, "counted": s.counted, "low": _finite(s.low), "high": _finite(s.high)}
    elif s.kind == "date":
        out |= {"resolved": s.resolved, "how": s.how}
    return out


def _finite(value: float | None) -> float | None:
    """JSON has no infinity: an open bound ("at least four") is null."""
    return None if value is None or value in (float("inf"), float("-inf")) else value


def _sure(finding) -> dict:
    """How sure a finding is: its level, calibrated confidence and what that rests on."""
    return {"level": finding.level, "confidence": finding.confidence, "basis": finding.basis}


def _conflict(c: Conflict) -> dict:
    return {
        "id": c.id, "kind": c.kind, "fact": c.fact, "a": _slot(c.a), "b": _slot(c.b), "statement": c.statement,
        "found_by": c.found_by, "score": c.score,
    } | _sure(c)


def _tension(t: Tension) -> dict:
    return {
        "id": t.id, "score": t.score, "cue": t.cue, "topic": t.topic, "facts": list(t.facts),
        "a": _span(t.a), "b": _span(t.b),
    } | _sure(t)


def _event(e: TimelineEvent) -> dict:
    return {
        "id": e.id, "date": e.date, "label": e.label, "fact": e.fact,
        "mentions": [_span(m) for m in e.mentions], "dates": [_slot(d) for d in e.dates],
    }


def _article(a: Article) -> dict:
    return {
        "id": a.id,
        "source": a.source,
        "outlet": a.outlet,
        "title": a.title,
        "published": a.published,
        "author": a.author,
        "url": a.url,
        "input_format": a.input_format,
        "encoding": a.encoding,
        "text": a.text,
        "captions": list(a.captions),
        "furniture": list(a.furniture),
        "warnings": list(a.warnings),
    }


def _fact(f: Fact) -> dict:
    return {
        "id": f.id,
        "status": f.status,
        "score": f.score,
        "articles": f.articles,
        "mentions": [_mention(m) for m in f.mentions],
        "possible": [_mention(m) for m in f.possible],
        "sources": list(f.sources),
        "unnamed_only": f.unnamed_only,
    } | _sure(f)


def _quote_group(g: QuoteGroup) -> dict:
    return {
        "id": g.id,
        "speaker": g.speaker,
        "named": g.named,
        "source": g.source,
        "articles": g.articles,
        "flags": list(g.flags),
        "mentions": [
            {"article": m.article, "start": m.start, "end": m.end, "text": m.text, "kind": m.kind, "via": m.via,
             "via_level": m.via_level, "channel": m.channel, "cue": m.cue}
            for m in g.mentions
        ],
        "changes": [
            {"article": article, "against": g.mentions[0].article, "ops": [{"op": c.op, "a": c.a, "b": c.b} for c in ops]}
            for article, ops in sorted(g.changes.items())
        ],
    } | _sure(g)


def _span(m) -> dict:
    return {"article": m.article, "field": m.field, "start": m.start, "end": m.end, "text": m.text}


def _entity(e: Entity) -> dict:
    return {
        "id": e.id,
        "type": e.type,
        "name": e.name,
        "articles": e.articles,
        "names": [{"article": a, "names": e.names_in(a)} for a in e.articles],
        "mentions": [_span(m) | {"kind": m.kind} for m in e.mentions],
    } | _sure(e)


def _wording(w: WordingItem) -> dict:
    item = {"kind": w.kind, "a": _span(w.a)}
    if w.b is not None:
        item["b"] = _span(w.b)
    for key in ("fact", "category", "note"):
        if getattr(w, key) is not None:
            item[key] = getattr(w, key)
    if w.kind == "term":
        item["voice"] = w.voice
    return item | _sure(w)


def _source(s: Source) -> dict:
    return {
        "id": s.id,
        "name": s.name,
        "kind": s.kind,
        "named": s.named,
        "roles": list(s.roles),
        "articles": s.articles,
        "citations": [{"article": c.article, "via": c.via, "quotes": list(c.quotes)} for c in s.citations],
    }


def comparison_to_dict(comparison: Comparison) -> dict:
    facts = comparison.facts
    return {
        "schema_version": SCHEMA_VERSION,
        "generator": {"name": "storydiff", "version": __version__},
        "summary": {
            "articles": len(comparison.articles),
            "facts": len(facts),
            "shared": sum(f.status == "shared" for f in facts),
            "partial": sum(f.status == "partial" for f in facts),
            "unique": sum(f.status == "unique" for f in facts),
            "quotes": len(comparison.quotes),
            "sources": len(comparison.sources),
            "entities": len(comparison.entities),
            "swaps": sum(w.kind == "swap" for w in comparison.wording),
            "terms": sum(w.kind == "term" for w in comparison.wording),
            "conflicts": len(comparison.conflicts),
            "tensions": len(comparison.tensions),
            "events": sum(e.date is not None for e in comparison.timeline),
        },
        "articles": [_article(a) for a in comparison.articles],
        "facts": [_fact(f) for f in facts],
        "quotes": [_quote_group(g) for g in comparison.quotes],
        "sources": [_source(s) for s in comparison.sources],
        "entities": [_entity(e) for e in comparison.entities],
        "wording": [_wording(w) for w in comparison.wording],
        "conflicts": [_conflict(c) for c in comparison.conflicts],
        "tensions": [_tension(t) for t in comparison.tensions],
        "timeline": [_event(e) for e in comparison.timeline],
        "similarity": comparison.similarity,
        "off_story": list(comparison.off_story),
        "warnings": list(comparison.warnings),
        "skipped": [{"source": s.source, "reason": s.reason} for s in comparison.skipped],
        "highlights": {
            "conflicts": list(comparison.highlights.conflicts),
            "quotes": list(comparison.highlights.quotes),
            "unique": [{"article": a, "facts": ids} for a, ids in sorted(comparison.highlights.unique.items())],
        },
        "duplicates": [
            {"article": d.article, "source": d.source, "outlet": d.outlet, "similarity": d.similarity,
             "changes": [{"a": a, "b": b} for a, b in d.changes], "changed": d.changed}
            for d in comparison.duplicates
        ],
    }


def render_json(comparison: Comparison, *, indent: int | None = 2) -> str:
    return json.dumps(comparison_to_dict(comparison), ensure_ascii=False, indent=indent)
