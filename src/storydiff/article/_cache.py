"""What the per-article stages found for an article, kept by content, so that comparing an
article again recomputes nothing about it alone.

The per-article stages (segment, names, quotes, embed) read one article only and give the same
result whatever else is compared (each sentence is encoded alone; see `embed`), so their result
is a pure function of the article's content: its key is a hash of the text, title, captions,
outlet and url (the quote stage reads the outlet: "told USA TODAY" in USA TODAY's own story).
Results are copied in and out: later stages may annotate an article's quotes.
"""

from __future__ import annotations

import copy
import hashlib
import threading
from collections import OrderedDict

from .._models import Article
from .._version import __version__

# The fields the per-article stages fill (and nothing else reads them before those stages run).
FIELDS = (
    "paragraphs", "sentences", "units", "named_entities", "quotes",
    "token_vectors", "token_spans", "unit_tokens", "unit_vectors", "vector", "dates", "quantities",
)


def article_key(article: Article, stages: tuple[str, ...]) -> str:
    digest = hashlib.sha256()
    for part in (__version__, "|".join(stages), article.text, article.title or "", article.outlet or "", article.url or "", *article.captions):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    return digest.hexdigest()


class ArticleCache:
    """The per-article analyses of the last `size` articles seen by this process."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._items: OrderedDict[str, dict] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def restore(self, key: str, article: Article) -> bool:
        """Fill the article's per-article fields from the cache; False when it holds none."""
        with self._lock:
            saved = self._items.get(key)
            if saved is None:
                self.misses += 1
                return False
            self._items.move_to_end(key)
            self.hits += 1
        for name, value in copy.deepcopy(saved).items():
            setattr(article, name, value)
        return True

    def save(self, key: str, article: Article) -> None:
        saved = copy.deepcopy({name: getattr(article, name) for name in FIELDS})
        with self._lock:
            self._items[key] = saved
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
