"""Stage 5, the corpus: many articles in a store, their copies and their stories.

    ingest (ingest/stream.py) -> store (store/) -> copies (dedup.py) -> vectors -> stories (clustering.py)

`Corpus` is the public face; `_steps` holds the resumable steps it runs; `insights` what a story's
articles say together beyond one comparison (who reported first, where quotes travelled).
"""

import os
from pathlib import Path

from ._corpus import MAX_COMPARED, Corpus, plan_comparison
from ._steps import IngestReport


def default_store() -> Path:
    """The store used when none is named: $STORYDIFF_DB, else news.db in storydiff's data folder
    ($XDG_DATA_HOME/storydiff, by default ~/.local/share/storydiff)."""
    if os.environ.get("STORYDIFF_DB"):
        return Path(os.environ["STORYDIFF_DB"]).expanduser()
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share").expanduser()
    return base / "storydiff" / "news.db"


__all__ = ["Corpus", "IngestReport", "MAX_COMPARED", "default_store", "plan_comparison"]
