"""The web app under load, on loopback only: the story page and the stories API at a fixed rate
(requests leave on a fixed schedule and are timed from when they were due, so a slow server
shows as latency, not as a lower rate) while compare jobs run back to back.

    python benchmarks/serve_load.py                       # a store built from our test fixture
    python benchmarks/serve_load.py --db /path/allsides.db --rate 50 --seconds 60

Starts `storydiff serve` on 127.0.0.1 (a free port), makes sure the chosen story is compared
(kept), then sends `rate` requests a second for `seconds`, half to /stories/ID and half to
/api/stories, and prints latency percentiles per target, errors, and the compare jobs finished
meanwhile. The request count is bounded (rate x seconds) and every request has a 10 s timeout.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "data" / "corpus" / "stories.jsonl"
EXAMPLE = ROOT / "examples" / "halvern-bridge"


def start_server(db: Path, log: Path) -> tuple[subprocess.Popen, str]:
    with open(log, "w") as out:
        process = subprocess.Popen([sys.executable, "-m", "storydiff", "serve", "--db", str(db), "--port", "0", "-q"], stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        first = log.read_text().split("\n", 1)[0].strip()
        if first.startswith("http://127.0.0.1:"):
            return process, first.rstrip("/")
        if process.poll() is not None:
            break
        time.sleep(0.1)
    process.kill()
    sys.exit(f"the server did not start: {log.read_text()[-2000:]}")


def wait_job(client, job_id: str, timeout: float = 600) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/api/jobs/{job_id}").json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.5)
    sys.exit(f"job {job_id} did not finish")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def load(base: str, targets: list[str], rate: float, seconds: float, compare_body: dict | None) -> tuple[dict, int, int]:
    """Send rate x seconds GETs on a fixed schedule from THREADS threads, each with its own
    keep-alive connection; a request that leaves late (its thread still busy) is timed from when
    it should have left, so a slow server cannot hide behind a slower client (no coordinated
    omission). Meanwhile another thread keeps one compare job running at all times."""
    import http.client
    import json as _json
    import threading
    from urllib.parse import urlsplit

    host, port = urlsplit(base).hostname, urlsplit(base).port
    assert host == "127.0.0.1", "loopback only"
    results: dict[str, list[tuple[float, int | str]]] = {t: [] for t in targets}
    lock = threading.Lock()
    stop = threading.Event()
    counts = {"started": 0, "done": 0}
    total = int(rate * seconds)
    start = time.perf_counter() + 2.0  # the first compare job is under way by then

    def compare_jobs() -> None:
        connection = http.client.HTTPConnection(host, port, timeout=60)
        body = _json.dumps(compare_body)
        while not stop.is_set():
            connection.request("POST", "/api/compare", body=body, headers={"Content-Type": "application/json", "Origin": base})
            job = _json.loads(connection.getresponse().read())["id"]
            counts["started"] += 1
            while not stop.is_set():
                connection.request("GET", f"/api/jobs/{job}")
                status = _json.loads(connection.getresponse().read())["status"]
                if status in ("done", "failed"):
                    counts["done"] += status == "done"
                    break
                time.sleep(0.5)

    def sender(offset: int) -> None:
        connection = http.client.HTTPConnection(host, port, timeout=10)
        for n in range(offset, total, THREADS):
            due = start + n / rate
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            target = targets[n % len(targets)]
            try:
                connection.request("GET", target)
                answer = connection.getresponse()
                answer.read()
                outcome: int | str = answer.status
            except (OSError, http.client.HTTPException) as exc:
                outcome = type(exc).__name__
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=10)
            with lock:
                results[target].append((time.perf_counter() - due, outcome))

    jobs = threading.Thread(target=compare_jobs, daemon=True)
    if compare_body is not None:
        jobs.start()
    senders = [threading.Thread(target=sender, args=(k,)) for k in range(THREADS)]
    for thread in senders:
        thread.start()
    for thread in senders:
        thread.join()
    stop.set()
    if compare_body is not None:
        jobs.join(timeout=120)
    return results, counts["started"], counts["done"]


THREADS = 16


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", help="a store to serve (default: one built from tests/data/corpus/stories.jsonl)")
    parser.add_argument("--story", type=int, help="the story page to load (default: the most widely told)")
    parser.add_argument("--rate", type=float, default=50.0, help="requests a second, both targets together")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--no-jobs", action="store_true", help="no compare jobs meanwhile (the baseline)")
    args = parser.parse_args()
    import httpx

    import storydiff

    folder = Path(tempfile.mkdtemp(prefix="sd-serve-load-"))
    if args.db:
        db = Path(args.db)
    else:
        db = folder / "news.db"
        with storydiff.Corpus(db) as corpus:
            corpus.ingest([str(FIXTURE)], workers=1)
    process, base = start_server(db, folder / "serve.log")
    try:
        client = httpx.Client(base_url=base, timeout=600)
        story = args.story
        if story is None:
            story = client.get("/api/stories", params={"min_outlets": 3, "limit": 1}).json()["stories"][0]["id"]
        first = client.get(f"/api/stories/{story}/comparison")
        began = time.perf_counter()
        if first.status_code == 202:
            job = wait_job(client, first.json()["id"])
            print(f"story {story} compared first in {time.perf_counter() - began:.1f} s ({job['status']})")
        assert client.get(f"/stories/{story}").status_code == 200
        texts = [{"text": (EXAMPLE / name).read_text()} for name in ("coastline-daily.txt", "metro-wire.json")]
        targets = [f"/stories/{story}", "/api/stories?min_outlets=2"]
        for target in targets:  # the first answer of each fills the server's caches: timed apart
            began = time.perf_counter()
            assert client.get(target).status_code == 200
            print(f"first {target}: {1000 * (time.perf_counter() - began):.0f} ms (cold caches)")
        results, started, done = load(base, targets, args.rate, args.seconds, None if args.no_jobs else {"texts": texts})
    finally:
        process.terminate()
        process.wait(timeout=30)
    summary = storydiff.Corpus(db, create=False).summary()
    print(f"machine: {os.cpu_count()} cores; store {db.name}: {summary['articles']:,} articles, {summary['stories']:,} stories")
    print(f"load: {args.rate:g} requests/s for {args.seconds:g} s on loopback, half to each target; "
          f"compare jobs meanwhile: {started} started, {done} finished")
    every = []
    for target, rows in results.items():
        seconds = [s for s, _ in rows]
        every += rows
        errors = [o for _, o in rows if o != 200]
        print(f"  {target:<28} n={len(rows):>5}  p50 {1000 * statistics.median(seconds):6.1f} ms  p95 {1000 * percentile(seconds, 95):6.1f} ms  "
              f"p99 {1000 * percentile(seconds, 99):6.1f} ms  max {1000 * max(seconds):6.1f} ms  errors {len(errors)}"
              + (f" ({sorted(set(map(str, errors)))})" if errors else ""))
    seconds = [s for s, _ in every]
    errors = sum(1 for _, o in every if o != 200)
    print(f"  {'all':<28} n={len(every):>5}  p99 {1000 * percentile(seconds, 99):6.1f} ms  errors {errors}")


if __name__ == "__main__":
    main()
