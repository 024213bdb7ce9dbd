"""Stored articles out as JSON lines or Parquet, streamed: a corpus never has to fit in memory."""

from __future__ import annotations

import json
import os
from pathlib import Path

from .._exceptions import InvalidArgument, StoreError
from ..store import Store

COLUMNS = (
    "id", "uid", "story", "copy_of", "copy_similarity", "outlet", "title", "published", "author", "url",
    "canonical_url", "source", "words", "added", "text",
)
_FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet", ".pq": "parquet"}
BATCH = 2000


def export(store: Store, path: Path, *, format: str | None = None, text: bool = True, story: int | None = None) -> int:
    format = format or _FORMATS.get(path.suffix.lower())
    if format not in ("jsonl", "parquet"):
        raise InvalidArgument("format", f"cannot tell the format of {path.name}: give jsonl or parquet")
    if not path.parent.is_dir():
        raise StoreError(f"cannot write {path}: the folder {path.parent} does not exist")
    columns = [c for c in COLUMNS if text or c != "text"]
    where, params = ("story = ?", (int(story),)) if story is not None else ("1", ())
    cursor = store.db.execute(f"SELECT {', '.join(columns)} FROM articles WHERE {where} ORDER BY id", params)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        count = _parquet(cursor, columns, temporary) if format == "parquet" else _jsonl(cursor, columns, temporary)
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return count


def _jsonl(cursor, columns: list[str], path: Path) -> int:
    count = 0
    with path.open("w", encoding="utf-8") as handle:
        while rows := cursor.fetchmany(BATCH):
            for row in rows:
                handle.write(json.dumps(dict(zip(columns, row)), ensure_ascii=False) + "\n")
            count += len(rows)
    return count


def _parquet(cursor, columns: list[str], path: Path) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise InvalidArgument("format", "Parquet needs pyarrow (pip install 'storydiff[parquet]'); or write .jsonl") from None
    types = {"id": pa.int64(), "story": pa.int64(), "copy_of": pa.int64(), "copy_similarity": pa.float64(), "words": pa.int64()}
    schema = pa.schema([(c, types.get(c, pa.string())) for c in columns])
    count = 0
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        while rows := cursor.fetchmany(BATCH):
            writer.write_table(pa.Table.from_pylist([dict(zip(columns, row)) for row in rows], schema=schema))
            count += len(rows)
    return count
