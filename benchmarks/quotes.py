"""Quotation and speaker extraction against our hand annotation of real news pages.

tests/data/quotes_gold.json marks every quotation and reported statement, with its speaker, in 47
English news articles of the extraction benchmark (texts read from ../shared, never stored here);
the rules were developed against these pages ("dev"). quotes_holdout.json (20 pages) and
quotes_holdout2.json (15 pages) were annotated later, each without seeing the system, scored once
unseen and then studied; quotes_holdout3.json (8 pages) was only ever scored (after each round of
changes, its errors never read); quotes_holdout4.json (9 pages, annotated 2026-12-03 without seeing
the system) is the newest, scored once after the session's last change.
storydiff's quote stage runs on each article body; a baseline runs beside it in the same pass:
quotation marks paired plainly, speaker = the nearest capitalised two-word name.

Matching: a found quote matches an annotated one when they overlap by at least half the shorter
span (reported speech has soft edges), one to one, largest overlap first.
- quote spans: precision = matched / found, recall = matched / annotated;
- speaker attribution: a match counts when its speaker is right (named: the names share their
  surname and nothing contradicts; unnamed: both unnamed); precision over found quotes that
  name a speaker, recall over all annotated quotes.

    python benchmarks/quotes.py [--set dev|holdout|holdout2|holdout3|holdout4|all] [--errors 15]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from datasets import ANNOTATIONS, DATA, require  # noqa: E402

from storydiff import Article  # noqa: E402
from storydiff.article.names import find_named_entities  # noqa: E402
from storydiff.article.quotes import extract_quotes  # noqa: E402
from storydiff.article.segment import segment_article  # noqa: E402
from storydiff.story.sources import same_speaker  # noqa: E402


SETS = {
    "dev": ["quotes_gold.json"],
    "holdout": ["quotes_holdout.json"],
    "holdout2": ["quotes_holdout2.json"],
    "holdout3": ["quotes_holdout3.json"],
    "holdout4": ["quotes_holdout4.json"],
    "all": ["quotes_gold.json", "quotes_holdout.json", "quotes_holdout2.json", "quotes_holdout3.json", "quotes_holdout4.json"],
}


def load(which: str = "dev") -> list[tuple[str, str, list[dict]]]:
    truth = json.loads(require(DATA / "extraction-benchmark" / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for name in SETS[which]:
        gold = json.loads((ANNOTATIONS / name).read_text(encoding="utf-8"))
        pages += [(page["id"], truth[page["id"]]["articleBody"], page["quotes"]) for page in gold["pages"]]
    return pages


def storydiff_quotes(text: str) -> list[dict]:
    article = Article(source="page", text=text, id=0)
    segment_article(article)
    article.named_entities = find_named_entities(article)  # as the pipeline's `names` stage does
    return [
        {"span": (q.start, q.end), "kind": q.kind, "speaker": q.speaker, "named": q.named}
        for q in extract_quotes(article)
    ]


_BASELINE_QUOTE = re.compile(r"[“\"]([^“”\"]{3,}?)[”\"]")
_BASELINE_NAME = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+\b")


def baseline_quotes(text: str) -> list[dict]:
    names = [(m.start(), m.group(0)) for m in _BASELINE_NAME.finditer(text)]
    found = []
    for match in _BASELINE_QUOTE.finditer(text):
        start, end = match.span(1)
        outside = [(min(abs(p - start), abs(p - end)), n) for p, n in names if not (start <= p < end)]
        speaker = min(outside)[1] if outside else None
        found.append({"span": (start, end), "kind": "direct", "speaker": speaker, "named": True})
    return found


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _right_speaker(found: dict, gold: dict) -> bool:
    if not found["speaker"]:
        return False
    if not gold["named"]:
        return not found["named"]
    return found["named"] and same_speaker(found["speaker"], gold["speaker"])


def score(pages, system) -> dict:
    counts = Counter()
    by_kind = Counter()
    errors = []
    started = time.perf_counter()
    for page_id, text, gold in pages:
        found = system(text)
        pairs = sorted(
            ((_overlap(tuple(f["span"]), tuple(g["span"])), i, j) for i, f in enumerate(found) for j, g in enumerate(gold)),
            reverse=True,
        )
        used_f, used_g, matched = set(), set(), []
        for overlap, i, j in pairs:
            shorter = min(found[i]["span"][1] - found[i]["span"][0], gold[j]["span"][1] - gold[j]["span"][0])
            if overlap <= 0 or overlap < 0.5 * shorter or i in used_f or j in used_g:
                continue
            used_f.add(i)
            used_g.add(j)
            matched.append((found[i], gold[j]))
        counts["found"] += len(found)
        counts["gold"] += len(gold)
        counts["matched"] += len(matched)
        counts["found_with_speaker"] += sum(1 for f in found if f["speaker"])
        right = [(f, g) for f, g in matched if _right_speaker(f, g)]
        counts["right"] += len(right)
        for g in gold:
            by_kind[g["kind"], "gold"] += 1
        for f, g in matched:
            by_kind[g["kind"], "matched"] += 1
            by_kind[g["kind"], "right"] += _right_speaker(f, g)
            if not _right_speaker(f, g):
                errors.append((page_id, text[g["span"][0] : g["span"][1]][:70], g["speaker"], f["speaker"]))
        for j, g in enumerate(gold):
            if j not in used_g:
                errors.append((page_id, text[g["span"][0] : g["span"][1]][:70], g["speaker"], "(missed)"))
        for i, f in enumerate(found):
            if i not in used_f and f["speaker"]:  # a false quote with a speaker costs speaker precision
                errors.append((page_id, text[f["span"][0] : f["span"][1]][:70], "(not annotated)", f["speaker"]))
    elapsed = time.perf_counter() - started

    def prf(tp, found, gold):
        p, r = (tp / found if found else 0.0), (tp / gold if gold else 0.0)
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    return {
        "spans": prf(counts["matched"], counts["found"], counts["gold"]),
        "speakers": prf(counts["right"], counts["found_with_speaker"], counts["gold"]),
        "by_kind": {k: (by_kind[k, "matched"] / by_kind[k, "gold"], by_kind[k, "right"] / by_kind[k, "gold"]) for k in ("direct", "partial", "reported")},
        "counts": counts,
        "errors": errors,
        "ms_per_page": elapsed / len(pages) * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", type=int, default=0, help="list this many of storydiff's errors (wrong speaker, missed, not annotated)")
    parser.add_argument("--set", choices=sorted(SETS), default="dev", help="dev: the 47 pages the rules were developed on; holdout, holdout2: annotated later, scored unseen, then studied; holdout3: only scored; holdout4: the newest, scored once")
    args = parser.parse_args()
    pages = load(args.set)
    print(f"{len(pages)} pages, {sum(len(q) for _, _, q in pages)} annotated quotations")
    print(f"{'':34}{'P':>7}{'R':>7}{'F1':>7}")
    for name, system in (("baseline (marks + nearest name)", baseline_quotes), ("storydiff", storydiff_quotes)):
        result = score(pages, system)
        for what in ("spans", "speakers"):
            p, r, f = result[what]
            print(f"{name + ' ' + what:34}{p:7.3f}{r:7.3f}{f:7.3f}")
        if name == "storydiff":
            print("  recall by kind (span / span and speaker): " + ", ".join(
                f"{k} {a:.2f}/{b:.2f}" for k, (a, b) in result["by_kind"].items()))
            print(f"  {result['ms_per_page']:.1f} ms per page")
            for error in result["errors"][: args.errors]:
                print("  ", error)


if __name__ == "__main__":
    main()
