"""Article similarity against human judgements: SemEval-2022 Task 8, English-English pairs.

Pearson r between each system's score and the human `Overall` score of the 161 original English
pairs in ../shared/data/semeval2022-task8/pairs.csv. `Overall` runs from 1 (same story) to 4
(unrelated), so r is taken against `-Overall`. Baselines computed in the same run:

- TF-IDF cosine (scikit-learn, English stop words, fitted on all texts of these pairs; of
  plain, sublinear and stop-word settings, the strongest here);
- plain MiniLM cosine: the whole text through all-MiniLM-L6-v2, truncated at 256 word pieces,
  mean-pooled with its special tokens (what sentence-transformers does), with the same ONNX model
  storydiff runs.

    python benchmarks/similarity_semeval.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from datasets import semeval_english_pairs  # noqa: E402


def pearson(x, y) -> float:
    return float(np.corrcoef(np.asarray(x, float), np.asarray(y, float))[0, 1])


def tfidf_cosine(pairs: list[dict]) -> list[float]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [p["text1"] for p in pairs] + [p["text2"] for p in pairs]
    matrix = TfidfVectorizer(stop_words="english").fit_transform(texts)  # the best of the settings tried
    n = len(pairs)
    return [float(matrix[i].multiply(matrix[n + i]).sum()) for i in range(n)]


def minilm_cosine(pairs: list[dict]) -> list[float]:
    from storydiff.article.embed import MAX_TOKENS, shared_encoder

    encoder = shared_encoder()

    def embed(text: str) -> np.ndarray:
        encoding = encoder.tokenizer.encode(text)
        ids = np.array([encoding.ids[:MAX_TOKENS]], dtype=np.int64)
        mask = np.ones_like(ids)
        hidden = encoder.session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})[0][0]
        vector = hidden.mean(axis=0)
        return vector / np.linalg.norm(vector)

    return [float(embed(p["text1"]) @ embed(p["text2"])) for p in pairs]


def storydiff_similarity(pairs: list[dict]) -> list[float]:
    import storydiff

    return [storydiff.similarity(p["text1"], p["text2"]) for p in pairs]


def main() -> None:
    pairs = semeval_english_pairs()
    human = [-float(p["Overall"]) for p in pairs]
    print(f"{len(pairs)} English-English pairs")
    for name, system in (("TF-IDF cosine", tfidf_cosine), ("MiniLM cosine", minilm_cosine), ("storydiff.similarity", storydiff_similarity)):
        started = time.perf_counter()
        scores = system(pairs)
        elapsed = time.perf_counter() - started
        print(f"{name:22} Pearson r {pearson(scores, human):.4f}   ({elapsed / len(pairs) * 1000:.0f} ms per pair)")
        if name == "storydiff.similarity":
            overall = np.array([float(p["Overall"]) for p in pairs])
            s = np.array(scores)
            for low, high in ((1, 1.5), (1.5, 2.5), (2.5, 3.5), (3.5, 4.01)):
                chosen = s[(overall >= low) & (overall < high)]
                if len(chosen):
                    print(f"    Overall {low:g}-{min(high, 4):g}: {len(chosen):3d} pairs, similarity median {np.median(chosen):.2f} (min {chosen.min():.2f}, max {chosen.max():.2f})")


if __name__ == "__main__":
    main()
