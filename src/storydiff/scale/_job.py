"""The Spark job: corpus mode's steps over an RDD instead of a store.

    inputs --read (per article: finish, signature)--> articles, one per uid, ids in input order
           --copies (bands, confirmed pairs, components, CopyFinder each)--> copy_of
           --vectors (per article: static encoder, StoryFeatures)--> features of articles that are no copies
           --stories (time blocks of StoryClusterer, joined across cuts)--> story of each article
           --compare (per story: plan_comparison, the pipeline)--> comparison JSON, per-article analyses
    written as Parquet: OUT/articles, OUT/stories, OUT/comparisons, OUT/skipped

Every computation is a function corpus mode runs too; this module only moves rows between them.
Models load once per Python worker (process-wide singletons, and Spark reuses its workers).
"""

from __future__ import annotations

import itertools
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .._models import Article, Skipped
from ..corpus._corpus import MAX_COMPARED
from ._articles import article_row, input_kind, read_items
from ._compare import compare_stories
from ._copies import find_copies
from ._stories import cluster_stories


@dataclass
class SparkSettings:
    """How the job runs. `master` None leaves it to spark-submit (a cluster's own)."""

    master: str | None = "local[2]"
    block_articles: int = 50_000  # articles clustered in one task (see _stories)
    compare_min_outlets: int = 2  # stories of this many outlets or more are compared; 0: none
    compare_limit: int | None = None  # at most this many of them: the widest (most outlets, then articles)
    max_articles: int = MAX_COMPARED  # articles compared per story, as corpus mode
    partitions: int | None = None  # shuffle partitions; None: 2 per core of a local master, else Spark's
    driver_memory: str = "6g"  # a local master's one JVM (its default 1g runs out writing a corpus's texts)


@dataclass
class JobReport:
    items: int = 0
    articles: int = 0
    skipped: int = 0
    copies: int = 0
    stories: int = 0
    multi_outlet_stories: int = 0
    compared: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def session(settings: SparkSettings):
    """A SparkSession for the job: this Python for the workers, no web UI (nothing listens
    beyond what Spark itself needs), quiet logs."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    builder = (
        SparkSession.builder.appName("storydiff").config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")  # the CLI shows the job's own steps
    )
    if settings.master:
        builder = builder.master(settings.master)
        if settings.master.startswith("local"):
            builder = (
                builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.memory", settings.driver_memory)
            )
    partitions = settings.partitions or (_local_cores(settings.master) * 2 if settings.master and settings.master.startswith("local") else None)
    if partitions:
        builder = builder.config("spark.sql.shuffle.partitions", str(partitions)).config("spark.default.parallelism", str(partitions))
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def _local_cores(master: str) -> int:
    inside = master[len("local"):].strip("[]")
    if inside in ("", "*"):
        return os.cpu_count() or 1
    return max(1, int(inside.split(",")[0]))


def run(
    sources: Sequence[str],
    out: str,
    *,
    settings: SparkSettings | None = None,
    options=None,
    mapping=None,
    spark=None,
    progress: Callable[[str], None] | None = None,
) -> JobReport:
    """Run the job over `sources` (JSON lines, Parquet, WARC; any path Spark reads) and write
    Parquet under `out`. Uses `spark` if given, else starts a session from `settings`."""
    from ..ingest import IngestOptions

    settings = settings or SparkSettings()
    options = options or IngestOptions()
    for source in sources:
        input_kind(source)  # ValueError, before anything starts, for an input of no known kind
    own = spark is None
    spark = spark or session(settings)
    report = JobReport()
    say = progress or (lambda message: None)
    clock = [time.perf_counter()]

    def lap(name: str) -> None:
        now = time.perf_counter()
        report.seconds[name] = round(now - clock[0], 2)
        clock[0] = now

    try:
        say("reading and cleaning articles")
        items = read_items(spark, list(sources), options, mapping).cache()
        report.items = items.count()
        skipped = items.filter(lambda kv: isinstance(kv[1], Skipped)).map(lambda kv: (*kv[0], kv[1].source, kv[1].reason)).cache()
        report.skipped = skipped.count()  # kept apart (small), so the read items can be let go
        rows = items.filter(lambda kv: isinstance(kv[1], Article)).map(lambda kv: article_row(kv[0], kv[1]))
        firsts = rows.map(lambda r: (r["uid"], r)).reduceByKey(lambda a, b: a if a["place"] <= b["place"] else b).values()
        ranked = firsts.sortBy(lambda r: r["place"]).zipWithIndex().map(lambda t: {**t[0], "id": t[1] + 1}).cache()
        report.articles = ranked.count()
        lap("read")

        say("finding copies")
        copies = find_copies(ranked.map(lambda r: (r["id"], r["signature"], r["words"]))).map(lambda t: (t[0], (t[1], t[2])))
        marked = ranked.map(lambda r: (r["id"], r)).leftOuterJoin(copies).map(_with_copy).cache()
        report.copies = marked.filter(lambda r: r["copy_of"] is not None).count()
        lap("copies")

        say("article vectors")
        features = marked.filter(lambda r: r["copy_of"] is None).mapPartitions(_features).cache()
        features.count()
        lap("vectors")

        say("clustering stories")
        labels = cluster_stories(features, settings.block_articles)  # (id, label)
        copy_labels = marked.filter(lambda r: r["copy_of"] is not None).map(lambda r: (r["copy_of"], r["id"])).join(labels).map(lambda kv: (kv[1][0], kv[1][1]))
        every = labels.union(copy_labels).coalesce(spark.sparkContext.defaultParallelism)  # a union adds partitions up
        # stories numbered 1, 2, ... in the order of their first article
        numbers = every.map(lambda kv: (kv[1], kv[0])).reduceByKey(min).sortBy(lambda kv: kv[1]).keys().zipWithIndex().map(lambda t: (t[0], t[1] + 1))
        story_of = every.map(lambda kv: (kv[1], kv[0])).join(numbers).map(lambda kv: (kv[1][0], kv[1][1]))
        placed = marked.map(lambda r: (r["id"], r)).leftOuterJoin(story_of).map(lambda kv: {**kv[1][0], "story": kv[1][1]}).cache()
        # a story's row needs a few fields of its members, not their texts: only those are shuffled
        summary_fields = placed.filter(lambda r: r["story"] is not None).map(
            lambda r: (r["story"], (r["published"], r["id"], r["title"], r["outlet"], r["copy_of"]))
        )
        stories = summary_fields.groupByKey().map(lambda kv: _story_row(kv[0], kv[1])).cache()
        report.stories = stories.count()
        report.multi_outlet_stories = stories.filter(lambda s: s["outlets"] >= 2).count()
        for done in (items, ranked, marked, features):  # what is left to do reads `placed` and `stories`
            done.unpersist()
        lap("stories")

        comparisons = spark.sparkContext.emptyRDD()
        if settings.compare_min_outlets > 0:
            say("comparing stories")
            least = settings.compare_min_outlets
            eligible = stories.filter(lambda s: s["outlets"] >= least and s["voices"] >= 2)
            if settings.compare_limit is not None:  # the widest: most outlets, then most articles, then first
                widest = eligible.map(lambda s: ((-s["outlets"], -s["articles"]), s["story"])).takeOrdered(settings.compare_limit)
                chosen = {story for _, story in widest}
                eligible = eligible.filter(lambda s: s["story"] in chosen)
            wanted = eligible.map(lambda s: (s["story"], True))
            members = placed.map(lambda r: (r["story"], r)).join(wanted).map(lambda kv: (kv[0], kv[1][0]))
            comparisons = compare_stories(members, max_articles=settings.max_articles).cache()
            report.compared = comparisons.count()
            lap("compare")

        say("writing Parquet")
        analyses = comparisons.flatMap(lambda c: [(article, (key, data)) for article, key, data in c[3]])
        final = placed.map(lambda r: (r["id"], r)).leftOuterJoin(analyses).map(_with_analysis)
        _write(spark, out, final, stories, comparisons, skipped)
        lap("write")
        return report
    finally:
        if own:
            spark.stop()


def _with_copy(kv):
    row, copy = kv[1]
    return {**row, "copy_of": copy[0] if copy else None, "copy_similarity": copy[1] if copy else None}


def _with_analysis(kv):
    row, analysis = kv[1]
    return {**row, "analysis_key": analysis[0] if analysis else None, "analysis": analysis[1] if analysis else None}


def _features(rows):
    """Clustering features of a partition's articles: (id, day, features), made by corpus mode's
    own `article_features`, in batches of the size `build_features` takes from the store."""
    from ..corpus._steps import VECTOR_BATCH, article_features

    rows = iter(rows)
    while batch := list(itertools.islice(rows, VECTOR_BATCH * 8)):
        features = article_features([(r["title"], r["text"], r["day"], r["outlet"]) for r in batch])
        for row, data in zip(batch, features):
            yield row["id"], row["day"], data


def _story_row(story: int, members) -> dict:
    """From (published, id, title, outlet, copy_of) of each member."""
    from ..store import story_summary

    members = sorted(members, key=lambda m: (m[0] or "9999", m[1]))  # as the store lists a story's articles
    summary = story_summary([(title, published, outlet, copy_of) for published, _, title, outlet, copy_of in members])
    return {"story": story, **summary, "article_ids": [m[1] for m in members]}


def _article_tuple(row: dict, names: list[str]) -> tuple:
    full = {**row, "input": row["place"][0], "position": row["place"][1]}
    return tuple(full[name] for name in names)


def _write(spark, out: str, articles, stories, comparisons, skipped) -> None:
    from pyspark.sql.types import (
        ArrayType, BinaryType, DoubleType, IntegerType, LongType, StringType, StructField, StructType,
    )

    text = StringType()
    article_fields = [
        ("id", LongType()), ("uid", text), ("input", IntegerType()), ("position", LongType()), ("source", text),
        ("url", text), ("canonical_url", text), ("outlet", text), ("title", text), ("published", text), ("day", IntegerType()),
        ("author", text), ("input_format", text), ("encoding", text), ("text", text), ("captions", text), ("furniture", text),
        ("warnings", text), ("words", IntegerType()), ("signature", BinaryType()), ("copy_of", LongType()),
        ("copy_similarity", DoubleType()), ("story", LongType()), ("analysis_key", text), ("analysis", BinaryType()),
    ]
    schema = StructType([StructField(name, kind) for name, kind in article_fields])
    names = [name for name, _ in article_fields]
    rows = articles.map(lambda r: _article_tuple(r, names))
    spark.createDataFrame(rows, schema).write.mode("overwrite").parquet(f"{out}/articles")

    story_fields = [
        ("story", LongType()), ("title", text), ("first_published", text), ("last_published", text), ("articles", IntegerType()),
        ("voices", IntegerType()), ("outlets", IntegerType()), ("outlet_names", ArrayType(text)), ("article_ids", ArrayType(LongType())),
    ]
    schema = StructType([StructField(name, kind) for name, kind in story_fields])
    spark.createDataFrame(stories.map(lambda s: tuple(s[name] for name, _ in story_fields)), schema).write.mode("overwrite").parquet(f"{out}/stories")

    schema = StructType([StructField("story", LongType()), StructField("key", text), StructField("comparison", text)])
    spark.createDataFrame(comparisons.map(lambda c: (c[0], c[1], c[2])), schema).write.mode("overwrite").parquet(f"{out}/comparisons")

    schema = StructType([StructField("input", IntegerType()), StructField("position", LongType()), StructField("source", text), StructField("reason", text)])
    spark.createDataFrame(skipped, schema).write.mode("overwrite").parquet(f"{out}/skipped")
