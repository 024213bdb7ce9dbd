"""Precision of every kind of finding on real news (issue 17): the real-news evaluation set.

42 real stories of 2-3 articles (`tests/data/realnews/`), annotated from the articles alone
(docs/annotation-guide.md): a dev half to study and a test half scored only at the end of a
piece of work. Each story's articles go to `storydiff compare` as one JSON Lines dump, as a
scraper leaves them; every finding in the JSON output is mapped back onto the raw text and
judged against the gold:

| finding | right when | also reported |
|---|---|---|
| conflict | a gold conflict joins the sentences of its two values | recall on gold conflicts; recall on planted ones |
| tension | a gold conflict (any kind) joins its two statements | tensions per story |
| entity join | a gold entity holds both names (pairs of different names in one entity) | joins neither holds, split gold entities, names from headline or clutter lines |
| quote speaker | the matched gold quote's speaker shares a name word | quotes without a speaker, quotes in headlines |
| intermediary | the matched gold quote credits the same intermediary | |
| word swap | a gold swap covers both sides | |
| loaded word | a gold loaded, hedging or attribution word overlaps it | |
| shared / partial fact | one gold fact covers a mention of every article in it | share of unique facts a gold fact shares with another article |

Where findings carry a level (`certain` / `possible`), the default view's figures (certain only)
come first and all findings after. Planted conflicts: in a test story, a number or weekday that
two articles state in one gold fact is changed in one article's sentence; the run counts a find
when a conflict joins the changed sentence and the other article's sentence.

    python benchmarks/realnews.py --split dev                  # this code
    python benchmarks/realnews.py --split test2 --baseline REV # and the code at git REV, same run
    python benchmarks/realnews.py --split dev --show conflicts # every judged finding of one kind
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from datasets import ROOT, SHARED  # noqa: E402
from realnews_data import GOLD, Story, load_stories  # noqa: E402

LINES_NOT_BODY = {"headline", "subheading", "dateline", "byline", "caption", "clutter"}
GATES = {
    "conflicts": 0.90, "tensions": 0.80, "entity joins": 0.95, "quote speakers": 0.90, "intermediaries": 0.90,
    "word swaps": 0.80, "loaded words": 0.80, "shared facts": 0.90, "unique facts": 0.65,
}


# ---- running storydiff -----------------------------------------------------------------------


def story_dump(story: Story, texts: dict[str, str] | None = None) -> str:
    """The story's articles as JSON Lines, in article order (texts may be replaced, for plants)."""
    lines = []
    for a in story.articles:
        record = a.record()
        if texts and a.key in texts:
            record["text"] = texts[a.key]
        lines.append(json.dumps(record, ensure_ascii=False))
    return "\n".join(lines) + "\n"


_DRIVER = """
import json, sys
from pathlib import Path
import storydiff
for path in sys.argv[1:]:
    try:
        result = storydiff.compare([path]).to_json()
    except storydiff.StorydiffError as error:
        result = json.dumps({"error": str(error)})
    Path(path).with_suffix(".out.json").write_text(result, encoding="utf-8")
"""


def run_dumps(dumps: list[str], src: Path | None) -> list[dict | None]:
    """`storydiff.compare` on each dump, by the code at `src` (None: this code), in two worker
    processes that each load the models once."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i, dump in enumerate(dumps):
            path = Path(tmp) / f"story{i:04d}.jsonl"
            path.write_text(dump, encoding="utf-8")
            paths.append(path)
        env = dict(os.environ, STORYDIFF_SHARED=str(SHARED))
        if src is not None:
            env["PYTHONPATH"] = str(src)
        workers = [
            subprocess.Popen([sys.executable, "-c", _DRIVER, *map(str, paths[k::2])], env=env, stderr=subprocess.DEVNULL)
            for k in range(2)
        ]
        for worker in workers:
            worker.wait(timeout=3600)
        outputs = []
        for path in paths:
            out = path.with_suffix(".out.json")
            data = json.loads(out.read_text(encoding="utf-8")) if out.exists() else None
            outputs.append(None if data is None or "error" in data else data)
        return outputs


def run_all(stories: list[Story], src: Path | None, label: str) -> dict[str, dict | None]:
    started = time.time()
    outputs = run_dumps([story_dump(s) for s in stories], src)
    print(f"[{label}: {len(stories)} stories compared in {time.time() - started:.0f} s]", file=sys.stderr)
    return dict(zip([s.id for s in stories], outputs))


# ---- mapping the output onto the raw texts ---------------------------------------------------


class OffsetMap:
    """Character offsets of a cleaned text mapped onto the raw text it came from, word by word."""

    def __init__(self, clean: str, raw: str) -> None:
        self.clean_words = [(m.start(), m.end()) for m in re.finditer(r"\S+", clean)]
        self.raw_words = [(m.start(), m.end()) for m in re.finditer(r"\S+", raw)]
        a = [clean[s:e] for s, e in self.clean_words]
        b = [raw[s:e] for s, e in self.raw_words]
        self.to_raw: dict[int, int] = {}
        for block in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks():
            for k in range(block.size):
                self.to_raw[block.a + k] = block.b + k
        self.matched = len(self.to_raw) / max(1, len(a))

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        inside = [i for i, (s, e) in enumerate(self.clean_words) if s < end and e > start]
        mapped = [self.to_raw[i] for i in inside if i in self.to_raw]
        if not mapped:
            return None
        return self.raw_words[min(mapped)][0], self.raw_words[max(mapped)][1]


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


class Mapped:
    """One story's output with every span moved onto the raw texts: spans become (key, start, end)."""

    def __init__(self, story: Story, output: dict) -> None:
        self.story = story
        self.output = output
        self.key: dict[int, str] = {}
        self.maps: dict[int, OffsetMap] = {}
        for article in output["articles"]:
            best = max(story.articles, key=lambda raw: _word_overlap(article["text"], raw.text))
            self.key[article["id"]] = best.key
            self.maps[article["id"]] = OffsetMap(article["text"], best.text)

    def span(self, item: dict) -> tuple[str, int, int] | None:
        if item.get("field", "text") != "text":
            return None
        raw = self.maps[item["article"]].span(item["start"], item["end"])
        return (self.key[item["article"]], *raw) if raw else None


def _word_overlap(a: str, b: str) -> int:
    return len(set(a.split()) & set(b.split()))


# ---- the gold --------------------------------------------------------------------------------


class Gold:
    def __init__(self, story: Story, data: dict) -> None:
        self.story = story
        self.data = data
        self.non_body = [(k, s, e) for k, s, e, label in data["lines"] if label in LINES_NOT_BODY]
        self.headlines = [(k, s, e) for k, s, e, label in data["lines"] if label in ("headline", "subheading")]

    def sentence_of(self, key: str, start: int, end: int) -> tuple[int, int]:
        """The gold sentence (or range) holding a span."""
        for s in self.story.sentences[key]:
            if s.start <= start < s.end:
                return s.start, max(s.end, end)
        return start, end

    def in_lines(self, span, lines) -> bool:
        key, start, end = span
        return any(k == key and overlap((start, end), (s, e)) >= 0.5 * (end - start) for k, s, e in lines)

    def facts_at(self, span, share: float = 0.5) -> set[str]:
        """Gold facts with a mention covering at least `share` of the span, or half of which the span covers."""
        key, start, end = span
        out = set()
        for fact in self.data["facts"]:
            for k, s, e in fact["mentions"]:
                o = overlap((start, end), (s, e))
                if k == key and o and (o >= share * max(1, end - start) or o >= 0.5 * (e - s)):
                    out.add(fact["id"])
        return out

    def fact_articles(self, fact_id: str) -> set[str]:
        fact = next(f for f in self.data["facts"] if f["id"] == fact_id)
        return {k for k, _, _ in fact["mentions"]}


# ---- judging ---------------------------------------------------------------------------------

_STOP = set("the a an of and in on at to for by with from mr ms mrs dr sen rep gov president s".split())


def name_words(text: str | None) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", (text or "").lower()) if w not in _STOP and len(w) > 1}


def level(finding: dict) -> str:
    return finding.get("level", "certain")


class Tally:
    """Right / wrong / unjudged counts per finding kind, split by level, with examples."""

    def __init__(self) -> None:
        self.counts: dict[str, Counter] = defaultdict(Counter)
        self.examples: dict[str, list[str]] = defaultdict(list)
        self.extra: Counter = Counter()
        self.by_basis: dict[str, Counter] = defaultdict(Counter)  # basis -> right / wrong

    def add(self, kind: str, verdict: str, lvl: str, example: str, basis: str | None = None) -> None:
        self.counts[kind][(verdict, lvl)] += 1
        self.examples[kind].append(f"{verdict:<8} {lvl:<8} {basis or '':<28} {example}")
        if basis:
            self.by_basis[basis][verdict] += 1

    def precision(self, kind: str, certain_only: bool) -> tuple[float | None, int, int]:
        c = self.counts[kind]
        levels = ("certain",) if certain_only else ("certain", "possible")
        right = sum(c[("right", lv)] for lv in levels)
        wrong = sum(c[("wrong", lv)] for lv in levels)
        return (right / (right + wrong) if right + wrong else None), right, right + wrong


def judge(story: Story, gold: Gold, output: dict, tally: Tally) -> None:
    mapped = Mapped(story, output)
    sid = story.id
    _judge_facts(sid, gold, mapped, output, tally)
    _judge_conflicts(sid, gold, mapped, output, tally)
    _judge_entities(sid, gold, mapped, output, tally)
    _judge_quotes(sid, gold, mapped, output, tally)
    _judge_wording(sid, gold, mapped, output, tally)
    _judge_cleaning(sid, gold, output, tally)
    tally.extra["stories"] += 1


def _judge_cleaning(sid, gold, output, tally) -> None:
    """Page clutter removed, real paragraphs kept: each gold sentence looked up in the clean text
    (by its words: cleaning may re-space a line)."""
    cleaned = {}
    for article in output["articles"]:
        best = max(gold.story.articles, key=lambda raw: _word_overlap(article["text"], raw.text))
        cleaned[best.key] = " ".join(article["text"].split())
    labels = {(k, s, e): label for k, s, e, label in gold.data["lines"]}
    for key, sentences in gold.story.sentences.items():
        if key not in cleaned:
            continue
        for sentence in sentences:
            text = " ".join(gold.story.article(key).text[sentence.start : sentence.end].split())
            if len(text) < 4:
                continue
            label = next((lab for (k, s, e), lab in labels.items() if k == key and s <= sentence.start and sentence.end <= e), None)
            kept = text in cleaned[key]
            if label in ("clutter", "byline", "dateline", "caption"):
                tally.extra["clutter sentences"] += 1
                tally.extra["clutter sentences kept"] += kept
                if kept:
                    tally.examples["clutter kept"].append(f"{sid} {key} {label}: {text[:100]}")
            elif label is None:
                tally.extra["body sentences"] += 1
                tally.extra["body sentences lost"] += not kept
                if not kept:
                    tally.examples["body lost"].append(f"{sid} {key}: {text[:100]}")


def _text(story: Story, span) -> str:
    key, s, e = span
    return " ".join(story.article(key).text[s:e].split())[:140]


def _judge_facts(sid, gold, mapped, output, tally) -> None:
    for fact in output["facts"]:
        spans = [(m, mapped.span(m)) for m in fact["mentions"]]
        spans = [(m, s) for m, s in spans if s is not None]
        if fact["status"] == "unique":
            for _, span in spans[:1]:
                others = {a for f in gold.facts_at(span) for a in gold.fact_articles(f)} - {span[0]}
                non_body = gold.in_lines(span, gold.non_body)
                if non_body:
                    tally.extra["unique facts in non-body lines"] += 1
                if level(fact) != "certain":
                    tally.extra["unique facts shown as possible"] += 1
                else:
                    tally.extra["unique facts"] += 1
                    tally.extra["unique facts another article reports"] += bool(others)
                tally.add("unique facts", "wrong" if others or non_body else "right", level(fact),
                          f"{sid} {span[0]}: {_text(gold.story, span)}", fact.get("basis"))
                if others:
                    tally.examples["unique reported elsewhere"].append(f"{sid} {span[0]}: {_text(gold.story, span)}")
            continue
        by_article: dict[str, list] = defaultdict(list)
        for _, span in spans:
            by_article[span[0]].append(span)
        if len(by_article) < 2:
            continue
        candidates = None
        for key, article_spans in by_article.items():
            facts = set().union(*(gold.facts_at(s, share=0.3) for s in article_spans))
            candidates = facts if candidates is None else candidates & facts
        verdict = "right" if candidates else "wrong"
        example = " || ".join(f"{k}: {_text(gold.story, v[0])}" for k, v in by_article.items())
        tally.add("shared facts", verdict, level(fact), f"{sid} {fact['id']} {example}", fact.get("basis"))


def _judge_conflicts(sid, gold, mapped, output, tally) -> None:
    gold_pairs = []
    for c in gold.data["conflicts"]:
        a, b = c["a"], c["b"]
        gold_pairs.append((c, (a[0], *gold.sentence_of(*a)), (b[0], *gold.sentence_of(*b))))
    found = set()

    def joins(span_a, span_b, ga, gb) -> bool:
        return (span_a[0] == ga[0] and span_b[0] == gb[0] and overlap(span_a[1:], ga[1:]) and overlap(span_b[1:], gb[1:]))

    for c in output["conflicts"]:
        a, b = mapped.span(c["a"]), mapped.span(c["b"])
        if a is None or b is None:
            tally.extra["conflicts off the body"] += 1
            continue
        hit = [i for i, (_, ga, gb) in enumerate(gold_pairs) if joins(a, b, ga, gb) or joins(b, a, ga, gb)]
        found.update(hit)
        tally.add("conflicts", "right" if hit else "wrong", level(c), f"{sid} {c['kind']}: {c['statement']}", c.get("basis"))
    tally.extra["gold conflicts"] += len(gold_pairs)
    tally.extra["gold conflicts found"] += len(found)
    for t in output.get("tensions", []):
        a, b = mapped.span(t["a"]), mapped.span(t["b"])
        if a is None or b is None:
            continue
        hit = any(joins(a, b, ga, gb) or joins(b, a, ga, gb) for _, ga, gb in gold_pairs)
        tally.add("tensions", "right" if hit else "wrong", level(t), f"{sid} {t.get('cue')}: {_text(gold.story, a)} || {_text(gold.story, b)}", t.get("basis"))


def _judge_entities(sid, gold, mapped, output, tally) -> None:
    gold_names: dict[str, set[str]] = {}
    for e in gold.data["entities"]:
        gold_names[e["id"]] = {n.lower() for names in e["names"].values() for n in names}
    all_gold = set().union(*gold_names.values()) if gold_names else set()
    tool_of_name: dict[str, set[str]] = defaultdict(set)
    for entity in output["entities"]:
        names = sorted({m["text"] for m in entity["mentions"] if m.get("kind", "name") in ("name", "acronym") and m.get("field", "text") == "text"})
        for n in names:
            tool_of_name[n.lower()].add(entity["id"])
        # A name from a headline, byline or clutter line only, that no annotator calls a name.
        spans = [mapped.span(m) for m in entity["mentions"] if m.get("kind", "name") == "name"]
        spans = [s for s in spans if s]
        if spans and all(gold.in_lines(s, gold.non_body) for s in spans) and entity["name"].lower() not in all_gold:
            tally.extra["names only from headline or clutter lines"] += 1
            tally.examples["headline names"].append(f"{sid}: {entity['name']}")
        lowered = sorted({n.lower() for n in names})
        for i in range(len(lowered)):
            for j in range(i + 1, len(lowered)):
                a, b = lowered[i], lowered[j]
                if a not in all_gold or b not in all_gold:
                    tally.extra["entity joins unjudged"] += 1
                    continue
                right = any(a in ns and b in ns for ns in gold_names.values())
                tally.add("entity joins", "right" if right else "wrong", level(entity), f"{sid} {entity['type']}: {a!r} + {b!r}", entity.get("basis"))
    for e, names in gold_names.items():
        holders = set().union(*(tool_of_name.get(n, set()) for n in names))
        if len(holders) > 1:
            tally.extra["gold entities split"] += 1
        tally.extra["gold entities"] += 1


def _speaker_right(tool: str | None, gold_quote: dict, gold: Gold) -> bool:
    words = name_words(tool)
    if not words:
        return False
    target = name_words(gold_quote.get("speaker"))
    entity = next((e for e in gold.data["entities"] if e["id"] == gold_quote.get("speaker_entity")), None)
    if entity:
        for names in entity["names"].values():
            for n in names:
                target |= name_words(n)
    return bool(words & target)


def _judge_quotes(sid, gold, mapped, output, tally) -> None:
    gold_quotes = [(q, tuple(q["span"])) for q in gold.data["quotes"]]
    used: set[int] = set()
    for group in output["quotes"]:
        for m in group["mentions"]:
            span = mapped.span(m)
            if span is None:
                continue
            best, best_overlap = None, 0
            for i, (q, (k, s, e)) in enumerate(gold_quotes):
                if k != span[0] or i in used:
                    continue
                o = overlap(span[1:], (s, e))
                if o >= 0.5 * min(span[2] - span[1], e - s) and o > best_overlap:
                    best, best_overlap = i, o
            lvl = level(group)
            example = f"{sid} {span[0]} {group['speaker']!r} via {m.get('via')!r}: {_text(gold.story, span)[:80]}"
            if best is None:
                if gold.in_lines(span, gold.headlines):
                    tally.add("quote speakers", "wrong", lvl, "HEADLINE " + example, group.get("basis"))
                    tally.extra["quotes in headlines"] += 1
                else:
                    tally.extra["quotes no annotator marked"] += 1
                    tally.examples["quotes unmarked"].append(example)
                continue
            used.add(best)
            q = gold_quotes[best][0]
            tally.extra["quotes matched"] += 1
            if not group["speaker"]:
                tally.extra["matched quotes without a speaker"] += 1
            else:
                right = _speaker_right(group["speaker"], q, gold)
                tally.add("quote speakers", "right" if right else "wrong", lvl, f"{example} | gold {q['speaker']!r}", group.get("basis"))
            if m.get("via"):
                right = bool(q.get("via")) and bool(name_words(m["via"]) & name_words(q["via"]))
                via_level = m.get("via_level", "certain")
                tally.add("intermediaries", "right" if right else "wrong", via_level, f"{example} | gold via {q.get('via')!r}", f"via:{via_level}")
    tally.extra["gold quotes"] += len(gold_quotes)


def _judge_wording(sid, gold, mapped, output, tally) -> None:
    for w in output["wording"]:
        a = mapped.span(w["a"])
        if a is None:
            continue
        if w["kind"] == "swap":
            b = mapped.span(w["b"]) if w.get("b") else None
            if b is None:
                continue

            def covers(x, y) -> bool:
                return x[0] == y[0] and overlap(x[1:], y[1:]) > 0

            right = any(
                (covers(a, tuple(s["a"])) and covers(b, tuple(s["b"]))) or (covers(a, tuple(s["b"])) and covers(b, tuple(s["a"])))
                for s in gold.data["swaps"]
            )
            tally.add("word swaps", "right" if right else "wrong", level(w), f"{sid} {w['a']['text']!r} / {w['b']['text']!r}", w.get("basis"))
        elif w["kind"] == "term":
            if w.get("voice") == "quoted":
                tally.extra["loaded words inside quotations"] += 1
            right = any(a[0] == s["span"][0] and overlap(a[1:], tuple(s["span"][1:])) for s in gold.data["loaded"])
            kind = "loaded words" if w.get("voice", "outlet") == "outlet" else "quoted loaded words"
            tally.add(kind, "right" if right else "wrong", level(w), f"{sid} {w.get('category')}: {w['a']['text']!r} in {_text(gold.story, (a[0], *gold.sentence_of(*a)))[:90]}", w.get("basis"))


# ---- planted conflicts -----------------------------------------------------------------------

_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_NUMBER = re.compile(r"(?<![\w.,$])(\d{1,3}(?:,\d{3})+|\d+)(?![\w.,]\d)")


def plants(story: Story, gold: Gold, limit: int = 3) -> list[tuple[str, int, int, str, tuple]]:
    """Up to `limit` changes (article key, start, end, new value, the other side's sentence): a
    number or weekday both articles state in one gold fact, changed in the first article."""
    out = []
    seen = set()
    for fact in gold.data["facts"]:
        mentions = fact["mentions"]
        for i, (ka, sa, ea) in enumerate(mentions):
            for kb, sb, eb in mentions[i + 1 :]:
                if ka == kb:
                    continue
                text_a, text_b = story.article(ka).text, story.article(kb).text
                for m in list(_NUMBER.finditer(text_a, sa, ea)) + list(re.finditer(r"\b(" + "|".join(_WEEKDAYS) + r")\b", text_a[sa:ea])):
                    start, end = (m.start(1), m.end(1)) if m.re is _NUMBER else (sa + m.start(1), sa + m.end(1))
                    value = text_a[start:end]
                    if value in ("1", "2") or (start, end) in seen or _part_of_a_name(text_a, start, end):
                        continue
                    if not re.search(r"(?<![\w.,])" + re.escape(value) + r"(?![\w]|[.,]\d)", text_b[sb:eb]):
                        continue
                    if value in _WEEKDAYS:
                        new = _WEEKDAYS[(_WEEKDAYS.index(value) + 2) % 7]
                    elif re.fullmatch(r"(?:19|20)\d\d", value):
                        new = str(int(value) + 1)  # a year: the next one
                    else:
                        number = int(value.replace(",", ""))
                        new = f"{number * 2 + 3:,}" if "," in value else str(number * 2 + 3)
                    seen.add((start, end))
                    out.append((ka, start, end, new, (kb, sb, eb)))
                    break
            if len(out) >= limit:
                return out
    return out


def _part_of_a_name(text: str, start: int, end: int) -> bool:
    """A number that names rather than counts: "COVID-19", "Route 91", "Flight 93", "F-22", or the
    second group of a number spaced by tokenization ("2, 129")."""
    before, after = text[max(0, start - 12) : start], text[end : end + 2]
    return bool(
        re.search(r"[A-Za-z]-$|\b[A-Z][\w.]*\s$|\d,\s$", before) or re.match(r"-[A-Za-z]|[A-Za-z]", after)
    )


def planted_recall(stories: list[Story], golds: dict[str, Gold], src: Path | None) -> tuple[int, int, list[str]]:
    jobs = []
    for story in stories:
        for key, start, end, new, other in plants(story, golds[story.id]):
            text = story.article(key).text
            jobs.append((story, key, start, end, new, other, text[:start] + new + text[end:]))
    outputs = run_dumps([story_dump(job[0], {job[1]: job[6]}) for job in jobs], src)
    results = []
    for (story, key, start, end, new, other, text), output in zip(jobs, outputs):
        results.append(_planted_found(story, golds[story.id], key, start, end, new, other, text, output))
    PLANTED_BASES.clear()
    PLANTED_BASES.extend(basis for _, _, basis in results if basis)
    return sum(r for r, _, _ in results), len(results), [note for _, note, _ in results]


PLANTED_BASES: list[str] = []  # the basis of every planted conflict found, at any level (for calibration)


def _planted_found(story, gold, key, start, end, new, other, text, output) -> tuple[bool, str, str | None]:
    was = story.article(key).text[start:end]
    if output is None:
        return False, f"failed {story.id}: compare failed", None
    changed = Story(story.id, story.source, story.split, [a if a.key != key else type(a)(a.key, a.title, a.outlet, a.date, a.url, text) for a in story.articles], story.sentences)
    mapped = Mapped(changed, output)
    s, e = gold.sentence_of(key, start, end)
    sentence_a = (key, s, e + len(new) - (end - start))
    for c in output["conflicts"]:
        a, b = mapped.span(c["a"]), mapped.span(c["b"])
        if a and b:
            for x, y in ((a, b), (b, a)):
                if x[0] == key and overlap(x[1:], sentence_a[1:]) and y[0] == other[0] and overlap(y[1:], other[1:]):
                    if level(c) != "certain":
                        return False, f"possible {story.id} {was!r} -> {new!r} [{c.get('basis')}]: {c['statement']}", c.get("basis")
                    return True, f"found  {story.id} {was!r} -> {new!r} [{c.get('basis')}]", c.get("basis")
    return False, f"missed {story.id} {was!r} -> {new!r}: {_text(changed, sentence_a)} || {_text(story, other)}", None


# ---- report ----------------------------------------------------------------------------------


def report(label: str, tally: Tally, planted: tuple[int, int] | None) -> list[str]:
    rows = [f"### {label}", "", "| finding | precision, default view (certain) | precision, all | gate |", "|---|---|---|---|"]
    for kind, gate in GATES.items():
        cells = []
        for certain in (True, False):
            p, right, total = tally.precision(kind, certain)
            cells.append(f"{p:.2f} ({right}/{total})" if p is not None else f"- (0/{total})")
        rows.append(f"| {kind} | {cells[0]} | {cells[1]} | {gate:.2f} |")
    e = tally.extra
    rows += ["", "Also:"]
    rows.append(f"- conflicts: recall on gold conflicts {e['gold conflicts found']}/{e['gold conflicts']}"
                + (f"; planted conflicts found {planted[0]}/{planted[1]} ({planted[0] / max(1, planted[1]):.2f})" if planted else ""))
    rows.append(f"- tensions per story: {sum(tally.counts['tensions'].values()) / max(1, e['stories']):.1f}")
    rows.append(f"- entities: {e['gold entities split']}/{e['gold entities']} gold entities split across several; "
                f"{e['entity joins unjudged']} joins of names no annotator lists; {e['names only from headline or clutter lines']} names only from headline or clutter lines")
    rows.append(f"- quotes: {e['quotes matched']} matched of {e['gold quotes']} gold; {e['matched quotes without a speaker']} matched "
                f"without a speaker ({e['matched quotes without a speaker'] / max(1, e['quotes matched']):.2f}); "
                f"{e['quotes in headlines']} in headlines; {e['quotes no annotator marked']} no annotator marked")
    rows.append(f"- loaded words marked as a speaker's (inside quotations): {e['loaded words inside quotations']}")
    rows.append(f"- unique facts (default view) another article reports: {e['unique facts another article reports']}/{e['unique facts']} "
                f"({e['unique facts another article reports'] / max(1, e['unique facts']):.2f}); shown as possible: "
                f"{e['unique facts shown as possible']}; in non-body lines: {e['unique facts in non-body lines']}")
    rows.append(f"- cleaning: clutter, bylines, datelines and captions left in the text {e['clutter sentences kept']}/{e['clutter sentences']}; "
                f"article sentences lost {e['body sentences lost']}/{e['body sentences']}")
    return rows


def score(stories: list[Story], outputs: dict[str, dict | None]) -> Tally:
    tally = Tally()
    for story in stories:
        gold = Gold(story, json.loads((GOLD / f"{story.id}.json").read_text(encoding="utf-8")))
        output = outputs.get(story.id)
        if output is None:
            tally.extra["stories that failed to compare"] += 1
            continue
        judge(story, gold, output, tally)
    return tally


def baseline_source(rev: str) -> Path:
    folder = Path(tempfile.gettempdir()) / f"storydiff-baseline-{rev}"
    if not folder.exists():
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(folder), rev], check=True, capture_output=True)
    return folder / "src"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=["dev", "test", "test2", "test3", "all"], default="dev")
    parser.add_argument("--baseline", help="also score the code at this git revision, in the same run")
    parser.add_argument("--show", help="print every judged finding of this kind (e.g. conflicts, 'quote speakers')")
    parser.add_argument("--no-plants", action="store_true", help="skip the planted-conflict runs")
    parser.add_argument("--save", type=Path, help="keep this code's outputs in this folder (story.json each)")
    parser.add_argument("--load", type=Path, help="score the outputs saved in this folder instead of running this code")
    args = parser.parse_args(argv)
    stories = load_stories(None if args.split == "all" else args.split)
    golds = {s.id: Gold(s, json.loads((GOLD / f"{s.id}.json").read_text(encoding="utf-8"))) for s in stories}
    versions = [("this code", None)] + ([(f"baseline {args.baseline}", baseline_source(args.baseline))] if args.baseline else [])
    lines = [f"Real-news set, {args.split} half: {len(stories)} stories, {sum(len(s.articles) for s in stories)} articles", ""]
    for label, src in versions:
        if args.load and src is None:
            outputs = {s.id: json.loads((args.load / f"{s.id}.json").read_text(encoding="utf-8")) for s in stories}
        else:
            outputs = run_all(stories, src, label)
        if args.save and src is None:
            args.save.mkdir(parents=True, exist_ok=True)
            for sid, output in outputs.items():
                (args.save / f"{sid}.json").write_text(json.dumps(output), encoding="utf-8")
        tally = score(stories, outputs)
        planted = None
        if not args.no_plants:
            found, total, notes = planted_recall(stories, golds, src)
            planted = (found, total)
            if args.show == "plants":
                print("\n".join(notes))
        lines += report(label, tally, planted) + [""]
        if args.show and args.show != "plants":
            print(f"--- {label}: {args.show}")
            print("\n".join(tally.examples.get(args.show, [])))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
