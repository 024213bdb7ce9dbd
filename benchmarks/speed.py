"""Speed and memory of storydiff on this machine.

1. cold: `storydiff compare presstv.txt middleeasteye.txt --format json` in a new process each
   time (import, model load, reading, analysis, output), median of 5, with the peak memory;
2. warm: `storydiff.compare()` of the same pair in a process that has already run once, median of 20
   (with the fastest and slowest run: the spread on a shared machine): with the per-article
   analysis of the pair cached (comparing it again, as a corpus does), and without (as for a pair
   never seen: the cache emptied before each run);
3. embedding throughput: sentences per second through the encoder, on 1,000 real news sentences;
4. a time per stage of the warm run, each stage run alone (the stages of a parallel step one after
   the other, as before it existed), and the time of each parallel step as the pipeline runs it.

    python benchmarks/speed.py
"""

from __future__ import annotations

import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from datasets import SHARED, neus_events, require  # noqa: E402

PAIR = [SHARED / "examples" / "iraq-withdrawal" / "presstv.txt", SHARED / "examples" / "iraq-withdrawal" / "middleeasteye.txt"]


def cold(runs: int = 5) -> tuple[float, float]:
    command = [sys.executable, "-m", "storydiff", "compare", *map(str, PAIR), "--format", "json"]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return statistics.median(times), peak_mb


def warm(runs: int = 20) -> tuple[list[float], dict[str, float], dict[str, float]]:
    """Times of `runs` warm compare() calls, the median time of each stage alone, and the median
    time of each parallel step."""
    import storydiff
    from storydiff._models import Comparison
    from storydiff.pipeline import Parallel, default_pipeline

    inputs = [str(p) for p in PAIR]
    storydiff.compare(inputs)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        storydiff.compare(inputs)
        times.append(time.perf_counter() - started)
    # Per stage, on the same inputs: every stage alone (no cache) ...
    pipeline = default_pipeline()
    stages: dict[str, list[float]] = {"read": []} | {name: [] for name in pipeline.names}
    for _ in range(runs):
        started = time.perf_counter()
        articles, _ = storydiff.read(inputs)
        stages["read"].append(time.perf_counter() - started)
        comparison = Comparison(articles)
        for component in pipeline.stages:
            started = time.perf_counter()
            component(comparison)
            stages[component.name].append(time.perf_counter() - started)
    # ... and each parallel step as the pipeline runs it.
    steps: dict[str, list[float]] = {c.name: [] for c in pipeline.components if isinstance(c, Parallel)}
    for _ in range(runs if steps else 0):
        comparison = Comparison(storydiff.read(inputs)[0])
        for component in pipeline.components:
            started = time.perf_counter()
            component(comparison)
            if isinstance(component, Parallel):
                steps[component.name].append(time.perf_counter() - started)
    return times, {k: statistics.median(v) for k, v in stages.items()}, {k: statistics.median(v) for k, v in steps.items()}


def warm_uncached(runs: int = 20) -> list[float]:
    """Warm compare() of the pair with the per-article cache emptied before each run: the time of
    a pair the process has not seen, with the models loaded."""
    import storydiff
    from storydiff.pipeline import default_pipeline

    pipeline = default_pipeline()
    inputs = [str(p) for p in PAIR]
    storydiff.compare(inputs, pipeline=pipeline)
    times = []
    for _ in range(runs):
        pipeline.cache = type(pipeline.cache)()
        started = time.perf_counter()
        storydiff.compare(inputs, pipeline=pipeline)
        times.append(time.perf_counter() - started)
    return times


def warm_without(names: set[str], runs: int = 20) -> float:
    """Warm compare() of the pair with some pipeline stages left out (to price what they add),
    with nothing cached."""
    import storydiff
    from storydiff.pipeline import default_pipeline

    pipeline = default_pipeline().without(names)
    pipeline.cache = None
    inputs = [str(p) for p in PAIR]
    storydiff.compare(inputs, pipeline=pipeline)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        storydiff.compare(inputs, pipeline=pipeline)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def throughput(count: int = 1000) -> tuple[float, float]:
    import blingfire

    from storydiff.article.embed import shared_encoder

    sentences = []
    for event in neus_events("train"):
        for article in event:
            if article["text"]:
                sentences.extend(blingfire.text_to_sentences(article["text"]).split("\n"))
        if len(sentences) >= count:
            break
    sentences = sentences[:count]
    encoder = shared_encoder()
    encoder.embed(sentences[:32])
    started = time.perf_counter()
    encoder.embed(sentences)
    elapsed = time.perf_counter() - started
    words = sum(len(s.split()) for s in sentences) / len(sentences)
    return len(sentences) / elapsed, words


def main() -> None:
    require(PAIR[0])
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    cold_s, peak = cold()
    print(f"cold compare of the example pair to JSON (new process, median of 5): {cold_s:.2f} s, peak memory {peak:.0f} MB")
    times, stages, steps = warm()
    warm_s = statistics.median(times)
    print(f"warm compare() of the example pair, per-article analysis cached (median of 20): {warm_s * 1000:.0f} ms (fastest {min(times) * 1000:.0f}, slowest {max(times) * 1000:.0f})")
    fresh = warm_uncached()
    fresh_s = statistics.median(fresh)
    print(f"warm compare() of the example pair, nothing cached (median of 20): {fresh_s * 1000:.0f} ms (fastest {min(fresh) * 1000:.0f}, slowest {max(fresh) * 1000:.0f})")
    print("  per stage, each alone: " + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in stages.items()))
    for name, seconds in steps.items():
        print(f"  parallel step {name}: {seconds * 1000:.0f} ms")
    bare = warm_without({"quotes", "sources", "quote_groups"})
    print(f"  without quotes and sources (nothing cached): {bare * 1000:.0f} ms, so they add {100 * (fresh_s - bare) / bare:.0f}%")
    rate, words = throughput()
    print(f"embedding throughput: {rate:.0f} sentences/s (1,000 NeuS sentences, {words:.0f} words on average)")


if __name__ == "__main__":
    main()
