"""A web page's publication date: from its metadata, or an explicit "Published ..." line. Never guessed.

htmldate (which trafilatura calls) also reads dates out of the page text, class names and
copyright lines when the metadata has none: "© 2019" becomes 2019-01-01, a footer's "Cached
2019-05-01" or a related story's date becomes the article's. A comparison places "on Sunday" and
"two days earlier" from the publication date, so a wrong one shifts the whole timeline; no date is
better. This module reads only what a page states as its publication date:

1. metadata: `<meta>` publication-date properties, JSON-LD `datePublished`, elements marked
   `itemprop="datePublished"` and `<time pubdate>`;
2. else a short line in the page (outside footers, asides, comments and teasers) that says
   "Published" (or "Posted", "First published") and gives one whole date.
An "Updated" date is not the publication date.
"""

from __future__ import annotations

import json
import re

from ._dates import normalize_date, parse_date

# <meta> names and properties that hold the publication date (lower case).
_META_NAMES = frozenset(
    """article:published_time og:published_time og:article:published_time datepublished date_published
    publishdate publish-date publish_date pubdate published_time original-publish-date dc.date.issued
    dcterms.issued dcterms.created dc.date.created sailthru.date parsely-pub-date article.published
    citation_publication_date rnews:datepublished article_date_original""".split()
)
# Regions whose dates belong to something else: the footer, comments, related stories, teasers.
_ELSEWHERE = re.compile(
    r"(?<![a-z])(?:foot|comment|related|sidebar|aside|widget|promo|recommend|teaser|more-stories|newsletter|nav(?:bar|igation)?(?![a-z]))", re.I
)
_LABEL = re.compile(
    r"(?:^|[|·•—–]\s*|\s-\s|\s)(?:first\s+published|published|posted)(?:\s+(?:on|at))?\s*[:\-–]?\s*(?P<rest>.+)$", re.I
)


def page_published(tree) -> str | None:
    """The publication date (YYYY-MM-DD) a parsed page states, or None."""
    return _from_metadata(tree) or _from_published_line(tree)


def _from_metadata(tree) -> str | None:
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        if key in _META_NAMES and (date := normalize_date(meta.get("content"))):
            return date
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() == "application/ld+json" and (date := _json_ld_date(script.text or "")):
            return date
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        if (element.get("itemprop") or "").lower() == "datepublished" or (element.tag == "time" and element.get("pubdate") is not None):
            value = element.get("datetime") or element.get("content") or element.text_content()
            if date := normalize_date(value):
                return date
    return None


def _json_ld_date(text: str) -> str | None:
    try:
        data = json.loads(text)
    except ValueError:
        return None
    stack = [data]
    while stack:
        item = stack.pop(0)
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            if isinstance(item.get("datePublished"), str) and (date := normalize_date(item["datePublished"])):
                return date
            stack.extend(v for v in item.values() if isinstance(v, (list, dict)))
    return None


def _from_published_line(tree) -> str | None:
    # Only elements whose own text holds a label are read (a 1 MB page has tens of thousands of
    # elements), with their parent for labels split across tags ("<b>Published:</b> <time>...").
    labelled = tree.xpath(
        "//*[text()[contains(translate(., 'PUBLISHEDOT', 'publishedot'), 'published') or "
        "contains(translate(., 'POSTED', 'posted'), 'posted')]]"
    )
    for element in labelled:
        for candidate in (element, element.getparent()):
            if candidate is None or candidate.tag in ("script", "style", "noscript", "template", "head", "title"):
                continue
            if len(candidate) > 6 or _elsewhere(candidate):
                continue
            text = " ".join(" ".join(candidate.itertext()).split())
            if 10 <= len(text) <= 120 and (date := published_in(text)):
                return date
    return None


def published_in(line: str) -> str | None:
    """The date of a "Published ..." line ("By Jane Writer | Published: March 30, 2020 11:20 GMT")."""
    match = _LABEL.search(line)
    if not match:
        return None
    rest = re.split(r"\s+[|·•]\s+", match.group("rest"))[0].strip()
    return parse_date(rest, whole=True)


def _elsewhere(element) -> bool:
    """Whether an element sits in a footer, an aside, comments or teasers."""
    while element is not None:
        if element.tag in ("footer", "aside", "nav"):
            return True
        marks = f"{element.get('class') or ''} {element.get('id') or ''}"
        if marks.strip() and _ELSEWHERE.search(marks):
            return True
        element = element.getparent()
    return False
