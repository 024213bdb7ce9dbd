"""Reading inputs into articles, in Spark partitions: the per-article half of corpus mode.

Each item goes through the very function corpus mode runs on it (`ingest.stream.finish`: decode,
extract or clean, fill from the listing, check the length), then gets the same MinHash signature
(`corpus.dedup.signature`). What an input is comes from its name:

* JSON lines (`.jsonl`, `.ndjson`, gzipped or not; a `.json` file is one article to corpus
  mode, and not read here): Spark's text reader, so any Hadoop-compatible path and Spark's splitting of plain files; a line is parsed as
  `ingest.dumps` parses it (with the same field mapping), named "PATH line N".
* Parquet (`.parquet`, or a folder of it): Spark's Parquet reader; a row is a record as a JSON
  line would be, named "PATH row N".
* WARC (`.warc`, `.warc.gz`): one task per file, streamed record by record through
  `ingest.warc.read_warc` (never a whole file in memory); local paths and `file://`, other
  schemes through fsspec where it is installed.

Every item keeps its place, (input number, position), so that articles get the ids corpus mode
would give them: the same article twice (one uid) is kept once, at its first place.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .._models import Article, Skipped

def input_kind(source: str) -> str:
    """"dump", "parquet" or "warc", from the name (dumps and WARC by the suffixes corpus mode
    reads them by: `.json` is one article there, not JSON lines); ValueError for anything else."""
    from ..ingest.stream import _DUMP_SUFFIXES, _WARC_SUFFIXES, _suffix

    name = source.rstrip("/").lower()
    suffix = _suffix(name)
    if suffix in _DUMP_SUFFIXES:
        return "dump"
    if name.endswith(".parquet") or name.endswith("/parquet"):
        return "parquet"
    if suffix in _WARC_SUFFIXES:
        return "warc"
    raise ValueError(f"{source}: not an input the Spark job reads (JSON lines, Parquet or WARC, by the file name)")


def read_items(spark, sources: list[str], options, mapping) -> Any:
    """RDD of ((input number, position), Article or Skipped) for every item of every input."""
    sc = spark.sparkContext
    settings = sc.broadcast((options, mapping))
    parts = []
    warcs = []
    for number, source in enumerate(sources):
        kind = input_kind(source)
        if kind == "dump":
            lines = sc.textFile(source).zipWithIndex()
            parts.append(lines.mapPartitions(lambda rows, n=number, s=source: _dump_items(rows, n, s, settings.value)))
        elif kind == "parquet":
            rows = spark.read.parquet(source).rdd.zipWithIndex()
            parts.append(rows.mapPartitions(lambda rows, n=number, s=source: _parquet_items(rows, n, s, settings.value)))
        else:
            warcs.append((number, source))
    if warcs:
        tasks = sc.parallelize(warcs, len(warcs))
        parts.append(tasks.flatMap(lambda task: _warc_items(task[0], task[1], settings.value)))
    return sc.union(parts) if len(parts) > 1 else parts[0]


def _finish(origin: str, position: int, record, options) -> Article | Skipped:
    """What `finish` makes of a record or document; Skipped for a line that parsed to none (its InputError)."""
    from .._exceptions import InputError
    from ..ingest.stream import Pending, finish

    if isinstance(record, InputError):
        return Skipped(record.source, record.reason)
    return finish(Pending(origin, position, record, url=getattr(record, "url", None)), options)


def _dump_items(rows, number: int, source: str, settings):
    from ..ingest.dumps import _parse_line, oversized_line

    options, mapping = settings
    for line, index in rows:
        data = line.encode("utf-8")
        if not data.strip():
            continue
        where = f"{source} line {index + 1}"
        # the cap is on the line without its ending (as corpus mode's reader has it); the parse gets
        # the ending back (Spark drops it), so a line cut short is reported at the same place
        record = oversized_line(where, options.max_bytes) if len(data) > options.max_bytes else _parse_line(data + b"\n", where, mapping or None)
        yield (number, index), _finish(source, index, record, options)


def _parquet_items(rows, number: int, source: str, settings):
    from ..ingest.dumps import _parse_line

    options, mapping = settings
    for row, index in rows:
        line = json.dumps(row.asDict(recursive=True), default=str).encode()  # dates and decimals as a JSON line has them
        yield (number, index), _finish(source, index, _parse_line(line, f"{source} row {index + 1}", mapping or None), options)


def _warc_items(number: int, source: str, settings):
    from .._exceptions import InputError
    from ..ingest.warc import read_warc

    options, _ = settings
    try:
        handle = _open(source)
    except (OSError, ImportError) as exc:
        yield (number, -1), Skipped(source, f"cannot be read ({exc})")
        return
    with handle:
        try:
            for position, document in read_warc(handle, source, max_bytes=options.max_bytes):
                if document is not None:
                    yield (number, position), _finish(source, position, document, options)
        except InputError as error:  # the file breaks off: what came before stays good
            yield (number, -1), Skipped(error.source, error.reason)


def _open(source: str):
    if source.startswith("file://"):
        return open(source[len("file://"):], "rb")  # noqa: SIM115
    if "://" in source:
        import fsspec  # optional: hdfs://, s3://, gs:// ... as the cluster has them

        return fsspec.open(source, "rb").open()
    return open(Path(source).expanduser(), "rb")  # noqa: SIM115


def article_row(place: tuple[int, int], article: Article) -> dict:
    """What is kept of an article, as corpus mode's store keeps it, plus its signature."""
    from ..corpus.dedup import signature, to_blob
    from ..ingest import word_count
    from ..store import article_columns, day_number

    return {
        "place": place, "uid": article.uid, "canonical_url": article.canonical_url, "day": day_number(article.published),
        "words": word_count(article.text), "signature": to_blob(signature(article.text)), **article_columns(article),
    }
