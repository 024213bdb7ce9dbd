"""Polite, bounded, concurrent fetching for corpus ingestion (feeds, sitemaps, URL lists).

`PoliteFetcher` wraps a `Fetcher` and keeps all of its checks (the private-address guard unless
`allow_private`, the size cap, the overall timeout per URL, the redirect cap, the user agent), and
adds what polling many URLs of a few sites needs:

- conditional GET: If-None-Match / If-Modified-Since from the validators of the last run; a 304
  comes back as `Response(status=304)`, and each response carries its ETag and Last-Modified;
- per-host concurrency, total concurrency and a minimum delay between two requests to one host;
- 429 and 503 back the whole host off (Retry-After in seconds or as an HTTP date, else a growing
  default), a bounded number of times, each wait capped;
- `ordered()`: run jobs on a thread pool, a bounded window of them in flight, and hand back the
  results in submission order (memory stays bounded whatever the length of the list).

Each request is `Fetcher.fetch` itself (the same hops, checks and caps), on one pooled client,
with the conditional headers and `throttled=True`.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import urlsplit

from .._exceptions import FetchError
from ._fetch import PAGE_ACCEPT, Fetcher, Throttled

if TYPE_CHECKING:
    import httpx

T = TypeVar("T")
K = TypeVar("K")

LISTING_ACCEPT = (
    "application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,"
    "text/html;q=0.8,application/xhtml+xml;q=0.8,*/*;q=0.1"
)
# What a feed, a sitemap or a (gzipped) sitemap may be served as, besides the page types.
LISTING_TYPES = frozenset({
    "application/xml", "text/xml", "application/rss+xml", "application/atom+xml", "application/rdf+xml",
    "application/gzip", "application/x-gzip", "application/octet-stream", "binary/octet-stream",
})


@dataclass(frozen=True)
class PolitePolicy:
    """How hard corpus ingestion may pull on the sites it reads. Timeouts and size caps are the
    `FetchPolicy`'s; this adds concurrency, pacing and limits on listings."""

    per_host: int = 2  # requests in flight to one host
    total: int = 8  # requests in flight overall (threads)
    delay: float = 0.5  # seconds between the starts of two requests to one host
    retries: int = 2  # times a 429/503 is retried (the host is backed off each time)
    backoff: float = 2.0  # first wait after a 429/503 without Retry-After; doubles each time
    max_backoff: float = 60.0  # the longest wait honoured; a longer Retry-After gives up at once
    window: int = 32  # fetched pages held at most, waiting to be handed back in order
    max_urls_per_sitemap: int = 50_000  # the sitemap protocol's own limit
    max_sitemap_depth: int = 2  # index -> index -> sitemap; deeper indexes are not followed
    max_sitemaps: int = 1_000  # child sitemaps read for one source

    def __post_init__(self) -> None:
        for name in ("per_host", "total", "window", "max_urls_per_sitemap", "max_sitemaps"):
            if getattr(self, name) < 1:
                raise ValueError(f"PolitePolicy.{name} must be at least 1")
        for name in ("delay", "backoff", "max_backoff", "retries", "max_sitemap_depth"):
            if getattr(self, name) < 0:
                raise ValueError(f"PolitePolicy.{name} must not be negative")


@dataclass(frozen=True)
class Response:
    url: str  # after redirects
    status: int  # 200 (any 2xx) or 304
    data: bytes  # empty for a 304
    media_type: str | None
    charset: str | None
    etag: str | None
    last_modified: str | None


class _Host:
    def __init__(self, slots: int) -> None:
        self.slots = threading.BoundedSemaphore(slots)
        self.lock = threading.Lock()
        self.next_at = 0.0  # monotonic time the next request may start
        self.blocked_until = 0.0  # set by 429/503


class PoliteFetcher:
    """Fetches under a `Fetcher`'s policy and a `PolitePolicy`. Thread-safe; close() when done."""

    def __init__(self, fetcher: Fetcher, policy: PolitePolicy | None = None) -> None:
        self.fetcher = fetcher
        self.policy = policy or PolitePolicy()
        self._hosts: dict[str, _Host] = {}
        self._hosts_lock = threading.Lock()
        self._total = threading.BoundedSemaphore(self.policy.total)
        self._client: httpx.Client | None = None
        self._client_lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None

    # -- one URL -----------------------------------------------------------------------------

    def get(
        self, url: str, *, listing: bool = False, validators: tuple[str | None, str | None] | None = None
    ) -> Response:
        """GET one URL politely. `listing`: a feed or sitemap (XML and gzip are accepted), else an
        article page (the media types `Fetcher` accepts). `validators`: (ETag, Last-Modified) of
        the last run, sent as If-None-Match / If-Modified-Since. Raises FetchError/InputTooLarge."""
        host = self._host(url)
        policy = self.policy
        attempt = 0
        with host.slots:
            while True:
                self._wait_turn(host)
                with self._total:
                    status, result, retry_after = self._request(url, listing, validators)
                if result is not None:
                    return result
                wait = retry_after if retry_after is not None else policy.backoff * (2**attempt)
                reason = "429 Too Many Requests" if status == 429 else "503 Service Unavailable"
                if wait > policy.max_backoff:
                    raise FetchError(url, f"HTTP {reason}: the server asks to wait {wait:g} s, more than the cap of {policy.max_backoff:g} s")
                if attempt >= policy.retries:
                    raise FetchError(url, f"HTTP {reason} (still refused after {attempt} retr{'y' if attempt == 1 else 'ies'})")
                with host.lock:
                    host.blocked_until = max(host.blocked_until, time.monotonic() + wait)
                attempt += 1

    def _host(self, url: str) -> _Host:
        try:
            parts = urlsplit(url)
            key = f"{(parts.hostname or '').lower()}:{parts.port or ''}"
        except ValueError:
            key = ""
        with self._hosts_lock:
            host = self._hosts.get(key)
            if host is None:
                host = self._hosts[key] = _Host(self.policy.per_host)
            return host

    def _wait_turn(self, host: _Host) -> None:
        with host.lock:
            now = time.monotonic()
            at = max(now, host.next_at, host.blocked_until)
            host.next_at = at + self.policy.delay
        if at > now:
            time.sleep(at - now)

    def client(self) -> httpx.Client:
        import httpx

        with self._client_lock:
            if self._client is None:
                self._client = self.fetcher.client(
                    limits=httpx.Limits(max_connections=self.policy.total + 2, max_keepalive_connections=self.policy.total)
                )
            return self._client

    def _request(self, url: str, listing: bool, validators) -> tuple[int, Response | None, float | None]:
        """(status, response, Retry-After): a response, or a 429/503 to back off from."""
        headers = {"Accept": LISTING_ACCEPT if listing else PAGE_ACCEPT}
        etag, modified = validators or (None, None)
        if etag:
            headers["If-None-Match"] = etag
        if modified:
            headers["If-Modified-Since"] = modified
        try:
            page = self.fetcher.fetch(
                url, headers=headers, also_accept=LISTING_TYPES if listing else frozenset(),
                wanted="a feed, a sitemap or a web page" if listing else "a web page or text",
                client=self.client(), throttled=True,
            )
        except Throttled as busy:
            return busy.status, None, busy.retry_after
        if page.status == 304:  # a server may leave the validators out of a 304: keep the old ones
            etag, modified = page.etag or etag, page.last_modified or modified
        else:
            etag, modified = page.etag, page.last_modified
        return page.status, Response(page.url, page.status, page.data, page.media_type, page.charset, etag, modified), None

    # -- many jobs, in order -----------------------------------------------------------------

    def ordered(self, jobs: Iterable[tuple[K, Callable[[], T] | T]]) -> Iterator[tuple[K, T]]:
        """Run `(key, job)` pairs on the pool, at most `window` in flight, and yield `(key, result)`
        in the order given. A job that is not callable is a result already (nothing to run).
        Closing the iterator early cancels what has not started."""
        pending: deque[tuple[K, Future]] = deque()
        window = self.policy.window
        try:
            for key, job in jobs:
                if callable(job):
                    future = self._executor().submit(job)
                else:
                    future = Future()
                    future.set_result(job)
                pending.append((key, future))
                while len(pending) >= window or (pending and pending[0][1].done()):
                    key0, done = pending.popleft()
                    yield key0, done.result()
            while pending:
                key0, done = pending.popleft()
                yield key0, done.result()
        finally:
            for _, future in pending:
                future.cancel()

    def _executor(self) -> ThreadPoolExecutor:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=self.policy.total, thread_name_prefix="storydiff-fetch")
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            # Not waiting: a job still running (a slow host) ends on its own timeout, unread.
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
        if self._client is not None:
            self._client.close()
            self._client = None


