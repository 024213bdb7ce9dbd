"""The real-news evaluation set (issue 17): story texts from ../shared, gold annotations from tests/data.

A story is 2-4 real articles on one event (`tests/data/realnews/stories.json` lists their ids).
Annotators worked on numbered sentences ("A12": article A, sentence 12), cut from each article's
raw text by `gold_sentences` (lines, then blingfire), and referred to words inside a sentence by
quoting them ("A12:59 people"). `convert` turns those references into character offsets into
the raw text, which is what tests/data/realnews/gold/*.json keeps: offsets and labels, no text.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from datasets import DATA, ROOT, neus_events, require

REALNEWS = ROOT / "tests" / "data" / "realnews"
GOLD = REALNEWS / "gold"
GOLD2 = REALNEWS / "gold-second"


@dataclass
class RawArticle:
    key: str  # "A", "B", ...
    title: str | None
    outlet: str | None
    date: str | None
    url: str | None
    text: str  # exactly as stored in ../shared: gold offsets point here

    def record(self) -> dict:
        """The article as a JSON record, the form storydiff reads dumps in."""
        return {"title": self.title, "outlet": self.outlet, "date": self.date, "url": self.url, "text": self.text}


@dataclass
class Sentence:
    id: str  # "A12"
    start: int
    end: int
    paragraph: int


@dataclass
class Story:
    id: str
    source: str
    split: str
    articles: list[RawArticle]
    sentences: dict[str, list[Sentence]] = field(default_factory=dict)  # article key -> sentences

    def article(self, key: str) -> RawArticle:
        return next(a for a in self.articles if a.key == key)

    def sentence(self, sid: str) -> Sentence:
        key, number = sid[0], int(sid[1:])
        return self.sentences[key][number - 1]


def story_index() -> list[dict]:
    return json.loads((REALNEWS / "stories.json").read_text(encoding="utf-8"))["stories"]


@lru_cache(maxsize=1)
def _allsides(ids: frozenset[str]) -> dict[str, dict]:
    out = {}
    with gzip.open(require(DATA / "allsides-articles" / "articles.jsonl.gz"), "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record["id"] in ids:
                out[record["id"]] = record
    return out


@lru_cache(maxsize=1)
def _ecbplus() -> dict[str, dict]:
    events = {}
    for line in require(DATA / "ecbplus" / "events.jsonl").read_text(encoding="utf-8").splitlines():
        event = json.loads(line)
        events[event["event"]] = event
    return events


@lru_cache(maxsize=2)
def _neus(split: str) -> list[list[dict]]:
    return neus_events(split)


def load_stories(split: str | None = None, ids: list[str] | None = None) -> list[Story]:
    index = [s for s in story_index() if (split is None or s["split"] == split) and (ids is None or s["id"] in ids)]
    allsides = _allsides(frozenset(a["id"] for s in index if s["source"] == "allsides" for a in s["articles"]))
    stories = []
    for entry in index:
        articles = []
        for ref in entry["articles"]:
            if entry["source"] == "allsides":
                r = allsides[ref["id"]]
                articles.append(RawArticle(ref["key"], r.get("title"), r.get("outlet"), r.get("date"), r.get("url"), r["text"]))
            elif entry["source"] == "ecbplus":
                a = next(a for a in _ecbplus()[entry["event"]]["articles"] if a["doc"] == ref["doc"])
                articles.append(RawArticle(ref["key"], None, a.get("outlet"), None, a.get("url"), a["text"]))
            else:
                block = _neus(entry.get("split_file", "train"))[entry["line"]][ref["block"]]
                articles.append(RawArticle(ref["key"], block["title"], None, None, None, block["text"]))
        story = Story(entry["id"], entry["source"], entry["split"], articles)
        story.sentences = {a.key: gold_sentences(a) for a in articles}
        stories.append(story)
    return stories


def gold_sentences(article: RawArticle) -> list[Sentence]:
    """Numbered sentences of the raw text: each non-empty line, cut by blingfire.

    Deliberately simple and fixed: annotations refer to these numbers, so this must never change.
    Where blingfire cuts a sentence wrongly, annotators said so ("split_errors").
    """
    import blingfire

    out: list[Sentence] = []
    paragraph = 0
    for line in re.finditer(r"[^\n]+", article.text):
        if not line.group().strip():
            continue
        _, offsets = blingfire.text_to_sentences_and_offsets(line.group())
        for start, end in offsets:
            if not line.group()[start:end].strip():
                continue
            out.append(Sentence(f"{article.key}{len(out) + 1}", line.start() + start, line.start() + end, paragraph))
        paragraph += 1
    return out


def render_view(story: Story) -> str:
    """The text an annotator reads: every article's numbered sentences, paragraphs apart."""
    lines = [f"STORY {story.id}  ({story.source})", ""]
    for a in story.articles:
        meta = " | ".join(x for x in (a.outlet, a.date, f"title: {a.title}" if a.title else None) if x)
        lines.append(f"=== Article {a.key}: {meta or '(no metadata)'} ===")
        last = None
        for s in story.sentences[a.key]:
            if last is not None and s.paragraph != last:
                lines.append("")
            lines.append(f"{s.id:<5} {a.text[s.start:s.end]}")
            last = s.paragraph
        lines.append("")
    return "\n".join(lines)


# ---- references to offsets -------------------------------------------------------------------

_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "—": "-", "–": "-"})


def _norm(text: str) -> str:
    return unicodedata.normalize("NFC", text).translate(_QUOTES)


class BadReference(ValueError):
    pass


def resolve(story: Story, ref: str) -> tuple[str, int, int]:
    """"A12" (the whole sentence) or "A12:words" (those words inside it) -> (article key, start, end).

    Words are found exactly, else with curly quotes and dashes made straight, else case-blind.
    A reference may name a range of sentences ("A12-A14") for one statement cut in pieces.
    """
    ref = ref.strip()
    head, sep, words = ref.partition(":")
    head = head.strip()
    m = re.fullmatch(r"([A-D])(\d+)(?:-\1?(\d+))?", head)
    if not m:
        raise BadReference(f"{ref!r}: not a sentence id like A12 or A12-A14")
    key = m.group(1)
    if key not in story.sentences:
        raise BadReference(f"{ref!r}: the story has no article {key}")
    first, last = int(m.group(2)), int(m.group(3) or m.group(2))
    sentences = story.sentences[key]
    if not (1 <= first <= last <= len(sentences)):
        raise BadReference(f"{ref!r}: article {key} has sentences {key}1-{key}{len(sentences)}")
    start, end = sentences[first - 1].start, sentences[last - 1].end
    if not sep:
        return key, start, end
    text = story.article(key).text
    span = text[start:end]
    words = words.strip()
    for hay, needle in ((span, words), (_norm(span), _norm(words)), (_norm(span).lower(), _norm(words).lower())):
        at = hay.find(needle)
        if at >= 0 and needle:
            return key, start + at, start + at + len(needle)
    raise BadReference(f"{ref!r}: these words are not in {head}")


def convert(story: Story, annotation: dict) -> dict:
    """An annotator's file (sentence references) -> gold with offsets and labels only."""
    def span(ref: str) -> list:
        key, start, end = resolve(story, ref)
        return [key, start, end]

    out: dict = {"story": story.id, "annotator": annotation.get("annotator", "")}
    out["off_story"] = sorted(annotation.get("off_story", []))
    out["lines"] = [[*span(ref), label] for ref, label in sorted(annotation.get("lines", {}).items())]
    out["split_errors"] = annotation.get("split_errors", [])
    out["facts"] = [
        {"id": f["id"], "mentions": [span(r) for r in f["mentions"]]} for f in annotation.get("facts", [])
    ]
    entities = annotation.get("entities", [])
    out["entities"] = [
        {"id": e["id"], "type": e.get("type"), "name": e.get("name"), "names": {k: list(v) for k, v in e.get("names", {}).items()}}
        for e in entities
    ]
    out["quotes"] = []
    for q in annotation.get("quotes", []):
        out["quotes"].append({
            "span": span(q["at"] + (":" + q["text"] if q.get("text") else "")),
            "kind": q.get("kind"),
            "speaker": q.get("speaker"),
            "speaker_entity": q.get("speaker_entity"),
            "via": q.get("via"),
        })
    out["conflicts"] = [
        {"kind": c["kind"], "a": span(c["a"]), "b": span(c["b"])} for c in annotation.get("conflicts", [])
    ]
    out["loaded"] = [{"span": span(w["at"] + ":" + w["text"]), "type": w.get("type")} for w in annotation.get("loaded", [])]
    out["swaps"] = [{"fact": s.get("fact"), "a": span(s["a"]), "b": span(s["b"])} for s in annotation.get("swaps", [])]
    return out


def check(story: Story, annotation: dict) -> list[str]:
    """Every problem in an annotator's file, one line each (empty when it converts cleanly)."""
    problems = []
    refs: list[str] = list(annotation.get("lines", {}))
    for f in annotation.get("facts", []):
        refs += f.get("mentions", [])
        if len({r.strip()[0] for r in f.get("mentions", [])}) < 2:
            problems.append(f"fact {f.get('id')}: a shared fact needs mentions in at least two articles")
    for q in annotation.get("quotes", []):
        refs.append(q["at"] + (":" + q["text"] if q.get("text") else ""))
        if q.get("kind") not in ("direct", "reported"):
            problems.append(f"quote at {q.get('at')}: kind must be direct or reported")
    for c in annotation.get("conflicts", []):
        refs += [c.get("a", ""), c.get("b", "")]
        if c.get("kind") not in ("number", "date", "place", "actor", "intermediary", "claim"):
            problems.append(f"conflict {c}: unknown kind")
    for w in annotation.get("loaded", []):
        refs.append(w["at"] + ":" + w.get("text", ""))
        if w.get("type") not in ("loaded", "hedging", "attribution"):
            problems.append(f"loaded word at {w.get('at')}: type must be loaded, hedging or attribution")
    for s in annotation.get("swaps", []):
        refs += [s.get("a", ""), s.get("b", "")]
    for label in annotation.get("lines", {}).values():
        if label not in ("headline", "subheading", "dateline", "byline", "caption", "clutter"):
            problems.append(f"line label {label!r} is not one of headline, subheading, dateline, byline, caption, clutter")
    entity_ids = {e.get("id") for e in annotation.get("entities", [])}
    for q in annotation.get("quotes", []):
        if q.get("speaker_entity") and q["speaker_entity"] not in entity_ids:
            problems.append(f"quote at {q.get('at')}: speaker_entity {q['speaker_entity']} is not an entity id")
    for e in annotation.get("entities", []):
        for key, names in e.get("names", {}).items():
            if key not in story.sentences:
                problems.append(f"entity {e.get('id')}: no article {key}")
                continue
            text = _norm(story.article(key).text)
            for name in names:
                if _norm(name) not in text:
                    problems.append(f"entity {e.get('id')}: {name!r} is not written in article {key}")
    for ref in refs:
        try:
            resolve(story, ref)
        except BadReference as error:
            problems.append(str(error))
    return problems
