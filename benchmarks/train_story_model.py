"""Train the same-story pair model behind story clustering (src/storydiff/resources/story_model.json).

Training data, and nothing else (the evaluation halves are never read here):
  * NeuS train (../shared/data/neus/train.source): 8 slices of 307 lines (the size of NeuS val),
    3 articles per line, one event per line. Each slice makes two sets: all three articles of
    half its lines plus ONE article (drawn with a fixed seed) of each line of the other half, and
    the other way round. In NeuS and ECB+ every article has mates, so a model trained on them
    alone learns that an article's nearest neighbour is its mate; in real news many articles are
    the only one of their event in a corpus (their nearest neighbour is another event of the same
    subject), and the mate-less articles teach that. Measured on real allsides pairs judged blind:
    29 of 40 story-mates the same event against 24 of 40 without them (docs/benchmarks.md);
  * ECB+ topics 1-22 (../shared/data/ecbplus/events.jsonl): two similar events per topic.
ECB+ topics 23-45 and NeuS val are the held-out sets of benchmarks/stories_quality.py.

Each set goes through the production path: static-table vectors, StoryFeatures.build, then pairs
as the clusterer scores them. Labels: the two articles belong to the same event. The features
are partly relative to what the clusterer knows when it decides (an article's rank among the
other's best-known neighbours, gaps to them, shared neighbours), and that differs between one
step with all of an event's articles and a stream where its rivals have not come yet. So rows
come from both: (1) StoryClusterer.pair_table, the candidate pairs of the whole set in one step;
(2) the pairs a clusterer scores when the set arrives shuffled (seed 0) in batches of 100, run with
a first model fitted on (1). A gradient-boosted tree model (scikit-learn
HistGradientBoostingClassifier, fixed seed, monotonic in every feature with a known direction:
_story_model.MONOTONE) is fitted on both.

The two thresholds are chosen by 2-fold cross-validation on the training sets: fit on one half of
the sets (NeuS slices 0-3 + ECB+ topics 1-11, or slices 4-7 + topics 12-22), run the real clusterer
with that model on the other half, and keep the value with the best mean B-cubed F1 (NeuS sets
and ECB+ topics weighted equally):
  * `threshold` (new articles' clusters merge while their mean same-story probability exceeds it):
    each set clustered in one step, so no story exists before;
  * `join_threshold` (the same for joining an existing story): each set shuffled (seed 0) and fed
    in batches of 100, so most articles meet stories formed before them. Apart from the first, an
    article whose own story has not come yet must not join a related one: a lone earlier article
    cannot dilute a weak link the way its own mates would in one step.

    .venv/bin/python benchmarks/train_story_model.py            # CV, fit on all, write the model
    .venv/bin/python benchmarks/train_story_model.py --dry-run  # CV only

Needs the train extra (scikit-learn). Deterministic: fixed seed, fixed slices and folds.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stories_quality import DATA, ECB_TRAIN_TOPICS, ecb_topics, features, load_ecb, load_neus, orders, run_ours, static_vectors  # noqa: E402

from storydiff.corpus._story_model import MODEL_FILE, MONOTONE, StoryPairModel, export_hgb  # noqa: E402
from storydiff.corpus.clustering import ClusterSettings, StoryClusterer  # noqa: E402

MODEL_PATH = Path(__file__).resolve().parent.parent / "src" / "storydiff" / "resources" / MODEL_FILE
THRESHOLDS = np.round(np.arange(0.05, 0.71, 0.05), 2)
JOIN_THRESHOLDS = np.round(np.arange(0.15, 0.91, 0.05), 2)
SMALL_BATCH = 100
HGB = dict(max_iter=200, learning_rate=0.05, max_leaf_nodes=15, random_state=0, monotonic_cst=list(MONOTONE))


def training_sets(data: Path) -> list[dict]:
    """[{name, fold, features (StoryFeatures list), gold}] for the 16 NeuS sets (two per slice,
    with mate-less articles) and the 2 ECB+ halves."""
    sets = []
    titles, bodies, gold = load_neus(data, "train")
    V, _ = static_vectors(titles, bodies)
    F, _ = features(titles, bodies, V)
    rng = np.random.default_rng(0)
    for n, start in enumerate(range(0, 2452, 307)):
        lines = np.arange(start, min(start + 307, int(gold.max()) + 1))
        half = len(lines) // 2
        for h, (whole, alone) in enumerate(((lines[:half], lines[half:]), (lines[half:], lines[:half]))):
            idx = list(np.flatnonzero(np.isin(gold, whole)))
            idx += [int(rng.choice(np.flatnonzero(gold == line))) for line in alone.tolist()]
            idx = np.array(sorted(idx))
            sets.append({"name": f"NeuS train lines {start}-{lines[-1]}, half {h} whole", "kind": "neus", "fold": int(n >= 4),
                         "features": [F[i] for i in idx], "gold": gold[idx]})
    titles, bodies, gold = load_ecb(data)
    topic = ecb_topics(data, gold)
    V, _ = static_vectors(titles, bodies)
    F, _ = features(titles, bodies, V)
    for fold, (lo, hi) in enumerate(((1, ECB_TRAIN_TOPICS // 2), (ECB_TRAIN_TOPICS // 2 + 1, ECB_TRAIN_TOPICS))):
        idx = np.flatnonzero((topic >= lo) & (topic <= hi))
        sets.append({"name": f"ECB+ topics {lo}-{hi}", "kind": "ecb", "fold": fold, "features": [F[i] for i in idx], "gold": gold[idx]})
    for s in sets:
        items = list(enumerate(s["features"]))
        a, b, X = StoryClusterer.pair_table(items)
        s["X"], s["y"] = X, s["gold"][a] == s["gold"][b]
    first = StoryPairModel(export_hgb(fit(sets), 0.5, 0.5, {}))
    for s in sets:
        cl = StoryClusterer(ClusterSettings(), model=first)
        cl.scored = []
        order = orders(len(s["features"]))["shuffled(seed0)"]
        for start in range(0, len(order), SMALL_BATCH):
            cl.add([(int(i), s["features"][i]) for i in order[start : start + SMALL_BATCH]])
        a = np.concatenate([r[0] for r in cl.scored])
        b = np.concatenate([r[1] for r in cl.scored])
        s["X"] = np.vstack([s["X"]] + [r[2] for r in cl.scored])
        s["y"] = np.concatenate((s["y"], s["gold"][a] == s["gold"][b]))
    return sets


def fit(sets: list[dict]):
    from sklearn.ensemble import HistGradientBoostingClassifier

    X = np.vstack([s["X"] for s in sets])
    y = np.concatenate([s["y"] for s in sets])
    return HistGradientBoostingClassifier(**HGB).fit(X, y)


def cluster_f1(s: dict, model: StoryPairModel, settings: ClusterSettings, batch: int) -> float:
    F = s["features"]
    order = orders(len(F))["file" if batch >= len(F) else "shuffled(seed0)"]
    return run_ours(F, s["gold"], settings, order, batch, model)[0][2]


def choose(sets: list[dict], name: str, grid, settings_of, batch: int) -> float:
    """The value of `grid` with the best mean held-out F1 (ties: the higher, the more precise)."""
    scores = {t: {"neus": [], "ecb": []} for t in grid}
    for held, model in enumerate(fold_models(sets)):
        for s in (s for s in sets if s["fold"] == held):
            for t in grid:
                scores[t][s["kind"]].append(cluster_f1(s, model, settings_of(t), batch))
    print(f"{name:15s} NeuS train  ECB+ 1-22  mean   (held-out folds, batches of {batch})")
    means = {}
    for t in grid:
        neus, ecb = np.mean(scores[t]["neus"]), np.mean(scores[t]["ecb"])
        means[t] = (neus + ecb) / 2
        print(f"  {t:.2f}          {neus:.3f}       {ecb:.3f}      {means[t]:.3f}")
    best = max(grid, key=lambda t: (round(means[t], 6), t))
    print(f"chosen {name} {best:.2f}")
    return float(best)


_FOLD_MODELS: list[StoryPairModel] = []


def fold_models(sets: list[dict]) -> list[StoryPairModel]:
    """The model fitted without fold 0, and the one fitted without fold 1."""
    if not _FOLD_MODELS:
        for held in (0, 1):
            clf = fit([s for s in sets if s["fold"] != held])
            _FOLD_MODELS.append(StoryPairModel(export_hgb(clf, 0.5, 0.5, {})))
    return _FOLD_MODELS


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--dry-run", action="store_true", help="cross-validate only; do not write the model")
    a = ap.parse_args(argv)
    if not (a.data / "ecbplus/events.jsonl").exists():
        print(f"no data under {a.data}", file=sys.stderr)
        return 2
    began = time.perf_counter()
    sets = training_sets(a.data)
    pairs = sum(len(s["y"]) for s in sets)
    print(f"{len(sets)} training sets, {pairs} candidate pairs ({sum(int(s['y'].sum()) for s in sets)} same event)")
    threshold = choose(sets, "threshold", THRESHOLDS, lambda t: ClusterSettings(threshold=t, join_threshold=t), 10_000)
    join = choose(sets, "join_threshold", [t for t in JOIN_THRESHOLDS if t >= threshold],
                  lambda t: ClusterSettings(threshold=threshold, join_threshold=t), SMALL_BATCH)
    clf = fit(sets)
    X = np.vstack([s["X"] for s in sets])
    about = {
        "about": "Same-story pair model of storydiff.corpus.clustering, written by benchmarks/train_story_model.py "
                 "(HistGradientBoostingClassifier on the candidate pairs of NeuS train, with mate-less articles, and ECB+ topics 1-22; "
                 "threshold by 2-fold cross-validation of the clusterer on those sets).",
        "hyperparameters": HGB,
        "pairs": pairs,
    }
    spec = export_hgb(clf, threshold, join, about)
    model = StoryPairModel(spec)
    gap = float(np.max(np.abs(model.probability(X) - clf.predict_proba(X)[:, 1])))
    print(f"exported trees reproduce scikit-learn's probabilities within {gap:.2e}")
    if gap > 1e-6:
        print("export does not match scikit-learn: not written", file=sys.stderr)
        return 1
    if not a.dry_run:
        MODEL_PATH.write_text(json.dumps(spec, separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"wrote {MODEL_PATH} ({MODEL_PATH.stat().st_size // 1024} KB)")
    print(f"{time.perf_counter() - began:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
