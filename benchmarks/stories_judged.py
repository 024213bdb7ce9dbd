"""Story clustering against same-story pairs of REAL news judged by hand (no gold stories exist).

benchmarks/data/allsides_judged_pairs.jsonl holds 680 pairs of allsides-articles (by the dataset's
article id; the texts stay in ../shared), each judged blind "same event" or not by annotators
(AI helpers who had not seen the code, 2026-12-07). The first 480 in three rounds whose 10 control
pairs agreed 30/30; the last 200 (judges "r1-*", "r2-*") with stricter instructions (a pair
whose text cannot tell is "different"; opinion pieces with no single happening are
"different"), controls 30/30 within round 2. The pairs were drawn from the stories of several
clusterer versions (`drawn_from`): random same-story pairs (of 2018 articles; of all articles in
round 2), links one version removed or added, links from undated articles. So they are not a random sample of all pairs: a version that links a pair is scored on
it, and one that links none is not. What this reports, for the clusterer at its default settings:

  * judged pairs it puts in one story, and how many of them are the same event (precision on
    the judged links: the figure that matters most);
  * judged-same pairs it keeps together (how much it gives up for that precision).

    .venv/bin/python benchmarks/stories_judged.py --db ALLSIDES.db               # stories as stored
    .venv/bin/python benchmarks/stories_judged.py --db ALLSIDES.db --recluster   # the current clusterer

ALLSIDES.db is a store of the whole dump (benchmarks/corpus_allsides.py builds one). With
--recluster, the stored features of every non-copy article go through a new StoryClusterer in
time order (undated last) in batches of 2,048, as the corpus step feeds it (about a minute).
"""
from __future__ import annotations

import argparse
import gzip
import json
import sqlite3
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
PAIRS = HERE / "data" / "allsides_judged_pairs.jsonl"
DUMP = HERE.parent.parent / "shared" / "data" / "allsides-articles" / "articles.jsonl.gz"


def store_ids(db: sqlite3.Connection, dump: Path, wanted: set[str]) -> dict[str, int]:
    """allsides id -> stored article id, matched by URL (and title where a URL repeats)."""
    by_url: dict[str, list[tuple[str, str]]] = {}
    with gzip.open(dump, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record["id"] in wanted:
                by_url.setdefault(record.get("url") or "", []).append((record["id"], record.get("title") or ""))
    out: dict[str, int] = {}
    for art, url, title in db.execute("SELECT id, url, title FROM articles"):
        for rid, rtitle in by_url.get(url or "", []):
            if rid not in out and (len(by_url[url]) == 1 or rtitle == (title or "")):
                out[rid] = art
    return out


def stories(db: sqlite3.Connection, recluster: bool) -> dict[int, int]:
    """Stored article id -> story (a copy takes its original's story)."""
    copy_of = dict(db.execute("SELECT id, copy_of FROM articles WHERE copy_of IS NOT NULL"))
    if not recluster:
        story = dict(db.execute("SELECT id, story FROM articles WHERE story IS NOT NULL"))
    else:
        from storydiff.corpus._steps import features_model, time_order

        built = {m for (m,) in db.execute("SELECT DISTINCT model FROM features")}
        if built != {features_model()}:  # e.g. features without outlets: the clusterer would run without its outlet rule
            sys.exit(f"the store's features were made by {sorted(built)}, not {features_model()}: ingest into it once "
                     "with this code (nothing new needed) to make them again, then re-run")
        from storydiff.corpus.clustering import ClusterSettings, StoryClusterer, StoryFeatures

        rows = db.execute("SELECT a.id, f.data, a.day FROM features f JOIN articles a ON a.id = f.article WHERE a.copy_of IS NULL").fetchall()
        rows.sort(key=lambda r: time_order(r[0], r[2]))
        clusterer = StoryClusterer(ClusterSettings())
        story = {}
        began = time.perf_counter()
        for start in range(0, len(rows), 2048):
            story.update(clusterer.add([(i, StoryFeatures.from_bytes(data)) for i, data, _ in rows[start : start + 2048]]))
        print(f"re-clustered {len(rows)} articles in {time.perf_counter() - began:.0f} s", file=sys.stderr)
    for art, original in copy_of.items():
        if original in story:
            story[art] = story[original]
    return story


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", type=Path, required=True, help="a store of the allsides dump")
    ap.add_argument("--recluster", action="store_true", help="cluster the stored features with the current clusterer")
    ap.add_argument("--dump", type=Path, default=DUMP)
    a = ap.parse_args(argv)
    if not a.db.exists() or not a.dump.exists():
        print(f"missing: {a.db if not a.db.exists() else a.dump}", file=sys.stderr)
        return 2
    pairs = [json.loads(line) for line in PAIRS.open(encoding="utf-8")]
    db = sqlite3.connect(f"file:{a.db}?mode=ro", uri=True)
    ids = store_ids(db, a.dump, {p[k] for p in pairs for k in ("a", "b")})
    story = stories(db, a.recluster)
    seen: dict[tuple[str, str], bool] = {}
    for p in pairs:  # a pair judged twice (control pairs) counts once, with its first label
        seen.setdefault(tuple(sorted((p["a"], p["b"]))), p["same"])
    counts: Counter[str] = Counter()
    for (x, y), same in seen.items():
        if x not in ids or y not in ids or ids[x] not in story or ids[y] not in story:
            counts["not in the store"] += 1
            continue
        linked = story[ids[x]] == story[ids[y]]
        counts[("linked" if linked else "apart") + (", same" if same else ", different")] += 1
    linked = counts["linked, same"] + counts["linked, different"]
    judged_same = counts["linked, same"] + counts["apart, same"]
    print(f"{len(seen)} judged pairs ({sum(seen.values())} the same event); {counts['not in the store']} not found in the store")
    print(f"linked by the clusterer: {linked}; the same event among them: {counts['linked, same']}"
          f" (precision {counts['linked, same'] / max(1, linked):.3f})")
    print(f"judged-same pairs kept together: {counts['linked, same']} of {judged_same}"
          f" ({counts['linked, same'] / max(1, judged_same):.3f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
