"""The comparison as JSON, following `storydiff/resources/comparison.schema.json` (versioned), and
back: `comparison_from_dict` reads what `comparison_to_dict` writes, so that reading a report and
writing it again gives the same JSON. Both directions live here, beside each other, so that a field
added to one is seen to be missing from the other."""

from __future__ import annotations

import json

from .._models import (
    SCHEMA_VERSION, Article, Citation, Comparison, Conflict, Duplicate, Entity, EntityMention, Fact, Highlights, Mention,
    QuoteGroup, QuoteMention, Skipped, Slot, Source, Span, Tension, TimelineEvent, WordChange, WordingItem,
)
from .._exceptions import SchemaError
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
        "uid": a.uid,
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
        "paragraphs": [[p.start, p.end] for p in a.paragraphs],
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


# Reading back. Derived fields (summary counts, an entity's names per article, a fact's articles,
# an article's uid) are recomputed, not read; the parsed values behind slots are not kept in JSON,
# so a comparison read back renders in every format but cannot be analysed further.

def comparison_from_dict(data: dict) -> Comparison:
    if not isinstance(data, dict) or "articles" not in data or "facts" not in data:
        raise SchemaError("not a storydiff comparison: no 'articles' and 'facts'")
    version = str(data.get("schema_version", ""))
    if _version(version) is None or _version(version)[0] != _version(SCHEMA_VERSION)[0] or _version(version) > _version(SCHEMA_VERSION):
        raise SchemaError(f"schema version {version or 'unknown'}: this storydiff reads {SCHEMA_VERSION} and earlier 1.x")
    try:
        return _read(data)
    except (KeyError, TypeError, ValueError, IndexError) as error:
        raise SchemaError(f"not a valid storydiff comparison: {error!r}") from None


def _version(text: str) -> tuple[int, ...] | None:
    try:
        return tuple(int(part) for part in text.split("."))
    except ValueError:
        return None


def _read(data: dict) -> Comparison:
    articles = []
    for index, a in enumerate(data["articles"]):
        article = Article(
            source=a.get("source"), text=a["text"], title=a.get("title"), outlet=a.get("outlet"),
            published=a.get("published"), author=a.get("author"), url=a.get("url"),
            input_format=a.get("input_format", "text"), encoding=a.get("encoding"), captions=list(a.get("captions", [])),
            furniture=list(a.get("furniture", [])), warnings=list(a.get("warnings", [])),
        )
        article.id = index
        article.paragraphs = [Span(start, end) for start, end in a.get("paragraphs", [])]
        articles.append(article)
    h = data.get("highlights") or {}
    return Comparison(
        articles=articles,
        facts=[_read_fact(f) for f in data["facts"]],
        similarity=[list(row) for row in data.get("similarity", [])],
        warnings=list(data.get("warnings", [])),
        skipped=[Skipped(s["source"], s["reason"]) for s in data.get("skipped", [])],
        duplicates=[
            Duplicate(d["article"], d["source"], d.get("outlet"), d["similarity"], [tuple(c) for c in _pairs(d.get("changes", []))],
                      d.get("changed", 0))
            for d in data.get("duplicates", [])
        ],
        quotes=[_read_quote_group(g) for g in data.get("quotes", [])],
        sources=[_read_source(s) for s in data.get("sources", [])],
        off_story=list(data.get("off_story", [])),
        entities=[_read_entity(e) for e in data.get("entities", [])],
        wording=[_read_wording(w) for w in data.get("wording", [])],
        conflicts=[_read_conflict(c) for c in data.get("conflicts", [])],
        tensions=[_read_tension(t) for t in data.get("tensions", [])],
        timeline=[_read_event(e) for e in data.get("timeline", [])],
        highlights=Highlights(
            conflicts=list(h.get("conflicts", [])), quotes=list(h.get("quotes", [])),
            unique={u["article"]: list(u["facts"]) for u in h.get("unique", [])},
        ),
    )


def _pairs(changes: list) -> list[tuple[str, str]]:
    return [(c["a"], c["b"]) for c in changes]


def _level(d: dict) -> dict:
    return {"confidence": d.get("confidence"), "level": d.get("level", "certain"), "basis": d.get("basis")}


def _read_slot(d: dict) -> Slot:
    slot = Slot(d["kind"], d["article"], d["start"], d["end"], d["text"], d.get("value"), d.get("field", "text"))
    if slot.kind == "quantity":
        slot.unit, slot.counted, slot.low, slot.high = d.get("unit"), d.get("counted"), d.get("low"), d.get("high")
    elif slot.kind == "date":
        slot.resolved, slot.how = d.get("resolved", True), d.get("how")
    return slot


def _read_mention(d: dict) -> Mention:
    return Mention(
        d["article"], d["start"], d["end"], d["text"], d.get("score", 1.0), d.get("field", "text"),
        [_read_slot(s) for s in d.get("slots", [])],
    )


def _read_fact(d: dict) -> Fact:
    return Fact(
        d["id"], d["status"], [_read_mention(m) for m in d["mentions"]], d.get("score"),
        [_read_mention(m) for m in d.get("possible", [])], list(d.get("sources", [])), d.get("unnamed_only", False), **_level(d),
    )


def _read_quote_group(d: dict) -> QuoteGroup:
    mentions = [
        QuoteMention(m["article"], m["start"], m["end"], m["text"], m["kind"], m.get("via"), m.get("cue"), m.get("channel"),
                     m.get("via_level", "certain"))
        for m in d["mentions"]
    ]
    changes = {c["article"]: [WordChange(o["op"], o["a"], o["b"]) for o in c["ops"]] for c in d.get("changes", [])}
    return QuoteGroup(d["id"], d.get("speaker"), d.get("named", False), d.get("source"), mentions, list(d.get("flags", [])),
                      changes, **_level(d))


def _read_source(d: dict) -> Source:
    citations = [Citation(c["article"], c.get("via"), list(c.get("quotes", []))) for c in d.get("citations", [])]
    return Source(d["id"], d["name"], d["kind"], d.get("named", False), list(d.get("roles", [])), citations)


def _read_entity(d: dict) -> Entity:
    mentions = [EntityMention(m["article"], m["start"], m["end"], m["text"], m.get("kind", "name"), m.get("field", "text"))
                for m in d.get("mentions", [])]
    return Entity(d["id"], d["type"], d["name"], mentions, **_level(d))


def _read_span(d: dict) -> Mention:
    return Mention(d["article"], d["start"], d["end"], d["text"], field=d.get("field", "text"))


def _read_wording(d: dict) -> WordingItem:
    return WordingItem(
        d["kind"], _read_span(d["a"]), _read_span(d["b"]) if "b" in d else None, d.get("fact"), d.get("category"),
        d.get("note"), d.get("voice", "outlet"), **_level(d),
    )


def _read_conflict(d: dict) -> Conflict:
    return Conflict(d["id"], d["kind"], d.get("fact"), _read_slot(d["a"]), _read_slot(d["b"]), d["statement"],
                    d.get("found_by", "rules"), d.get("score"), **_level(d))


def _read_tension(d: dict) -> Tension:
    facts = tuple(d.get("facts", (None, None)))
    return Tension(d["id"], _read_span(d["a"]), _read_span(d["b"]), d["score"], d["cue"], d["topic"], facts, **_level(d))


def _read_event(d: dict) -> TimelineEvent:
    return TimelineEvent(d["id"], d.get("date"), d["label"], [_read_span(m) for m in d.get("mentions", [])],
                         [_read_slot(s) for s in d.get("dates", [])], d.get("fact"))


def read_json(text: str) -> Comparison:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise SchemaError(f"not JSON: {error.msg} at line {error.lineno}") from None
    return comparison_from_dict(data)
