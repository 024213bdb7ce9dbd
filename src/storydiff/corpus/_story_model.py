"""The same-story pair model: P(two articles report the same event) from their pair features.

Gradient-boosted trees trained by benchmarks/train_story_model.py (scikit-learn's
HistGradientBoostingClassifier, on NeuS train with mate-less articles and ECB+ topics 1-22 only)
and exported as plain JSON node arrays. Evaluated here with numpy, because scikit-learn is a training-time dependency
only and a pickled estimator is tied to the scikit-learn version that wrote it; the JSON is
readable by any version and the evaluation is a few array lookups per tree level.
"""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from importlib import resources

import numpy as np

# The pair features, in the model's column order (built by StoryClusterer._pair_features).
FEATURES = (
    "dense", "words", "title", "names", "numbers",  # cosine per view
    "mixed",  # the weighted mix of the views (what neighbours are ranked by)
    "rank_min", "rank_max",  # log(1 + rank) of each article among the other's best-known neighbours
    "gap0_min", "gap0_max", "gap2_min", "gap2_max", "gap5_min", "gap5_max", "gap10_min", "gap10_max",
    "shared10",  # share of the two articles' 10 best-known neighbours they have in common
    "dense_minus_names",  # "about the same thing, with other names": two events of one topic
)
# How P(same story) may move as each feature grows (+1 up, -1 down, 0 free): the trees are fitted
# under these constraints so that inputs unlike the training pairs (tiny corpora, made-up vectors)
# cannot get a high probability from a low similarity.
MONOTONE = (1, 1, 1, 1, 1, 1, -1, -1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0)
MODEL_FILE = "story_model.json"


class StoryPairModel:
    """Trees as flat arrays; `probability(X)` for a float matrix of FEATURES columns."""

    def __init__(self, spec: dict):
        if tuple(spec["features"]) != FEATURES:
            raise ValueError(f"{MODEL_FILE}: its features {spec['features']} are not {list(FEATURES)}")
        self.spec = spec
        self.threshold = float(spec["threshold"])
        self.join_threshold = float(spec["join_threshold"])
        self.baseline = float(spec["baseline"])
        trees = spec["trees"]
        # all trees' nodes in one array set; child indices made global
        sizes = [len(t["feature"]) for t in trees]
        offsets = np.cumsum([0] + sizes[:-1]).astype(np.int64)
        self.roots = offsets
        shift = np.repeat(offsets, sizes)  # each node's tree's first node
        cat = lambda key, dtype: np.concatenate([np.asarray(t[key], dtype) for t in trees])  # noqa: E731
        self.feature = cat("feature", np.int64)
        self.cut = cat("threshold", np.float64)
        self.value = cat("value", np.float64)
        self.is_leaf = cat("leaf", bool)
        self.left = cat("left", np.int64) + shift
        self.right = cat("right", np.int64) + shift
        self.digest = hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:16]

    def probability(self, X: np.ndarray) -> np.ndarray:
        X = np.ascontiguousarray(X, np.float64)
        if X.ndim != 2 or X.shape[1] != len(FEATURES):
            raise ValueError(f"pair features must be rows of {len(FEATURES)} columns, not an array of shape {X.shape}")
        n, width = X.shape
        if n == 0:
            return np.zeros(0)
        trees = len(self.roots)
        flat = X.ravel()
        row_start = np.repeat(np.arange(n, dtype=np.int64) * width, trees)
        node = np.tile(self.roots, n)
        # descend only the (row, tree) walks not yet at a leaf: trees are shallow on average,
        # so this costs about the mean depth, not the deepest tree's, per walk
        active = np.flatnonzero(~self.is_leaf[node])
        while active.size:
            at = node[active]
            go_left = flat[row_start[active] + self.feature[at]] <= self.cut[at]  # scikit-learn's rule
            at = np.where(go_left, self.left[at], self.right[at])
            node[active] = at
            active = active[~self.is_leaf[at]]
        raw = self.baseline + self.value[node].reshape(n, trees).sum(axis=1)
        return 1.0 / (1.0 + np.exp(-raw))


@lru_cache(maxsize=1)
def story_pair_model() -> StoryPairModel:
    text = resources.files("storydiff.resources").joinpath(MODEL_FILE).read_text(encoding="utf-8")
    return StoryPairModel(json.loads(text))


def export_hgb(clf, threshold: float, join_threshold: float, about: dict) -> dict:
    """The JSON spec of a fitted binary HistGradientBoostingClassifier (for the training script)."""
    trees = []
    for (predictor,) in clf._predictors:
        nodes = predictor.nodes
        trees.append({
            "feature": nodes["feature_idx"].astype(int).tolist(),
            "threshold": [float(x) for x in nodes["num_threshold"]],
            "left": nodes["left"].astype(int).tolist(),
            "right": nodes["right"].astype(int).tolist(),
            "leaf": nodes["is_leaf"].astype(bool).tolist(),
            "value": [float(x) for x in nodes["value"]],
        })
    baseline = float(np.ravel(clf._baseline_prediction)[0])
    return {**about, "features": list(FEATURES), "threshold": float(threshold), "join_threshold": float(join_threshold), "baseline": baseline, "trees": trees}
