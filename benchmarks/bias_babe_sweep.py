"""Choose the bias classifier's recipe on a dev split of BABE's training part (never the test part).

Dev split (fixed): the training 80% of `bias_babe.split()`, cut again by scikit-learn
train_test_split(test_size=0.2, stratify=label, random_state=42): 2,350 sentences to train on,
588 to score. One recipe per run; after every epoch the torch model is scored on the dev part
(macro-F1, fp32), and at the end the ONNX int8 export through the runtime compare() uses.
A JSON line per run is appended to --out.

    python benchmarks/bias_babe_sweep.py --lr 1e-4 --epochs 3 [--layer-decay 0.8] [--seed 42] ...
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bias_babe import macro_f1, split  # noqa: E402


def dev_split():
    from sklearn.model_selection import train_test_split

    (texts, labels), _ = split()  # the test part is not used here
    fit, dev = train_test_split(np.arange(len(texts)), test_size=0.2, stratify=labels, random_state=42)
    pick = lambda rows: ([texts[i] for i in rows], np.array([labels[i] for i in rows]))  # noqa: E731
    return pick(fit), pick(dev)


def torch_predict(model, texts: list[str]) -> np.ndarray:
    import torch
    from transformers import AutoTokenizer

    from storydiff.training.bias_model import MAX_TOKENS, _base_model_dir

    tokenizer = AutoTokenizer.from_pretrained(str(_base_model_dir()))
    out = []
    with torch.no_grad():
        for first in range(0, len(texts), 64):
            enc = tokenizer(texts[first : first + 64], padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt")
            out.append(model(enc["input_ids"], enc["attention_mask"]).argmax(-1).numpy())
    return np.concatenate(out)


def onnx_predict(model, texts: list[str]) -> np.ndarray:
    from tokenizers import Tokenizer

    from storydiff.story.bias import BIASED, MAX_TOKENS, BiasModel
    from storydiff.article.embed import SequenceRunner, one_core_session
    from storydiff.resources import resource_path
    from storydiff.training.bias_model import export

    with tempfile.TemporaryDirectory() as tmp:
        path = export(model, Path(tmp), {"name": "sweep"})
        tokenizer = Tokenizer.from_file(str(resource_path("minilm-tokenizer.json")))
        tokenizer.enable_truncation(MAX_TOKENS)
        tokenizer.no_padding()
        probabilities = BiasModel(one_core_session(path), tokenizer, SequenceRunner(2)).probabilities(texts)
    return (probabilities >= BIASED).astype(int)


def main() -> None:
    from storydiff.training import bias_model

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--name", default="")
    parser.add_argument("--lr", type=float, default=bias_model.LEARNING_RATE)
    parser.add_argument("--epochs", type=int, default=bias_model.EPOCHS)
    parser.add_argument("--seed", type=int, default=bias_model.SEED)
    parser.add_argument("--warmup", type=float, default=bias_model.WARMUP)
    parser.add_argument("--weight-decay", type=float, default=bias_model.WEIGHT_DECAY)
    parser.add_argument("--layer-decay", type=float, default=bias_model.LAYER_DECAY)
    parser.add_argument("--out", default="/tmp/babe-exp/sweep.jsonl")
    args = parser.parse_args()
    (fit_texts, fit_labels), (dev_texts, dev_labels) = dev_split()
    print(f"dev split: {len(fit_texts)} to train, {len(dev_texts)} to score", flush=True)
    per_epoch = {}

    def after_epoch(epoch, model):
        per_epoch[epoch] = round(macro_f1(dev_labels, torch_predict(model, dev_texts)), 4)
        print(f"  epoch {epoch}: dev macro-F1 (torch fp32) {per_epoch[epoch]:.4f}", flush=True)

    recipe = {"lr": args.lr, "epochs": args.epochs, "seed": args.seed, "warmup": args.warmup, "weight_decay": args.weight_decay, "layer_decay": args.layer_decay}
    started = time.perf_counter()
    model = bias_model.train(
        fit_texts, list(fit_labels), epochs=args.epochs, learning_rate=args.lr, seed=args.seed, warmup=args.warmup,
        weight_decay=args.weight_decay, layer_decay=args.layer_decay, after_epoch=after_epoch,
        progress=lambda m: print("  " + m, flush=True) if "done" in m else None,
    )
    minutes = (time.perf_counter() - started) / 60
    onnx = round(macro_f1(dev_labels, onnx_predict(model, dev_texts)), 4)
    print(f"{args.name or recipe}: dev macro-F1 ONNX int8 {onnx:.4f}, per epoch (fp32) {per_epoch}, training {minutes:.1f} min", flush=True)
    with open(args.out, "a", encoding="utf-8") as handle:
        handle.write(json.dumps({"name": args.name, **recipe, "dev_onnx": onnx, "dev_fp32_per_epoch": per_epoch, "minutes": round(minutes, 1)}) + "\n")


if __name__ == "__main__":
    main()
