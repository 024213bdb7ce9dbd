"""Sentence-level bias on BABE: storydiff's classifier beside a lexicon-only baseline.

Split (fixed): ../shared/data/babe/final_labels_SG2.csv, rows labelled Biased or Non-biased
(No agreement dropped), in file order; scikit-learn train_test_split(test_size=0.2, stratify=label,
random_state=42). Everything is trained on the 80% and scored once on the 20%, macro-F1.

- lexicon: biased if the sentence holds a term of storydiff's loaded-terms lexicon;
- frozen MiniLM + logistic regression: storydiff's own sentence vectors, a linear head on top
  (what a classifier costs when it reuses the comparison's embeddings);
- TF-IDF n-grams + logistic regression (scikit-learn): the classifier's n-gram head on its own;
- storydiff classifier: the recipe of `storydiff build-bias-model` (MiniLM fine-tuned, exported to
  ONNX and quantized, blended with two linear heads), scored through the same runtime code
  compare() uses; its parts are scored alone too.

Needs the training extra (torch, transformers); the fine-tuning takes 10-20 minutes on 2 cores.

    python benchmarks/bias_babe.py [--skip-finetune] [--keep DIR | --built DIR]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from datasets import DATA, require  # noqa: E402

from storydiff.training.bias_model import read_babe  # noqa: E402


def split():
    from sklearn.model_selection import train_test_split

    texts, labels = read_babe(require(DATA / "babe" / "final_labels_SG2.csv"))
    index = np.arange(len(texts))
    train, test = train_test_split(index, test_size=0.2, stratify=labels, random_state=42)
    pick = lambda rows: ([texts[i] for i in rows], np.array([labels[i] for i in rows]))  # noqa: E731
    return pick(train), pick(test)


def macro_f1(truth, predicted) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(truth, predicted, average="macro"))


def lexicon(texts: list[str]) -> np.ndarray:
    from storydiff.pipeline.wording import _lexicon, _term_files

    patterns = [p for p, _, _ in _lexicon(tuple(_term_files()))]
    return np.array([int(any(p.search(t) for p in patterns)) for t in texts])


def frozen_head(train_texts, train_labels, test_texts) -> np.ndarray:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV

    from storydiff.pipeline.embed import shared_encoder

    encoder = shared_encoder()
    # C picked by 5-fold cross-validation on the training part only
    search = GridSearchCV(LogisticRegression(max_iter=3000), {"C": [0.1, 0.3, 1, 3, 10]}, cv=5, scoring="f1_macro")
    head = search.fit(encoder.embed(train_texts), train_labels)
    return head.predict(encoder.embed(test_texts))


def tfidf_head(train_texts, train_labels, test_texts) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    # the n-gram head of the classifier's blend, fitted by scikit-learn (C=3 by 5-fold CV on the training part)
    features = make_union(
        TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True),
    )
    return make_pipeline(features, LogisticRegression(C=3, max_iter=5000)).fit(train_texts, train_labels).predict(test_texts)


def classifier(train_texts, train_labels, test_texts, keep: Path | None = None, built: Path | None = None) -> tuple[dict[str, np.ndarray], float]:
    """What `storydiff build-bias-model` builds, trained on the training part (or the one this
    script kept in `built`) and scored through the runtime: the fine-tuned network alone, each
    linear head alone, and the blend compare() uses."""
    from storydiff.pipeline.bias import BIASED, open_model, text_vectors
    from storydiff.training.bias_model import fit_classifier

    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        target = built or keep or Path(tmp)
        if built is None:
            fit_classifier(train_texts, list(map(int, train_labels)), target, meta={"name": "benchmark", "trained_on": "training part"}, progress=lambda m: print("  " + m, flush=True))
        elapsed = time.perf_counter() - started
        model = open_model(target, workers=2)
        vectors = text_vectors(test_texts)
        predicted = {
            "fine-tuned network alone (ONNX int8)": model.finetuned_probabilities(test_texts) >= BIASED,
            "its vector head alone": model.heads.vector_probabilities(vectors) >= BIASED,
            "its n-gram head alone": model.heads.ngram_probabilities(test_texts) >= BIASED,
            f"storydiff classifier: blend {model.weights}, threshold {model.threshold}": model.probabilities(test_texts, vectors) >= model.threshold,
        }
    return {name: p.astype(int) for name, p in predicted.items()}, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-finetune", action="store_true", help="only the baselines (no torch needed)")
    parser.add_argument("--keep", type=Path, help="keep the classifier trained on the training part in this folder")
    parser.add_argument("--built", type=Path, help="score a classifier this script kept (--keep) instead of training one")
    args = parser.parse_args()
    (train_texts, train_labels), (test_texts, test_labels) = split()
    print(f"BABE SG2: {len(train_texts)} training and {len(test_texts)} test sentences ({test_labels.mean():.0%} biased in test)")
    print(f"lexicon only                    macro-F1 {macro_f1(test_labels, lexicon(test_texts)):.4f}")
    print(f"frozen MiniLM + logistic head   macro-F1 {macro_f1(test_labels, frozen_head(train_texts, train_labels, test_texts)):.4f}")
    print(f"TF-IDF n-grams + logistic head  macro-F1 {macro_f1(test_labels, tfidf_head(train_texts, train_labels, test_texts)):.4f}")
    if not args.skip_finetune:
        predicted, seconds = classifier(train_texts, train_labels, test_texts, args.keep, args.built)
        for name, labels in predicted.items():
            print(f"{name:40s} macro-F1 {macro_f1(test_labels, labels):.4f}")
        if args.built is None:
            print(f"(training {seconds / 60:.1f} min)")


if __name__ == "__main__":
    main()
