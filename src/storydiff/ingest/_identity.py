"""Who an article is, whatever list it sits in: its canonical URL, and a stable id from it.

The URL is normalised by courlan (trafilatura's URL library: lower-case host, sorted query,
tracking parameters such as `utm_*` and `fbclid` dropped), then the parts that never pick
another page are dropped too: the fragment, a leading "www.", the scheme's "s" and a trailing
slash. An article without a URL is known by its words: its title and text, case and spacing
aside, so one text pasted twice is one article.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

ID_LENGTH = 16  # hex digits: 64 bits, no collision to fear below billions of articles


@lru_cache(maxsize=65536)  # one article's URL is asked for by the stream, its uid and the store
def canonical_url(url: str | None) -> str | None:
    """The form of a web address that two links to one page share; None when it is no web address."""
    if not url or not url.strip():
        return None
    from courlan import normalize_url

    url = url.strip()
    try:
        parts = urlsplit(normalize_url(url))
    except (ValueError, AttributeError):
        parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower().removeprefix("www.")
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("https", host, path, parts.query, ""))


_SPACE = re.compile(r"\s+")


def article_id(url: str | None, title: str | None, text: str) -> str:
    """A stable id: from the canonical URL where there is one, else from the words."""
    canonical = canonical_url(url)
    key = f"url:{canonical}" if canonical else "text:" + _SPACE.sub(" ", f"{title or ''}\n{text}").strip().lower()
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:ID_LENGTH]
