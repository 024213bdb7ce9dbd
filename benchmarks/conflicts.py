"""Conflicts: recall on planted conflicts, false alarms on pairs that agree.

tests/data/conflict_pairs.json holds made-up article pairs written for this by helpers that did
not see the detector: `dev` (8 agreeing + 8 conflict pairs) was used to build it; `test` (22 + 22)
was scored once, then its failures were studied and fixed, so it is no longer unseen; `holdout`
(22 + 22, written later by another helper) was scored once, then its failures were studied too;
`holdout2` (22 + 22, by a third helper) likewise; `holdout3` (22 + 22, by a fourth) was scored once,
then two generic bugs its failures showed were fixed; `holdout4` (22 + 22, by a fifth) was scored
once, then studied; `holdout5` (22 + 22, by a sixth) was scored before and after one round of
changes made without looking at it, then studied; `holdout6` (22 + 22, by a seventh) was scored
once, after that session's last change, then studied; `holdout7` (22 + 22, by an eighth) was
scored once before any change of the next session, then studied; `holdout8` (22 + 22, by a ninth)
was scored once, after that session's last change, then studied; `holdout9` (22 + 22, by a tenth)
was scored once, after the following session's last change, then studied; `holdout10` (22 + 22,
by an eleventh) is committed unscored: its first score is the next unseen one, so score it alone
(`--set all` leaves it out until then). Agreeing pairs
differ only harmlessly (paraphrase, reordering, omissions, rounded, partial or qualified numbers,
words for digits, converted units, dates at other precisions, a city for its country); each
conflict pair carries one planted conflict (a number, date, place, actor or intermediary), with
the words that carry each side's value.

- recall: planted conflicts found, i.e. a reported conflict whose two spans overlap the planted
  words of each article (either order); "right kind" also needs the kind to match;
- false alarms: agreeing pairs with at least one reported conflict (goal: at most 1 in 20), and
  conflicts reported in conflict pairs besides the planted one; also how many agreeing pairs get a
  tension (tensions are cue-based and not scored against annotation here).

    python benchmarks/conflicts.py [--set holdout10|holdout9|holdout8|holdout7|holdout6|holdout5|holdout4|holdout3|holdout2|holdout|test|dev|all] [--show]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from datasets import ANNOTATIONS  # noqa: E402

from storydiff import Article, compare  # noqa: E402

PAIRS = ANNOTATIONS / "conflict_pairs.json"
KINDS = {"number": "quantity"}  # the corpus's name for a slot -> storydiff's


def _article(side: dict, name: str) -> Article:
    return Article(source=name, text=side["text"], title=side.get("title"), outlet=side["outlet"], published=side.get("published"))


def _overlaps(slot, text: str, words: str) -> bool:
    start = text.find(words)
    return slot.field == "text" and start >= 0 and slot.start < start + len(words) and start < slot.end


def _is_planted(conflict, pair: dict) -> bool:
    planted = pair["conflict"]
    a_text, b_text = pair["a"]["text"], pair["b"]["text"]
    slots = {conflict.a.article: conflict.a, conflict.b.article: conflict.b}
    if set(slots) != {0, 1}:
        return False
    return _overlaps(slots[0], a_text, planted["a"]) and _overlaps(slots[1], b_text, planted["b"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=["holdout10", "holdout9", "holdout8", "holdout7", "holdout6", "holdout5", "holdout4", "holdout3", "holdout2", "holdout", "test", "dev", "all"], default="holdout10")
    parser.add_argument("--show", action="store_true", help="print every reported conflict and every miss")
    args = parser.parse_args()
    data = json.loads(PAIRS.read_text(encoding="utf-8"))
    sets = ("dev", "test", "holdout", "holdout2", "holdout3", "holdout4", "holdout5", "holdout6", "holdout7", "holdout8", "holdout9")
    pairs = sum((data.get(k, []) for k in sets), []) if args.set == "all" else data[args.set]
    found = Counter()
    by_kind = Counter()
    kinds = Counter()
    alarms, extra, seconds, tensed = [], 0, [], 0
    for pair in pairs:
        started = time.perf_counter()
        comparison = compare([_article(pair["a"], pair["id"] + "/a"), _article(pair["b"], pair["id"] + "/b")])
        seconds.append(time.perf_counter() - started)
        if pair["kind"] == "agree":
            tensed += bool(comparison.tensions)
            if comparison.conflicts:
                alarms.append((pair["id"], [c.statement for c in comparison.conflicts]))
            continue
        planted = pair["conflict"]
        kind = KINDS.get(planted["slot"], planted["slot"])
        kinds[kind] += 1
        hits = [c for c in comparison.conflicts if _is_planted(c, pair)]
        extra += len(comparison.conflicts) - len(hits[:1])
        if hits:
            found["any"] += 1
            if any(c.kind == kind for c in hits):
                found["kind"] += 1
                by_kind[kind] += 1
        if args.show:
            status = "found" if hits else "MISSED"
            print(f"{pair['id']}: {status} {kind}: {planted['note']}")
            for c in comparison.conflicts:
                print(f"    reported {c.kind}: {c.statement}")
    n_conflict = sum(p["kind"] == "conflict" for p in pairs)
    n_agree = len(pairs) - n_conflict
    print(f"set {args.set}: {n_agree} agreeing pairs, {n_conflict} conflict pairs")
    print(f"recall on planted conflicts: {found['any'] / n_conflict:.3f} ({found['any']}/{n_conflict}); right kind {found['kind'] / n_conflict:.3f}")
    print("  by kind: " + ", ".join(f"{k} {by_kind[k]}/{kinds[k]}" for k in sorted(kinds)))
    print(f"false alarms: {len(alarms)} of {n_agree} agreeing pairs; {extra} extra conflicts in the {n_conflict} conflict pairs")
    print(f"tensions (not conflicts) reported in {tensed} of {n_agree} agreeing pairs")
    for pair_id, statements in alarms:
        print(f"  {pair_id}: " + " | ".join(statements))
    seconds.sort()
    print(f"compare() per pair: median {seconds[len(seconds) // 2] * 1000:.0f} ms")


if __name__ == "__main__":
    main()
