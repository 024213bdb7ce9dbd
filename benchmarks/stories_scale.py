"""Story clustering at scale: time and peak memory (RSS) of StoryClusterer.add for 10k, 100k and
(with --million) 1M articles, at the default settings.

How the articles are generated (from real ones, so vectors and terms have real statistics):
  * Pool: every article of NeuS train + val and ECB+ (9,259 articles in 2,845 real events), with
    its StoryFeatures built from its real MiniLM vector (title + ~100 words; cached by
    benchmarks/stories_quality.py in $STORYDIFF_BENCH_CACHE, computed here if missing).
  * Stories: sizes 1 + Geometric(p=0.3) (mean ~3.3, capped at 60). Each synthetic story picks a
    real "seed" event and a random unit story direction u; each of its articles gets the vector
    unit(v + 0.35 u + 0.15 e), v the (unit) vector of a random article of the seed event and e a
    random unit noise per article: articles of one story stay close, while two stories drawn
    from the same seed event are similar but distinct (like ECB+'s paired events).
  * Terms: the chosen real article's terms with ~30% of them swapped for terms of another article
    of the same real event (mixing terms within a story), plus 4 story-specific random "name"
    ids (what tells two stories of one seed event apart in real news).
  * Dates: story start day uniform over max(30, n/1000) days; each article 0-2 days after it;
    25% of the articles undated. Fed in time order, undated last (as the corpus step does), in
    add() batches of 2048. Features are generated batch by batch (as if read from SQLite) and the
    generation time is excluded; the peak RSS includes the process (numpy, usearch, the pool).

Each size runs in its own subprocess so that its peak RSS is its own.

    .venv/bin/python benchmarks/stories_scale.py              # 10k and 100k (about 10 min)
    .venv/bin/python benchmarks/stories_scale.py --million    # and 1M (about an hour)
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent


def pool():
    sys.path.insert(0, str(HERE))
    import stories_quality as q

    from storydiff.corpus.clustering import StoryFeatures

    feats, events = [], []
    for titles, bodies, gold in (q.load_neus(q.DATA, "train"), q.load_neus(q.DATA, "val"), q.load_ecb(q.DATA)):
        V, _ = q.vectors([StoryFeatures.vector_texts(a, b) for a, b in zip(titles, bodies)], "lead")
        base = len(feats)
        feats += [StoryFeatures.build(a, b, v, None) for a, b, v in zip(titles, bodies, V)]
        for g in np.unique(gold):
            events.append(base + np.flatnonzero(gold == g))
    return feats, events


def generate(n: int, feats, events, seed: int = 0):
    """Yields batches of (key, StoryFeatures) in time order (undated last), and the gold labels."""
    from storydiff.corpus.clustering import StoryFeatures

    rng = np.random.default_rng(seed)
    sizes = []
    while sum(sizes) < n:
        sizes.append(int(min(60, 1 + rng.geometric(0.3))))
    sizes[-1] -= sum(sizes) - n
    span = max(30, n // 1000)
    story = np.repeat(np.arange(len(sizes)), sizes)
    seed_event = rng.integers(0, len(events), len(sizes))
    start = rng.integers(0, span, len(sizes))
    day = start[story] + rng.integers(0, 3, n)
    undated = rng.random(n) < 0.25
    order = np.lexsort((np.arange(n), day, undated))
    dim = len(feats[0].vector)

    def make(i: int) -> StoryFeatures:
        k = int(story[i])
        r = np.random.default_rng((seed, i))  # per article: any batch split gives the same data
        members = events[int(seed_event[k])]
        a = feats[int(members[r.integers(len(members))])]
        b = feats[int(members[r.integers(len(members))])]
        u = np.random.default_rng((seed, 1_000_000_000 + k)).standard_normal(dim)  # the story's direction
        e = r.standard_normal(dim)
        v = a.vector.astype(np.float32) + 0.35 * u / np.linalg.norm(u) + 0.15 * e / np.linalg.norm(e)
        v /= np.linalg.norm(v)
        # terms: ~30% of a's swapped for b's, plus the story's own 4 "names"
        keep = r.random(len(a.term_ids)) >= 0.3
        take = r.random(len(b.term_ids)) < 0.3
        names = (2 << 22) | np.random.default_rng((seed, 2_000_000_000 + k)).integers(0, 1 << 22, 4)
        ids = np.concatenate((a.term_ids[keep], b.term_ids[take], names.astype(np.uint32)))
        tf = np.concatenate((a.term_tf[keep], b.term_tf[take], np.ones(4, np.float16)))
        ids, first = np.unique(ids, return_index=True)
        return StoryFeatures(v.astype(np.float16), ids.astype(np.uint32), tf[first], None if undated[i] else int(day[i]))

    def batches(size: int = 2048):
        for s in range(0, n, size):
            yield [(int(i), make(int(i))) for i in order[s : s + size]]

    return batches, story


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def one(n: int) -> dict:
    from storydiff.corpus.clustering import ClusterSettings, StoryClusterer

    sys.path.insert(0, str(HERE))
    from stories_quality import bcubed

    feats, events = pool()
    batches, gold = generate(n, feats, events)
    base = rss_mb()
    cl = StoryClusterer(ClusterSettings())
    spent, pred, gen = 0.0, {}, 0.0
    t_gen = time.perf_counter()
    for batch in batches():
        t = time.perf_counter()
        gen += t - t_gen
        pred.update(cl.add(batch))
        t_gen = time.perf_counter()
        spent += t_gen - t
    P, R, F = bcubed([pred[i] for i in range(n)], gold)
    return {"n": n, "seconds": round(spent, 1), "us_per_article": round(1e6 * spent / n), "peak_rss_mb": round(rss_mb()),
            "rss_before_mb": round(base), "stories": cl.n_stories, "gold_stories": int(gold.max()) + 1,
            "bcubed_f1_synthetic": round(F, 3), "generation_s": round(gen, 1)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--million", action="store_true", help="also run 1,000,000 articles (about an hour)")
    ap.add_argument("--sizes", type=int, nargs="*", help="explicit sizes instead of 10k, 100k [, 1M]")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)  # child process: one size
    a = ap.parse_args(argv)
    if a.one:
        print(json.dumps(one(a.one)))
        return 0
    sizes = a.sizes or ([10_000, 100_000] + ([1_000_000] if a.million else []))
    rows = []
    for n in sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(n)], capture_output=True, text=True)
        if out.returncode:
            print(out.stderr, file=sys.stderr)
            return out.returncode
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(json.dumps(rows[-1]), flush=True)
    print(f"\n{'n':>9s} {'seconds':>8s} {'us/art':>7s} {'peak RSS MB':>12s} {'(before)':>9s} {'stories':>8s} {'F1 synth':>9s}")
    for r in rows:
        print(f"{r['n']:9d} {r['seconds']:8.1f} {r['us_per_article']:7d} {r['peak_rss_mb']:12d} {r['rss_before_mb']:9d} {r['stories']:8d} {r['bcubed_f1_synthetic']:9.3f}")
    if len(rows) >= 2:
        a_, b_ = rows[-2], rows[-1]
        k = np.log(b_["seconds"] / a_["seconds"]) / np.log(b_["n"] / a_["n"])
        print(f"time grows as n^{k:.2f} between {a_['n']} and {b_['n']}; "
              f"1M extrapolated: {b_['seconds'] * (1_000_000 / b_['n']) ** k / 60:.0f} min")
    return 0


if __name__ == "__main__":
    sys.exit(main())
