"""RSS and Atom feeds (RSS 0.9x/1.0/2.0, Atom 0.3/1.0) read with feedparser: each entry is an
article link, with the title, date and author the feed gives for it.

feedparser is only given bytes here, never a URL: fetching is ours (`_polite`), so that the fetch
policy (private-address guard, size cap, timeouts) and the politeness rules hold.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urljoin

from .._exceptions import UnsupportedInput
from ._decode import clean_field

_FEED_START = re.compile(rb"<(?:rss|feed|rdf:RDF)\b", re.IGNORECASE)


@dataclass(frozen=True)
class FeedEntry:
    """One entry of a feed: where the article is and what the feed says about it."""

    url: str | None
    title: str | None = None
    published: str | None = None  # ISO 8601, UTC
    author: str | None = None
    outlet: str | None = None  # the feed's own title


def looks_like_feed(head: bytes) -> bool:
    """Whether the first bytes of a document are those of an RSS, RDF or Atom feed."""
    return bool(_FEED_START.search(head[:4096]))


def read_feed(data: bytes, source: str, *, base_url: str | None = None) -> list[FeedEntry]:
    """The entries of a feed, in the feed's order. Raises UnsupportedInput when `data` is no feed.

    Links are resolved against the feed's own base (xml:base) and then `base_url`. An entry
    without a link has `url=None` (the caller names it as a bad entry)."""
    import feedparser

    headers = {"content-location": base_url} if base_url else {}
    try:
        parsed = feedparser.parse(data, response_headers=headers, sanitize_html=False, resolve_relative_uris=True)
    except Exception as exc:  # feedparser is lenient, but a broken document may still surprise it
        raise UnsupportedInput(source, f"not a readable feed ({type(exc).__name__}: {exc})") from None
    if not parsed.get("version") and not parsed.entries:
        problem = parsed.get("bozo_exception")
        why = f" ({_first_line(problem)})" if problem else ""
        raise UnsupportedInput(source, f"not an RSS or Atom feed{why}")
    outlet = clean_field(parsed.feed.get("title") or "") or None
    return [_entry(entry, outlet, base_url) for entry in parsed.entries]


def _entry(entry, outlet: str | None, base_url: str | None) -> FeedEntry:
    link = entry.get("link") or ""
    if not link:
        for candidate in entry.get("links") or ():
            if candidate.get("href") and candidate.get("rel", "alternate") == "alternate":
                link = candidate["href"]
                break
    if not link and entry.get("guidislink"):
        link = entry.get("id") or ""
    link = link.strip()
    if link and base_url:
        link = urljoin(base_url, link)
    return FeedEntry(
        url=link or None,
        title=clean_field(entry.get("title") or "") or None,
        published=_iso(entry.get("published_parsed") or entry.get("updated_parsed")),
        author=clean_field(entry.get("author") or "") or None,
        outlet=outlet,
    )


def _iso(parsed) -> str | None:
    """feedparser's UTC struct_time as ISO 8601 text."""
    if not parsed:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (OverflowError, ValueError, TypeError, OSError):
        return None


def _first_line(problem) -> str:
    text = str(problem).strip().splitlines()
    return text[0][:200] if text else type(problem).__name__

