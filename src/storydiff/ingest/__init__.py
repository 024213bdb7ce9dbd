"""Stage 1, ingestion: inputs in any form become `Article`s with clean text and metadata.

    inputs --expand--> raw documents --decode/parse--> drafts --clean--> articles

HTML goes through trafilatura; copied text through the furniture cleaner, which also learns from
lines repeated across the run's documents; JSON records bring their own fields. Every input that
fails yields a `Skipped` entry with a one-line reason, and the others go on.
"""

from __future__ import annotations

import codecs
import json
import os
import re
from pathlib import Path
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import BinaryIO

from .._exceptions import InputError, InvalidArgument, NoArticleFound, UnsupportedInput
from .._models import Article, Skipped
from ._dates import normalize_date, strict_date
from ._decode import clean_field, decode, describe_codec, html_declared_charset, is_utf8, known_codec
from ._fetch import Fetcher, FetchPolicy
from ._sources import RawDocument, Text, describe, expand
from .duplicates import copy_groups
from .furniture import CleanText, clean_copied_text, line_key, split_lines, word_count
from .html import extract_html
from .records import Record, parse_records

__all__ = ["IngestOptions", "Text", "check_article", "check_overrides", "Overrides", "apply_overrides", "is_own_report", "sniff", "input_list", "read_articles", "read_inputs", "word_count"]


# Comparison time grows with the square of an article's length (every statement of one article is
# weighed against every statement of the others), and a text this long is a book, a log or a dump.
DEFAULT_MAX_WORDS = 10_000


@dataclass(frozen=True)
class IngestOptions:
    max_bytes: int = 20 * 1024 * 1024  # per file, page or stdin
    min_words: int = 25  # fewer words of body than this is not an article
    max_words: int = DEFAULT_MAX_WORDS  # longer is skipped: see DEFAULT_MAX_WORDS
    fetch: FetchPolicy = field(default_factory=FetchPolicy)
    exclude: frozenset[str] = frozenset()  # paths never read as inputs (the file a command writes to)


@dataclass
class _Draft:
    """An article before cleaning finishes: what one raw document or record yielded."""

    source: str
    spec_index: int  # which of the user's inputs it came from, for --outlet/--title/--date
    input_format: str
    encoding: str | None
    raw_text: str | None = None  # copied text still to clean
    article: Article | None = None
    encoding_note: str | None = None  # how the encoding was chosen, when it is not UTF-8
    given: Text | None = None  # the Text it was read from, whose metadata overrides detection


def read_articles(
    inputs: Sequence[str | os.PathLike | Text],
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

    `inputs` is a list of paths, directories, URLs, `-` (stdin) and `Text`s. `progress`, if given,
    is called with a short message as each input is read. `outlets`, `titles` and `dates` override
    what was detected, one value per input, in order (None or a missing value keeps the detected one).
    """
    inputs = input_list(inputs, "read")
    overrides = Overrides(outlets, titles, dates)
    read, skipped = read_inputs(inputs, overrides, options=options, fetcher=fetcher, stdin=stdin, progress=progress)
    skipped = [s for _, s in skipped]
    articles = [article for _, article in read]
    for number, article in enumerate(articles):
        article.id = number
    return articles, skipped


def input_list(inputs, verb: str) -> list:
    """`inputs` as a list, or a TypeError that says how to call `verb` (a bare string would be
    read character by character, "/" first)."""
    if isinstance(inputs, (str, bytes, os.PathLike, Text, Article)):
        shown = repr(inputs) if len(repr(inputs)) <= 60 else repr(inputs)[:57] + "..."
        raise TypeError(
            f"{verb}() takes a list of inputs, not one {type(inputs).__name__}: {verb}([{shown}, ...])"
            if not isinstance(inputs, bytes) else f"{verb}() takes a list of inputs (paths, URLs, Text, Article), not bytes"
        )
    try:
        return list(inputs)
    except TypeError:
        raise TypeError(f"{verb}() takes a list of inputs (paths, URLs, Text, Article), not {type(inputs).__name__}") from None


@dataclass(frozen=True)
class Overrides:
    """What the user says each input's outlet, title and date are, one value per input, in order."""

    outlets: Sequence[str | None] = ()
    titles: Sequence[str | None] = ()
    dates: Sequence[str | None] = ()

    def pick(self, positions: list[int]) -> Overrides:
        """The values of the inputs at `positions`, in that order."""
        def take(values):
            return [values[i] if i < len(values) else None for i in positions]

        return Overrides(take(self.outlets), take(self.titles), take(self.dates))


def read_inputs(
    inputs: Sequence[str | os.PathLike | Text],
    overrides: Overrides = Overrides(),
    options: IngestOptions | None = None,
    fetcher: Fetcher | None = None,
    stdin: BinaryIO | None = None,
    progress: Callable[[str], None] | None = None,
) -> tuple[list[tuple[int, Article]], list[tuple[int, Skipped]]]:
    """`read_articles`, with the index of the input each article and each skipped entry came
    from; ids are not set."""
    outlets, titles, dates = overrides.outlets, overrides.titles, overrides.dates
    check_overrides(len(inputs), outlets=outlets, titles=titles, dates=dates)
    for spec in inputs:
        if not isinstance(spec, (str, os.PathLike, Text)):
            shown = repr(spec) if len(repr(spec)) <= 60 else repr(spec)[:57] + "..."
            raise TypeError(f"an input is a path, URL, '-', storydiff.Text or storydiff.Article, not {type(spec).__name__}: {shown}")
    options = options or IngestOptions()
    fetcher = fetcher or Fetcher(options.fetch)
    exclude = frozenset(str(Path(p).expanduser().resolve()) for p in options.exclude)
    inputs = _named_texts(inputs)
    drafts: list[tuple[int, _Draft | Skipped]] = []
    for index, spec in enumerate(inputs):
        if progress:
            progress(f"reading {index + 1}/{len(inputs)}: {describe(spec)}")
        for raw in expand(spec, max_bytes=options.max_bytes, fetcher=fetcher, stdin=stdin, exclude=exclude):
            if isinstance(raw, InputError):
                drafts.append((index, Skipped(raw.source, raw.reason)))
                continue
            drafts.extend((index, draft) for draft in _parse(raw, index))

    repeated = _repeated_lines([d.raw_text for _, d in drafts if isinstance(d, _Draft) and d.raw_text is not None])
    articles: list[tuple[int, Article]] = []
    skipped: list[tuple[int, Skipped]] = []
    for index, draft in drafts:
        if isinstance(draft, Skipped):
            skipped.append((index, draft))
            continue
        try:
            article = draft.article or _from_copied_text(draft, repeated)
            _check_length(article, options.min_words, options.max_words)
        except InputError as error:
            skipped.append((index, Skipped(error.source, error.reason)))
            continue
        if draft.given is not None:
            given = draft.given
            article.outlet = given.outlet or article.outlet
            article.title = given.title or article.title
            article.published = given.published or article.published
        apply_overrides(article, draft.spec_index, outlets, titles, dates)
        article.encoding = article.encoding or draft.encoding
        if draft.encoding_note:
            article.warnings.append(draft.encoding_note)
        articles.append((draft.spec_index, article))
    return articles, skipped


def _named_texts(inputs: Sequence) -> list:
    """Texts without a source of their own are named by position among the texts: "text 1", "text 2"."""
    texts = [i for i in inputs if isinstance(i, Text) and i.source is None]
    if not texts:
        return list(inputs)
    names = {id(t): (f"text {n}" if len(texts) > 1 else "text") for n, t in enumerate(texts, start=1)}
    return [replace(i, source=names[id(i)]) if id(i) in names else i for i in inputs]


def _repeated_lines(texts: list[str]) -> frozenset[str]:
    """Lines that recur across documents: a site's furniture (footers, menus), unless prose.

    Copies of one article count once, so that their shared headline, standfirst and subheadings
    stay the article's own. Copies are told apart on their text cleaned alone (two sites' page
    furniture around one article does not hide it; a truncated copy is still one).
    """
    bodies = [clean_copied_text(text).text for text in texts]
    family = {i: i for i in range(len(texts))}
    for group in copy_groups(bodies):
        for copy, _ in group.copies:
            family[copy] = group.first
    counts: Counter[str] = Counter()
    for leader in sorted(set(family.values())):
        members = [texts[i] for i, f in family.items() if f == leader]
        counts.update({line_key(line) for text in members for line in split_lines(text)})
    return frozenset(key for key, count in counts.items() if count >= 2 and key)


def _parse(raw: RawDocument, index: int) -> list[_Draft | Skipped]:
    try:
        declared = raw.charset or (html_declared_charset(raw.data) if raw.kind in ("html", "auto") else None)
        text, encoding = decode(raw.data, raw.source, declared=declared)
        if is_own_report(text):
            if raw.listed:
                return []  # a report written into the folder being compared: not an article, no news
            raise UnsupportedInput(raw.source, "a report storydiff wrote (its own output), not an article")
        note = _encoding_note(encoding, declared, from_server=bool(raw.charset))
        kind = raw.kind if raw.kind != "auto" else sniff(text)
        if kind == "html":
            article = _article(raw.source, extract_html(text, raw.source, url=raw.url), "html")
            drafts = [_Draft(raw.source, index, "html", encoding, article=article)]
        elif kind in ("json", "jsonl"):
            drafts = [_from_record(r, index, encoding) for r in parse_records(text, raw.source, lines=kind == "jsonl")]
        else:
            if kind == "markdown":
                text = _strip_markdown(text)
            drafts = [_Draft(raw.source, index, "text", encoding, raw_text=text)]
        for draft in drafts:
            if isinstance(draft, _Draft):
                draft.encoding_note = note
                draft.given = raw.given
        return drafts
    except InputError as error:
        return [Skipped(error.source, error.reason)]


def _encoding_note(encoding: str, declared: str | None, *, from_server: bool) -> str | None:
    """Say which encoding a text was read in, when it was not UTF-8, and why that one."""
    if is_utf8(encoding):
        return None
    declared = known_codec(declared)
    if declared == codecs.lookup(encoding).name:
        why = "the encoding the server declared" if from_server else "the encoding the page declares"
    elif encoding.startswith(("utf-16", "utf-32")):
        why = "its byte-order mark says so"
    elif declared:
        why = f"detected, since it is not in the {describe_codec(declared)} it declares"
    else:
        why = "detected, since it is not UTF-8 and declares no encoding"
    return f"read as {describe_codec(encoding)}: {why}"


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
        raise NoArticleFound(
            article.source,
            f"too long for an article ({words:,} words; the cap is {max_words:,}): split it into its articles, "
            f"or raise the cap (--max-words / IngestOptions(max_words=...)); time grows with the square of the length",
        )
    if words == 0:
        raise NoArticleFound(article.source, "no article text left once page furniture is removed")
    if words < min_words:
        counted = f"only {words} word{'' if words == 1 else 's'} of text, {min_words} needed"
        if article.input_format == "html":
            raise NoArticleFound(article.source, f"no article found in this page ({counted})")
        raise NoArticleFound(article.source, f"too short to be an article ({counted})")
    if not _SENTENCE_END.search(article.text):
        raise NoArticleFound(article.source, "no sentences, only headings or labels: not an article")


def check_overrides(
    count: int, *, outlets: Sequence[str | None] = (), titles: Sequence[str | None] = (), dates: Sequence[str | None] = ()
) -> None:
    """Raise InvalidArgument for more overrides than inputs, or a date that is not one real day."""
    for name, values in (("outlets", outlets), ("titles", titles), ("dates", dates)):
        if isinstance(values, str):
            raise InvalidArgument(name, f"give a list with one value per input, not a string ({values!r})")
        if len(values) > count:
            raise InvalidArgument(name, f"{len(values)} values for {count} input{'s' if count != 1 else ''}")
    for index, value in enumerate(dates):
        if value and str(value).strip() and strict_date(value) is None:  # date objects are days too
            raise InvalidArgument(
                f"dates[{index}]", f"{value!r} is not a date: give the day as YYYY-MM-DD (or 'March 30, 2020')"
            )


def apply_overrides(article: Article, index: int, outlets, titles, dates) -> None:
    """Set what the user gave for input `index` (an empty or missing value keeps what was found)."""
    def given(values: Sequence) -> str | None:
        value = values[index] if index < len(values) else None
        return clean_field(str(value)) or None if value else None

    article.outlet = given(outlets) or article.outlet
    article.title = given(titles) or article.title
    if index < len(dates) and dates[index] and strict_date(dates[index]):
        article.published = strict_date(dates[index])


# How storydiff's own reports begin (HTML, JSON) or end (Markdown): read back, they would be
# compared as articles.
_OWN_REPORT_START = re.compile(
    r"""\A\s*(?:<!DOCTYPE html>.{0,1500}?<meta name="generator" content="storydiff |\{\s*"schema_version":\s*"[\d.]+",\s*"generator":\s*\{\s*"name":\s*"storydiff")""",
    re.DOTALL,
)
_OWN_REPORT_END = re.compile(r"\[//\]: # \(storydiff [^)\n]* report\)\s*\Z")


def is_own_report(text: str) -> bool:
    """Whether a text is a report storydiff wrote (HTML, JSON or Markdown)."""
    return bool(_OWN_REPORT_START.match(text[:2048]) or _OWN_REPORT_END.search(text[-200:]))


def sniff(text: str) -> str:
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
