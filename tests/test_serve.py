"""`storydiff serve`: the HTTP API, the pages as HTML, the guard on every request, the fetch guard.

Driven through Starlette's TestClient (in process) with the real job worker process; the browser
tests are in test_serve_browser.py. Stores are built from our fixtures: `data/corpus/stories.jsonl`
(three made-up events) and `data/serve/hostile.jsonl` (a made-up event whose titles and texts carry
markup that must never run).
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

import storydiff

fastapi = pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from storydiff.serve import ServeSettings, create_app  # noqa: E402

DATA = Path(__file__).parent / "data"
STORIES = DATA / "corpus" / "stories.jsonl"
HOSTILE = DATA / "serve" / "hostile.jsonl"
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "halvern-bridge"
HOST = "testserver"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("serve") / "news.db"
    with storydiff.Corpus(path) as corpus:
        corpus.ingest([str(STORIES), str(HOSTILE)], workers=1)
    return path


@pytest.fixture(scope="module")
def client(store):
    app = create_app(ServeSettings(db=store, hosts=frozenset({HOST}), max_body=2 * 1024 * 1024, max_file=512 * 1024))
    with TestClient(app, base_url=f"http://{HOST}") as c:
        yield c


def _wait(client, job_id: str, timeout: float = 240) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/api/jobs/{job_id}").json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.3)
    raise AssertionError(f"job {job_id} did not end in {timeout} s")


def _schema():
    import jsonschema

    schema = json.loads((Path(storydiff.__file__).parent / "resources" / "comparison.schema.json").read_text())
    return jsonschema.Draft202012Validator(schema)


def _story_titled(client, words: str) -> dict:
    found = client.get("/api/stories", params={"q": words}).json()["stories"]
    assert len(found) == 1, found
    return found[0]


# -- the API --------------------------------------------------------------------------------


def test_stories_list_filters_and_pages(client):
    listed = client.get("/api/stories").json()
    assert [s["outlets"] for s in listed["stories"]][:1] == [5]  # the most widely told first
    assert len(listed["stories"]) == 4
    dam = _story_titled(client, "Velmora dam")
    assert dam["voices"] == 4 and dam["articles"] == 5  # the wire copy is no voice of its own
    assert 0 < dam["spread"] < 1
    assert client.get("/api/stories", params={"outlet": "Island Post"}).json()["stories"][0]["title"].startswith("Ferry")
    assert client.get("/api/stories", params={"min_outlets": 4}).json()["stories"] == [dam | {"compared": dam["compared"]}]
    assert client.get("/api/stories", params={"since": "2024-03-09", "until": "2024-03-31"}).json()["stories"][0]["title"].startswith("Quillon")
    first, second = (client.get("/api/stories", params={"limit": 2, "offset": o}).json()["stories"] for o in (0, 2))
    assert {s["id"] for s in first}.isdisjoint({s["id"] for s in second}) and len(first) == len(second) == 2
    bad = client.get("/api/stories", params={"since": "last week"})
    assert bad.status_code == 400 and "YYYY-MM-DD" in bad.json()["error"]
    assert client.get("/api/stories", params={"limit": 0}).status_code == 422


def test_one_story_its_articles_and_who_reported_first(client):
    dam = _story_titled(client, "Velmora dam")
    detail = client.get(f"/api/stories/{dam['id']}").json()
    assert len(detail["members"]) == 5 and all(m["text"] is None for m in detail["members"])
    assert {r["outlet"] for r in detail["reporting"]["first"]} >= {"Daily Ledger", "Northern Post"}
    assert detail["reporting"]["followers"][0]["outlet"] == "Coastline News" and detail["reporting"]["followers"][0]["after"] == "1 day"
    article = client.get(f"/api/articles/{detail['members'][0]['id']}").json()
    assert "Velmora" in article["text"]
    assert [a["id"] for a in client.get("/api/articles", params={"story": dam["id"]}).json()] == [m["id"] for m in detail["members"]]
    missing = client.get("/api/stories/99999")
    assert missing.status_code == 404 and "no story 99999" in missing.json()["error"]
    assert client.get("/api/articles/99999").status_code == 404


def test_a_story_is_compared_as_a_job_then_read_back(client):
    story = _story_titled(client, "Quillon e-bikes")
    first = client.get(f"/api/stories/{story['id']}/comparison")
    assert first.status_code == 202 and first.headers["location"] == f"/api/jobs/{first.json()['id']}"
    again = client.get(f"/api/stories/{story['id']}/comparison")  # the same job, not a second one
    assert again.status_code in (200, 202)
    if again.status_code == 202:
        assert again.json()["id"] == first.json()["id"]
    job = _wait(client, first.json()["id"])
    assert job["status"] == "done", job
    assert any("conflicts" in line for line in job["progress"])
    kept = client.get(f"/api/stories/{story['id']}/comparison")
    assert kept.status_code == 200
    comparison = kept.json()
    _schema().validate(comparison)
    assert len(comparison["articles"]) == 3
    listed = _story_titled(client, "Quillon e-bikes")
    assert listed["compared"]["facts"] == comparison["summary"]["facts"]
    assert 0 <= listed["compared"]["differ"] <= 1


def test_compare_pasted_articles_as_a_job(client):
    texts = [{"text": (EXAMPLE / name).read_text(), "outlet": outlet} for name, outlet in (("coastline-daily.txt", "Coastline Daily"), ("metro-wire.json", None))]
    started = client.post("/api/compare", json={"texts": texts})
    assert started.status_code == 202, started.text
    job = _wait(client, started.json()["id"])
    assert job["status"] == "done", job
    result = client.get(job["result_url"])
    comparison = result.json()
    _schema().validate(comparison)
    assert comparison["articles"][0]["outlet"] == "Coastline Daily"
    assert comparison["summary"]["shared"] > 0


def test_bad_compare_requests_are_named(client):
    refused = client.post("/api/compare", json={"urls": ["file:///etc/passwd", "https://example.org/a"]})
    assert refused.status_code == 400 and "file:///etc/passwd" in refused.json()["error"]
    assert client.post("/api/compare", json={"texts": [{"text": "one"}]}).status_code == 409
    too_many = client.post("/api/compare", json={"urls": [f"https://example.org/{n}" for n in range(9)]})
    assert too_many.status_code == 400 and "at most 8" in too_many.json()["error"]
    assert client.post("/api/compare", json={"texts": "not a list"}).status_code == 422
    assert client.post("/api/ingest", json={"sources": ["/etc/passwd"]}).status_code == 400
    # what urlsplit would clean up but the fetcher would take for a path on this machine
    for sneaky in ("ht\ntp://example.org/a", "http\r://example.org/a", "\x01http://example.org/a", "http://exa mple.org/a"):
        assert client.post("/api/compare", json={"urls": [sneaky, "https://example.org/b"]}).status_code == 400, repr(sneaky)
        assert client.post("/api/ingest", json={"sources": [sneaky]}).status_code == 400, repr(sneaky)
    assert client.get("/api/jobs/nope").status_code == 404
    long = client.post("/api/compare", json={"texts": [{"text": "word " * 120_000}, {"text": "another text"}]})
    assert long.status_code == 400 and "size cap" in long.json()["error"]  # over this app's 512 KB a text


def test_an_ingest_job_stops_at_its_time_cap_and_keeps_what_it_read(tmp_path):
    from storydiff.serve._jobs import JobTimeout, _run_ingest

    spec = {"db": str(tmp_path / "n.db"), "sources": [str(STORIES)], "timeout": 5, "max_bytes": 10**6, "deadline": -1}
    with pytest.raises(JobTimeout, match="web app's cap on one ingest"):
        _run_ingest(spec, lambda message: None, False)
    with storydiff.Corpus(tmp_path / "n.db") as corpus:
        assert corpus.summary()["articles"] > 0


def test_the_server_never_fetches_a_private_or_loopback_address(client):
    """A web user's URLs pointing at this machine or its network end in a named refusal."""
    urls = ["http://127.0.0.1:9/admin", "http://localhost/x", "http://169.254.169.254/latest/meta-data", "http://[::1]/"]
    job = _wait(client, client.post("/api/compare", json={"urls": urls}).json()["id"])
    assert job["status"] == "failed"
    assert job["message"].count("refusing to fetch a private or local address") == len(urls), job["message"]


def test_openapi_describes_the_api_with_the_comparison_schema(client):
    document = client.get("/openapi.json").json()
    assert {"/api/stories", "/api/stories/{story}", "/api/stories/{story}/comparison", "/api/articles", "/api/compare",
            "/api/ingest", "/api/jobs/{job_id}"} <= set(document["paths"])
    schemas = document["components"]["schemas"]
    assert "Comparison" in schemas and "Comparison_span" in schemas
    refs = set()

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("$ref"), str):
                refs.add(node["$ref"].split("/")[-1])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(document)
    assert refs <= set(schemas), refs - set(schemas)  # every reference resolves
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/static/swagger-ui-bundle.js" in docs.text and "cdn" not in docs.text.lower()


# -- the pages ------------------------------------------------------------------------------


def test_pages_render_and_escape_article_content(client):
    home = client.get("/")
    assert home.status_code == 200 and "Velmora" in home.text
    ferry = _story_titled(client, "Tessaly ferry")
    job = client.get(f"/api/stories/{ferry['id']}/comparison")
    if job.status_code == 202:
        assert _wait(client, job.json()["id"])["status"] == "done"
    for path in ("/", f"/stories/{ferry['id']}", "/?q=Tessaly"):
        page = client.get(path).text
        assert "<script>window" not in page and "<img src=x" not in page and "<b>Bold" not in page
        assert 'href="javascript:' not in page
        assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in page
        scripts = [line for line in page.splitlines() if "<script" in line]
        assert all('src="/static/' in s or 'type="application/json"' in s for s in scripts), scripts
    story = client.get(f"/stories/{ferry['id']}").text
    assert 'data-fact="f' in story and "Who reported it first" in story


def test_page_errors_are_pages_and_api_errors_are_json(client):
    page = client.get("/stories/424242")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html") and "no story 424242" in page.text
    api = client.get("/api/stories/424242")
    assert api.headers["content-type"].startswith("application/json")
    assert client.get("/nowhere").status_code == 404
    bad = client.get("/", params={"since": "yesterday"})
    assert "YYYY-MM-DD" in bad.text and 'role="alert"' in bad.text and "story-row" not in bad.text


def test_compare_form_posts_uploads_and_names_bad_ones(client):
    files = [
        ("files", ("gazette.html", (EXAMPLE / "eastport-gazette.html").read_bytes(), "text/html")),
        ("files", ("scan.pdf", b"%PDF-1.4 binary", "application/pdf")),
        ("files", ("huge.txt", b"word " * (120 * 1024), "text/plain")),  # 600 KB, over this app's 512 KB a file
    ]
    data = {"text1": (EXAMPLE / "coastline-daily.txt").read_text(), "outlet1": "Coastline Daily", "text2": "", "outlet2": "", "urls": ""}
    posted = client.post("/compare", data=data, files=files, headers={"Origin": f"http://{HOST}"}, follow_redirects=False)
    assert posted.status_code == 303 and posted.headers["location"].startswith("/jobs/")
    job_id = posted.headers["location"].rsplit("/", 1)[1]
    job = _wait(client, job_id)
    assert job["status"] == "done", job
    assert any("scan.pdf" in n and "PDF" in n for n in job["notes"])
    assert any("huge.txt" in n and "512.0 KB" in n for n in job["notes"])  # the cap as set, never "0 MB"
    page = client.get(f"/jobs/{job_id}").text
    assert "scan.pdf" in page and 'data-fact="f' in page
    bad = client.post("/compare", data={"text1": "x", "urls": "ftp://example.org/a"}, headers={"Origin": f"http://{HOST}"})
    assert bad.status_code == 200 and "ftp://example.org/a" in bad.text and 'role="alert"' in bad.text  # the form again, with why


# -- the guard ------------------------------------------------------------------------------


def test_every_page_carries_a_strict_policy(client):
    for path in ("/", "/compare", "/api/stories", "/static/app.js"):
        headers = client.get(path).headers
        policy = headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "default-src 'none'" in policy
        assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "DENY"
    assert client.get("/static/..%2f..%2fpyproject.toml").status_code == 404
    assert client.get("/static/_app.py").status_code == 404


def test_host_origin_and_size_are_checked(client):
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 421  # DNS rebinding to 127.0.0.1
    cross = client.post("/api/compare", json={"texts": []}, headers={"Origin": "https://evil.example"})
    assert cross.status_code == 403
    assert client.post("/api/compare", json={"texts": []}, headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403
    assert client.post("/api/compare", json={"texts": []}, headers={"Origin": "null"}).status_code == 403  # a sandboxed frame
    # A chunked body with a small Content-Length: the server would read the chunks, past the cap.
    chunked = client.post("/api/compare", content=b"{}", headers={"Content-Type": "application/json", "Content-Length": "10", "Transfer-Encoding": "chunked"})
    assert chunked.status_code == 411
    big = client.post("/api/compare", content=b"x" * (3 * 1024 * 1024), headers={"Content-Type": "application/json"})
    assert big.status_code == 413 and "size cap" in big.json()["error"]


def test_another_sites_page_can_link_a_story_but_not_start_work(tmp_path):
    path = tmp_path / "news.db"
    with storydiff.Corpus(path) as corpus:
        corpus.ingest([str(STORIES)], workers=1)
        story = next(r.id for r in corpus.stories() if r.voices >= 2)
    app = create_app(ServeSettings(db=path, hosts=frozenset({HOST})))
    with TestClient(app, base_url=f"http://{HOST}") as c:
        cross = {"Sec-Fetch-Site": "cross-site"}
        page = c.get(f"/stories/{story}", headers=cross)
        assert page.status_code == 200 and "has not been compared yet" in page.text
        assert c.get(f"/api/stories/{story}/comparison", headers=cross).status_code == 403
        assert app.app.state.storydiff.board.story_job(story) is None  # nothing was queued (`app` is the guard)
        assert c.get(f"/api/stories/{story}/comparison").status_code == 202  # the app's own pages and programs may


def test_a_token_guards_a_server_beyond_loopback(store):
    token = "t" * 24
    app = create_app(ServeSettings(db=store, token=token, hosts=None, start_worker=False))
    with TestClient(app, base_url="http://192.0.2.10:8000") as c:
        assert c.get("/api/stories").status_code == 401
        assert c.get("/api/stories", headers={"Authorization": "Bearer wrong-token-wrong-token"}).status_code == 401
        assert c.get("/api/stories", headers={"Authorization": f"Bearer {token}"}).status_code == 200
        opened = c.get(f"/?token={token}&q=dam", follow_redirects=False)
        assert opened.status_code == 303 and opened.headers["location"] == "/?q=dam"
        assert "HttpOnly" in opened.headers["set-cookie"] and "SameSite=Strict" in opened.headers["set-cookie"]
        assert c.get("/?q=dam").status_code == 200  # the cookie now


# -- fetching for web users -----------------------------------------------------------------


class _Recorder:
    def __init__(self):
        self.hosts = []

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        self.hosts.append(host)
        raise OSError("recorded")


def test_the_fetch_guard_connects_to_the_address_it_checked(monkeypatch):
    """No second lookup: a DNS server that answers a public address first and a loopback one
    next (DNS rebinding) still gets the connection sent to the public one."""
    from storydiff.ingest._fetch import PublicOnlyBackend

    answers = iter(["93.184.216.34", "127.0.0.1", "127.0.0.1"])
    calls = []

    def lookup(host, port, *args, **kwargs):
        calls.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port))]

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    inner = _Recorder()
    with pytest.raises(OSError):
        PublicOnlyBackend(inner).connect_tcp("rebind.example", 80)
    assert inner.hosts == ["93.184.216.34"] and calls == ["rebind.example"]
    import httpcore

    with pytest.raises(httpcore.ConnectError, match="rebind.example: it resolves to a private or local address") as refused:
        PublicOnlyBackend(inner).connect_tcp("rebind.example", 80)
    assert "127.0.0.1" not in str(refused.value)  # a web user learns nothing of the network behind
    assert inner.hosts == ["93.184.216.34"]  # never connected to the loopback answer


def test_the_fetch_guard_refuses_every_private_kind():
    import httpcore

    from storydiff.ingest._fetch import vetted_address

    for host in (
        "127.0.0.1", "10.1.2.3", "192.168.0.1", "169.254.169.254", "::1", "fc00::1", "localhost", "0.0.0.0",
        # IPv4 addresses carried in IPv6 ones: mapped, NAT64 (to the cloud metadata address), 6to4, compatible
        "::ffff:127.0.0.1", "64:ff9b::a9fe:a9fe", "64:ff9b:1::a00:1", "2002:7f00:1::", "::127.0.0.1",
        "fec0::1", "ff02::1", "224.0.0.1",
    ):
        with pytest.raises(httpcore.ConnectError):
            vetted_address(host, 80)
    assert vetted_address("93.184.216.34", 80) == "93.184.216.34"
    assert vetted_address("64:ff9b::5db8:d822", 80) == "64:ff9b::5db8:d822"  # NAT64 to a public address is public


# -- the command ----------------------------------------------------------------------------


def test_serve_command_prints_its_address_and_answers(store):
    process = subprocess.Popen(
        [sys.executable, "-m", "storydiff", "serve", "--db", str(store), "--port", "0", "-q"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        address = process.stdout.readline().strip()
        assert address.startswith("http://127.0.0.1:"), address
        import httpx

        deadline = time.monotonic() + 60
        while True:
            try:
                answer = httpx.get(address + "api/stories", timeout=5)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        assert answer.status_code == 200 and answer.json()["stories"]
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_serve_refuses_a_network_address_without_the_flag(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "storydiff", "serve", "--db", str(tmp_path / "x.db"), "--host", "0.0.0.0"],
        capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 2
    assert "--allow-remote" in run.stderr and "Traceback" not in run.stderr
    short = subprocess.run(
        [sys.executable, "-m", "storydiff", "serve", "--db", str(tmp_path / "x.db"), "--host", "0.0.0.0", "--allow-remote", "--token", "short"],
        capture_output=True, text=True, timeout=120,
    )
    assert short.returncode == 2 and "16 characters" in short.stderr


# -- URLs, where a test may fetch from loopback ---------------------------------------------------


def _page(title: str, outlet: str, body: str) -> bytes:
    return (f"<html><head><title>{title}</title><meta property='og:site_name' content='{outlet}'>"
            f"<meta property='article:published_time' content='2024-06-01T08:00:00Z'></head>"
            f"<body><article><h1>{title}</h1>{''.join(f'<p>{p}</p>' for p in body.split(chr(10)) if p)}</article></body></html>").encode()


def test_ingest_and_compare_urls_through_jobs(tmp_path):
    """The URL paths end to end, with a test-only app that may fetch from loopback (the real
    server never does: see test_the_server_never_fetches_a_private_or_loopback_address)."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    records = [json.loads(line) for line in STORIES.read_text().splitlines()[:3]]  # the dam story, three outlets
    served = {f"/a{n}": ("text/html; charset=utf-8", _page(r["title"], r["outlet"], r["text"])) for n, r in enumerate(records)}
    items = "".join(f"<item><title>{r['title']}</title><link>http://HOST/a{n}</link></item>" for n, r in enumerate(records))

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            if self.path == "/feed":
                data = f"<rss version='2.0'><channel><title>t</title>{items}</channel></rss>".replace("HOST", self.headers["Host"]).encode()
                kind = "application/rss+xml"
            else:
                kind, data = served.get(self.path, ("text/plain", b""))
            self.send_response(200 if data else 404)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    site = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{site.server_port}"
    app = create_app(ServeSettings(db=tmp_path / "web.db", hosts=frozenset({HOST}), fetch_private=True))
    try:
        with TestClient(app, base_url=f"http://{HOST}") as c:
            job = _wait(c, c.post("/api/ingest", json={"sources": [base + "/feed"]}).json()["id"])
            assert job["status"] == "done", job
            report = c.get(job["result_url"]).json()
            assert report["stored"] == 3 and report["skipped_count"] == 0
            stories = c.get("/api/stories").json()["stories"]
            assert [s["outlets"] for s in stories] == [3], stories
            compared = _wait(c, c.post("/api/compare", json={"urls": [base + "/a0", base + "/a1", base + "/missing"]}).json()["id"])
            assert compared["status"] == "done", compared
            comparison = c.get(compared["result_url"]).json()
            assert len(comparison["articles"]) == 2
            assert any("/missing" in s["source"] and "404" in s["reason"] for s in comparison["skipped"])
    finally:
        site.shutdown()
        site.server_close()
