"""Fact alignment against our hand-annotated sentence pairs (NeuS events, SemEval pairs).

For every annotated group the articles are compared with `storydiff.compare`; two sentences count
as aligned when one fact has a mention overlapping each. Gold: pairs labelled `same` or `partial`
are aligned; `different` and unlisted pairs are not. Reports precision, recall and F1 of aligned
sentence pairs, overall and per source, beside a cosine-only baseline (sentence embeddings,
aligned when mutual best and cosine >= 0.6) computed in the same run.

The alignment model was trained on these same annotations, so these figures are in-sample;
`benchmarks/train_pair_model.py` gives the held-out (cross-validated) figures.

    python benchmarks/alignment.py [--groups neus|semeval|all]
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from datasets import GoldGroup, alignment_gold  # noqa: E402

import storydiff  # noqa: E402
from storydiff import Article, IngestOptions  # noqa: E402


def _sentence_pairs(comparison, group: GoldGroup) -> set[tuple]:
    """Aligned sentence pairs (a, span, b, span) implied by the comparison's facts."""
    predicted = set()
    sentences = {a.id: [(s.start, s.end) for s in a.sentences] for a in comparison.articles}
    for fact in comparison.facts:
        if fact.status == "unique":
            continue
        touched = set()
        for m in fact.mentions:
            for span in sentences[m.article]:
                if m.start < span[1] and span[0] < m.end:
                    touched.add((m.article, span))
        for (a, sa), (b, sb) in itertools.combinations(sorted(touched), 2):
            if a != b:
                predicted.add((a, sa, b, sb))
    return predicted


def _baseline_pairs(comparison) -> set[tuple]:
    predicted = set()
    for A, B in itertools.combinations(comparison.articles, 2):
        va = np.array([A.unit_vectors[[k for k, u in enumerate(A.units) if u.sentence == i]].mean(0) for i in range(len(A.sentences))])
        vb = np.array([B.unit_vectors[[k for k, u in enumerate(B.units) if u.sentence == i]].mean(0) for i in range(len(B.sentences))])
        va /= np.linalg.norm(va, axis=1, keepdims=True)
        vb /= np.linalg.norm(vb, axis=1, keepdims=True)
        cos = va @ vb.T
        for i, j in zip(*np.nonzero(cos >= 0.6)):
            if cos[i].argmax() == j and cos[:, j].argmax() == i:
                sa, sb = A.sentences[i], B.sentences[j]
                predicted.add((A.id, (sa.start, sa.end), B.id, (sb.start, sb.end)))
    return predicted


def evaluate(groups: list[GoldGroup]) -> dict:
    totals = {"storydiff": [0, 0, 0], "baseline": [0, 0, 0]}  # tp, fp, fn
    per_source: dict[str, dict[str, list[int]]] = {}
    started = time.perf_counter()
    for group in groups:
        articles = [Article(source=f"{group.name}#{i}", text=t) for i, t in enumerate(group.texts)]
        # NeuS articles are snippets of a few sentences: below the usual minimum length of an article.
        comparison = storydiff.compare(articles, options=IngestOptions(min_words=1), keep_copies=True)  # gold is per text
        if comparison.skipped:
            raise SystemExit(f"{group.name}: an annotated article was skipped: {comparison.skipped[0]}")
        gold = {k for k, v in group.labels_on([[(s.start, s.end) for s in a.sentences] for a in comparison.articles]).items() if v in ("same", "partial")}
        source = group.name.split("-")[0]
        for name, predicted in (("storydiff", _sentence_pairs(comparison, group)), ("baseline", _baseline_pairs(comparison))):
            counts = [len(predicted & gold), len(predicted - gold), len(gold - predicted)]
            for store in (totals[name], per_source.setdefault(source, {}).setdefault(name, [0, 0, 0])):
                for k in range(3):
                    store[k] += counts[k]
    elapsed = time.perf_counter() - started

    def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    return {
        "groups": len(groups),
        "seconds": elapsed,
        "overall": {name: prf(*c) for name, c in totals.items()},
        "per_source": {s: {name: prf(*c) for name, c in d.items()} for s, d in per_source.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", choices=["neus", "semeval", "all"], default="all")
    args = parser.parse_args()
    groups = [g for g in alignment_gold() if args.groups == "all" or g.name.startswith(args.groups)]
    result = evaluate(groups)
    print(f"{result['groups']} annotated groups, {result['seconds']:.1f} s (in-sample: the model was trained on them)")
    print(f"{'':22}{'P':>7}{'R':>7}{'F1':>7}")
    for source, scores in sorted(result["per_source"].items()) + [("overall", result["overall"])]:
        for name, (p, r, f) in scores.items():
            print(f"{source + ' ' + name:22}{p:7.3f}{r:7.3f}{f:7.3f}")


if __name__ == "__main__":
    main()
