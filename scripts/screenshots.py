"""The screenshots in docs/screenshots/: the main pages of `storydiff serve` at desktop and phone
widths, in Debian's chromium, over a store built from our made-up fixture (tests/data/corpus).

    .venv/bin/python scripts/screenshots.py        # rewrites docs/screenshots/*.png

Run it after changing a page, so the pictures stay those of the app as it is.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}


def main() -> None:
    import httpx
    from playwright.sync_api import sync_playwright

    import storydiff

    folder = Path(tempfile.mkdtemp(prefix="sd-shots-"))
    db = folder / "news.db"
    with storydiff.Corpus(db) as corpus:
        corpus.ingest([str(ROOT / "tests" / "data" / "corpus" / "stories.jsonl")], workers=1)
    log = folder / "serve.log"
    with open(log, "w") as out:
        server = subprocess.Popen([sys.executable, "-m", "storydiff", "serve", "--db", str(db), "--port", "0", "-q"], stdout=out, stderr=subprocess.STDOUT)
    try:
        while not log.read_text().strip():
            time.sleep(0.1)
        base = log.read_text().split("\n", 1)[0].strip().rstrip("/")
        client = httpx.Client(base_url=base, timeout=300)
        story = client.get("/api/stories").json()["stories"][0]["id"]
        job = client.get(f"/api/stories/{story}/comparison")
        while job.status_code == 202:
            time.sleep(1)
            job = client.get(f"/api/stories/{story}/comparison")
        OUT.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for size, (width, height) in SIZES.items():
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto(base + "/")
                page.screenshot(path=OUT / f"stories-{size}.png")
                page.goto(base + f"/stories/{story}")
                page.locator("#articles mark.shared[data-fact]").first.click()
                page.screenshot(path=OUT / f"story-{size}.png")
                page.locator("#articles").scroll_into_view_if_needed()
                page.screenshot(path=OUT / f"story-articles-{size}.png")
                page.goto(base + "/compare")
                page.screenshot(path=OUT / f"compare-{size}.png")
                page.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"wrote {len(list(OUT.glob('*.png')))} screenshots to {OUT}")


if __name__ == "__main__":
    main()
