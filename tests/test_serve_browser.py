"""The web app in a real browser: Debian's chromium, driven by Playwright, against `storydiff
serve` started here on loopback (a port of its own) and stopped at the end.

Walks what a reader does: the story list, a story, a click on a fact to see its counterparts,
a comparison of two pasted articles, a bad address; and checks that no page logs an error and
that markup inside an article (`data/serve/hostile.jsonl`, ours) never runs.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

import storydiff

playwright = pytest.importorskip("playwright.sync_api")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
if not Path(CHROMIUM).exists():
    pytest.skip("needs Debian's chromium (apt-get install chromium; .ci/run installs it)", allow_module_level=True)

DATA = Path(__file__).parent / "data"
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "halvern-bridge"
# As root and offline: no sandbox (root cannot have one), and none of chromium's calls home.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = tmp_path_factory.mktemp("browser") / "news.db"
    with storydiff.Corpus(db) as corpus:
        corpus.ingest([str(DATA / "corpus" / "stories.jsonl"), str(DATA / "serve" / "hostile.jsonl")], workers=1)
    log = db.parent / "serve.log"  # a file, not a pipe nobody reads: a full pipe would stall the server
    with open(log, "w") as out:
        process = subprocess.Popen([sys.executable, "-m", "storydiff", "serve", "--db", str(db), "--port", "0", "-q"], stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while not log.read_text().strip() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    address = log.read_text().split("\n", 1)[0].strip().rstrip("/")
    if not address.startswith("http://127.0.0.1:"):
        process.kill()
        pytest.fail(f"serve printed {log.read_text()!r}")
    import httpx

    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(address + "/api/stories", timeout=5)
            break
        except httpx.TransportError:
            assert time.monotonic() < deadline, "the server did not answer"
            time.sleep(0.2)
    yield address
    process.terminate()
    process.wait(timeout=30)
    print(log.read_text())


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    problems: list[str] = []
    opened.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
    opened.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    opened.problems = problems
    yield opened
    context.close()
    assert problems == [], problems


def _open_story(page, server, title_words: str):
    page.goto(server + "/")
    page.get_by_role("link", name=title_words).first.click()
    # The first visit starts the comparison; the page follows the job and shows it when done.
    page.wait_for_selector("mark[data-fact]", timeout=240_000)


def test_story_list_story_and_a_facts_counterparts(page, server):
    page.goto(server + "/")
    assert page.locator("li.story-row").count() == 4
    page.fill("input[name=q]", "Quillon")
    page.click("button[type=submit]")
    assert page.locator("li.story-row").count() == 1
    _open_story(page, server, "Quillon recalls 40,000 e-bikes over battery fires")
    assert page.locator("#summary h2").inner_text() == "What matters most"
    assert page.locator("#articles .column").count() == 3
    # a fact reported by several outlets: clicking it lists where each one tells it
    shared = page.locator("#articles mark.shared[data-fact]").first
    fact = shared.get_attribute("data-fact")
    shared.click()
    panel = page.locator("#fact-panel")
    panel.wait_for(state="visible")
    assert page.locator("#fact-title").inner_text().startswith(f"{fact}: reported by all")
    outlets = {who.rstrip(":") for who in page.locator("#fact-mentions li .who").all_inner_texts()}
    assert outlets == set(page.locator("#articles .column h2").all_inner_texts())  # one counterpart or more in each
    assert page.locator(f'mark.active[data-fact="{fact}"]').count() >= 3  # highlighted in every column
    assert page.locator("#reported li").count() == 3


def test_markup_inside_an_article_never_runs(page, server):
    _open_story(page, server, "Ferry <script>window.__pwned = 1</script> runs aground off Tessaly")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("img[src=x]").count() == 0 and page.locator("a[href^=javascript]").count() == 0
    assert "<script>window.__pwned = 1</script>" in page.locator("body").inner_text()  # shown as text
    page.goto(server + "/?q=Tessaly")
    assert page.evaluate("typeof window.__pwned") == "undefined"


def test_compare_two_pasted_articles(page, server):
    page.goto(server + "/compare")
    page.fill("textarea[name=text1]", (EXAMPLE / "coastline-daily.txt").read_text())
    page.fill("input[name=outlet1]", "Coastline Daily")
    page.fill("textarea[name=text2]", (EXAMPLE / "metro-wire.json").read_text())
    page.click("form.compare button[type=submit]")
    page.wait_for_url("**/jobs/*")
    page.wait_for_selector("mark[data-fact]", timeout=240_000)
    assert page.locator("#articles .column").count() == 2
    assert page.locator("#articles .column h2").first.inner_text() == "Coastline Daily"
    job_url = page.url
    page.goto(server + "/compare")  # left, and come back to: the job is listed and still there
    page.locator("ul.jobs a").first.click()
    assert page.url == job_url and page.locator("mark[data-fact]").count() > 0


def test_a_bad_address_is_named(page, server):
    page.goto(server + "/compare")
    page.fill("textarea[name=text1]", (EXAMPLE / "coastline-daily.txt").read_text())
    page.fill("textarea[name=urls]", "file:///etc/passwd")
    page.click("form.compare button[type=submit]")
    error = page.locator("#compare-error")
    assert "file:///etc/passwd" in error.inner_text() and "not an http or https URL" in error.inner_text()
    assert page.input_value("textarea[name=text1]").startswith((EXAMPLE / "coastline-daily.txt").read_text()[:40])
    # a well-formed address this server must not fetch: the job says why
    page.fill("textarea[name=urls]", "http://127.0.0.1:9/private")
    page.click("form.compare button[type=submit]")
    page.wait_for_selector("#job[data-status=failed]", timeout=120_000)
    assert "refusing to fetch a private or local address" in page.locator("#job .error").inner_text()


def test_phone_width_has_no_sideways_scroll(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone = context.new_page()
    for path in ("/", "/compare", "/docs"):
        phone.goto(server + path)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width}px wide on a 390px screen"
    _open_story(phone, server, "Quillon recalls 40,000 e-bikes over battery fires")  # articles scroll in their own strip
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
