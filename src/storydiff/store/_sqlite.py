"""The corpus store: one SQLite file in WAL mode.

Why SQLite: one file a user can copy, no server, transactions that survive a killed process. Every
write of an ingest (a batch of articles and how far each input was read) is one transaction, so a
run killed at any moment leaves the store as it was after its last whole batch, and the next run
goes on from there: nothing is lost, nothing is stored twice (articles are unique by `Article.uid`).
"""

from __future__ import annotations

import datetime
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .._exceptions import NotFound, StoreError
from .._models import Article, Skipped
from ._schema import MIGRATIONS, SCHEMA_VERSION

LEAD_CHARACTERS = 600  # how much of an article's start the text search indexes


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat()


def day_number(published: str | None) -> int | None:
    """Days since 1970-01-01 of an ISO date or date-time; None when there is none."""
    if not published:
        return None
    try:
        day = datetime.date.fromisoformat(published[:10])
    except ValueError:
        return None
    return (day - datetime.date(1970, 1, 1)).days


@dataclass
class StoredBatch:
    """What one `Store.add` did."""

    stored: int = 0
    already: int = 0  # articles the store held already (same uid)
    skipped: int = 0
    new_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class StoryRow:
    id: int
    title: str | None
    first_published: str | None
    last_published: str | None
    articles: int
    voices: int
    outlets: int
    outlet_names: list[str]
    compared: dict | None = None  # the kept comparison's headline figures, once it is compared


class Store:
    """A storydiff corpus store. `Store(path)` opens it, creating it (and bringing an older one
    up to date) unless `create=False`; `readonly=True` never writes."""

    def __init__(self, path: str | os.PathLike, *, create: bool = True, readonly: bool = False):
        self.path = Path(path).expanduser()
        self.readonly = readonly
        self._check_file(create and not readonly)
        try:
            if readonly:
                self.db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, isolation_level=None, check_same_thread=False)
            else:
                self.db = sqlite3.connect(self.path, isolation_level=None, timeout=30, check_same_thread=False)
                self.db.execute("PRAGMA journal_mode=WAL")
                # With WAL, NORMAL loses no committed transaction when the process dies (only a
                # power cut can take the last ones back), and the file is never corrupted.
                self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA busy_timeout=30000")
            self._migrate(readonly)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a usable storydiff store ({exc})") from None

    def _check_file(self, create: bool) -> None:
        """Refuse a folder, a missing file (unless creating) and a file that is no SQLite database.
        The file's first bytes are read through SQLite, never with open(): closing any other
        descriptor of a database file drops every POSIX lock this process holds on it, the
        locks of its other connections too (SQLite's "how to corrupt a database", 2.2); a
        server with a connection per thread would then read pages a checkpoint is rewriting."""
        path = self.path
        if path.is_dir():
            raise StoreError(f"{path}: is a folder; give the store's file name (e.g. news.db)")
        if not path.exists():
            if not create:
                raise StoreError(f"{path}: no store there (create one with: storydiff ingest SOURCE --db {path})")
            if not path.parent.is_dir():
                raise StoreError(f"{path}: the folder {path.parent} does not exist")
            return
        if not os.access(path, os.R_OK):
            raise StoreError(f"{path}: cannot be read (permission denied)")
        if path.stat().st_size == 0:
            return  # an empty file becomes a new store
        probe = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            probe.execute("PRAGMA schema_version").fetchone()
        except sqlite3.DatabaseError:
            raise StoreError(f"{path}: not a storydiff store (not an SQLite file); give a new file name or a store") from None
        finally:
            probe.close()

    def _migrate(self, readonly: bool) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: made by a newer storydiff (store version {version}; this one reads up to {SCHEMA_VERSION})")
        if version == 0 and self.db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            raise StoreError(f"{self.path}: an SQLite file, but not a storydiff store")
        if version == SCHEMA_VERSION:
            return
        if readonly:
            raise StoreError(f"{self.path}: an older store (version {version}); open it once for writing to update it")
        for number in range(version, SCHEMA_VERSION):
            self.db.execute("BEGIN IMMEDIATE")
            try:
                for statement in _statements(MIGRATIONS[number]):
                    self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version={number + 1}")
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise

    @property
    def version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def transaction(self):
        return _Transaction(self.db)

    # -- ingest -----------------------------------------------------------------------------

    def positions(self) -> dict[str, int]:
        """For each input read before, the first position not yet stored (where to resume)."""
        return {origin: position for origin, position in self.db.execute("SELECT origin, position FROM inputs WHERE done = 0")}

    def finished_inputs(self) -> set[str]:
        return {row[0] for row in self.db.execute("SELECT origin FROM inputs WHERE done = 1")}

    def validators(self) -> dict[str, tuple[str | None, str | None]]:
        return {url: (etag, modified) for url, etag, modified in self.db.execute("SELECT url, etag, last_modified FROM validators")}

    def has_url(self, canonical: str) -> bool:
        return self.db.execute("SELECT 1 FROM articles WHERE canonical_url = ? LIMIT 1", (canonical,)).fetchone() is not None

    def start_input(self, origin: str, kind: str) -> None:
        """Note an input as being read (again: a feed is read anew each time it is given)."""
        with self.transaction():
            self.db.execute(
                "INSERT INTO inputs(origin, kind, position, done, updated) VALUES (?, ?, 0, 0, ?) "
                "ON CONFLICT(origin) DO UPDATE SET kind = excluded.kind, done = 0, "
                "position = CASE WHEN inputs.done = 1 THEN 0 ELSE inputs.position END, updated = excluded.updated",
                (origin, kind, _now()),
            )

    def add(
        self,
        items: Sequence[tuple[str, int, Article | Skipped]],
        finished: Sequence[tuple[str, int]] = (),
        validators: dict[str, tuple[str | None, str | None]] | None = None,
        signatures: dict[str, bytes] | None = None,
    ) -> StoredBatch:
        """Store a batch in one transaction: articles and skipped inputs (each with the input and
        position it came from), the inputs read to their end (origin, items), and the feeds'
        validators; `signatures` (by uid) go in with their new articles. Positions move on only
        with the articles they stand for."""
        result = StoredBatch()
        now = _now()
        reached: dict[str, int] = {}
        with self.transaction():
            for origin, position, item in items:
                reached[origin] = max(reached.get(origin, 0), position + 1)
                if isinstance(item, Skipped):
                    cursor = self.db.execute(
                        "INSERT OR IGNORE INTO skipped(origin, position, source, reason, at) VALUES (?, ?, ?, ?, ?)",
                        (origin, position, item.source, item.reason, now),
                    )
                    result.skipped += 1
                    self.db.execute("UPDATE inputs SET skipped = skipped + ? WHERE origin = ?", (cursor.rowcount, origin))
                    continue
                new_id = self._insert_article(origin, position, item, now)
                if new_id is None:
                    result.already += 1
                else:
                    result.stored += 1
                    result.new_ids.append(new_id)
                    signature = (signatures or {}).get(item.uid)
                    if signature is not None:
                        self.db.execute("INSERT OR REPLACE INTO signatures(article, data) VALUES (?, ?)", (new_id, signature))
                    self.db.execute("UPDATE inputs SET stored = stored + 1 WHERE origin = ?", (origin,))
            for origin, position in reached.items():
                self.db.execute("UPDATE inputs SET position = max(position, ?), updated = ? WHERE origin = ?", (position, now, origin))
            for origin, count in finished:
                self.db.execute("UPDATE inputs SET position = max(position, ?), done = 1, updated = ? WHERE origin = ?", (count, now, origin))
            for url, (etag, modified) in (validators or {}).items():
                self.db.execute(
                    "INSERT INTO validators(url, etag, last_modified) VALUES (?, ?, ?) "
                    "ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified",
                    (url, etag, modified),
                )
        return result

    def _insert_article(self, origin: str, position: int, article: Article, now: str) -> int | None:
        from ..ingest import word_count

        columns = article_columns(article)  # the one description of what is kept (also the Spark job's Parquet)
        values = (article.uid, origin, position, article.canonical_url, day_number(article.published), word_count(article.text), now,
                  *(columns[c] for c in ARTICLE_COLUMNS))
        cursor = self.db.execute(_INSERT_ARTICLE, values)
        if not cursor.rowcount:
            return None
        new_id = cursor.lastrowid
        self.db.execute("INSERT INTO search(rowid, title, lead) VALUES (?, ?, ?)", (new_id, article.title or "", article.text[:LEAD_CHARACTERS]))
        return new_id

    def count(self, where: str = "1", params: Sequence = ()) -> int:
        return self.db.execute(f"SELECT count(*) FROM articles WHERE {where}", params).fetchone()[0]

    def without(self, table: str, columns: str = "id, text", *, where: str = "1", batch: int = 512) -> Iterator[list[tuple]]:
        """Batches of articles that have no row in `table` yet (signatures, features, analyses), by id."""
        assert table in ("signatures", "features", "analyses")
        last = 0
        while True:
            rows = self.db.execute(
                f"SELECT {columns} FROM articles WHERE id > ? AND {where} AND id NOT IN (SELECT article FROM {table} WHERE article > ?) "
                f"ORDER BY id LIMIT ?",
                (last, last, batch),
            ).fetchall()
            if not rows:
                return
            yield rows
            last = rows[-1][0]

    def missing(self, table: str, where: str = "1") -> int:
        assert table in ("signatures", "features", "analyses")
        return self.db.execute(f"SELECT count(*) FROM articles WHERE {where} AND id NOT IN (SELECT article FROM {table})").fetchone()[0]

    def put_blobs(self, table: str, rows: Iterable[tuple]) -> None:
        """Rows of (article, data) for signatures; (article, model, data) for features."""
        assert table in ("signatures", "features")
        rows = list(rows)
        marks = ", ".join("?" * len(rows[0])) if rows else ""
        with self.transaction():
            self.db.executemany(f"INSERT OR REPLACE INTO {table} VALUES ({marks})", rows)

    def blobs(self, table: str, columns: str = "a.id, b.data", where: str = "1") -> Iterator[tuple]:
        assert table in ("signatures", "features")
        yield from self.db.execute(f"SELECT {columns} FROM {table} b JOIN articles a ON a.id = b.article WHERE {where} ORDER BY a.id")

    def set_stories(self, assignments: dict[int, int]) -> None:
        """Put articles in stories (article id -> story id) and bring those stories' rows up to date,
        in one transaction."""
        if not assignments:
            return
        with self.transaction():
            self.db.executemany("UPDATE articles SET story = ? WHERE id = ?", [(s, a) for a, s in assignments.items()])
            # A copy is in its original's story.
            self.db.executemany("UPDATE articles SET story = ? WHERE copy_of = ?", [(s, a) for a, s in assignments.items()])
            touched = set(assignments.values())
            self._refresh_stories(sorted(touched))

    def _refresh_stories(self, ids: list[int]) -> None:
        now = _now()
        for story in ids:
            rows = self.db.execute(
                "SELECT title, published, outlet, copy_of FROM articles WHERE story = ? ORDER BY coalesce(published, '9999'), id", (story,)
            ).fetchall()
            if not rows:
                self.db.execute("DELETE FROM stories WHERE id = ?", (story,))
                continue
            summary = story_summary(rows)
            self.db.execute(
                "INSERT OR REPLACE INTO stories(id, title, first_published, last_published, articles, voices, outlets, outlet_names, updated) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (story, summary["title"], summary["first_published"], summary["last_published"], summary["articles"],
                 summary["voices"], summary["outlets"], json.dumps(summary["outlet_names"]), now),
            )

    # -- reading back -----------------------------------------------------------------------

    def articles(self, ids: Sequence[int]) -> list[StoredArticle]:
        """The stored articles with these ids, in that order."""
        found = {}
        for start in range(0, len(ids), 500):
            part = list(ids[start:start + 500])
            query = f"SELECT {_SELECT_ARTICLE} FROM articles WHERE id IN ({','.join('?' * len(part))})"
            for row in self.db.execute(query, part):
                found[row[0]] = _stored_article(row)
        missing = [i for i in ids if i not in found]
        if missing:
            raise NotFound(f"no article {missing[0]} in {self.path}")
        return [found[i] for i in ids]

    def story_article_ids(self, story: int) -> list[int]:
        return [row[0] for row in self.db.execute(
            "SELECT id FROM articles WHERE story = ? ORDER BY coalesce(published, '9999'), id", (story,)
        )]

    def story(self, story: int) -> StoryRow:
        row = self.db.execute(
            f"SELECT {_STORY_COLUMNS} FROM stories s LEFT JOIN comparisons c ON c.story = s.id WHERE s.id = ?", (story,)
        ).fetchone()
        if row is None:
            raise NotFound(f"no story {story} in {self.path} (list them with: storydiff stories --db {self.path})")
        return _story_row(row)

    def stories(
        self,
        *,
        since: str | None = None,
        until: str | None = None,
        outlets: Sequence[str] = (),
        min_outlets: int = 1,
        min_articles: int = 1,
        search: str | None = None,
        limit: int | None = 50,
        offset: int = 0,
        order: str = "outlets",
    ) -> list[StoryRow]:
        """Stories, the most widely reported first (or the latest first with order="latest")."""
        where, params = ["outlets >= ?", "articles >= ?"], [min_outlets, min_articles]
        if since:
            where.append("last_published >= ?")
            params.append(since)
        if until:
            where.append("first_published <= ?")
            params.append(until + "\uffff")
        for outlet in outlets:
            where.append("id IN (SELECT story FROM articles WHERE outlet = ? COLLATE NOCASE)")
            params.append(outlet)
        if search:
            where.append("id IN (SELECT a.story FROM search JOIN articles a ON a.id = search.rowid WHERE search MATCH ?)")
            params.append(_fts_query(search))
        ordering = {
            "outlets": "outlets DESC, voices DESC, articles DESC, id",
            "latest": "coalesce(last_published, '') DESC, outlets DESC, id",
            "id": "id",
        }[order]
        query = (
            f"SELECT {_STORY_COLUMNS} FROM stories s LEFT JOIN comparisons c ON c.story = s.id "
            f"WHERE {' AND '.join(where)} ORDER BY {ordering}"
            + (f" LIMIT {int(limit)} OFFSET {max(0, int(offset))}" if limit else "")
        )
        return [_story_row(row) for row in self.db.execute(query, params)]

    def analysis(self, article: int, key: str) -> bytes | None:
        row = self.db.execute("SELECT data FROM analyses WHERE article = ? AND key = ?", (article, key)).fetchone()
        return row[0] if row else None

    def put_analysis(self, article: int, key: str, data: bytes) -> None:
        with self.transaction():
            self.db.execute("INSERT OR REPLACE INTO analyses(article, key, data) VALUES (?, ?, ?)", (article, key, data))

    def comparison(self, story: int, key: str) -> str | None:
        row = self.db.execute("SELECT data FROM comparisons WHERE story = ? AND key = ?", (story, key)).fetchone()
        return row[0] if row else None

    def put_comparison(self, story: int, key: str, data: str, summary: dict | None = None) -> None:
        with self.transaction():
            # Only the latest comparison of a story is kept: older keys are for articles it no longer has.
            self.db.execute("DELETE FROM comparisons WHERE story = ?", (story,))
            self.db.execute(
                "INSERT INTO comparisons(story, key, data, made, summary) VALUES (?, ?, ?, ?, ?)",
                (story, key, data, _now(), json.dumps(summary) if summary is not None else None),
            )

    def summary(self) -> dict[str, int]:
        one = lambda q: self.db.execute(q).fetchone()[0]  # noqa: E731
        return {
            "articles": one("SELECT count(*) FROM articles"),
            "copies": one("SELECT count(*) FROM articles WHERE copy_of IS NOT NULL"),
            "stories": one("SELECT count(*) FROM stories"),
            "multi_outlet_stories": one("SELECT count(*) FROM stories WHERE outlets >= 2"),
            "outlets": one("SELECT count(DISTINCT outlet) FROM articles"),
            "skipped": one("SELECT count(*) FROM skipped"),
            "unclustered": one("SELECT count(*) FROM articles WHERE story IS NULL"),
        }

    def get_state(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_state(self, key: str, value: str) -> None:
        with self.transaction():
            self.db.execute("INSERT OR REPLACE INTO state(key, value) VALUES (?, ?)", (key, value))


@dataclass
class StoredArticle:
    """A stored article, with what the corpus steps found about it."""

    id: int
    article: Article
    copy_of: int | None
    copy_similarity: float | None
    story: int | None


def story_summary(rows: list[tuple]) -> dict:
    """A story's row from its articles' (title, published, outlet, copy_of), earliest first: the
    title of its first article that is no copy, its dates, its counts and its outlets (most
    articles first)."""
    dates = [r[1] for r in rows if r[1]]
    outlets: dict[str, int] = {}
    for r in rows:
        if r[2]:
            outlets[r[2]] = outlets.get(r[2], 0) + 1
    names = sorted(outlets, key=lambda o: (-outlets[o], o))
    title = next((r[0] for r in rows if r[0] and r[3] is None), None) or next((r[0] for r in rows if r[0]), None)
    return {
        "title": title, "first_published": min(dates) if dates else None, "last_published": max(dates) if dates else None,
        "articles": len(rows), "voices": sum(1 for r in rows if r[3] is None), "outlets": len(names), "outlet_names": names,
    }


def _stored_article(row: tuple) -> StoredArticle:
    """From a row of `SELECT {_SELECT_ARTICLE}`."""
    id_, *kept, copy_of, similarity, story, _uid = row
    return StoredArticle(id_, article_from_columns(**dict(zip(ARTICLE_COLUMNS, kept))), copy_of, similarity, story)


ARTICLE_COLUMNS = ("source", "text", "title", "outlet", "published", "author", "url", "input_format", "encoding", "captions", "furniture", "warnings")
_SELECT_ARTICLE = ", ".join(("id", *ARTICLE_COLUMNS, "copy_of", "copy_similarity", "story", "uid"))
_ARTICLE_ROW = ("uid", "origin", "position", "canonical_url", "day", "words", "added", *ARTICLE_COLUMNS)
_INSERT_ARTICLE = f"INSERT OR IGNORE INTO articles({', '.join(_ARTICLE_ROW)}) VALUES ({', '.join('?' * len(_ARTICLE_ROW))})"


def article_columns(article: Article) -> dict:
    """What a store (or a Parquet dataset: `storydiff.scale`) keeps of an article, by column;
    `article_from_columns` reads it back."""
    return {
        "source": article.source, "text": article.text, "title": article.title, "outlet": article.outlet,
        "published": article.published, "author": article.author, "url": article.url, "input_format": article.input_format,
        "encoding": article.encoding, "captions": json.dumps(article.captions), "furniture": json.dumps(article.furniture),
        "warnings": json.dumps(article.warnings),
    }


def article_from_columns(**columns) -> Article:
    return Article(
        source=columns["source"], text=columns["text"], title=columns["title"], outlet=columns["outlet"],
        published=columns["published"], author=columns["author"], url=columns["url"],
        input_format=columns["input_format"] or "text", encoding=columns["encoding"], captions=json.loads(columns["captions"]),
        furniture=json.loads(columns["furniture"]), warnings=json.loads(columns["warnings"]),
    )


# A story's columns, with its kept comparison's summary (comparisons keep one row per story).
_STORY_COLUMNS = "s.id, s.title, s.first_published, s.last_published, s.articles, s.voices, s.outlets, s.outlet_names, c.summary"


def _story_row(row: tuple) -> StoryRow:
    return StoryRow(*row[:7], outlet_names=json.loads(row[7]), compared=json.loads(row[8]) if row[8] else None)


def _fts_query(text: str) -> str:
    """Words as an FTS5 query that needs them all, each quoted: what a user types is never syntax."""
    words = [w.replace('"', "") for w in text.split() if w.replace('"', "")]
    return " ".join(f'"{w}"' for w in words) or '""'


def _statements(script: str) -> list[str]:
    """A script's statements, for `execute` one by one (`executescript` would commit on its own)."""
    out, current = [], []
    for line in script.splitlines():
        if line.strip().startswith("--") and not current:
            continue
        current.append(line)
        joined = "\n".join(current)
        if sqlite3.complete_statement(joined):
            out.append(joined.strip())
            current = []
    return [s for s in out if s]


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any exception (KeyboardInterrupt included)."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None:
            self.db.execute("COMMIT")
        else:
            self.db.execute("ROLLBACK")
