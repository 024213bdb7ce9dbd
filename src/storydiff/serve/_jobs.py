"""Long work for the web app (comparing articles, comparing a stored story, ingesting), done in
one worker process beside the server.

Why a process and not a thread: comparing is seconds of CPU work that holds the GIL; in a thread
it would stall every page the server answers meanwhile. One worker takes the jobs first come,
first served and keeps its models loaded between them. Jobs live in the server's memory: a page
can be left and come back to while the server runs (its address names the job). The worker
process is started again if it dies; the job it was running is marked failed, the queued ones
are handed to the new worker.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import queue
import secrets
import sys
import threading
import time
import traceback
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from .._exceptions import NotFound, StorydiffError

# Finished jobs kept for their pages and results; the oldest finished ones go first.
KEPT_JOBS = 50
# Jobs waiting at once; beyond this a new one is refused (the server stays answerable).
MAX_WAITING = 20
PROGRESS_LINES = 50


MAX_STARTS_A_MINUTE = 3


WEB_INGEST_SECONDS = 30 * 60  # one ingest job from the web app
WEB_MAX_URLS_PER_SITEMAP = 2_000
WEB_MAX_SITEMAPS = 20


class Busy(StorydiffError):
    """Too many jobs are waiting: try again later."""


class WorkerFailing(Busy):
    """The worker process keeps dying (a broken install): jobs cannot run."""


@dataclass
class Job:
    id: str
    kind: str  # "compare", "story" or "ingest"
    label: str  # what it is about, for its page
    status: str = "queued"  # queued, running, done, failed
    progress: list[str] = field(default_factory=list)
    message: str | None = None  # why it failed
    result: Any = None  # compare: the comparison's JSON; story: the story id; ingest: the report
    notes: list[str] = field(default_factory=list)  # inputs left out before the job started
    created: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None
    story: int | None = None

    @property
    def ended(self) -> bool:
        return self.status in ("done", "failed")

    def public(self) -> dict:
        return {
            "id": self.id, "kind": self.kind, "label": self.label, "status": self.status,
            "progress": self.progress[-10:], "message": self.message, "notes": self.notes,
            "created": _iso(self.created), "started": _iso(self.started), "finished": _iso(self.finished),
            "story": self.story,
        }


def _iso(moment: float | None) -> str | None:
    if moment is None:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(moment))


class JobBoard:
    """Submits jobs to the worker process and keeps their state, read by the pages and the API."""

    def __init__(self, *, fetch_private: bool = False) -> None:
        self.fetch_private = fetch_private
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._context = multiprocessing.get_context("spawn")  # no fork of a threaded server
        self._process = None
        self._tasks = None
        self._events = None
        self._reader: threading.Thread | None = None
        self._closing = threading.Event()
        self._pending: dict[str, tuple] = {}  # job id -> task, until the worker reports it ended
        self._starts: list[float] = []  # when the worker was started, to stop a crash loop

    # -- the worker ---------------------------------------------------------------------------

    def start(self) -> None:
        """Start the worker (and have it load its models) before the first job needs it."""
        with self._lock:
            self._ensure_worker()

    def _ensure_worker(self) -> None:
        if self._process is not None and self._process.is_alive():
            return
        now = time.monotonic()
        self._starts = [t for t in self._starts if now - t < 60] + [now]
        if len(self._starts) > MAX_STARTS_A_MINUTE:
            raise WorkerFailing(f"the job worker stopped {MAX_STARTS_A_MINUTE} times in a minute; the server log says why")
        self._tasks = self._context.Queue()
        self._events = self._context.Queue()
        self._process = self._context.Process(
            target=_work, args=(self._tasks, self._events, self.fetch_private), name="storydiff-jobs", daemon=True
        )
        self._process.start()
        for task in self._pending.values():  # handed to a worker that died: to the new one
            self._tasks.put(task)
        if self._reader is None or not self._reader.is_alive():
            self._reader = threading.Thread(target=self._read_events, name="storydiff-job-events", daemon=True)
            self._reader.start()

    def close(self) -> None:
        self._closing.set()
        with self._lock:
            process, tasks = self._process, self._tasks
            self._process = None
        if process is not None:
            try:
                tasks.put(None)
            except (OSError, ValueError):
                pass
            process.join(timeout=5)
            if process.is_alive():
                process.terminate()
                process.join(timeout=5)
        if self._reader is not None:
            self._reader.join(timeout=3)
        for channel in (self._tasks, self._events):
            if channel is not None:
                channel.close()
                channel.join_thread()

    def _read_events(self) -> None:
        while not self._closing.is_set():
            events, process = self._events, self._process
            if events is None:
                return
            try:
                job_id, what, payload = events.get(timeout=0.5)
            except queue.Empty:
                if process is not None and not process.is_alive() and not self._closing.is_set():
                    self._worker_died(process.exitcode)
                continue
            except (EOFError, OSError, ValueError):
                return
            with self._lock:
                job = self._jobs.get(job_id)
                if job is None:
                    continue
                if what == "started":
                    job.status, job.started = "running", time.time()
                elif what == "progress":
                    job.progress.append(payload)
                    del job.progress[:-PROGRESS_LINES]
                elif what in ("done", "failed"):
                    job.status, job.finished = what, time.time()
                    if what == "done":
                        job.result = payload
                    else:
                        job.message = payload
                    self._pending.pop(job_id, None)
                    self._forget_old()

    def _worker_died(self, code) -> None:
        with self._lock:
            running = [j for j in self._jobs.values() if j.status == "running"]
            for job in running:
                job.status, job.finished = "failed", time.time()
                job.message = f"the job's worker process stopped (exit code {code}); the server started a new one"
                self._pending.pop(job.id, None)
            if not self._closing.is_set():
                try:
                    self._ensure_worker()
                except WorkerFailing as error:
                    for job_id in list(self._pending):
                        job = self._jobs.get(job_id)
                        if job is not None:
                            job.status, job.finished, job.message = "failed", time.time(), str(error)
                    self._pending.clear()
                    self._process = None

    def _forget_old(self) -> None:
        ended = [j.id for j in self._jobs.values() if j.ended]
        for job_id in ended[: max(0, len(ended) - KEPT_JOBS)]:
            del self._jobs[job_id]

    # -- jobs ---------------------------------------------------------------------------------

    def submit(self, kind: str, spec: dict, label: str, *, story: int | None = None, notes: list[str] | None = None) -> Job:
        with self._lock:
            if story is not None:  # one comparison of a story at a time
                for job in self._jobs.values():
                    if job.kind == kind and job.story == story and not job.ended:
                        return job
            waiting = sum(1 for j in self._jobs.values() if not j.ended)
            if waiting >= MAX_WAITING:
                raise Busy(f"{waiting} jobs are waiting already: try again when one has finished")
            job = Job(id=secrets.token_urlsafe(9), kind=kind, label=label, story=story, notes=list(notes or []))
            self._jobs[job.id] = job
            task = (job.id, kind, spec)
            self._pending[job.id] = task
            self._ensure_worker()
            self._tasks.put(task)
            return job

    def get(self, job_id: str) -> Job:
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None:
            raise NotFound(f"no job {job_id!r} (jobs are kept while the server runs, the last {KEPT_JOBS} finished ones)")
        return job

    def story_job(self, story: int) -> Job | None:
        """The latest job comparing `story`, if any."""
        with self._lock:
            found = [j for j in self._jobs.values() if j.kind == "story" and j.story == story]
        return found[-1] if found else None

    def recent(self, limit: int = 20) -> list[Job]:
        with self._lock:
            return list(reversed(self._jobs.values()))[:limit]


# -- in the worker process ------------------------------------------------------------------


def _work(tasks, events, fetch_private: bool) -> None:
    """The worker's loop: one job at a time, each reporting its start, progress and end."""
    try:  # load the models now, while nobody waits
        from .._api import _pipeline

        _pipeline()
    except Exception:  # noqa: BLE001 - the first job will report what is wrong
        pass
    while True:
        task = tasks.get()
        if task is None:
            return
        job_id, kind, spec = task
        events.put((job_id, "started", None))

        def progress(message: str, _job=job_id) -> None:
            events.put((_job, "progress", message))

        try:
            result = _RUNNERS[kind](spec, progress, fetch_private)
        except StorydiffError as error:
            events.put((job_id, "failed", str(error)))
        except Exception as error:  # noqa: BLE001 - a bug: said in one line on the page, in full on stderr
            traceback.print_exc(file=sys.stderr)
            events.put((job_id, "failed", f"internal error ({type(error).__name__}: {error}); the server log has the details"))
        else:
            events.put((job_id, "done", result))


def _fetcher(fetch_private: bool, timeout: float, max_bytes: int):
    from ..ingest._fetch import Fetcher, FetchPolicy, public_only_transport

    policy = FetchPolicy(timeout=timeout, max_bytes=max_bytes, allow_private=fetch_private)
    return Fetcher(policy, transport=None if fetch_private else public_only_transport())


def _run_compare(spec: dict, progress, fetch_private: bool) -> str:
    """Articles given on the compare page: texts, URLs (fetched through the public-only guard)."""
    import storydiff
    from ..ingest import IngestOptions

    inputs = [storydiff.Text(t["text"], outlet=t.get("outlet"), title=t.get("title"), source=t.get("source")) for t in spec["texts"]]
    inputs += list(spec["urls"])
    fetcher = _fetcher(fetch_private, spec["timeout"], spec["max_bytes"])
    options = IngestOptions(fetch=fetcher.policy, max_bytes=spec["max_bytes"])
    comparison = storydiff.compare(inputs, options=options, fetcher=fetcher, progress=progress)
    return comparison.to_json(indent=None)


def _run_story(spec: dict, progress, fetch_private: bool) -> int:
    """A stored story's comparison, kept in the store for the story page to read."""
    from ..corpus import Corpus

    with Corpus(spec["db"], create=False) as corpus:
        corpus.compare(spec["story"], progress=progress)
    return spec["story"]


def _run_ingest(spec: dict, progress, fetch_private: bool) -> dict:
    """URLs (articles, feeds, sitemaps) into the store, then copies and stories."""
    from ..corpus import Corpus
    from ..ingest import IngestOptions

    from ..ingest._polite import PolitePolicy

    fetcher = _fetcher(fetch_private, spec["timeout"], spec["max_bytes"])
    options = IngestOptions(fetch=fetcher.policy, max_bytes=spec["max_bytes"])
    # A web user's sitemap index may not fan out to millions of pages, nor hold the one worker for hours.
    polite = PolitePolicy(max_urls_per_sitemap=WEB_MAX_URLS_PER_SITEMAP, max_sitemaps=WEB_MAX_SITEMAPS, max_sitemap_depth=1)
    deadline = time.monotonic() + spec.get("deadline", WEB_INGEST_SECONDS)
    last = [0.0]

    def step(name: str, done: int, total: int | None, unit: str) -> None:
        now = time.monotonic()
        if now > deadline:  # what is stored stays; the store resumes cleanly from a stop at any point
            raise JobTimeout(f"stopped after {spec.get('deadline', WEB_INGEST_SECONDS) / 60:.0f} minutes (the web app's cap on one ingest); what was read is stored")
        if now - last[0] >= 0.5 or (total is not None and done >= total):
            last[0] = now
            progress(f"{name}: {done:,}" + (f" of {total:,}" if total else "") + f" {unit}")

    with Corpus(spec["db"]) as corpus:
        report = corpus.ingest(spec["sources"], options=options, fetcher=fetcher, policy=polite, workers=1, progress=step)
    return dataclasses.asdict(report)


class JobTimeout(StorydiffError):
    """A job ran past its time cap."""


_RUNNERS = {"compare": _run_compare, "story": _run_story, "ingest": _run_ingest}
