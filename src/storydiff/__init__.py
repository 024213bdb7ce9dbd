"""storydiff: see how different outlets tell the same news story.

    >>> import storydiff
    >>> result = storydiff.compare(["a.html", "b.txt"])
    >>> result.facts_with_status("shared")
    >>> html = result.to_html()

`compare` reads articles (paths, directories, URLs, `-`, `Text` for article text in a string) and
aligns their facts; `similarity` scores two articles as wholes; `read` returns clean articles
without comparing them.
"""

from ._api import compare, similarity
from ._exceptions import (
    BinaryInput,
    EmptyInput,
    FetchError,
    InputError,
    InputNotFound,
    InputTooLarge,
    InvalidArgument,
    ModelError,
    NoArticleFound,
    NotEnoughArticles,
    NotFound,
    SchemaError,
    StoreError,
    StorydiffError,
    UnsupportedInput,
)
from ._models import SCHEMA_VERSION, Article, Comparison, Duplicate, Fact, Mention, Skipped
from ._version import __version__
from .corpus import Corpus
from .ingest import IngestOptions, Text, read_articles
from .ingest._fetch import Fetcher, FetchPolicy

read = read_articles

__all__ = [
    "SCHEMA_VERSION",
    "Article",
    "BinaryInput",
    "Comparison",
    "Corpus",
    "Duplicate",
    "EmptyInput",
    "Fact",
    "FetchError",
    "FetchPolicy",
    "Fetcher",
    "IngestOptions",
    "InputError",
    "InputNotFound",
    "InputTooLarge",
    "InvalidArgument",
    "Mention",
    "ModelError",
    "NoArticleFound",
    "NotEnoughArticles",
    "NotFound",
    "SchemaError",
    "Skipped",
    "StoreError",
    "StorydiffError",
    "Text",
    "UnsupportedInput",
    "__version__",
    "compare",
    "read",
    "read_articles",
    "similarity",
]
