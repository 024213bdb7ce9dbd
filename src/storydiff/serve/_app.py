"""The web app: FastAPI routes for the pages and the HTTP API, over one corpus store.

Reading (lists, stories, articles, kept comparisons) happens in the server, one SQLite connection
per thread; anything slow (comparing, fetching, ingesting) is a job for the worker process
(`_jobs.py`), so pages stay quick while it runs. Rendered comparisons are cached by what they
were made from: a story page is a store read and a dictionary look-up once it has been compared.
"""

from __future__ import annotations

import ipaddress
import threading
import time
from collections import OrderedDict
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .._exceptions import InvalidArgument, NotEnoughArticles, NotFound, StorydiffError
from ._guard import Guard
from ._jobs import Busy, JobBoard

MB = 1024 * 1024
SUMMARY_SECONDS = 5.0


@dataclass(frozen=True)
class ServeSettings:
    """How `storydiff serve` runs. `hosts` are the Host headers answered (None: any, which only a
    server with a token may do); `fetch_private` lets jobs fetch private and loopback addresses,
    for tests and trusted setups only (the CLI never sets it)."""

    db: Path
    token: str | None = None
    hosts: frozenset[str] | None = None
    fetch_private: bool = False
    max_file: int = 5 * MB  # each uploaded file
    max_body: int = 25 * MB  # a whole request
    max_articles: int = 8  # articles in one compare from the page or the API
    max_sources: int = 50  # URLs in one ingest job
    fetch_timeout: float = 20.0
    fetch_max_bytes: int = 5 * MB
    start_worker: bool = True  # start the job worker (and load its models) with the server


def loopback_hosts(port: int) -> frozenset[str]:
    """The Host headers a browser sends to a server on loopback at `port`."""
    return frozenset({f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"})


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass
class _State:
    settings: ServeSettings
    board: JobBoard
    local: threading.local = field(default_factory=threading.local)
    cache: OrderedDict = field(default_factory=OrderedDict)  # rendered comparisons
    cache_lock: threading.Lock = field(default_factory=threading.Lock)
    summary_at: tuple[float, dict] | None = None
    spreads: dict = field(default_factory=dict)  # (story, articles) -> spread
    spread_lock: threading.Lock = field(default_factory=threading.Lock)

    def corpus(self):
        """This thread's connection to the store."""
        corpus = getattr(self.local, "corpus", None)
        if corpus is None:
            from ..corpus import Corpus

            corpus = self.local.corpus = Corpus(self.settings.db)
        return corpus

    def summary(self) -> dict:
        """The store's counts, at most SUMMARY_SECONDS old (seven counts over every article)."""
        now = time.monotonic()
        with self.cache_lock:
            if self.summary_at is not None and now - self.summary_at[0] < SUMMARY_SECONDS:
                return self.summary_at[1]
        counts = self.corpus().summary()
        with self.cache_lock:
            self.summary_at = (now, counts)
        return counts

    def spread(self, rows) -> dict[int, float]:
        """`Corpus.spread` of these stories, each computed once for its number of articles."""
        wanted = {(r.id, r.articles) for r in rows if r.voices > 1}
        with self.cache_lock:
            missing = [story for story, n in wanted if (story, n) not in self.spreads]
        if missing:
            # One computation at a time: requests for the same page arriving together wait for
            # the first instead of each reading the same vectors (a burst after a start).
            with self.spread_lock:
                with self.cache_lock:
                    missing = [story for story, n in wanted if (story, n) not in self.spreads]
                found = self.corpus().spread(missing) if missing else {}
                counts = dict(wanted)
                with self.cache_lock:
                    for story in missing:
                        self.spreads[(story, counts[story])] = found.get(story)
                    while len(self.spreads) > 50_000:
                        self.spreads.pop(next(iter(self.spreads)))
        with self.cache_lock:
            return {story: self.spreads[(story, n)] for story, n in wanted if self.spreads.get((story, n)) is not None}

    def forget(self, key) -> None:
        with self.cache_lock:
            self.cache.pop(key, None)

    def cached(self, key, make):
        with self.cache_lock:
            if key in self.cache:
                self.cache.move_to_end(key)
                return self.cache[key]
        value = make()
        with self.cache_lock:
            self.cache[key] = value
            while len(self.cache) > 64:
                self.cache.popitem(last=False)
        return value


def create_app(settings: ServeSettings):
    """The ASGI app for `settings`, with its middleware."""
    from fastapi import FastAPI, Request
    from fastapi.responses import HTMLResponse, JSONResponse

    from .._version import __version__
    from ..corpus import Corpus

    Corpus(settings.db).close()  # create the store now if missing; a bad file fails here, not on a page
    board = JobBoard(fetch_private=settings.fetch_private)
    state = _State(settings, board)

    @asynccontextmanager
    async def lifespan(app):
        if settings.start_worker:
            board.start()
        yield
        board.close()

    app = FastAPI(
        title="storydiff",
        version=__version__,
        description=(
            "Browse the stories of a storydiff corpus and compare news articles. Slow work (comparing, "
            "ingesting) runs as a job: start it, then poll `GET /api/jobs/{id}`. Comparisons follow "
            "storydiff's documented JSON schema (`Comparison` below)."
        ),
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.storydiff = state

    from . import _api, _pages

    app.include_router(_api.router)
    app.include_router(_pages.router)
    _api.add_comparison_schema(app)

    def wants_html(request: Request) -> bool:
        return not request.url.path.startswith("/api/") and request.url.path != "/openapi.json"

    def error(request: Request, status: int, message: str, headers: dict | None = None):
        if wants_html(request):
            return HTMLResponse(_pages.error_page(request, status, message), status_code=status, headers=headers)
        return JSONResponse({"error": message}, status_code=status, headers=headers)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound):
        return error(request, 404, str(exc))

    @app.exception_handler(Busy)
    async def busy(request: Request, exc: Busy):
        return error(request, 503, str(exc), {"Retry-After": "10"})

    @app.exception_handler(NotEnoughArticles)
    async def not_enough(request: Request, exc: NotEnoughArticles):
        return error(request, 409, str(exc))

    @app.exception_handler(InvalidArgument)
    async def invalid(request: Request, exc: InvalidArgument):
        return error(request, 400, str(exc))

    @app.exception_handler(StorydiffError)
    async def storydiff_error(request: Request, exc: StorydiffError):
        return error(request, 400, str(exc))

    from fastapi.exceptions import RequestValidationError
    from starlette.exceptions import HTTPException

    @app.exception_handler(RequestValidationError)
    async def validation(request: Request, exc: RequestValidationError):
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:]) or 'request'}: {e['msg']}" for e in exc.errors())
        return error(request, 422, f"the request is not valid: {problems}")

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        message = exc.detail if isinstance(exc.detail, str) else "request refused"
        if exc.status_code == 404 and message == "Not Found":
            message = f"nothing at {request.url.path}"
        return error(request, exc.status_code, message, getattr(exc, "headers", None))

    hosts = settings.hosts
    return Guard(app, hosts=hosts, token=settings.token, max_body=settings.max_body)


def state_of(request) -> _State:
    return request.app.state.storydiff
