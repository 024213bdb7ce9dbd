"""Corpus mode end to end: a store that loses nothing, copies, stories, the commands.

The fixture `data/corpus/stories.jsonl` is ours: three made-up events told by three outlets each,
a wire story and a republished copy of it, a broken line and a too-short record.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import storydiff
from storydiff.store import SCHEMA_VERSION, Store
from .conftest import write_fixture_warc

DATA = Path(__file__).parent / "data" / "corpus"
STORIES = DATA / "stories.jsonl"


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("corpus") / "news.db"
    with storydiff.Corpus(path) as corpus:
        report = corpus.ingest([str(STORIES)], workers=1)
    return path, report


def _titles(corpus, story):
    return sorted(a.article.title for a in corpus.articles(story))


def test_ingest_counts_and_skips_bad_lines(corpus_db):
    path, report = corpus_db
    assert report.stored == 11
    assert report.skipped_count == 2
    reasons = " | ".join(f"{s}: {r}" for s, r in report.skipped)
    assert "line 12" in reasons and "JSON" in reasons
    assert "line 13" in reasons and "short" in reasons


def test_wire_copy_is_found_and_joins_its_original_story(corpus_db):
    path, _ = corpus_db
    with storydiff.Corpus(path, readonly=True) as corpus:
        copies = [a for a in corpus.articles(ids=list(range(1, 12))) if a.copy_of is not None]
        assert [(c.article.outlet, corpus.articles(ids=[c.copy_of])[0].article.outlet) for c in copies] == [("Valley Times", "Wire Service")]
        copy = copies[0]
        assert copy.story == corpus.articles(ids=[copy.copy_of])[0].story
        assert copy.copy_similarity is not None and copy.copy_similarity > 0.8


def test_three_events_make_three_stories(corpus_db):
    path, _ = corpus_db
    with storydiff.Corpus(path, readonly=True) as corpus:
        rows = corpus.stories(min_outlets=1, limit=None)
        assert len(rows) == 3
        by_size = sorted(rows, key=lambda r: -r.articles)
        assert by_size[0].articles == 5 and by_size[0].voices == 4  # the dam: 3 outlets + wire + its copy
        assert set(by_size[0].outlet_names) == {"Daily Ledger", "Northern Post", "Coastline News", "Wire Service", "Valley Times"}
        assert all(r.outlets == 3 and r.articles == 3 for r in by_size[1:])
        dam = _titles(corpus, by_size[0].id)
        assert all("Dam" in t or "dam" in t or "Flood" in t for t in dam)
        assert by_size[0].first_published == "2024-03-05" and by_size[0].last_published == "2024-03-06"


def test_story_filters(corpus_db):
    path, _ = corpus_db
    with storydiff.Corpus(path, readonly=True) as corpus:
        found = corpus.stories(search="e-bike battery")
        assert len(found) == 1 and "Quillon" in (found[0].title or "")
        assert [r.title for r in corpus.stories(since="2024-03-09")] == [found[0].title]
        assert len(corpus.stories(until="2024-03-05")) == 1
        assert len(corpus.stories(outlets=["valley times"])) == 1
        assert corpus.stories(min_outlets=4)[0].outlets == 5
        with pytest.raises(storydiff.InvalidArgument):
            corpus.stories(since="yesterday")


def test_ingesting_again_stores_nothing_twice(corpus_db, tmp_path):
    path, _ = corpus_db
    copy = tmp_path / "again.db"
    copy.write_bytes(path.read_bytes())
    with storydiff.Corpus(copy) as corpus:
        report = corpus.ingest([str(STORIES)], workers=1)
        assert report.stored == 0 and report.read == 0  # a dump read to its end is not read again
        report = corpus.ingest([str(STORIES)], workers=1, reread=True)
        assert report.stored == 0 and report.known_urls == 11  # stored URLs are not read again
        assert corpus.summary()["articles"] == 11 and corpus.summary()["skipped"] == 2


def test_compare_a_stored_story_recomputes_nothing_the_second_time(corpus_db, tmp_path):
    path, _ = corpus_db
    copy = tmp_path / "compare.db"
    copy.write_bytes(path.read_bytes())
    with storydiff.Corpus(copy) as corpus:
        dam = max(corpus.stories(), key=lambda r: r.articles)
        first = corpus.compare(dam.id)
        assert len(first.articles) == 4  # the copy is named, not compared
        assert [d.outlet for d in first.duplicates] == ["Valley Times"]
        assert first.facts_with_status("shared") or first.facts_with_status("partial")
        assert corpus.store.db.execute("SELECT count(*) FROM analyses").fetchone()[0] == 4
        from storydiff.article import _stored

        corpus.store.db.execute("DELETE FROM comparisons")  # compare again, from the stored analyses
        calls = []
        original = _stored.dump_analysis
        _stored.dump_analysis = lambda a: calls.append(a) or original(a)
        try:
            again = corpus.compare(dam.id)
        finally:
            _stored.dump_analysis = original
        assert calls == []  # every article's analysis came from the store
        assert again.to_json() == first.to_json()
        trail = {t.text.strip(' ,."\u201c\u201d'): t for t in corpus.quote_trail(first)}
        searching = trail["We are still searching house by house"]
        assert searching.first_outlet == "Daily Ledger" and searching.speaker == "Mira Tallen"
        assert [(r.outlet, r.credited) for r in searching.repeats] == [("Northern Post", False)]


def test_reporting_order_and_export(corpus_db, tmp_path):
    path, _ = corpus_db
    with storydiff.Corpus(path, readonly=True) as corpus:
        dam = max(corpus.stories(), key=lambda r: r.articles)
        order = corpus.reporting(dam.id)
        assert {r.outlet for r in order.first} == {"Daily Ledger", "Northern Post", "Wire Service", "Valley Times"}
        assert [(r.outlet, r.after) for r in order.followers] == [("Coastline News", "1 day")]
        out = tmp_path / "articles.jsonl"
        assert corpus.export(out) == 11
        rows = [json.loads(line) for line in out.read_text().splitlines()]
        assert {r["story"] for r in rows} == {r.id for r in corpus.stories(limit=None)}
        assert sum(1 for r in rows if r["copy_of"]) == 1
        with pytest.raises(storydiff.InvalidArgument):
            corpus.export(tmp_path / "articles.csv")


def test_parquet_export(corpus_db, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    path, _ = corpus_db
    with storydiff.Corpus(path, readonly=True) as corpus:
        assert corpus.export(tmp_path / "a.parquet", text=False) == 11
    table = pq.read_table(tmp_path / "a.parquet")
    assert table.num_rows == 11 and "text" not in table.column_names and "story" in table.column_names


# -- the store ------------------------------------------------------------------------------------

def test_store_refuses_what_it_cannot_use(tmp_path):
    not_sqlite = tmp_path / "notes.txt"
    not_sqlite.write_text("hello")
    with pytest.raises(storydiff.StoreError, match="not an SQLite file"):
        Store(not_sqlite)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t(x)").connection.commit()
    with pytest.raises(storydiff.StoreError, match="not a storydiff store"):
        Store(other)
    newer = tmp_path / "newer.db"
    Store(newer).close()
    db = sqlite3.connect(newer)
    db.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    db.commit()
    db.close()
    with pytest.raises(storydiff.StoreError, match="newer storydiff"):
        Store(newer)
    with pytest.raises(storydiff.StoreError, match="no store there"):
        Store(tmp_path / "missing.db", create=False)
    with pytest.raises(storydiff.StoreError, match="does not exist"):
        Store(tmp_path / "no" / "such.db")


def test_store_is_wal_and_versioned(tmp_path):
    with Store(tmp_path / "s.db") as store:
        assert store.version == SCHEMA_VERSION
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


# -- the commands ---------------------------------------------------------------------------------

def _cli(*args, timeout=300):
    return subprocess.run([sys.executable, "-m", "storydiff", *args], capture_output=True, text=True, timeout=timeout)


def test_cli_ingest_stories_story_export(tmp_path):
    db = tmp_path / "cli.db"
    run = _cli("ingest", str(STORIES), "--db", str(db), "-q")
    assert run.returncode == 3, run.stderr  # two lines skipped, each named
    assert run.stderr.count("skipped") >= 2 and "line 12" in run.stderr
    listed = _cli("stories", "--db", str(db), "--json")
    assert listed.returncode == 0, listed.stderr
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert len(rows) == 3 and rows[0]["outlets"] == 5
    table = _cli("stories", "--db", str(db), "--search", "Quillon")
    assert table.returncode == 0 and "Quillon" in table.stdout
    shown = _cli("story", str(rows[0]["id"]), "--db", str(db), "-f", "json", "-o", "-")
    assert shown.returncode == 0, shown.stderr
    comparison = storydiff.Comparison.from_json(shown.stdout)
    assert len(comparison.articles) == 4 and len(comparison.duplicates) == 1
    missing = _cli("story", "999", "--db", str(db))
    assert missing.returncode == 4 and "no story 999" in missing.stderr and "Traceback" not in missing.stderr
    nostore = _cli("stories", "--db", str(tmp_path / "none.db"))
    assert nostore.returncode == 2 and "no store there" in nostore.stderr
    out = tmp_path / "out.jsonl"
    exported = _cli("export", "--db", str(db), "-o", str(out), "--no-text")
    assert exported.returncode == 0 and len(out.read_text().splitlines()) == 11


# -- killed for real --------------------------------------------------------------------------------

def _made_up_dump(path: Path, count: int) -> set[str]:
    """`count` made-up articles (distinct words, so no two are copies), and two bad lines."""
    import random

    rng = random.Random(7)
    words = [f"{a}{b}" for a in ("ka", "lo", "mi", "ne", "pu", "ra", "si", "tu") for b in ("ban", "dor", "fel", "gim", "hux", "jot", "kip", "lum")]
    urls = set()
    with path.open("w") as handle:
        for n in range(count):
            sentences = [" ".join(rng.choice(words) for _ in range(12)).capitalize() + "." for _ in range(8)]
            url = f"https://site{n % 7}.example/a/{n}"
            urls.add(url)
            handle.write(json.dumps({"url": url, "outlet": f"Outlet {n % 7}", "date": f"2024-01-{1 + n % 28:02d}", "title": f"Report {n}", "text": " ".join(sentences)}) + "\n")
            if n == count // 2:
                handle.write("{not json\n")
        handle.write('{"text": "two words"}\n')
    return urls


def test_a_killed_ingest_finishes_with_nothing_lost_or_doubled(tmp_path):
    dump = tmp_path / "dump.jsonl"
    urls = _made_up_dump(dump, 1000)
    db = tmp_path / "kill.db"
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    kills = 0
    for delay in (2.0, 4.5, 7.0):
        process = subprocess.Popen(
            [sys.executable, "-m", "storydiff", "ingest", str(dump), "--db", str(db), "-q", "--workers", "2"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, start_new_session=True,
        )
        time.sleep(delay)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)  # the command and its worker processes, mid-write
            process.wait()
            kills += 1
    assert kills >= 1, "the ingest finished before it could be killed: make the dump larger"
    final = _cli("ingest", str(dump), "--db", str(db), "-q", timeout=600)
    # 3 when this run read the two bad lines; 0 when a killed run had read the whole dump already.
    assert final.returncode in (0, 3), final.stderr
    with sqlite3.connect(db) as check:
        stored = [row[0] for row in check.execute("SELECT url FROM articles")]
        assert len(stored) == len(set(stored)) == len(urls)
        assert set(stored) == urls
        assert check.execute("SELECT count(*) FROM skipped").fetchone()[0] == 2
        assert check.execute("SELECT count(*) FROM articles WHERE story IS NULL").fetchone()[0] == 0
        assert check.execute("SELECT count(*) FROM articles WHERE id NOT IN (SELECT article FROM signatures)").fetchone()[0] == 0
        assert check.execute("SELECT done FROM inputs").fetchone()[0] == 1
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_what_each_outlet_leaves_out(corpus_db, tmp_path):
    path, _ = corpus_db
    copy = tmp_path / "omissions.db"
    copy.write_bytes(path.read_bytes())
    with storydiff.Corpus(copy) as corpus:
        found = {o.outlet: o for o in corpus.omissions(min_outlets=3, stories=10)}
    # Coastline News alone does not quote the governor's "house by house" (Daily Ledger, Northern
    # Post and the wire do); a copy counts once, so Valley Times takes no part.
    assert "Valley Times" not in found
    coastline = found["Coastline News"]
    assert coastline.stories == 3
    assert coastline.missed["quotes"] >= 1
    assert any("house by house" in text for _, text in coastline.examples["quotes"])
    assert found["Daily Ledger"].missed["quotes"] == 0


def test_a_story_compared_once_is_read_back_the_next_time(corpus_db, tmp_path):
    path, _ = corpus_db
    copy = tmp_path / "kept.db"
    copy.write_bytes(path.read_bytes())
    with storydiff.Corpus(copy) as corpus:
        bank = next(r for r in corpus.stories() if "rate" in (r.title or "").lower())
        first = corpus.compare(bank.id)
        assert corpus.store.db.execute("SELECT count(*) FROM comparisons WHERE story = ?", (bank.id,)).fetchone()[0] == 1
        import storydiff.pipeline as pipeline_module

        ran = []
        original = pipeline_module.Pipeline.__call__
        pipeline_module.Pipeline.__call__ = lambda self, *a, **k: ran.append(1) or original(self, *a, **k)
        try:
            again = corpus.compare(bank.id)
        finally:
            pipeline_module.Pipeline.__call__ = original
        assert ran == [] and again.to_json() == first.to_json()
        # With another article in the story, the kept comparison no longer applies.
        corpus.store.db.execute("UPDATE articles SET story = ? WHERE id = (SELECT min(id) FROM articles WHERE story != ?)", (bank.id, bank.id))
        assert len(corpus.compare(bank.id).articles) == 4


def test_an_older_store_is_brought_up_to_date(tmp_path):
    from storydiff.store._schema import MIGRATIONS

    old = tmp_path / "v1.db"
    db = sqlite3.connect(old)
    db.executescript(MIGRATIONS[0])
    db.execute("PRAGMA user_version=1")
    db.commit()
    db.close()
    with Store(old) as store:
        assert store.version == SCHEMA_VERSION == 3
        assert store.db.execute("SELECT count(*) FROM comparisons").fetchone()[0] == 0
        columns = [row[1] for row in store.db.execute("PRAGMA table_info(comparisons)")]
        assert columns == ["story", "key", "data", "made", "summary"]  # versions 2 and 3 both applied


def test_a_warc_crawl_becomes_stories(tmp_path):
    """A small CC-NEWS-style WARC built here: HTML pages of the fixture's articles, a redirect
    and an image among them."""
    records = [json.loads(line) for line in STORIES.read_text().splitlines()[:11]]
    crawl = write_fixture_warc(records[5:11], tmp_path / "crawl.warc.gz")  # the central bank and the e-bike recall

    with storydiff.Corpus(tmp_path / "crawl.db") as corpus:
        report = corpus.ingest([str(crawl)], workers=1)
        assert report.stored == 6 and report.skipped_count == 0
        stored = corpus.articles(ids=list(range(1, 7)))
        assert {a.article.url for a in stored} == {r["url"] for r in records[5:11]}
        assert all("Home | World" not in a.article.text and "All rights reserved" not in a.article.text for a in stored)
        rows = corpus.stories(limit=None)
        assert sorted(r.articles for r in rows) == [3, 3]
        assert {a.article.outlet for a in stored} == {"Daily Ledger", "Northern Post", "Coastline News"}


def test_opening_a_store_never_reads_its_file_outside_sqlite(corpus_db, monkeypatch):
    """Closing any descriptor of a database file drops every POSIX lock the process holds on it,
    those of its other SQLite connections too; a server with a connection per thread then read
    stale pages and, once, 'database disk image is malformed'. Opening a store must not do it."""
    import builtins
    import io

    path, _ = corpus_db
    real_open, real_io_open = builtins.open, io.open
    touched = []

    def guarded(file, *args, **kwargs):
        if str(file) == str(path):
            touched.append(file)
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded)
    monkeypatch.setattr(io, "open", guarded)
    monkeypatch.setattr(Path, "open", lambda self, *a, **k: guarded(self, *a, **k))
    first = storydiff.Corpus(path)
    second = storydiff.Corpus(path)  # as a second thread's connection would
    assert second.stories(limit=1)
    first.close()
    second.close()
    assert touched == []


def test_features_of_an_earlier_build_are_made_again_and_stories_stay(corpus_db, tmp_path):
    from storydiff.corpus._steps import features_model
    from storydiff.corpus.clustering import StoryFeatures, outlet_id

    path, _ = corpus_db
    copy = tmp_path / "older-features.db"
    copy.write_bytes(path.read_bytes())
    for tail in ("-stories", "-stories.index"):  # the clusterer's kept state comes along
        (tmp_path / (copy.name + tail)).write_bytes((path.parent / (path.name + tail)).read_bytes())
    with storydiff.Corpus(copy) as corpus:
        db = corpus.store.db
        before = dict(db.execute("SELECT id, story FROM articles"))
        with corpus.store.transaction():  # as a store written by an earlier version holds them
            db.execute("UPDATE features SET model = 'static-0/features-1'")
        snapshot = copy.with_name(copy.name + "-stories")
        old_state = snapshot.read_bytes()  # the clusterer's state, built from those features
        # one more report of the dam, by an outlet new to the story: clustered after the rebuild
        more = tmp_path / "more.jsonl"
        record = json.loads(STORIES.read_text(encoding="utf-8").splitlines()[0])
        record.update(url="https://riverside.example/2024/03/05/dam", outlet="Riverside Herald",
                      title="Velmora dam failure: rescuers search the lower town",
                      text="Rescuers in Velmora spent Tuesday searching the lower town after the dam above it burst "
                           "before dawn, flooding the valley. Governor Mira Tallen said at least 12 people had died "
                           "and dozens were missing.\n\nBoats carried families from rooftops to the school on the "
                           "hill, where the army set up a shelter. Engineers warned in 2021 that the spillway of the "
                           "dam, built in 1968, could not take heavy spring rain, and the regional council has "
                           "promised an inquiry into why the repairs were put off.")
        more.write_text(json.dumps(record) + "\n", encoding="utf-8")
        corpus.ingest([str(more)], workers=1)
        rows = db.execute("SELECT f.model, f.data, a.outlet FROM features f JOIN articles a ON a.id = f.article").fetchall()
        assert len(rows) == 11 and {m for m, _, _ in rows} == {features_model()}  # 12 stored, one a copy
        assert all(StoryFeatures.from_bytes(d).outlet == outlet_id(o) != 0 for _, d, o in rows)
        after = dict(db.execute("SELECT id, story FROM articles"))
        assert {k: after[k] for k in before} == before  # no stored article moved
        new_id = max(after)
        assert after[new_id] == before[1]  # the new report joined the dam's story
        assert snapshot.read_bytes() != old_state  # the state was made again and kept
