"""Stage 1, ingestion: inputs in any form become `Article`s with clean text and metadata.

    inputs --expand--> raw documents --decode/parse--> drafts --clean--> articles

HTML goes through trafilatura; copied text through the furniture cleaner, which also learns from
lines repeated across the run's documents; JSON records bring their own fields. Every input that
fails yields a `Skipped` entry with a one-line reason, and the others go on.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO

from .._exceptions import InputError, NoArticleFound
from .._models import Article, Skipped
from ._dates import normalize_date
from ._decode import clean_field, decode, html_declared_charset
from ._fetch import Fetcher, FetchPolicy
from ._sources import RawDocument, expand
from .furniture import CleanText, clean_copied_text, line_key, split_lines, word_count
from .html import extract_html
from .records import Record, parse_records

__all__ = ["IngestOptions", "check_article", "read_articles", "word_count"]


@dataclass(frozen=True)
class IngestOptions:
    max_bytes: int = 20 * 1024 * 1024  # per file, page or stdin
    min_words: int = 25  # fewer words of body than this is not an article
    max_words: int = 10_000  # more is a book, a log or a dump, not an article (and alignment would be slow)
    fetch: FetchPolicy = field(default_factory=FetchPolicy)


@dataclass
class _Draft:
    """An article before cleaning finishes: what one raw document or record yielded."""

    source: str
    spec_index: int  # which of the user's inputs it came from, for --outlet/--title/--date
    input_format: str
    encoding: str | None
    raw_text: str | None = None  # copied text still to clean
    article: Article | None = None


def read_articles(
    inputs: Sequence[str],
    *,
    outlets: Sequence[str | None] = (),
    titles: Sequence[str | None] = (),
    dates: Sequence[str | None] = (),
    options: IngestOptions | None = None,
    fetcher: Fetcher | None = None,
    stdin: BinaryIO | None = None,
    progress: Callable[[str], None] | None = None,
) -> tuple[list[Article], list[Skipped]]:
    """Read every input; return the articles found and the inputs skipped, in input order.

    `progress`, if given, is called with a short message as each input is read.

    `outlets`, `titles` and `dates` override what was detected, one value per input, in order
    (None or a missing value keeps the detected one).
    """
    options = options or IngestOptions()
    fetcher = fetcher or Fetcher(options.fetch)
    drafts: list[_Draft | Skipped] = []
    for index, spec in enumerate(inputs):
        if progress:
            progress(f"reading {index + 1}/{len(inputs)}: {spec}")
        for raw in expand(spec, max_bytes=options.max_bytes, fetcher=fetcher, stdin=stdin):
            if isinstance(raw, InputError):
                drafts.append(Skipped(raw.source, raw.reason))
                continue
            drafts.extend(_parse(raw, index))

    # Lines that recur across documents are a site's furniture (footers, menus), unless prose.
    texts = [d.raw_text for d in drafts if isinstance(d, _Draft) and d.raw_text is not None]
    counts = Counter(key for text in texts for key in {line_key(line) for line in split_lines(text)})
    repeated = frozenset(key for key, count in counts.items() if count >= 2 and key)

    articles: list[Article] = []
    skipped: list[Skipped] = []
    for draft in drafts:
        if isinstance(draft, Skipped):
            skipped.append(draft)
            continue
        try:
            article = draft.article or _from_copied_text(draft, repeated)
            _check_length(article, options.min_words, options.max_words)
        except InputError as error:
            skipped.append(Skipped(error.source, error.reason))
            continue
        _override(article, draft.spec_index, outlets, titles, dates)
        article.encoding = article.encoding or draft.encoding
        article.id = len(articles)
        articles.append(article)
    return articles, skipped


def _parse(raw: RawDocument, index: int) -> list[_Draft | Skipped]:
    try:
        declared = raw.charset or (html_declared_charset(raw.data) if raw.kind in ("html", "auto") else None)
        text, encoding = decode(raw.data, raw.source, declared=declared)
        kind = raw.kind if raw.kind != "auto" else _sniff(text)
        if kind == "html":
            article = _article(raw.source, extract_html(text, raw.source, url=raw.url), "html")
            return [_Draft(raw.source, index, "html", encoding, article=article)]
        if kind in ("json", "jsonl"):
            return [_from_record(r, index, encoding) for r in parse_records(text, raw.source, lines=kind == "jsonl")]
        if kind == "markdown":
            text = _strip_markdown(text)
        return [_Draft(raw.source, index, "text", encoding, raw_text=text)]
    except InputError as error:
        return [Skipped(error.source, error.reason)]


def _from_record(record: Record | InputError, index: int, encoding: str) -> _Draft | Skipped:
    if isinstance(record, InputError):
        return Skipped(record.source, record.reason)
    try:
        if record.text and record.text.strip():
            page = clean_copied_text(record.text, find_title=False)
            if page.paragraphs and record.title and line_key(page.paragraphs[0]) == line_key(record.title):
                page.paragraphs = page.paragraphs[1:]
        else:
            page = extract_html(record.html or "", record.source, url=record.url)
        article = _article(record.source, page, "json")
    except InputError as error:
        return Skipped(error.source, error.reason)
    article.title = record.title or article.title
    article.outlet = record.outlet or article.outlet
    article.published = normalize_date(record.published) or article.published
    article.author = record.author or article.author
    article.url = record.url or article.url
    return _Draft(record.source, index, "json", encoding, article=article)


def _from_copied_text(draft: _Draft, repeated: frozenset[str]) -> Article:
    return _article(draft.source, clean_copied_text(draft.raw_text or "", repeated=repeated), "text")


def _article(source: str, page: CleanText, input_format: str) -> Article:
    return Article(
        source=source,
        text=page.text,
        title=page.title,
        outlet=page.outlet,
        published=page.published,
        author=page.author,
        url=page.url,
        input_format=input_format,
        captions=page.captions,
        furniture=page.furniture,
    )


# A word followed by the end of a sentence: headings and labels have none.
_SENTENCE_END = re.compile(r"\w[\"'”’)]?[.!?…。！？؟](?=[\s\"'”’)]|$)")


def check_article(article: Article, options: IngestOptions | None = None) -> None:
    """Raise NoArticleFound when an article's text is too short, too long or has no sentence."""
    options = options or IngestOptions()
    _check_length(article, options.min_words, options.max_words)


def _check_length(article: Article, min_words: int, max_words: int) -> None:
    words = word_count(article.text)
    if words > max_words:
        raise NoArticleFound(article.source, f"too long for an article ({words:,} words; at most {max_words:,})")
    if words == 0:
        raise NoArticleFound(article.source, "no article text left once page furniture is removed")
    if words < min_words:
        counted = f"only {words} word{'' if words == 1 else 's'} of text, {min_words} needed"
        if article.input_format == "html":
            raise NoArticleFound(article.source, f"no article found in this page ({counted})")
        raise NoArticleFound(article.source, f"too short to be an article ({counted})")
    if not _SENTENCE_END.search(article.text):
        raise NoArticleFound(article.source, "no sentences, only headings or labels: not an article")


def _override(article: Article, index: int, outlets, titles, dates) -> None:
    def given(values: Sequence[str | None]) -> str | None:
        return clean_field(values[index]) or None if index < len(values) and values[index] else None

    article.outlet = given(outlets) or article.outlet
    article.title = given(titles) or article.title
    if date := given(dates):
        article.published = normalize_date(date)


def _sniff(text: str) -> str:
    head = text.lstrip()[:2048].lower()
    if head.startswith("{") or head.startswith("["):
        try:
            json.loads(text)
            return "json"
        except (ValueError, RecursionError):
            return "jsonl" if all(line.lstrip().startswith("{") for line in text.splitlines() if line.strip()) else "text"
    if head.startswith("<") and re.search(r"<(?:!doctype html|html|head|body|article|p|div)\b", head):
        return "html"
    return "text"


_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_MARKS = re.compile(r"^(?:#{1,6}\s+|>\s?|[*+-]\s+)")


def _strip_markdown(text: str) -> str:
    """Markdown to plain lines: headings, quotes and bullets lose their marks, links keep their text."""
    out = []
    for line in text.splitlines():
        line = _MD_MARKS.sub("", line.strip())
        line = _MD_LINK.sub(r"\1", line)
        out.append(line.replace("**", "").replace("__", ""))
    return "\n".join(out)
