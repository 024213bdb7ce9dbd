"""Stage 5 at scale: the corpus pipeline as an Apache Spark job (PySpark 4, the `spark` extra).

    from storydiff.scale import SparkSettings, run
    report = run(["articles.jsonl.gz", "crawl.warc.gz"], "out/", settings=SparkSettings(master="local[2]"))

or `storydiff spark SOURCE... --out DIR`, or spark-submit of `storydiff/scale/__main__.py` on a
cluster (docs/scaling.md). The job computes nothing of its own: reading, copies, vectors, stories and
comparisons are corpus mode's functions, moved between Spark partitions (`_job`); docs/scaling.md
says what it costs and how to size a cluster.
"""

from ._job import JobReport, SparkSettings, run, session

__all__ = ["JobReport", "SparkSettings", "run", "session"]
