"""Calibrate the confidence of every finding on the studied halves of the real-news set (issue 17).

Runs this code on the studied stories (`--splits`, by default dev, test and test2: each was scored
unseen once, then studied), judges every finding against the gold (benchmarks/realnews.py) and
writes, for each basis a finding can rest on (story/confidence.py), the share that was right,
smoothed as (right + 1) / (judged + 2) so that a basis seen a few times stays near 0.5:
src/storydiff/resources/confidence.json. The unseen half (test3) is never read here.

    python benchmarks/calibrate.py [--splits dev,test,test2]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from datasets import ROOT  # noqa: E402
import realnews  # noqa: E402
from realnews import Gold, planted_recall, run_all, score  # noqa: E402
from realnews_data import GOLD  # noqa: E402
from realnews_data import load_stories  # noqa: E402

TARGET = ROOT / "src" / "storydiff" / "resources" / "confidence.json"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--splits", default="dev,test,test2", help="the studied halves to calibrate on")
    args = parser.parse_args(argv)
    stories = [s for split in args.splits.split(",") for s in load_stories(split)]
    if "test3" in args.splits.split(","):
        raise SystemExit("test3 is the unseen half: it is never calibrated on")
    outputs = run_all(stories, None, "this code")
    tally = score(stories, outputs)
    # Real conflicts are rare: conflicts planted into the dev stories (a number or weekday two
    # articles state alike, changed in one) add right findings to the bases that find them.
    golds = {s.id: Gold(s, json.loads((GOLD / f"{s.id}.json").read_text(encoding="utf-8"))) for s in stories}
    planted_recall(stories, golds, None)
    print(f"{len(stories)} stories of {args.splits}")
    for basis in realnews.PLANTED_BASES:
        tally.by_basis[basis]["planted"] += 1
    rates, certain = {}, []
    for basis, counts in sorted(tally.by_basis.items()):
        right, wrong = counts["right"] + counts["planted"], counts["wrong"]
        rates[basis] = round((right + 1) / (right + wrong + 2), 3)
        # Right every time, often enough: certain although the smoothed rate of a rare kind of
        # finding stays under its line.
        if wrong == 0 and right >= 3:
            certain.append(basis)
        print(f"{basis:<40} {counts['right']:>4} right {counts['planted']:>3} planted {wrong:>4} wrong  -> {rates[basis]:.3f}{'  certain' if basis in certain else ''}")
    data = json.loads(TARGET.read_text(encoding="utf-8"))  # gates and their reasons stay as written
    data["rates"] = rates
    data["certain"] = certain
    TARGET.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(rates)} rates to {TARGET}")


if __name__ == "__main__":
    main()
