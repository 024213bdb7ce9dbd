"""Sentence-level bias on BABE: storydiff's classifier beside a lexicon-only baseline.

Split (fixed): ../shared/data/babe/final_labels_SG2.csv, rows labelled Biased or Non-biased
(No agreement dropped), in file order; scikit-learn train_test_split(test_size=0.2, stratify=label,
random_state=42). Everything is trained on the 80% and scored once on the 20%, macro-F1.

- lexicon: biased if the sentence holds a term of storydiff's loaded-terms lexicon;
- frozen MiniLM + logistic regression: storydiff's own sentence vectors, a linear head on top
  (what a classifier costs when it reuses the comparison's embeddings);
- TF-IDF n-grams + logistic regression: word 1-2-grams and character 2-5-grams, a lexical baseline;
- storydiff classifier: the recipe of `storydiff build-bias-model` (MiniLM fine-tuned), exported to
  ONNX and quantized, scored through the same runtime code compare() uses.

Needs the training extra (torch, transformers); the fine-tuning takes 10-20 minutes on 2 cores.

    python benchmarks/bias_babe.py [--skip-finetune | --finetune-only] [--keep DIR]
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
    from storydiff.story.wording import _lexicon, _term_files

    patterns = [p for p, _, _ in _lexicon(tuple(_term_files()))]
    return np.array([int(any(p.search(t) for p in patterns)) for t in texts])


def frozen_head(train_texts, train_labels, test_texts) -> np.ndarray:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV

    from storydiff.article.embed import shared_encoder

    encoder = shared_encoder()
    # C picked by 5-fold cross-validation on the training part only
    search = GridSearchCV(LogisticRegression(max_iter=3000), {"C": [0.1, 0.3, 1, 3, 10]}, cv=5, scoring="f1_macro")
    head = search.fit(encoder.embed(train_texts), train_labels)
    return head.predict(encoder.embed(test_texts))


def tfidf_head(train_texts, train_labels, test_texts) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    # word 1-2-grams and character 2-5-grams within words; C=3 by 5-fold CV on the training part
    features = make_union(
        TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True),
    )
    return make_pipeline(features, LogisticRegression(C=3, max_iter=5000)).fit(train_texts, train_labels).predict(test_texts)


def finetuned(train_texts, train_labels, test_texts, keep: Path | None = None) -> tuple[np.ndarray, float]:
    from tokenizers import Tokenizer

    from storydiff.story.bias import BIASED, MAX_TOKENS, BiasModel
    from storydiff.article.embed import SequenceRunner, one_core_session
    from storydiff.resources import resource_path
    from storydiff.training.bias_model import export, train

    started = time.perf_counter()
    model = train(train_texts, list(train_labels), progress=lambda m: print("  " + m, flush=True))
    elapsed = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as tmp:
        path = export(model, Path(tmp), {"name": "benchmark"})
        tokenizer = Tokenizer.from_file(str(resource_path("minilm-tokenizer.json")))
        tokenizer.enable_truncation(MAX_TOKENS)
        tokenizer.no_padding()
        runtime = BiasModel(one_core_session(path), tokenizer, SequenceRunner(2))
        probabilities = runtime.probabilities(test_texts)
        if keep is not None:  # e.g. $STORYDIFF_CACHE/bias-babe, to time the stage with benchmarks/speed.py
            keep.mkdir(parents=True, exist_ok=True)
            for name in ("model.onnx", "meta.json"):
                (keep / name).write_bytes((Path(tmp) / name).read_bytes())
    return (probabilities >= BIASED).astype(int), elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-finetune", action="store_true", help="only the baselines (no torch needed)")
    parser.add_argument("--finetune-only", action="store_true", help="skip the lexicon and linear baselines")
    parser.add_argument("--keep", type=Path, help="also write the fine-tuned classifier (model.onnx, meta.json) to this directory")
    args = parser.parse_args()
    (train_texts, train_labels), (test_texts, test_labels) = split()
    print(f"BABE SG2: {len(train_texts)} training and {len(test_texts)} test sentences ({test_labels.mean():.0%} biased in test)")
    if not args.finetune_only:
        print(f"lexicon only                    macro-F1 {macro_f1(test_labels, lexicon(test_texts)):.4f}")
        print(f"frozen MiniLM + logistic head   macro-F1 {macro_f1(test_labels, frozen_head(train_texts, train_labels, test_texts)):.4f}")
        print(f"TF-IDF n-grams + logistic head  macro-F1 {macro_f1(test_labels, tfidf_head(train_texts, train_labels, test_texts)):.4f}")
    if not args.skip_finetune:
        predicted, seconds = finetuned(train_texts, train_labels, test_texts, args.keep)
        print(f"storydiff classifier (ONNX int8) macro-F1 {macro_f1(test_labels, predicted):.4f}   (training {seconds / 60:.1f} min)")


if __name__ == "__main__":
    main()
