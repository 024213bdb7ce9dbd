"""Does the Spark job give corpus mode's answers? A sample of allsides-articles through both.

    python benchmarks/spark_agreement.py [--count 2000] [--since 2019-01-01] [--blocks 50000,500]

The sample: the `count` articles of ../shared/data/allsides-articles dated `since` or later, in
date order (ties by their id; --since '' takes undated ones too, first): a dense window of weeks, so stories of several outlets, written
to a temporary JSON-lines file (never into the repository). Corpus mode ingests it into a
temporary store; the Spark job (local[2]) reads the same file, once per block size. Compared, by
article uid: the ids given, the copy groups, the stories (B-cubed agreement of the Spark stories
with corpus mode's, both ways, and the articles placed differently, listed), and the comparison
JSON of the widest story. Times of each side are printed.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DUMP = ROOT.parent / "shared" / "data" / "allsides-articles" / "articles.jsonl.gz"


def sample(count: int, since: str, path: Path) -> int:
    rows = []
    with gzip.open(DUMP, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if (record.get("date") or "") >= since:
                rows.append(((record.get("date") or "", record["id"]), line))
    rows.sort()
    path.write_text("".join(line for _, line in rows[:count]), encoding="utf-8")
    return min(count, len(rows))


def bcubed(pred: dict, gold: dict) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of clusters `pred` against `gold` (item -> cluster), by
    the story benchmarks' own scorer."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from stories_quality import bcubed as scored

    items = list(gold)
    return scored([pred[i] for i in items], [gold[i] for i in items])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--since", default="2019-01-01")
    parser.add_argument("--blocks", default="50000,500", help="block sizes (articles) to run the Spark job with")
    args = parser.parse_args()
    if not DUMP.exists():
        sys.exit(f"{DUMP} is missing")
    import pyarrow.parquet as pq

    import storydiff
    from storydiff.scale import SparkSettings, run, session

    folder = Path(tempfile.mkdtemp(prefix="sd-spark-"))
    source = folder / "sample.jsonl"
    n = sample(args.count, args.since, source)
    print(f"sample: {n:,} articles dated {args.since} or later -> {source}")

    began = time.perf_counter()
    with storydiff.Corpus(folder / "corpus.db") as corpus:
        corpus.ingest([str(source)], workers=2)
        rows = corpus.store.db.execute("SELECT id, uid, copy_of, story FROM articles ORDER BY id").fetchall()
        widest = corpus.stories(min_outlets=2, limit=1)
    corpus_seconds = time.perf_counter() - began
    by_id = {i: u for i, u, _, _ in rows}
    corpus_stories = {u: s for _, u, _, s in rows}
    corpus_copies = {u: by_id.get(c) for _, u, c, _ in rows}
    print(f"corpus mode: {len(rows):,} articles, {sum(1 for c in corpus_copies.values() if c):,} copies, "
          f"{len(set(corpus_stories.values())):,} stories in {corpus_seconds:.1f} s (ingest, 2 workers)")

    settings = SparkSettings(master="local[2]", compare_min_outlets=2, compare_limit=1)
    spark = session(settings)
    for block in [int(b) for b in args.blocks.split(",")]:
        out = folder / f"spark-{block}"
        began = time.perf_counter()
        report = run([str(source)], str(out), settings=SparkSettings(master="local[2]", block_articles=block, compare_min_outlets=2, compare_limit=1), spark=spark)
        seconds = time.perf_counter() - began
        articles = pq.read_table(out / "articles", columns=["id", "uid", "copy_of", "story"]).to_pylist()
        uid_of = {a["id"]: a["uid"] for a in articles}
        spark_stories = {a["uid"]: a["story"] for a in articles}
        spark_copies = {a["uid"]: uid_of.get(a["copy_of"]) for a in articles}
        same_ids = {a["uid"]: a["id"] for a in articles} == {u: i for i, u, _, _ in rows}
        copy_diffs = sorted(u for u in corpus_copies if corpus_copies[u] != spark_copies.get(u))
        p, r, f = bcubed(spark_stories, corpus_stories)
        moved = _moved(spark_stories, corpus_stories)
        print(f"spark, blocks of {block:,}: {seconds:.1f} s ({report.seconds}); same ids: {same_ids}; copy groups differ for {len(copy_diffs)} articles; "
              f"stories B-cubed agreement P {p:.4f} R {r:.4f} F1 {f:.4f}; {len(moved)} articles placed differently")
        for uid in moved[:10]:
            print(f"    {uid}: corpus story of {_size(corpus_stories, uid)}, spark story of {_size(spark_stories, uid)}")
        comparisons = pq.read_table(out / "comparisons").to_pylist()
        if widest and comparisons:
            with storydiff.Corpus(folder / "corpus.db") as corpus:
                members = {u for u, s in corpus_stories.items() if s == widest[0].id}
                match = [c for c in comparisons if {u for u, s in spark_stories.items() if s == c["story"]} == members]
                if match:
                    mine = corpus.compare(widest[0].id).to_json(indent=None)
                    print(f"    comparison JSON of the widest story ({widest[0].outlets} outlets): {'the same' if mine == match[0]['comparison'] else 'DIFFERENT'}")
                else:
                    print("    the widest story of corpus mode is not a story of the Spark job's: its comparison is not compared")
    spark.stop()


def _moved(pred: dict, gold: dict) -> list[str]:
    """Articles whose story-mates differ between the two."""
    def mates(labels):
        out: dict = {}
        for item, label in labels.items():
            out.setdefault(label, set()).add(item)
        return {item: frozenset(out[label]) for item, label in labels.items()}

    a, b = mates(pred), mates(gold)
    return sorted(u for u in gold if a.get(u) != b[u])


def _size(labels: dict, uid: str) -> int:
    return sum(1 for v in labels.values() if v == labels.get(uid))


if __name__ == "__main__":
    main()
