"""Saved or fetched web pages: trafilatura finds the article body and its metadata."""

from __future__ import annotations

import re

from .._exceptions import NoArticleFound
from ._page_dates import page_published
from .furniture import CleanText, clean_copied_text, line_key

FALLBACK_WORDS = 100
FALLBACK_RATIO = 4
_TABLE_RULE = re.compile(r"^\s*\|?\s*(?::?-{2,}:?\s*\|\s*)+(?::?-{2,}:?)?\s*\|?\s*$")


def _strip_markup(text: str) -> str:
    """trafilatura's plain text keeps table pipes and list dashes; they are not words of the article."""
    lines = []
    for line in text.splitlines():
        if _TABLE_RULE.match(line):
            continue
        if line.lstrip().startswith("|"):
            line = re.sub(r"\s*\|\s*", " ", line).strip()
        line = re.sub(r"^\s*-(?:\s+|$)", "", line)
        lines.append(line)
    return "\n".join(lines)


def _is_title(line: str, title: str) -> bool:
    """The headline again, whole or nearly (sites add or drop a kicker)."""
    a, b = line_key(line), line_key(title)
    return bool(a) and (a == b or (len(a) >= 0.6 * len(b) and a in b) or (b in a and len(a) <= 1.3 * len(b)))


def _published(html: str) -> str | None:
    import lxml.html

    try:
        return page_published(lxml.html.fromstring(html))
    except (ValueError, lxml.etree.ParserError):
        return None


def extract_html(html: str, source: str, *, url: str | None = None) -> CleanText:
    """Article body and metadata of one HTML page, or NoArticleFound."""
    import trafilatura  # imported here: a run over text files never pays for it

    # Precision mode without comments scores best on the extraction benchmark (docs/benchmarks.md).
    document = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        favor_precision=True,
        # The date trafilatura finds (htmldate) is not used: see _page_dates.
        date_extraction_params={"extensive_search": False, "original_date": True, "outputformat": "%Y-%m-%d"},
    )
    text = (document.text if document else "") or ""
    if len(text.split()) < FALLBACK_WORDS:
        # Precision mode sometimes keeps a sliver of a page; the default mode then does better.
        fallback = trafilatura.extract(html, url=url, include_comments=False) or ""
        if len(fallback.split()) >= FALLBACK_RATIO * max(1, len(text.split())):
            text = fallback
    if not text.strip():
        raise NoArticleFound(source, "no article text found in this page")
    title = (document.title if document else None) or None
    # trafilatura keeps teasers, prompts and table rules that sit inside the article's container;
    # the line cues for copied text remove them (cues of form only: the extractor did the rest).
    cleaned = clean_copied_text(_strip_markup(text), find_title=False, positional=False)
    paragraphs = cleaned.paragraphs
    while paragraphs and title and _is_title(paragraphs[0], title):
        paragraphs = paragraphs[1:]  # the headline repeated as the body's first line
    return CleanText(
        title=title,
        paragraphs=paragraphs,
        outlet=(document.sitename or document.hostname if document else None) or cleaned.outlet,
        author=(document.author if document else None) or None,
        published=_published(html) or cleaned.published,
        url=(document.url if document else None) or url,
        captions=cleaned.captions,
        furniture=cleaned.furniture,
    )
