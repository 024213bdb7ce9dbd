"""Stage: sentences a classifier trained on BABE judges biased, when the user has built it.

The classifier is never shipped (BABE is AGPL-3.0; see `storydiff.training.bias_model`): it
exists once a user runs `storydiff build-bias-model BABE.csv`, in their cache directory. Without
it this stage does nothing, and loaded language comes from the lexicon of the `wording` stage.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .._models import Comparison, Mention, WordingItem
from ..training.bias_model import MAX_TOKENS  # the length the model was trained on
from ..article.embed import SequenceRunner, cache_dir, default_workers, one_core_session

BIASED = 0.5  # probability above which a sentence is reported as biased


def model_dir() -> Path:
    return cache_dir() / "bias-babe"


@dataclass
class BiasModel:
    session: object
    tokenizer: object
    runner: SequenceRunner

    def probabilities(self, sentences: list[str]) -> np.ndarray:
        ids = [e.ids for e in self.tokenizer.encode_batch(sentences)]
        logits = np.vstack(self.runner.run(self.session, ids)) if ids else np.zeros((0, 2), np.float32)
        exp = np.exp(logits - logits.max(axis=1, keepdims=True))
        return (exp[:, 1] / exp.sum(axis=1)).astype(np.float32)


_loaded: BiasModel | None = None
_lock = threading.Lock()


def load_bias_model() -> BiasModel | None:
    """The user's classifier, or None when it has not been built."""
    global _loaded
    path = model_dir() / "model.onnx"
    if not path.is_file():
        return None
    with _lock:
        if _loaded is None:
            from tokenizers import Tokenizer

            from ..resources import resource_path

            tokenizer = Tokenizer.from_file(str(resource_path("minilm-tokenizer.json")))
            tokenizer.enable_truncation(MAX_TOKENS)
            tokenizer.no_padding()
            _loaded = BiasModel(one_core_session(path), tokenizer, SequenceRunner(default_workers()))
        return _loaded


class BiasScorer:
    """Pipeline component: adds `sentence` items to `comparison.wording` for biased sentences."""

    name = "bias"

    def __call__(self, comparison: Comparison) -> None:
        model = load_bias_model()
        if model is None:
            return
        for article in comparison.articles:
            texts = [article.text[s.start : s.end] for s in article.sentences]
            for sentence, p in zip(article.sentences, model.probabilities(texts)):
                if p >= BIASED:
                    mention = Mention(article.id, sentence.start, sentence.end, article.text[sentence.start : sentence.end], round(float(p), 3))
                    comparison.wording.append(WordingItem(kind="sentence", a=mention, category="biased", note=f"{p:.2f}"))
