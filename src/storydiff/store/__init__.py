"""Stage 4, the store: a corpus in one SQLite file (articles, copies, stories, per-article analyses)."""

from ._schema import SCHEMA_VERSION
from ._sqlite import Store, StoredArticle, StoredBatch, StoryRow, day_number

__all__ = ["SCHEMA_VERSION", "Store", "StoredArticle", "StoredBatch", "StoryRow", "day_number"]
