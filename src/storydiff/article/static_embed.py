"""Whole-article vectors at corpus speed: a static word-piece table distilled from MiniLM.

Story clustering needs one vector per article for every article of a corpus. Running the
transformer over even the first 128 word pieces of each article costs about 30 ms a core here
(37,554 articles: over 8 minutes on 2 cores), most of a corpus run's budget. A static table does
the same job thousands of times faster: each word piece's vector is what the same int8
all-MiniLM-L6-v2 model gives it alone (`[CLS] piece [SEP]`, the state at the piece), the idea of
model2vec's distillation, done here from the packaged model (model2vec itself is not installed,
and its ready-made tables would be a download). As in SIF, the table's mean and first principal
component (what every piece shares) are removed. An article's vector is the lead-weighted mean of
the table rows of its first 256 word pieces (stop words and punctuation left out), normalised.

Measured on the clustering sets (benchmarks/stories_quality.py, docs/benchmarks.md): about the
same B-cubed F1 as the transformer's lead vectors on ECB+, 0.015 lower on NeuS, at well over
1,000 articles/s on one core against about 60 on two.

The table is built once from the packaged model (a few seconds: the 30,522 one-piece sequences go
through the model in fixed batches, so the build is deterministic) and cached beside the prepared
model, with its checksum, under the same build lock.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from pathlib import Path

import numpy as np

from .._exceptions import ModelError
from . import embed

TABLE_VERSION = "1"
MAX_PIECES = 256
MAX_CHARACTERS = 2000
BATCH = 512  # one-piece sequences per model call while building (fixed: the build is deterministic)


def _table_path() -> Path:
    model = embed.prepared_model_path()
    return model.with_name(f"static-table-v{TABLE_VERSION}.npy")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _build(target: Path) -> None:
    session = embed._load_session(None)
    tokenizer = _tokenizer()
    size = tokenizer.get_vocab_size()
    rows = []
    for start in range(0, size, BATCH):
        ids = np.arange(start, min(size, start + BATCH), dtype=np.int64)
        batch = np.stack([np.full_like(ids, 101), ids, np.full_like(ids, 102)], axis=1)
        feeds = {"input_ids": batch, "attention_mask": np.ones_like(batch), "token_type_ids": np.zeros_like(batch)}
        rows.append(session.run(None, feeds)[0][:, 1, :])
    table = np.vstack(rows).astype(np.float64)
    table -= table.mean(axis=0)
    _, _, vt = np.linalg.svd(table, full_matrices=False)
    first = vt[0]
    table -= np.outer(table @ first, first)
    table /= np.linalg.norm(table, axis=1, keepdims=True) + 1e-9
    with tempfile.NamedTemporaryFile(dir=target.parent, prefix="build-static-", suffix=".npy", delete=False) as handle:
        np.save(handle, table.astype(np.float16))
        temporary = Path(handle.name)
    checksum = target.with_name(target.name + ".sha256")
    checksum.unlink(missing_ok=True)
    os.replace(temporary, target)
    checksum.write_text(_digest(target) + "\n", encoding="ascii")


def _load_table() -> np.ndarray:
    target = _table_path()
    checksum = target.with_name(target.name + ".sha256")

    def intact() -> bool:
        return target.is_file() and checksum.is_file() and checksum.read_text().strip() == _digest(target)

    try:
        if not intact():
            with embed._build_lock(target):
                if not intact():
                    _build(target)
        return np.load(target, allow_pickle=False).astype(np.float32)
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot build or read the static vector table {target} ({exc}): {embed.clear_cache_hint()}") from None


def _tokenizer():
    from tokenizers import Tokenizer

    from ..resources import resource_path

    tokenizer = Tokenizer.from_file(str(resource_path("minilm-tokenizer.json")))
    tokenizer.enable_truncation(MAX_PIECES)
    tokenizer.no_padding()
    return tokenizer


class StaticEncoder:
    """Article vectors from the static table: `document_vectors(texts)`, like `Encoder`'s."""

    def __init__(self) -> None:
        from ..resources import resource_path

        self.table = _load_table()
        self.tokenizer = _tokenizer()
        stop = set(resource_path("stopwords-en.txt").read_text(encoding="utf-8").split())
        skip = np.zeros(len(self.table), bool)
        for piece, index in self.tokenizer.get_vocab().items():
            if index < len(skip) and (piece in stop or piece.startswith("[") or not any(c.isalnum() for c in piece)):
                skip[index] = True
        self.skip = skip
        self.lead = 0.5 ** (np.arange(MAX_PIECES, dtype=np.float32) / embed.LEAD_HALF_LIFE)

    def document_vectors(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), embed.DIMENSIONS), np.float32)
        # Only the start is read (MAX_PIECES pieces are about 1,100 characters of news): cutting the
        # text first spares the tokenizer the rest of a long article.
        for row, encoding in enumerate(self.tokenizer.encode_batch([text[:MAX_CHARACTERS] for text in texts])):
            ids = np.asarray(encoding.ids, dtype=np.int64)
            weights = self.lead[: len(ids)].copy()
            weights[self.skip[ids]] = 0.0
            vector = weights @ self.table[ids]
            norm = float(np.linalg.norm(vector))
            if norm > 0:
                out[row] = vector / norm
        return out


_shared: StaticEncoder | None = None
_lock = threading.Lock()


def shared_static_encoder() -> StaticEncoder:
    global _shared
    with _lock:
        if _shared is None:
            _shared = StaticEncoder()
        return _shared
