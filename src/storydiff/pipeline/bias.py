"""Stage: sentences a classifier trained on BABE judges biased, when the user has built it.

The classifier is never shipped (BABE is AGPL-3.0; see `storydiff.training.bias_model`): it
exists once a user runs `storydiff build-bias-model BABE.csv`, in their cache directory. Without
it this stage does nothing, and loaded language comes from the lexicon of the `wording` stage.

A built classifier is a fine-tuned MiniLM (`model.onnx`) and, when `heads.npz` is there, two
linear models averaged with it: one on the sentence vectors the `embed` stage has already
computed, one on TF-IDF word and character n-grams. Both run on numpy alone, in well under a
millisecond per sentence; the blend weights and the threshold are in `meta.json`.
"""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .._models import Comparison, Mention, WordingItem
from ..training.bias_model import MAX_TOKENS  # the length the model was trained on
from .embed import DIMENSIONS, SequenceRunner, cache_dir, default_workers, one_core_session

BIASED = 0.5  # probability above which a sentence is reported as biased, unless meta.json says otherwise

_WORD = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token pattern


def model_dir() -> Path:
    return cache_dir() / "bias-babe"


# --- features shared by training and run time -------------------------------------------------


def word_ngrams(text: str) -> list[str]:
    """Lower-cased words of two or more characters, and pairs of neighbouring words
    (scikit-learn's TfidfVectorizer(ngram_range=(1, 2)) analyser)."""
    words = _WORD.findall(text.lower())
    return words + [f"{a} {b}" for a, b in zip(words, words[1:])]


def char_ngrams(text: str, low: int = 2, high: int = 5) -> list[str]:
    """Character n-grams inside each space-padded word (scikit-learn's analyzer="char_wb")."""
    grams = []
    for word in text.lower().split():
        padded = f" {word} "
        for n in range(low, high + 1):
            if len(padded) <= n:
                grams.append(padded)  # a word no longer than n counts once, whole
                break
            grams.extend([padded[k : k + n] for k in range(len(padded) - n + 1)])
    return grams


def tfidf_rows(grams: list[list[str]], index: dict[str, int], idf: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per text, the (columns, values) of its L2-normalised sublinear TF-IDF vector."""
    rows = []
    for text_grams in grams:
        known = [(index[g], c) for g, c in Counter(text_grams).items() if g in index]
        columns = np.array([k for k, _ in known], np.int64)
        values = (1.0 + np.log(np.array([c for _, c in known], np.float64))) * idf[columns]
        norm = np.linalg.norm(values)
        rows.append((columns, values / norm if norm > 0 else values))
    return rows


def sentence_vector(states: np.ndarray) -> np.ndarray:
    """The vector of a sentence for the linear head: the mean of its L2-normalised token states,
    L2-normalised (what `embed` leaves in `Article.token_vectors`, averaged)."""
    if len(states) == 0:
        return np.zeros(DIMENSIONS, np.float32)
    norms = np.linalg.norm(states, axis=1, keepdims=True)
    mean = (states / np.where(norms > 0, norms, 1)).mean(axis=0)
    norm = np.linalg.norm(mean)
    return (mean / norm if norm > 0 else mean).astype(np.float32)


def text_vectors(texts: list[str]) -> np.ndarray:
    """`sentence_vector` of each text, encoded on its own by the shared encoder."""
    from .embed import shared_encoder

    if not texts:
        return np.zeros((0, DIMENSIONS), np.float32)
    encoded = shared_encoder().encode(texts)
    return np.vstack([sentence_vector(states) for states in encoded.states])


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


@dataclass
class LinearHeads:
    """Logistic regressions on sentence vectors and on TF-IDF n-grams (arrays of heads.npz)."""

    vector_coef: np.ndarray
    vector_intercept: float
    word_index: dict[str, int]
    word_idf: np.ndarray
    char_index: dict[str, int]
    char_idf: np.ndarray
    ngram_coef: np.ndarray  # word columns, then character columns
    ngram_intercept: float

    @classmethod
    def load(cls, path: Path) -> LinearHeads:
        with np.load(path, allow_pickle=False) as a:
            return cls(
                a["vector_coef"], float(a["vector_intercept"]),
                {t: k for k, t in enumerate(a["word_terms"].tolist())}, a["word_idf"],
                {t: k for k, t in enumerate(a["char_terms"].tolist())}, a["char_idf"],
                a["ngram_coef"], float(a["ngram_intercept"]),
            )

    def vector_probabilities(self, vectors: np.ndarray) -> np.ndarray:
        return _sigmoid(vectors.astype(np.float64) @ self.vector_coef + self.vector_intercept)

    def ngram_probabilities(self, texts: list[str]) -> np.ndarray:
        words = tfidf_rows([word_ngrams(t) for t in texts], self.word_index, self.word_idf)
        chars = tfidf_rows([char_ngrams(t) for t in texts], self.char_index, self.char_idf)
        split = len(self.word_index)
        scores = [
            float(values @ self.ngram_coef[columns]) + float(cv @ self.ngram_coef[split + cc])
            for (columns, values), (cc, cv) in zip(words, chars)
        ]
        return _sigmoid(np.array(scores, np.float64) + self.ngram_intercept)


@dataclass
class BiasModel:
    session: object
    tokenizer: object
    runner: SequenceRunner
    heads: LinearHeads | None = None
    weights: dict[str, float] = field(default_factory=lambda: {"finetuned": 1.0})
    threshold: float = BIASED

    def finetuned_probabilities(self, sentences: list[str]) -> np.ndarray:
        ids = [e.ids for e in self.tokenizer.encode_batch(sentences)]
        logits = np.vstack(self.runner.run(self.session, ids)) if ids else np.zeros((0, 2), np.float32)
        exp = np.exp(logits - logits.max(axis=1, keepdims=True))
        return (exp[:, 1] / exp.sum(axis=1)).astype(np.float64)

    def probabilities(self, sentences: list[str], vectors: np.ndarray | None = None) -> np.ndarray:
        """P(biased) of each sentence: the fine-tuned model's, averaged with the linear heads' when
        the model has them. `vectors` are the sentences' `sentence_vector`s if already known."""
        blended = self.weights.get("finetuned", 1.0) * self.finetuned_probabilities(sentences)
        if self.heads is not None and sentences:
            if self.weights.get("vector"):
                if vectors is None:
                    vectors = text_vectors(sentences)
                blended += self.weights["vector"] * self.heads.vector_probabilities(vectors)
            if self.weights.get("ngram"):
                blended += self.weights["ngram"] * self.heads.ngram_probabilities(sentences)
        return blended.astype(np.float32)


_loaded: BiasModel | None = None
_lock = threading.Lock()


def open_model(directory: Path, *, workers: int | None = None) -> BiasModel:
    """The classifier in `directory` (model.onnx, and heads.npz and meta.json when present)."""
    from tokenizers import Tokenizer

    from ..resources import resource_path

    tokenizer = Tokenizer.from_file(str(resource_path("minilm-tokenizer.json")))
    tokenizer.enable_truncation(MAX_TOKENS)
    tokenizer.no_padding()
    model = BiasModel(one_core_session(directory / "model.onnx"), tokenizer, SequenceRunner(workers or default_workers()))
    meta_path, heads_path = directory / "meta.json", directory / "heads.npz"
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
    if heads_path.is_file() and "blend" in meta:
        model.heads = LinearHeads.load(heads_path)
        model.weights = {k: float(v) for k, v in meta["blend"]["weights"].items()}
        model.threshold = float(meta["blend"]["threshold"])
    return model


def load_bias_model() -> BiasModel | None:
    """The user's classifier, or None when it has not been built."""
    global _loaded
    directory = model_dir()
    if not (directory / "model.onnx").is_file():
        return None
    with _lock:
        if _loaded is None:
            _loaded = open_model(directory)
        return _loaded


def _article_vectors(article) -> np.ndarray | None:
    """`sentence_vector` of each sentence from the token vectors `embed` left, if it ran."""
    if article.token_vectors is None or article.token_spans is None:
        return None
    starts, ends = article.token_spans[:, 0], article.token_spans[:, 1]
    rows = []
    for s in article.sentences:
        first, last = int(np.searchsorted(starts, s.start)), int(np.searchsorted(ends, s.end, side="right"))
        rows.append(sentence_vector(article.token_vectors[first:last]))
    return np.vstack(rows) if rows else np.zeros((0, DIMENSIONS), np.float32)


class BiasScorer:
    """Pipeline component: adds `sentence` items to `comparison.wording` for biased sentences."""

    name = "bias"

    def __call__(self, comparison: Comparison) -> None:
        model = load_bias_model()
        if model is None:
            return
        for article in comparison.articles:
            texts = [article.text[s.start : s.end] for s in article.sentences]
            for sentence, p in zip(article.sentences, model.probabilities(texts, _article_vectors(article))):
                if p >= model.threshold:
                    mention = Mention(article.id, sentence.start, sentence.end, article.text[sentence.start : sentence.end], round(float(p), 3))
                    comparison.wording.append(WordingItem(kind="sentence", a=mention, category="biased", note=f"{p:.2f}"))
