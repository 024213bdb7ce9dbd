"""`storydiff spark`: the corpus pipeline as a Spark job; flags mirror `storydiff.scale.SparkSettings`."""

from __future__ import annotations

import time
from typing import Annotated, Optional

import typer

from . import app
from ._output import ExitCode, error, stderr, stdout
from .corpus import _n


@app.command()
def spark(
    sources: Annotated[list[str], typer.Argument(help="JSON-lines dumps (.jsonl, .jsonl.gz), Parquet (.parquet, or a folder of it) and WARC files (.warc, .warc.gz), at any path Spark reads (local, hdfs://, s3a://, ...).", show_default=False)],
    out: Annotated[str, typer.Option("--out", help="Where the Parquet datasets go: OUT/articles, OUT/stories, OUT/comparisons, OUT/skipped (replaced if there).", show_default=False)],
    master: Annotated[Optional[str], typer.Option("--master", help="Spark master: local[2], spark://host:7077, yarn, k8s://... ('' = the one spark-submit gives).")] = "local[2]",
    block_articles: Annotated[int, typer.Option("--block-articles", help="Articles clustered into stories by one task (time blocks; stories meeting at a cut are joined).", min=100)] = 50_000,
    compare_min_outlets: Annotated[int, typer.Option("--compare-min-outlets", help="Compare stories told by at least this many outlets (0: compare none).", min=0)] = 2,
    compare_limit: Annotated[Optional[int], typer.Option("--compare-limit", help="Compare at most this many stories, the most widely told first.", min=1)] = None,
    field: Annotated[Optional[list[str]], typer.Option("--field", help="For dumps whose field names differ: NAME=FIELD (as storydiff ingest).")] = None,
    partitions: Annotated[Optional[int], typer.Option("--partitions", help="Shuffle partitions (default: 2 per local core; Spark's own on a cluster).", min=1)] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress and no summary; errors only.")] = False,
) -> None:
    """Run ingest, copies, stories and comparisons on Apache Spark for a corpus beyond one machine,
    with the same answers as `storydiff ingest` and `storydiff story` (needs the spark extra and Java 17)."""
    import storydiff

    try:
        import pyspark  # noqa: F401
    except ImportError:
        error("the Spark job needs PySpark: pip install 'storydiff[spark]' (and a Java 17 runtime)")
        raise typer.Exit(ExitCode.USAGE) from None
    from storydiff.ingest.stream import FieldMapping
    from storydiff.scale import SparkSettings, run
    from storydiff.scale._articles import input_kind

    for source in sources:
        try:
            input_kind(source)
        except ValueError as exc:
            error(str(exc))
            raise typer.Exit(ExitCode.USAGE) from None
    try:
        mapping = FieldMapping.parse(field or []) if field else None
    except storydiff.InvalidArgument as exc:
        error(f"--field: {exc}")
        raise typer.Exit(ExitCode.USAGE) from None
    settings = SparkSettings(
        master=master or None, block_articles=block_articles, compare_min_outlets=compare_min_outlets,
        compare_limit=compare_limit, partitions=partitions,
    )
    began = time.monotonic()

    def progress(step: str) -> None:
        if not quiet:
            stderr.print(f"[dim]{time.monotonic() - began:7.1f} s[/dim]  {step}")

    try:
        report = run(sources, out, settings=settings, mapping=mapping, progress=progress)
    except Exception as exc:  # noqa: BLE001 - Py4J and Spark errors share no base; said in one line
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        error(f"the Spark job failed: {first[:500]}")
        raise typer.Exit(ExitCode.ERROR) from None
    if not quiet:
        stdout.print(
            f"Read {_n(report.items, 'item')}: {_n(report.articles, 'article')} ({_n(report.copies, 'copy', 'copies')}), "
            f"{report.skipped:,} skipped; {_n(report.stories, 'story', 'stories')}, {report.multi_outlet_stories:,} told by two "
            f"outlets or more; {report.compared:,} compared. Written to {out}/ (articles, stories, comparisons, skipped)."
        )
    if report.skipped:
        raise typer.Exit(ExitCode.SKIPPED)
