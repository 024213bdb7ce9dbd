"""An article's own analysis as bytes, and back: what a corpus store keeps so that comparing a
stored story later recomputes nothing about any article alone.

The format is a NumPy `.npz` archive (read with `allow_pickle=False`, so a store file from
elsewhere can hold no code): the vectors as float16 arrays (the precision the `embed` stage
rounds to, so a restored article compares exactly as a fresh one), and everything else as one
JSON document. `FORMAT` changes whenever what is kept changes; an analysis of another format, or
of another version of storydiff, is not restored but made again.
"""

from __future__ import annotations

import io
import json
from dataclasses import asdict, fields

import numpy as np

from .._models import Article, Quote, Sentence, Span, Unit
from .._version import __version__
from ._values import DateExpression, DateValue, Quantity

FORMAT = f"1/{__version__}"
_ARRAYS = ("token_vectors", "token_spans", "unit_vectors", "vector")


def dump_analysis(article: Article) -> bytes:
    """The per-article analysis of `article` (after the per-article stages ran) as bytes."""
    meta = {
        "format": FORMAT,
        "paragraphs": [[p.start, p.end] for p in article.paragraphs],
        "sentences": [[s.start, s.end, s.paragraph, s.heading] for s in article.sentences],
        "units": [[u.start, u.end, u.sentence] for u in article.units],
        "named_entities": [list(n) for n in article.named_entities],
        "quotes": [asdict(q) for q in article.quotes],
        "unit_tokens": [list(t) for t in article.unit_tokens],
        "dates": [[field, _date(d)] for field, d in article.dates],
        "quantities": [[field, asdict(q)] for field, q in article.quantities],
    }
    arrays = {}
    for name in _ARRAYS:
        value = getattr(article, name)
        if value is not None:
            arrays[name] = value.astype(np.float16) if value.dtype.kind == "f" else value.astype(np.int32)
    buffer = io.BytesIO()
    np.savez(buffer, meta=np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8), **arrays)
    return buffer.getvalue()


def load_analysis(data: bytes, article: Article) -> bool:
    """Fill `article` with a stored analysis; False (and `article` untouched) when the bytes are of
    another format or damaged, so the caller analyses the article again."""
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as archive:
            meta = json.loads(archive["meta"].tobytes().decode("utf-8"))
            if meta.get("format") != FORMAT:
                return False
            arrays = {name: archive[name] for name in _ARRAYS if name in archive.files}
        restored = {
            "paragraphs": [Span(s, e) for s, e in meta["paragraphs"]],
            "sentences": [Sentence(s, e, p, h) for s, e, p, h in meta["sentences"]],
            "units": [Unit(s, e, k) for s, e, k in meta["units"]],
            "named_entities": [tuple(n) for n in meta["named_entities"]],
            "quotes": [Quote(**q) for q in meta["quotes"]],
            "unit_tokens": [tuple(t) for t in meta["unit_tokens"]],
            "dates": [(field, _undate(d)) for field, d in meta["dates"]],
            "quantities": [(field, Quantity(**q)) for field, q in meta["quantities"]],
        }
    except (OSError, ValueError, KeyError, TypeError, json.JSONDecodeError, UnicodeDecodeError):
        return False
    for name, value in restored.items():
        setattr(article, name, value)
    for name in _ARRAYS:
        value = arrays.get(name)
        setattr(article, name, None if value is None else value.astype(np.float32 if value.dtype.kind == "f" else np.int64))
    return True


def _date(d: DateExpression) -> dict:
    return {"start": d.start, "end": d.end, "text": d.text, "how": d.how, "value": asdict(d.value)}


def _undate(d: dict) -> DateExpression:
    known = {f.name for f in fields(DateValue)}
    return DateExpression(d["start"], d["end"], d["text"], DateValue(**{k: v for k, v in d["value"].items() if k in known}), d["how"])
