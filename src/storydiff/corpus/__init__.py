"""Stage 5, the corpus: many articles in a store, their copies and their stories.

    ingest (ingest/stream.py) -> store (store/) -> copies (dedup.py) -> vectors -> stories (clustering.py)

`Corpus` is the public face; `_steps` holds the resumable steps it runs; `insights` what a story's
articles say together beyond one comparison (who reported first, where quotes travelled).
"""

from ._corpus import MAX_COMPARED, Corpus
from ._steps import IngestReport

__all__ = ["Corpus", "IngestReport", "MAX_COMPARED"]
