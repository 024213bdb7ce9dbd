"""Corpus mode at scale: ingest, copies and stories for all 37,554 articles of allsides-articles.

    python benchmarks/corpus_allsides.py [--limit N] [--workers 2] [--keep DIR]

Runs `storydiff ingest` as a user would (a subprocess) in two parts: every article but the last
1,000, into a new store; then the last 1,000 into that store (the "adding to a corpus" case).
Reports each part's wall time, the time of each step, and the peak memory of the whole process
tree (the command and its worker processes, summed, sampled every 0.2 s from /proc). Then a few
store figures: copies, stories, stories told by several outlets, and the time to compare one
stored 3-article story cold and warm.

The dump is split into two files under a temporary folder (never into the repository).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

DUMP = Path(__file__).resolve().parents[2] / "shared" / "data" / "allsides-articles" / "articles.jsonl.gz"


def tree_rss(pid: int) -> int:
    """Resident memory of a process and all its descendants, in bytes."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            ppid = int(fields[1])
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
            children.setdefault(ppid, []).append(int(entry))
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo.extend(children.get(p, []))
    return total


def run(command: list[str]) -> tuple[float, int, str]:
    began = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss(process.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    done.set()
    sampler.join()
    if process.returncode not in (0, 3):
        sys.exit(f"failed ({process.returncode}): {err[-2000:]}")
    return time.perf_counter() - began, peak, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=0, help="only the first N articles (0: all)")
    parser.add_argument("--added", type=int, default=1000, help="articles ingested in the second run")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", help="keep the store in this folder")
    args = parser.parse_args()
    if not DUMP.exists():
        sys.exit(f"needs {DUMP}")
    folder = Path(args.keep or tempfile.mkdtemp(prefix="sd-allsides-"))
    folder.mkdir(parents=True, exist_ok=True)
    first, second = folder / "first.jsonl.gz", folder / "second.jsonl.gz"
    with gzip.open(DUMP, "rt") as handle:
        lines = handle.readlines()
    if args.limit:
        lines = lines[: args.limit]
    cut = len(lines) - args.added
    with gzip.open(first, "wt", compresslevel=1) as handle:
        handle.writelines(lines[:cut])
    with gzip.open(second, "wt", compresslevel=1) as handle:
        handle.writelines(lines[cut:])
    db = folder / "allsides.db"
    db.unlink(missing_ok=True)
    base = [sys.executable, "-m", "storydiff", "ingest", "--db", str(db), "--workers", str(args.workers)]
    print(f"machine: {os.cpu_count()} cores; articles: {len(lines):,} ({cut:,} then {args.added:,})")
    seconds, peak, out = run(base + [str(first)])
    print(f"first run  {cut:>7,} articles: {seconds:7.1f} s, peak memory {peak / 2**20:,.0f} MB")
    print("  " + out.strip().replace("\n", "\n  "))
    seconds, peak, out = run(base + [str(second)])
    print(f"second run {args.added:>7,} articles: {seconds:7.1f} s, peak memory {peak / 2**20:,.0f} MB")
    print("  " + out.strip().replace("\n", "\n  "))

    import storydiff

    with storydiff.Corpus(db) as corpus:
        steps = json.loads(corpus.store.get_state("last_run_seconds") or "{}")
        if steps:
            print("  steps of the last run (s): " + ", ".join(f"{k} {v:.1f}" for k, v in steps.items()))
        summary = corpus.summary()
        print("store: " + ", ".join(f"{k} {v:,}" for k, v in summary.items()) + f"; file {db.stat().st_size / 2**20:,.0f} MB")
        sizes = corpus.store.db.execute("SELECT voices, count(*) FROM stories GROUP BY voices ORDER BY voices").fetchall()
        print("stories by articles (no copies): " + ", ".join(f"{n}:{c}" for n, c in sizes[:12]))
        three = [r for r in corpus.stories(min_outlets=3, limit=None) if r.voices == 3][:1]
        if three:
            story = three[0].id
            began = time.perf_counter()
            corpus.compare(story)
            cold = time.perf_counter() - began
            analyses, kept = [], []
            for _ in range(5):
                corpus.store.db.execute("DELETE FROM comparisons")  # from the stored analyses
                began = time.perf_counter()
                corpus.compare(story)
                analyses.append(time.perf_counter() - began)
            for _ in range(5):
                began = time.perf_counter()
                corpus.compare(story)  # the kept comparison
                kept.append(time.perf_counter() - began)
            print(f"compare stored story {story} ({three[0].voices} articles): first {cold:.2f} s (models loading included); "
                  f"again from stored analyses {min(analyses):.3f} s; again, kept comparison {min(kept):.3f} s (best of 5)")
    if not args.keep:
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()


if __name__ == "__main__":
    main()
