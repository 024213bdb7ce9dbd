"""How much a story depends on the corpus that came before it: the clusterer's history.

Corpus mode clusters a corpus in one pass (time order, undated last, add() batches of 2,048); the
Spark job clusters blocks of it, each from a fresh clusterer. Stories ought to depend on the
articles of their own days, not on what the corpus held years before. This script clusters the
stored features of a corpus (a store made by `storydiff ingest`, e.g. allsides-articles through
benchmarks/corpus_allsides.py) and reports B-cubed agreement between:

  * the one pass, and the same pass without its first 512 articles (on the articles both have);
  * the one pass, and its last 5,000 articles clustered alone;
  * the one pass, and blocks of --block articles each clustered alone (what the Spark job's
    blocks do before it joins stories across the cuts).

Dated articles only (undated ones are time-compatible with everything, so where they are placed
depends on the whole corpus by design). Settings as ClusterSettings, overridable as JSON.

    .venv/bin/python benchmarks/stories_history.py --db /tmp/sd-allsides/allsides.db
    .venv/bin/python benchmarks/stories_history.py --db ... --settings '{"neighbours": 60}'
"""
from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", required=True, type=Path, help="a storydiff store with clustering features")
    ap.add_argument("--block", type=int, default=5000, help="articles per independently clustered block")
    ap.add_argument("--settings", type=json.loads, default={}, help="ClusterSettings fields as JSON")
    a = ap.parse_args(argv)
    if not a.db.exists():
        print(f"{a.db}: no such store", file=sys.stderr)
        return 2
    from stories_quality import bcubed

    from storydiff.corpus.clustering import ClusterSettings, StoryClusterer, StoryFeatures

    settings = ClusterSettings(**a.settings)
    db = sqlite3.connect(f"file:{a.db}?mode=ro", uri=True)
    rows = db.execute(
        "SELECT a.id, f.data FROM features f JOIN articles a ON a.id = f.article WHERE a.copy_of IS NULL AND a.day IS NOT NULL"
    ).fetchall()
    feats = {i: StoryFeatures.from_bytes(d) for i, d in rows}
    order = sorted(feats, key=lambda i: (feats[i].day, i))

    def cluster(keys):
        cl = StoryClusterer(settings)
        out = {}
        for s in range(0, len(keys), 2048):
            out.update(cl.add([(k, feats[k]) for k in keys[s : s + 2048]]))
        return out

    def agreement(part, whole, keys):
        return bcubed([part[k] for k in keys], [whole[k] for k in keys])[2]

    t = time.perf_counter()
    whole = cluster(order)
    one_pass = time.perf_counter() - t
    later = order[512:]
    tail = order[-5000:]
    blocks = {}
    for b in range(0, len(order), a.block):
        blocks.update({k: (b, v) for k, v in cluster(order[b : b + a.block]).items()})
    result = {
        "articles": len(order),
        "settings": a.settings,
        "one_pass_seconds": round(one_pass, 1),
        "without_first_512": round(agreement(cluster(later), whole, later), 3),
        "last_5000_alone": round(agreement(cluster(tail), whole, tail), 3),
        f"blocks_of_{a.block}": round(agreement({k: hash(v) for k, v in blocks.items()}, whole, order), 3),
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
