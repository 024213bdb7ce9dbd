"""Comparing one stored story warm: every per-article analysis read from the store, every
cross-article stage run again (the kept comparison is dropped before each run).

    python benchmarks/warm_compare.py --db STORE.db [--story ID] [--runs 10]

STORE.db is a corpus-mode store (e.g. the one `benchmarks/corpus_allsides.py --keep` leaves);
without --story, the first story of three articles (no copies) and three outlets. The first run
loads the models and, if the story was never compared, makes and stores its per-article
analyses; it is reported apart. Prints the best and median of the warm runs and each stage's
best time (from the pipeline's progress messages, which come as each stage starts).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--story", type=int)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()

    import storydiff

    with storydiff.Corpus(args.db) as corpus:
        story = args.story
        if story is None:
            three = next((r for r in corpus.stories(min_outlets=3, limit=None) if r.voices == 3), None)
            if three is None:
                sys.exit(f"{args.db}: no story of three articles from three outlets")
            story = three.id
        stages: dict[str, list[float]] = defaultdict(list)

        def run() -> float:
            corpus.store.db.execute("DELETE FROM comparisons WHERE story = ?", (story,))
            marks: list[tuple[str, float]] = []
            began = time.perf_counter()
            corpus.compare(story, progress=lambda message: marks.append((message, time.perf_counter())))
            ended = time.perf_counter()
            for (message, start), (_, end) in zip(marks, marks[1:] + [("", ended)]):
                stages[message].append(end - start)
            return ended - began

        first = run()
        stages.clear()
        times = [run() for _ in range(args.runs)]
        print(f"story {story} ({len(corpus.articles(story))} articles stored): first run {first:.2f} s")
        print(f"warm, {args.runs} runs: best {min(times):.3f} s, median {statistics.median(times):.3f} s")
        for message, seconds in sorted(stages.items(), key=lambda item: -min(item[1])):
            print(f"  {min(seconds) * 1000:7.1f} ms  {message}")


if __name__ == "__main__":
    main()
