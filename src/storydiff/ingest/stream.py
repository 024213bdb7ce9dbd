"""Corpus sources read as a stream of work items, for `storydiff ingest`.

    stream_sources(sources) --> Pending | Failed | SourceDone, in order  --finish (in workers)--> Article | Skipped

A source is a feed (RSS/Atom), a sitemap or sitemap index, a WARC file, a JSON-lines dump, a text
file of URLs, or anything `compare` takes (files, folders, article URLs, "-"); `source_kind` says
which. Every item of a source has a position (0, 1, 2... in the source's order), and each position
yields at most one event: a `Pending` (work for `finish`) or a `Failed` (named, with a one-line
reason). Positions yield nothing when they come before `start[origin]` (resume), when the article
is stored already (`known_url`), when a URL is listed twice in the run, or when a WARC record is
passed over (counted in `SourceDone.passed_over`). Since events come in position order, once every
event of an origin up to position p is finished, `start[origin] = p + 1` is a safe resume point.

A source read to its end ends with `SourceDone`. A source that cannot be read, or breaks off,
yields one `Failed` with position -1 (about the source, not an item) and no `SourceDone`; the
stream goes on with the next source. Nothing raises out of `stream_sources` for bad input.

Fetching (feeds, sitemaps, their articles, URL lists) is polite and bounded (`PolitePolicy`):
article pages of one source are fetched concurrently, and handed back in position order, a
bounded window of them at a time.
"""

from __future__ import annotations

import gzip
import os
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

from .._exceptions import InputError, UnsupportedInput
from .._models import Article, Skipped
from ._fetch import MEDIA_KINDS, Fetcher
from ._identity import canonical_url
from ._polite import PoliteFetcher, PolitePolicy, Response
from ._sources import SUFFIX_KINDS, RawDocument, _read_file, expand, is_url
from .dumps import FieldMapping, read_dump
from .feeds import FeedEntry, looks_like_feed, read_feed
from .records import Record, parse_records
from .sitemaps import SitemapEntry, looks_like_sitemap, read_sitemap
from .urls import looks_like_url_list, read_urls
from .warc import WarcCounts, looks_like_warc, read_warc

__all__ = [
    "FieldMapping", "Failed", "Pending", "PolitePolicy", "SourceDone", "finish", "source_kind", "stream_sources",
]

Validators = tuple["str | None", "str | None"]  # (ETag, Last-Modified)


@dataclass
class Pending:
    """One unit of work for `finish`, picklable: a raw document (a page, a file, a WARC record) or
    a JSON record, with what the listing said about it (feed entry, Google News sitemap)."""

    origin: str  # the SOURCE string the user gave
    position: int  # order within the origin: 0, 1, 2...
    item: RawDocument | Record
    url: str | None = None  # the article's address as listed (feed link, sitemap <loc>, WARC target)
    title: str | None = None
    published: str | None = None
    author: str | None = None
    outlet: str | None = None


@dataclass
class Failed:
    """A bad item (position >= 0), or a source (or part of one: a child sitemap) that could not be
    read (position -1)."""

    origin: str
    position: int
    skipped: Skipped


@dataclass
class SourceDone:
    """The source was read to its end."""

    origin: str
    items: int  # positions used (0..items-1), whether yielded, resumed past, known or passed over
    validators: dict[str, Validators] = field(default_factory=dict)  # url -> (ETag, Last-Modified), feeds/sitemaps
    known: int = 0  # articles not fetched or yielded because known_url said they are stored
    not_modified: bool = False  # the feed or sitemap answered 304: nothing new since the last run
    passed_over: dict[str, int] = field(default_factory=dict)  # reason -> count (WARC records, duplicates, caps)


def _never(canonical: str) -> bool:
    return False


# -- what a source is ------------------------------------------------------------------------

_WARC_SUFFIXES = (".warc", ".warc.gz")
_DUMP_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
_XML_SUFFIXES = (".xml", ".rss", ".atom", ".rdf")
_HTML_HEAD = re.compile(rb"<(?:!doctype\s+html|html)\b", re.IGNORECASE)


def source_kind(source: str | os.PathLike, *, fetcher: Fetcher | None = None) -> str:
    """What a SOURCE is: "feed", "sitemap", "warc", "dump", "urls" or "files" (anything `compare`
    takes: files, folders, article URLs, "-"). Files are told by suffix and by their first KB; a
    URL is fetched once (with `fetcher`, default policy otherwise) and told by what it serves. A
    source that cannot be read is "files" (reading it then names the problem)."""
    source = os.fspath(source)
    if source == "-":
        return "files"
    if is_url(source):
        kind = _url_suffix_kind(source)
        if kind:
            return kind
        polite = PoliteFetcher(fetcher or Fetcher(), PolitePolicy(delay=0))
        try:
            response = polite.get(source, listing=True)
            return _body_kind(_ungzip_head(response.data)) or "files"
        except InputError:
            return "files"
        finally:
            polite.close()
    return _local_kind(source)


def _suffix(name: str) -> str:
    name = name.lower()
    for suffix in _WARC_SUFFIXES + _DUMP_SUFFIXES:
        if name.endswith(suffix):
            return suffix
    return os.path.splitext(name[:-3] if name.endswith(".gz") else name)[1]


def _url_suffix_kind(url: str) -> str | None:
    try:
        suffix = _suffix(urlsplit(url).path)
    except ValueError:
        return None
    if suffix in _WARC_SUFFIXES:
        return "warc"
    if suffix in _DUMP_SUFFIXES:
        return "dump"
    return None


def _local_kind(source: str) -> str:
    path = Path(source).expanduser()
    try:
        if not path.is_file():
            return "files"
    except OSError:
        return "files"
    suffix = _suffix(path.name)
    if suffix in _WARC_SUFFIXES:
        return "warc"
    if suffix in _DUMP_SUFFIXES:
        return "dump"
    head = _file_head(path)
    if looks_like_warc(head):
        return "warc"
    if suffix == ".txt":
        return "urls" if looks_like_url_list(path) else "files"
    if suffix in SUFFIX_KINDS and suffix not in _XML_SUFFIXES:
        return "files"  # an article file: html, text, markdown, json
    return _body_kind(head) or "files"


def _file_head(path: Path, size: int = 4096) -> bytes:
    try:
        with path.open("rb") as handle:
            head = handle.read(size)
        if head.startswith(b"\x1f\x8b"):
            with gzip.open(path, "rb") as handle:
                head = handle.read(size)
    except (OSError, EOFError):
        return b""
    return head


def _ungzip_head(data: bytes, size: int = 4096) -> bytes:
    if not data.startswith(b"\x1f\x8b"):
        return data[:size]
    import zlib

    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data, size)
    except zlib.error:
        return b""


def _body_kind(head: bytes) -> str | None:
    """"sitemap" or "feed" from a document's first bytes (decompressed), else None."""
    if _HTML_HEAD.search(head[:1024]):
        return None  # a web page (that may well link to its feed)
    if looks_like_sitemap(head):
        return "sitemap"
    if looks_like_feed(head):
        return "feed"
    return None


# -- the stream ------------------------------------------------------------------------------


def stream_sources(
    sources: Sequence[str | os.PathLike],
    *,
    options=None,  # IngestOptions
    fetcher: Fetcher | None = None,
    start: Mapping[str, int] = {},  # noqa: B006 (read only)
    validators: Mapping[str, Validators] = {},  # noqa: B006 (read only)
    known_url: Callable[[str], bool] = _never,
    mapping: FieldMapping | None = None,
    policy: PolitePolicy | None = None,
) -> Iterator[Pending | Failed | SourceDone]:
    """Read each source to its end, in order, yielding its items in position order (see the
    module's docstring).

    `options`: an `IngestOptions` (size caps; its `fetch` policy when no `fetcher` is given).
    `start`: origin -> first position still to do (resume). `validators`: url -> (ETag,
    Last-Modified) of feeds and sitemaps from the last run, sent as conditional requests.
    `known_url(canonical_url)`: True when that article is stored already: it is neither fetched nor
    yielded (it is called from the consuming thread only). `mapping`: field names for dumps.
    `policy`: concurrency and pacing of fetches (`PolitePolicy()` by default)."""
    if isinstance(sources, (str, bytes, os.PathLike)):
        raise TypeError("stream_sources() takes a list of sources, not one")
    if options is None:
        from . import IngestOptions

        options = IngestOptions()
    run = _Run(options, fetcher or Fetcher(options.fetch), start, validators, known_url, mapping, policy or PolitePolicy())
    try:
        for source in sources:
            origin = os.fspath(source)
            try:
                yield from run.source(origin)
            except InputError as error:
                yield Failed(origin, -1, Skipped(error.source, error.reason))
            except Exception as exc:  # noqa: BLE001 (one bad source must not end a corpus run)
                yield Failed(origin, -1, Skipped(origin, f"could not be read ({type(exc).__name__}: {_one_line(exc)})"))
    finally:
        run.close()


def _one_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0][:200] if lines else ""


class _Run:
    def __init__(self, options, fetcher, start, validators, known_url, mapping, policy):
        self.options = options
        self.fetcher = fetcher
        self.start = start
        self.validators = validators
        self.known_url = known_url
        self.mapping = mapping
        self.polite = PoliteFetcher(fetcher, policy)
        self.seen: set[str] = set()  # canonical URLs fetched in this run
        self.exclude = frozenset(str(Path(p).expanduser().resolve()) for p in options.exclude)

    def close(self) -> None:
        self.polite.close()

    def source(self, origin: str) -> Iterator[Pending | Failed | SourceDone]:
        if origin == "-":
            yield from self.files(origin)
        elif is_url(origin):
            yield from self.url(origin)
        else:
            kind = _local_kind(origin)
            if kind == "warc":
                yield from self.warc(origin)
            elif kind == "dump":
                yield from self.dump(origin)
            elif kind == "urls":
                yield from self.url_list(origin)
            elif kind in ("feed", "sitemap"):
                document = _read_file(Path(origin).expanduser(), origin, self.options.max_bytes)  # gunzipped
                if isinstance(document, InputError):
                    raise document
                if kind == "feed":
                    yield from self.feed(origin, document.data, None, {})
                else:
                    yield from self.sitemap(origin, document.data, None, {})
            else:
                yield from self.files(origin)

    # -- URLs: a feed, a sitemap or an article page -----------------------------------------

    def url(self, origin: str) -> Iterator[Pending | Failed | SourceDone]:
        kind = _url_suffix_kind(origin)
        if kind:
            raise UnsupportedInput(origin, f"a {'WARC file' if kind == 'warc' else 'dump'} is read from a local file: download it first")
        canonical = canonical_url(origin)
        if canonical and self.known_url is not _never and self.known_url(canonical):
            yield SourceDone(origin, 1, {}, known=1)  # an article page stored already
            return
        previous = self.validators.get(origin)
        response = self.polite.get(origin, listing=True, validators=previous)
        seen = _validators_of(origin, response)
        if response.status == 304:
            yield SourceDone(origin, 0, seen or {origin: tuple(previous)}, not_modified=True)
            return
        kind = _body_kind(_ungzip_head(response.data))
        if kind == "feed":
            yield from self.feed(origin, response.data, response.url, seen)
        elif kind == "sitemap":
            yield from self.sitemap(origin, response.data, response.url, seen)
        else:
            yield from self.page(origin, response)

    def page(self, origin: str, response: Response) -> Iterator[Pending | Failed | SourceDone]:
        media = response.media_type
        if media and media not in MEDIA_KINDS and not media.endswith("+xml"):
            raise UnsupportedInput(origin, f"the server sent {media}, not a feed, a sitemap or a web page")
        document = RawDocument(origin, response.data, MEDIA_KINDS.get(media or "", "auto"), url=response.url, charset=response.charset)
        position = 0
        first = self.start.get(origin, 0)
        for item in _items(document):
            if position >= first:
                yield self._event(origin, position, item)
            position += 1
        yield SourceDone(origin, position)

    # -- listings: feeds and sitemaps ---------------------------------------------------------

    def feed(self, origin: str, data: bytes, base_url: str | None, seen: dict) -> Iterator[Pending | Failed | SourceDone]:
        entries = read_feed(data, origin, base_url=base_url)
        tally = _Tally()

        def listed() -> Iterator[tuple[int, FeedEntry | Failed]]:
            for position, entry in enumerate(entries):
                if entry.url:
                    yield position, entry
                else:
                    yield position, Failed(origin, position, Skipped(f"{origin} entry {position + 1}", "the feed entry has no link"))

        yield from self._fetch_listed(origin, listed(), tally)
        yield SourceDone(origin, len(entries), seen, known=tally.known, passed_over=dict(tally.passed_over))

    def sitemap(self, origin: str, data: bytes, url: str | None, seen: dict) -> Iterator[Pending | Failed | SourceDone]:
        tally = _Tally()
        policy = self.polite.policy
        count = 0
        sitemaps_read = 0

        def walk(data: bytes, name: str, depth: int) -> Iterator[SitemapEntry | Failed]:
            nonlocal sitemaps_read
            urls = 0
            for entry in read_sitemap(data, name, max_bytes=self.options.max_bytes):
                if not entry.child:
                    urls += 1
                    if urls > policy.max_urls_per_sitemap:
                        tally.passed_over[f"over the cap of {policy.max_urls_per_sitemap:,} URLs in one sitemap"] += 1
                        continue
                    yield entry
                    continue
                if depth >= policy.max_sitemap_depth:
                    tally.passed_over["sitemap indexes nested too deep"] += 1
                    continue
                if sitemaps_read >= policy.max_sitemaps:
                    tally.passed_over[f"over the cap of {policy.max_sitemaps:,} child sitemaps"] += 1
                    continue
                sitemaps_read += 1
                try:
                    response = self.polite.get(entry.url, listing=True, validators=self.validators.get(entry.url))
                    seen.update(_validators_of(entry.url, response))
                    if response.status == 304:
                        tally.passed_over["child sitemaps not modified"] += 1
                        if entry.url not in seen and self.validators.get(entry.url):
                            seen[entry.url] = tuple(self.validators[entry.url])
                        continue
                    yield from walk(response.data, entry.url, depth + 1)
                except InputError as error:
                    yield Failed(origin, -1, Skipped(error.source, f"child sitemap: {error.reason}"))

        def listed() -> Iterator[tuple[int, SitemapEntry | Failed]]:
            nonlocal count
            for entry in walk(data, url or origin, 0):
                if isinstance(entry, Failed):
                    yield -1, entry
                else:
                    yield count, entry
                    count += 1

        yield from self._fetch_listed(origin, listed(), tally)
        yield SourceDone(origin, count, seen, known=tally.known, passed_over=dict(tally.passed_over))

    def url_list(self, origin: str) -> Iterator[Pending | Failed | SourceDone]:
        tally = _Tally()
        count = 0

        def listed():
            nonlocal count
            for position, item in read_urls(Path(origin).expanduser(), origin):
                count = position + 1
                if isinstance(item, InputError):
                    yield position, Failed(origin, position, Skipped(item.source, item.reason))
                else:
                    yield position, FeedEntry(url=item)

        yield from self._fetch_listed(origin, listed(), tally)
        yield SourceDone(origin, count, {}, known=tally.known, passed_over=dict(tally.passed_over))

    def _fetch_listed(self, origin: str, listed, tally: _Tally) -> Iterator[Pending | Failed]:
        """Fetch the articles of a listing concurrently; events in position order. Resume, known
        and duplicate URLs are sorted out here, in the consuming thread, before any fetch."""
        first = self.start.get(origin, 0)

        def jobs():
            for position, entry in listed:
                if isinstance(entry, Failed):
                    if position < 0 or position >= first:
                        yield position, entry
                    continue
                if position < first:
                    continue
                canonical = canonical_url(entry.url)
                if canonical is None:
                    yield position, Failed(origin, position, Skipped(entry.url, "not a web address (http or https)"))
                    continue
                if self.known_url is not _never and self.known_url(canonical):
                    tally.known += 1
                    continue
                if canonical in self.seen:
                    tally.passed_over["listed twice"] += 1
                    continue
                self.seen.add(canonical)
                yield position, partial(self._fetch_article, origin, position, entry)

        for _position, event in self.polite.ordered(jobs()):
            yield event

    def _fetch_article(self, origin: str, position: int, entry: FeedEntry | SitemapEntry) -> Pending | Failed:
        """Runs on a fetch thread."""
        url = entry.url
        try:
            response = self.polite.get(url)
        except InputError as error:
            return Failed(origin, position, Skipped(url, error.reason))
        except Exception as exc:  # noqa: BLE001
            return Failed(origin, position, Skipped(url, f"could not fetch ({type(exc).__name__}: {_one_line(exc)})"))
        document = RawDocument(url, response.data, MEDIA_KINDS.get(response.media_type or "", "auto"), url=response.url, charset=response.charset)
        return Pending(
            origin, position, document, url=url, title=entry.title, published=entry.published,
            author=getattr(entry, "author", None), outlet=entry.outlet,
        )

    # -- files: WARC, dumps, anything compare takes -------------------------------------------

    def warc(self, origin: str) -> Iterator[Pending | Failed | SourceDone]:
        counts = WarcCounts()
        items = known = 0
        try:
            handle = open(Path(origin).expanduser(), "rb")  # noqa: SIM115
        except OSError as exc:
            raise InputError(origin, f"cannot be read ({exc.strerror or exc})") from None
        with handle:
            for position, document in read_warc(handle, origin, max_bytes=self.options.max_bytes, start=self.start.get(origin, 0), counts=counts):
                items = position + 1
                if document is None:
                    continue
                if self._known(document.url):
                    known += 1
                    continue
                yield Pending(origin, position, document, url=document.url)
        yield SourceDone(origin, items, {}, known=known, passed_over=dict(counts.passed_over))

    def dump(self, origin: str) -> Iterator[Pending | Failed | SourceDone]:
        items = known = 0
        path = Path(origin).expanduser()
        for position, record in read_dump(path, origin, max_line_bytes=self.options.max_bytes, mapping=self.mapping, start=self.start.get(origin, 0)):
            items = position + 1
            if record is None:
                continue
            if isinstance(record, InputError):
                yield Failed(origin, position, Skipped(record.source, record.reason))
            elif self._known(record.url):
                known += 1
            else:
                yield Pending(origin, position, record)
        yield SourceDone(origin, items, {}, known=known)

    def files(self, origin: str) -> Iterator[Pending | Failed | SourceDone]:
        first = self.start.get(origin, 0)
        position = 0
        for document in expand(origin, max_bytes=self.options.max_bytes, fetcher=self.fetcher, exclude=self.exclude):
            if position == 0 and isinstance(document, InputError) and document.source == origin:
                raise document  # the source itself (missing, unreadable, an empty folder): no item, no SourceDone
            for item in _items(document):
                if position >= first:
                    yield self._event(origin, position, item)
                position += 1
        yield SourceDone(origin, position)

    def _event(self, origin: str, position: int, item: RawDocument | Record | InputError) -> Pending | Failed:
        if isinstance(item, InputError):
            return Failed(origin, position, Skipped(item.source, item.reason))
        return Pending(origin, position, item, url=item.url)

    def _known(self, url: str | None) -> bool:
        if self.known_url is _never or not url:
            return False
        canonical = canonical_url(url)
        return bool(canonical) and self.known_url(canonical)


@dataclass
class _Tally:
    known: int = 0
    passed_over: Counter = field(default_factory=Counter)


def _validators_of(url: str, response: Response) -> dict[str, Validators]:
    if response.etag or response.last_modified:
        return {url: (response.etag, response.last_modified)}
    return {}


def _items(document: RawDocument | InputError) -> Iterator[RawDocument | Record | InputError]:
    """A document as work items: a JSON or JSON-lines document is one item per record (so that
    each item is one article), anything else is itself."""
    if isinstance(document, InputError):
        yield document
        return
    kind = document.kind
    if kind == "auto" and document.data.lstrip()[:1] in (b"{", b"["):
        kind = "json?"
    if kind not in ("json", "jsonl", "json?"):
        yield document
        return
    from . import sniff
    from ._decode import decode

    try:
        text, _ = decode(document.data, document.source, declared=document.charset)
    except InputError as error:
        yield error
        return
    if kind == "json?":
        kind = sniff(text)
        if kind not in ("json", "jsonl"):
            yield document
            return
    yield from parse_records(text, document.source, lines=kind == "jsonl")


# -- finishing one item (in a worker) --------------------------------------------------------


def _is_host(outlet: str, url: str | None) -> bool:
    try:
        host = (urlsplit(url or "").hostname or "").lower()
    except ValueError:
        return False
    return bool(host) and outlet.strip().lower().removeprefix("www.") == host.removeprefix("www.")


def finish(pending: Pending, options) -> Article | Skipped:
    """The `Article` a pending item holds, or why it holds none. Pure and picklable: runs in a
    worker process. Decodes, extracts (HTML) or cleans (copied text, without the cross-document
    repeated-line learning of `compare`), fills title, url, published, author and outlet from the
    listing where the page gave none (and the outlet also where the page's is only its host name),
    and checks the length. Never raises for bad content."""
    from . import _check_length, _from_copied_text, _from_record, _parse
    from ._dates import normalize_date

    item = pending.item
    source = getattr(item, "source", None) or pending.url or pending.origin
    try:
        if isinstance(item, Record):
            drafts = [_from_record(item, 0, "utf-8")]
        else:
            drafts = _parse(item, 0)
        if not drafts:
            return Skipped(source, "a report storydiff wrote (its own output), not an article")
        draft = drafts[0]
        if isinstance(draft, Skipped):
            return draft
        article = draft.article or _from_copied_text(draft, frozenset())
        if draft.given is not None:
            article.outlet = draft.given.outlet or article.outlet
            article.title = draft.given.title or article.title
            article.published = draft.given.published or article.published
        article.title = article.title or pending.title
        article.url = article.url or pending.url
        article.published = article.published or normalize_date(pending.published)
        article.author = article.author or pending.author
        if pending.outlet and (not article.outlet or _is_host(article.outlet, article.url or pending.url)):
            article.outlet = pending.outlet  # a listing's name beats a host name guessed for the page
        article.encoding = article.encoding or draft.encoding
        if draft.encoding_note:
            article.warnings.append(draft.encoding_note)
        if len(drafts) > 1:
            article.warnings.append(f"the document holds {len(drafts)} articles; only the first was read")
        _check_length(article, options.min_words, options.max_words)
        return article
    except InputError as error:
        return Skipped(error.source, error.reason)
    except RecursionError:
        return Skipped(source, "nested too deeply to be read")
    except Exception as exc:  # noqa: BLE001 (a parser's surprise on one page must not stop a corpus run)
        return Skipped(source, f"could not be read ({type(exc).__name__}: {_one_line(exc)})")
