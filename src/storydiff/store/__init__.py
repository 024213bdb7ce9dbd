"""Stage 4, the store: a corpus in one SQLite file (articles, copies, stories, per-article analyses)."""

from ._schema import SCHEMA_VERSION
from ._sqlite import ARTICLE_COLUMNS, Store, StoredArticle, StoredBatch, StoryRow, article_columns, article_from_columns, day_number, story_summary

__all__ = ["ARTICLE_COLUMNS", "SCHEMA_VERSION", "Store", "StoredArticle", "StoredBatch", "StoryRow", "article_columns", "article_from_columns", "day_number", "story_summary"]
