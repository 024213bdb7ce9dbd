"""XML sitemaps (sitemaps.org) and sitemap indexes, Google News sitemaps included, plain or gzipped.

Parsed with lxml's iterparse, element by element, entities unresolved and no network. Not with
trafilatura's `sitemaps` module: that module fetches sitemaps (and their children) by itself,
bypassing our fetch policy (private-address guard, size cap, timeouts) and our politeness rules;
here fetching is the caller's (`_polite`), and this module only reads bytes.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

from .._exceptions import UnsupportedInput
from ._decode import clean_field, maybe_gunzip

_SITEMAP_START = re.compile(rb"<(?:[\w-]+:)?(?:urlset|sitemapindex)\b")


@dataclass(frozen=True)
class SitemapEntry:
    """A `<url>` of a urlset, or a `<sitemap>` of an index (`child=True`)."""

    url: str
    child: bool = False  # a child sitemap of an index, not an article
    lastmod: str | None = None
    title: str | None = None  # Google News: news:title
    published: str | None = None  # Google News: news:publication_date
    outlet: str | None = None  # Google News: news:publication/news:name


def looks_like_sitemap(head: bytes) -> bool:
    """Whether the first bytes of a (decompressed) document are those of a sitemap or an index."""
    return bool(_SITEMAP_START.search(head[:4096]))


def read_sitemap(data: bytes, source: str, *, max_bytes: int) -> Iterator[SitemapEntry]:
    """The entries of one sitemap or sitemap index, in document order, as they are parsed.

    `data` may be gzipped (decompressed up to `max_bytes`). Raises UnsupportedInput before the
    first entry when the document is no sitemap, and at the point of damage when the XML breaks
    off (the entries before it have been yielded)."""
    from lxml import etree

    data = maybe_gunzip(data, source, max_bytes)  # raises InputError subclasses
    if not looks_like_sitemap(data):
        raise UnsupportedInput(source, "not an XML sitemap (no <urlset> or <sitemapindex>)")
    events = etree.iterparse(
        io.BytesIO(data), events=("start", "end"), resolve_entities=False, no_network=True,
        load_dtd=False, huge_tree=False, remove_comments=True,
    )
    root: str | None = None
    count = 0
    try:
        for event, element in events:
            name = _local(element.tag)
            if event == "start":
                if root is None:
                    root = name
                    if root not in ("urlset", "sitemapindex"):
                        raise UnsupportedInput(source, f"not an XML sitemap (the document is a <{root}>)")
                continue
            if name == "url" and root == "urlset" or name == "sitemap" and root == "sitemapindex":
                entry = _entry(element, child=root == "sitemapindex")
                element.clear()
                while element.getprevious() is not None:  # keep memory flat on long sitemaps
                    del element.getparent()[0]
                if entry is not None:
                    count += 1
                    yield entry
    except etree.XMLSyntaxError as exc:
        where = f" after {count} entr{'y' if count == 1 else 'ies'}" if count else ""
        raise UnsupportedInput(source, f"damaged sitemap XML{where} ({_line(exc)})") from None


def _local(tag) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def _entry(element, *, child: bool) -> SitemapEntry | None:
    loc = lastmod = title = published = outlet = None
    for node in element.iter():
        name = _local(node.tag)
        text = (node.text or "").strip()
        if not text:
            continue
        if name == "loc" and loc is None:
            loc = text
        elif name == "lastmod":
            lastmod = text
        elif name == "title" and _in_news(node):
            title = clean_field(text) or None
        elif name == "publication_date":
            published = text
        elif name == "name" and _in_news(node):
            outlet = clean_field(text) or None
    if not loc:
        return None
    return SitemapEntry(url=loc, child=child, lastmod=lastmod, title=title, published=published, outlet=outlet)


def _in_news(node) -> bool:
    tag = node.tag if isinstance(node.tag, str) else ""
    return "sitemap-news" in tag or tag.startswith("news:")


def _line(exc) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else "XML syntax error"
