"""Connected components of a graph held as a Spark RDD of edges.

Spark ships no graph library for Python without an extra package (GraphFrames is a separate
JVM artefact, which CI cannot download), and the graphs here are sparse and shallow (copy groups,
stories joined across time blocks), so min-label propagation is enough: every vertex takes the
smallest label among itself and its neighbours until nothing changes; the rounds are the
graph's diameter, a handful here. Each round is a join, never an all-pairs step.
"""

from __future__ import annotations

from typing import Any


def components(edges: Any) -> Any:
    """RDD of (vertex, label) for every vertex that has an edge; label = the smallest vertex of
    its component (vertices must be orderable: ints or tuples)."""
    # Partition counts are fixed: without spark.default.parallelism in the conf (spark-submit's
    # default) a union adds its parents' partitions up, and the rounds would multiply them.
    parts = edges.context.defaultParallelism
    both = edges.flatMap(lambda e: [(e[0], e[1]), (e[1], e[0])]).distinct(parts).cache()
    labels = both.map(lambda e: (e[0], e[0])).reduceByKey(min, parts).cache()
    while True:
        offers = both.join(labels, parts).map(lambda kv: (kv[1][0], kv[1][1]))  # (u, v) with label(u) -> (v, label(u))
        merged = labels.union(offers).reduceByKey(min, parts).cache()
        changed = merged.join(labels, parts).filter(lambda kv: kv[1][0] != kv[1][1]).count()
        labels.unpersist()
        labels = merged
        if not changed:
            both.unpersist()
            return labels
