"""The Spark job (storydiff.scale) against corpus mode: the same ids, copies, stories and
comparison JSON, on our made-up corpus; and on a sample of the real allsides articles when
../shared is there. Needs PySpark and a Java runtime (`.ci/run` installs both); skips without."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import storydiff

from .conftest import shared_path, write_fixture_warc

pyspark = pytest.importorskip("pyspark")
if shutil.which("java") is None:
    pytest.skip("the Spark job needs a Java runtime", allow_module_level=True)
pq = pytest.importorskip("pyarrow.parquet")

from storydiff.scale import SparkSettings, run, session  # noqa: E402

STORIES = Path(__file__).parent / "data" / "corpus" / "stories.jsonl"


@pytest.fixture(scope="module")
def spark():
    spark = session(SparkSettings(master="local[2]", partitions=2))
    yield spark
    spark.stop()


def _corpus(tmp_path: Path, sources: list[str], *, compare: bool = True) -> dict:
    """Corpus mode's answers, by article uid, and (`compare`) its comparisons by the uids of their story."""
    with storydiff.Corpus(tmp_path / "corpus.db") as corpus:
        corpus.ingest(sources, workers=2)
        rows = corpus.store.db.execute("SELECT id, uid, copy_of, story FROM articles ORDER BY id").fetchall()
        uid_of = {i: u for i, u, _, _ in rows}
        comparisons = {}
        for story in corpus.stories(min_outlets=2, limit=None) if compare else []:
            members = frozenset(uid_of[i] for i in corpus.store.story_article_ids(story.id))
            comparisons[members] = corpus.compare(story.id).to_json(indent=None)
        stories = {r.id: r for r in corpus.stories(min_outlets=1, limit=None)}
    return {
        "ids": {u: i for i, u, _, _ in rows},
        "copies": {u: uid_of.get(c) for _, u, c, _ in rows},
        "stories": _groups({u: s for _, u, _, s in rows}),
        "comparisons": comparisons,
        "rows": {frozenset(uid_of[i] for i, _, _, s2 in rows if s2 == s): r for s, r in stories.items()},
    }


def _spark(out: Path) -> dict:
    articles = pq.read_table(out / "articles").to_pylist()
    uid_of = {a["id"]: a["uid"] for a in articles}
    story_members: dict[int, frozenset] = {}
    for a in articles:
        story_members[a["story"]] = story_members.get(a["story"], frozenset()) | {a["uid"]}
    return {
        "articles": articles,
        "ids": {a["uid"]: a["id"] for a in articles},
        "copies": {a["uid"]: uid_of.get(a["copy_of"]) for a in articles},
        "stories": _groups({a["uid"]: a["story"] for a in articles}),
        "comparisons": {story_members[c["story"]]: c["comparison"] for c in pq.read_table(out / "comparisons").to_pylist()},
        "rows": {story_members[s["story"]]: s for s in pq.read_table(out / "stories").to_pylist()},
        "skipped": pq.read_table(out / "skipped").to_pylist(),
    }


def _groups(labels: dict) -> set[frozenset]:
    out: dict = {}
    for item, label in labels.items():
        out.setdefault(label, set()).add(item)
    return {frozenset(v) for v in out.values()}


def test_the_spark_job_gives_corpus_modes_answers(tmp_path, spark):
    expected = _corpus(tmp_path, [str(STORIES)])
    report = run([str(STORIES)], str(tmp_path / "out"), settings=SparkSettings(partitions=2), spark=spark)
    got = _spark(tmp_path / "out")
    assert report.articles == len(expected["ids"]) == 11 and report.skipped == 2 and report.copies == 1
    assert got["ids"] == expected["ids"]  # ids in input order, one per uid
    assert got["copies"] == expected["copies"]  # the wire copy points at its original
    assert got["stories"] == expected["stories"] and len(got["stories"]) == 3
    assert got["comparisons"] == expected["comparisons"] and len(got["comparisons"]) == 3  # byte for byte
    for members, row in expected["rows"].items():
        mine = got["rows"][members]
        assert (mine["title"], mine["first_published"], mine["last_published"], mine["articles"], mine["voices"], mine["outlets"]) == (
            row.title, row.first_published, row.last_published, row.articles, row.voices, row.outlets)
        assert mine["outlet_names"] == row.outlet_names
    # the per-article analyses made for the comparisons are written beside their articles, and restore
    from storydiff.article._stored import load_analysis
    from storydiff.store import ARTICLE_COLUMNS, article_from_columns

    analysed = [a for a in got["articles"] if a["analysis"] is not None]
    assert len(analysed) == 10  # every article but the copy
    article = article_from_columns(**{c: analysed[0][c] for c in ARTICLE_COLUMNS})
    assert load_analysis(analysed[0]["analysis"], article) and article.sentences and article.token_vectors is not None
    assert {(s["source"].rsplit(" ", 1)[-1], s["reason"]) for s in got["skipped"]} == {
        (a.rsplit(" ", 1)[-1], b) for a, b in _skipped_by_corpus_mode(tmp_path)
    }


def _skipped_by_corpus_mode(tmp_path: Path) -> set[tuple[str, str]]:
    with storydiff.Corpus(tmp_path / "corpus.db") as corpus:
        return set(corpus.store.db.execute("SELECT source, reason FROM skipped").fetchall())


def test_stories_cut_into_time_blocks_are_joined_where_they_meet(tmp_path, spark):
    """Blocks of 4 articles: the dam story (five articles over two days) cannot fit one block, so
    a cut falls inside it; the context each block takes from the one before joins it again."""
    expected = _corpus(tmp_path, [str(STORIES)])
    run([str(STORIES)], str(tmp_path / "out"), settings=SparkSettings(block_articles=4, compare_min_outlets=0), spark=spark)
    got = _spark(tmp_path / "out")
    assert got["stories"] == expected["stories"]
    assert got["comparisons"] == {}  # compare_min_outlets=0: none


def test_warc_and_parquet_inputs_and_bad_records_are_named(tmp_path, spark):
    import pyarrow as pa

    good = []
    for line in STORIES.read_text().splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue  # the fixture's own broken line
        if isinstance(record, dict) and record.get("text") and len(record["text"].split()) > 40:
            good.append(record)
    crawl = write_fixture_warc(good[5:8], tmp_path / "crawl.warc.gz")
    table = pa.Table.from_pylist([{k: r.get(k) for k in ("url", "outlet", "date", "title", "text")} for r in good[8:11]] + [
        {"url": None, "outlet": "Nobody", "date": None, "title": "No text", "text": None}])
    pq.write_table(table, tmp_path / "more.parquet")
    broken = tmp_path / "broken.jsonl"
    broken.write_text(json.dumps(good[0]) + "\n{not json\n", encoding="utf-8")
    report = run([str(crawl), str(tmp_path / "more.parquet"), str(broken)], str(tmp_path / "out"),
                 settings=SparkSettings(compare_min_outlets=0), spark=spark)
    got = _spark(tmp_path / "out")
    assert report.articles == 7
    by_source = sorted(a["source"] for a in got["articles"])
    assert sum(s.startswith(str(tmp_path / "more.parquet") + " row ") for s in by_source) == 3
    assert {a["url"] for a in got["articles"] if a["input"] == 0} == {r["url"] for r in good[5:8]}  # the WARC's pages, not its redirect or image
    assert all("All rights reserved" not in a["text"] for a in got["articles"])
    reasons = {s["source"]: s["reason"] for s in got["skipped"]}
    assert "not valid JSON" in reasons[f"{broken} line 2"]
    assert f"{tmp_path / 'more.parquet'} row 4" in reasons


def test_an_input_of_no_known_kind_is_refused_before_anything_runs(tmp_path):
    with pytest.raises(ValueError, match="not an input the Spark job reads"):
        run([str(tmp_path / "notes.csv")], str(tmp_path / "out"), spark=object())


def test_a_sample_of_real_articles_gets_corpus_modes_answers(tmp_path, spark):
    """2,000 allsides articles of a few dense weeks (the issue's sample, as
    benchmarks/spark_agreement.py draws it): the same ids, copy groups and stories as corpus
    mode, and the same JSON for the most widely told story."""
    import gzip

    dump = shared_path("data", "allsides-articles", "articles.jsonl.gz")
    rows = []
    with gzip.open(dump, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if (record.get("date") or "") >= "2019-01-01":
                rows.append(((record["date"], record["id"]), line))
    sample = tmp_path / "sample.jsonl"
    sample.write_text("".join(line for _, line in sorted(rows)[:2000]), encoding="utf-8")
    expected = _corpus(tmp_path, [str(sample)], compare=False)
    run([str(sample)], str(tmp_path / "out"), settings=SparkSettings(compare_min_outlets=2, compare_limit=1), spark=spark)
    got = _spark(tmp_path / "out")
    assert got["ids"] == expected["ids"] and got["copies"] == expected["copies"]
    assert got["stories"] == expected["stories"]
    [(members, comparison)] = got["comparisons"].items()
    with storydiff.Corpus(tmp_path / "corpus.db") as corpus:
        story = corpus.store.db.execute("SELECT story FROM articles WHERE uid = ?", (next(iter(members)),)).fetchone()[0]
        assert len(members) == corpus.story(story).articles >= 10  # the widest: a dozen outlets
        assert comparison == corpus.compare(story).to_json(indent=None)


def test_the_command_names_an_input_it_cannot_read_and_stops(tmp_path):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "storydiff", "spark", str(tmp_path / "notes.csv"), "--out", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == f"storydiff: {tmp_path / 'notes.csv'}: not an input the Spark job reads (JSON lines, Parquet or WARC, by the file name)"
    assert not (tmp_path / "out").exists()


def test_inputs_are_told_apart_by_corpus_modes_suffixes():
    from storydiff.scale._articles import input_kind

    assert [input_kind(n) for n in ("a.jsonl", "b.NDJSON.gz", "c.warc.gz", "d.warc", "e.parquet", "hdfs://x/f/parquet/")] == [
        "dump", "dump", "warc", "warc", "parquet", "parquet"
    ]
    for name in ("one-article.json", "one-article.json.gz", "page.html"):  # one article each to corpus mode, not JSON lines
        with pytest.raises(ValueError):
            input_kind(name)
