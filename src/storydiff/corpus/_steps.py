"""The corpus steps, each resumable from what the store holds:

    read     sources -> clean articles (+ a MinHash signature each), in worker processes
    copies   signatures -> which article copies which (MinHash LSH, in id order)
    vectors  articles -> clustering features (an article vector, names and words)
    stories  features -> stories (incremental, time-windowed clustering)

Every step writes in transactions that also record how far it got, so a run killed at any moment
and started again picks up where the store says it stopped; each step only ever looks at what the
store does not have yet, so running one again on a finished store does nothing.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .._models import Article, Skipped
from ..ingest import IngestOptions
from ..store import Store, day_number

# How progress is reported: (step, done, total or None, what it counts). The CLI draws Rich bars.
ProgressFn = Callable[[str, int, "int | None", str], None]

# Items handed to the worker processes at a time. Bounded, so memory stays flat however large a
# dump or WARC is (Pool.imap alone would read the whole stream ahead into its task queue).
WINDOW = 512
# Articles per transaction while reading: small enough that a killed run loses little work.
COMMIT_EVERY = 256
VECTOR_BATCH = 64


@dataclass
class IngestReport:
    """What one `Corpus.ingest` did, with counts for each step."""

    read: int = 0  # items read from the sources
    stored: int = 0  # new articles
    already: int = 0  # articles the store held already
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (source, reason) of this run
    notes: list[str] = field(default_factory=list)  # what a user should know that is no failure
    skipped_count: int = 0
    known_urls: int = 0
    copies: int = 0  # new articles found to be copies of stored ones
    vectors: int = 0
    clustered: int = 0
    new_stories: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


# -- read ---------------------------------------------------------------------------------------

_worker_options: IngestOptions | None = None


def _init_worker(options: IngestOptions) -> None:
    global _worker_options
    _worker_options = options


def _work(item):
    """In a worker: a Pending becomes an Article (with its MinHash signature) or a Skipped."""
    from ..ingest.stream import Pending, finish
    from .dedup import signature, to_blob

    if not isinstance(item, Pending):
        return item, None
    result = finish(item, _worker_options)
    if isinstance(result, Article):
        return result, to_blob(signature(result.text))
    return result, None


def read_sources(
    store: Store,
    sources: Sequence[str],
    *,
    options: IngestOptions,
    fetcher=None,
    mapping=None,
    policy=None,
    workers: int | None = None,
    progress: ProgressFn | None = None,
    report: IngestReport,
) -> None:
    from ..ingest.stream import Failed, Pending, SourceDone, source_kind, stream_sources

    for origin in sources:
        store.start_input(origin, local_kind(origin))
    start = store.positions()
    stream = stream_sources(
        list(sources), options=options, fetcher=fetcher, start=start, validators=store.validators(),
        known_url=store.has_url, mapping=mapping, **({"policy": policy} if policy is not None else {}),
    )
    workers = workers or max(1, min(os.cpu_count() or 1, 4))
    pool = None
    try:
        first = list(itertools.islice(stream, WINDOW))
        if len(first) < WINDOW or workers == 1:
            run = lambda window: [_inline(item, options) for item in window]  # noqa: E731
        else:
            context = multiprocessing.get_context("spawn")  # no fork: the parent may hold threads and an ONNX session
            pool = context.Pool(workers, initializer=_init_worker, initargs=(options,))
            run = lambda window: pool.map(_work, window, chunksize=8)  # noqa: E731
        window = first
        pending: list = []
        finished: list[tuple[str, int]] = []
        validators: dict = {}
        while window:
            for item, (result, sig) in zip(window, run(window)):
                if isinstance(item, SourceDone):
                    finished.append((item.origin, item.items))
                    validators.update(item.validators or {})
                    report.known_urls += getattr(item, "known", 0) or 0
                    continue
                report.read += 1
                if isinstance(item, Failed):
                    pending.append((item.origin, item.position, item.skipped, None))
                else:
                    pending.append((item.origin, item.position, result, sig))
                if len(pending) >= COMMIT_EVERY:
                    _commit(store, pending, [], {}, report)
                    pending = []
                    if progress:
                        progress("read", report.read, None, "items")
            _commit(store, pending, finished, validators, report)
            pending, finished, validators = [], [], {}
            if progress:
                progress("read", report.read, None, "items")
            window = list(itertools.islice(stream, WINDOW))
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()


def local_kind(source: str) -> str:
    """The kind of a source, without fetching: a URL is "url" (a feed, a sitemap or a page: the
    stream finds out when it fetches it)."""
    from ..ingest._sources import is_url
    from ..ingest.stream import source_kind

    return "url" if is_url(source) else source_kind(source)


def _inline(item, options: IngestOptions):
    global _worker_options
    _worker_options = options
    return _work(item)


def _commit(store: Store, pending: list, finished: list, validators: dict, report: IngestReport) -> None:
    if not (pending or finished or validators):
        return
    signatures: dict[str, bytes] = {}
    for _, _, result, sig in pending:
        if isinstance(result, Article) and sig is not None:
            signatures.setdefault(result.uid, sig)  # the first of one uid is the one stored
    # One transaction: the articles, their signatures, and how far each input was read.
    batch = store.add([(o, p, r) for o, p, r, _ in pending], finished, validators, signatures=signatures)
    report.stored += batch.stored
    report.already += batch.already
    report.skipped_count += batch.skipped
    for _, _, result, _ in pending:
        if isinstance(result, Skipped) and len(report.skipped) < 1000:
            report.skipped.append((result.source, result.reason))


# -- copies -------------------------------------------------------------------------------------

def find_copies(store: Store, *, progress: ProgressFn | None = None, report: IngestReport) -> None:
    """Check, in id order, each article not yet checked against all before it."""
    from .dedup import CopyFinder, from_blob, signature, to_blob

    # Articles stored without a signature (read by an older run that was cut short): sign them now.
    for rows in store.without("signatures", "id, text"):
        store.put_blobs("signatures", [(i, to_blob(signature(text))) for i, text in rows])
    checked = int(store.get_state("copies_checked") or 0)
    todo = store.count("id > ?", (checked,))
    if not todo:
        return
    finder = CopyFinder()
    finder.restore([
        (i, from_blob(data), words, copy_of)
        for i, data, words, copy_of in store.blobs("signatures", "a.id, b.data, a.words, a.copy_of", f"a.id <= {checked}")
    ])
    done = 0
    rows: list[tuple[int, int | None, float | None]] = []
    for i, data, words in store.blobs("signatures", "a.id, b.data, a.words", f"a.id > {checked}"):
        original, similarity = decide_copy(finder, i, from_blob(data), words)
        if original is not None:
            report.copies += 1
        rows.append((i, original, similarity))
        done += 1
        if len(rows) >= 2048:
            _save_copies(store, rows)
            rows = []
            if progress:
                progress("copies", done, todo, "articles")
    _save_copies(store, rows)
    if progress:
        progress("copies", done, todo, "articles")


def decide_copy(finder, key: int, sig, words: int) -> tuple[int | None, float | None]:
    """Add one article to a `CopyFinder` (articles go in id order): the earlier article it is a
    copy of, with the estimated Jaccard similarity of the two texts, or (None, None). What corpus
    mode stores for each article, and what the Spark job (`scale/_copies.py`) gives for each."""
    original = finder.add(key, sig, words)
    if original is None:
        return None, None
    return original, float(finder.similarity(sig, finder.signature_of(original)))


def _save_copies(store: Store, rows: list) -> None:
    if not rows:
        return
    with store.transaction():
        store.db.executemany("UPDATE articles SET copy_of = ?, copy_similarity = ? WHERE id = ?", [(c, s, a) for a, c, s in rows])
        store.db.execute("INSERT OR REPLACE INTO state(key, value) VALUES ('copies_checked', ?)", (str(max(a for a, _, _ in rows)),))


# -- vectors ------------------------------------------------------------------------------------

def build_features(store: Store, *, progress: ProgressFn | None = None, report: IngestReport) -> None:
    """Clustering features for each article that is no copy (a copy joins its original's story):
    its vector from the static table (`article/static_embed.py`: the transformer itself would
    take most of a corpus run), and its names and words."""
    model = features_model()
    # features of an earlier build (another encoder table or StoryFeatures.VERSION) are made
    # again, so that every article is clustered on the same features; its story stays
    with store.transaction():
        stale = store.db.execute("DELETE FROM features WHERE model != ?", (model,)).rowcount
    if stale:  # the clusterer's kept state was built from the old features: rebuilt from the store
        from .clustering import StoryClusterer

        StoryClusterer.discard(snapshot_path(store))
    todo = store.missing("features", "copy_of IS NULL")
    if not todo:
        return
    done = 0
    for rows in store.without("features", "id, title, text, published, outlet", where="copy_of IS NULL", batch=VECTOR_BATCH * 8):
        features = article_features([(title, text, day_number(published), outlet) for _, title, text, published, outlet in rows])
        store.put_blobs("features", [(row[0], model, data) for row, data in zip(rows, features)])
        done += len(rows)
        report.vectors += len(rows)
        if progress:
            progress("vectors", done, todo, "articles")


def article_features(articles: Sequence[tuple[str | None, str, int | None, str | None]]) -> list[bytes]:
    """The clustering features of a batch of articles, each given as (title, text, day number, outlet),
    as `StoryFeatures` bytes: its vector from the static encoder on `vector_text`, then its names
    and words. Corpus mode (`build_features`) and the Spark job (`scale/_job.py`) both make an
    article's features here."""
    from ..article.static_embed import shared_static_encoder
    from .clustering import StoryFeatures  # after the encoder: see _ann.py on import order

    vectors = shared_static_encoder().document_vectors([vector_text(title, text) for title, text, _, _ in articles])
    return [StoryFeatures.build(title, text, vector, day, outlet).to_bytes() for (title, text, day, outlet), vector in zip(articles, vectors)]


def vector_text(title: str | None, text: str) -> str:
    return f"{title}\n{text}" if title else text


def features_model() -> str:
    from ..article.static_embed import TABLE_VERSION
    from .clustering import StoryFeatures

    return f"static-{TABLE_VERSION}/features-{getattr(StoryFeatures, 'VERSION', '1')}"


# -- stories ------------------------------------------------------------------------------------

def cluster(store: Store, *, progress: ProgressFn | None = None, report: IngestReport) -> None:
    """Put each article that has features and no story into a story (incrementally: the stories
    already stored are the clusterer's starting state), then copies into their originals' stories."""
    from .clustering import ClusterSettings, StoryClusterer, StoryFeatures

    todo = store.count("story IS NULL AND copy_of IS NULL AND id IN (SELECT article FROM features)")
    if todo:
        settings = ClusterSettings()
        snapshot = snapshot_path(store)
        expect = dict(store.db.execute("SELECT id, story FROM articles WHERE story IS NOT NULL AND copy_of IS NULL AND id IN (SELECT article FROM features)"))
        clusterer = StoryClusterer.load(settings, snapshot, expect) if expect and snapshot.exists() else None
        if clusterer is None and expect:
            known = [
                (i, StoryFeatures.from_bytes(data), story)
                for i, data, story in store.blobs("features", "a.id, b.data, a.story", "a.story IS NOT NULL AND a.copy_of IS NULL")
            ]
            clusterer = StoryClusterer.restore(settings, known)
        clusterer = clusterer or StoryClusterer(settings)
        before = set(expect.values())
        new = [
            (i, StoryFeatures.from_bytes(data), day)
            for i, data, day in store.blobs("features", "a.id, b.data, a.day", "a.story IS NULL AND a.copy_of IS NULL")
        ]
        new.sort(key=lambda t: time_order(t[0], t[2]))
        done = 0
        for start in range(0, len(new), 2048):
            part = new[start:start + 2048]
            labels = clusterer.add([(i, feats) for i, feats, _ in part])
            store.set_stories({int(k): int(v) for k, v in labels.items()})
            report.new_stories += len({int(v) for v in labels.values()} - before)
            before |= {int(v) for v in labels.values()}
            done += len(part)
            report.clustered += len(part)
            if progress:
                progress("stories", done, todo, "articles")
        clusterer.save(snapshot)
    # Copies whose original got its story in an earlier run.
    orphans = store.db.execute(
        "SELECT c.id, o.story FROM articles c JOIN articles o ON o.id = c.copy_of WHERE c.story IS NULL AND o.story IS NOT NULL"
    ).fetchall()
    if orphans:
        store.set_stories({i: s for i, s in orphans})


def time_order(key: int, day: int | None) -> tuple:
    """The order in which articles reach the story clusterer: by day, undated last, ties by id,
    so that a story grows the way it was reported. Corpus mode, the Spark job and the benchmarks
    that re-cluster a store all sort by it."""
    return (day is None, day or 0, key)


def snapshot_path(store: Store):
    """Where the clusterer's state after the last run is kept: beside the store, as SQLite keeps
    its "-wal" file. A cache only: deleting it costs one slower run."""
    return store.path.with_name(store.path.name + "-stories")


def run_steps(store: Store, *, progress: ProgressFn | None = None, report: IngestReport | None = None) -> IngestReport:
    """Bring copies, vectors and stories up to date with the articles stored."""
    import time

    report = report or IngestReport()
    for name, step in (("copies", find_copies), ("vectors", build_features), ("stories", cluster)):
        began = time.perf_counter()
        step(store, progress=progress, report=report)
        report.seconds[name] = report.seconds.get(name, 0.0) + time.perf_counter() - began
    return report
