"""Fetching URLs: mock transport for protocol cases, real loopback servers for timing and refusal."""

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from storydiff import FetchError, Fetcher, FetchPolicy, IngestOptions, InputTooLarge, read_articles

PAGE = (
    "<html><head><title>Ferry terminal to close</title><meta property='og:site_name' content='Bay News'></head>"
    "<body><article><h1>Ferry terminal to close</h1><p>The city council voted on Tuesday to close the old ferry "
    "terminal by the end of the year, ending ninety years of service across the bay.</p><p>Council members said the "
    "terminal needed repairs costing more than it could raise, and that a new bus link would replace the crossing.</p>"
    "</article></body></html>"
)


def mock(handler) -> Fetcher:
    return Fetcher(FetchPolicy(max_bytes=50_000, max_redirects=2), transport=httpx.MockTransport(handler))


def test_fetches_a_page_and_reads_it():
    fetcher = mock(lambda request: httpx.Response(200, html=PAGE))
    articles, skipped = read_articles(["https://news.example/ferry"], fetcher=fetcher)
    assert skipped == []
    assert articles[0].outlet == "Bay News" and articles[0].source == "https://news.example/ferry"
    assert "ninety years of service" in articles[0].text


def test_follows_redirects_up_to_the_cap():
    def handler(request):
        hops = int(request.url.params.get("hop", "0"))
        if hops < 2:
            return httpx.Response(302, headers={"Location": f"/page?hop={hops + 1}"})
        return httpx.Response(200, html=PAGE)

    assert mock(handler).fetch("https://news.example/page").url.endswith("hop=2")
    endless = mock(lambda request: httpx.Response(301, headers={"Location": "/again"}))
    with pytest.raises(FetchError, match="more than 2 redirects"):
        endless.fetch("https://news.example/loop")


@pytest.mark.parametrize(
    "response, error, message",
    [
        (httpx.Response(404), FetchError, "HTTP 404 Not Found"),
        (httpx.Response(200, headers={"Content-Type": "image/jpeg"}, content=b"\xff\xd8\xff"), FetchError, "image/jpeg"),
        (httpx.Response(200, headers={"Content-Type": "text/html"}, content=b"x" * 60_000), InputTooLarge, "size cap"),
    ],
)
def test_bad_responses(response, error, message):
    with pytest.raises(error, match=message):
        mock(lambda request: response).fetch("https://news.example/x")


def test_refuses_private_addresses_when_asked():
    fetcher = Fetcher(FetchPolicy(allow_private=False), transport=httpx.MockTransport(lambda r: httpx.Response(200, html=PAGE)))
    for url in ("http://127.0.0.1/", "http://localhost:8000/", "http://[::1]/", "http://10.1.2.3/", "http://169.254.169.254/latest"):
        with pytest.raises(FetchError, match="private or local address"):
            fetcher.fetch(url)
    # and a redirect to one
    hop = Fetcher(
        FetchPolicy(allow_private=False),
        transport=httpx.MockTransport(lambda r: httpx.Response(302, headers={"Location": "http://127.0.0.1/admin"})),
    )
    with pytest.raises(FetchError, match="private or local address"):
        hop.fetch("http://93.184.215.14/")


def test_only_http_urls():
    with pytest.raises(FetchError, match="only http and https"):
        Fetcher().fetch("ftp://news.example/file")


class _SlowHandler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's naming)
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        try:
            for _ in range(20):  # drips a byte a quarter second: never finishes in time
                self.wfile.write(b"<")
                self.wfile.flush()
                time.sleep(0.25)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as it should

    def log_message(self, *args):
        pass


@pytest.fixture
def slow_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _SlowHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_slow_server_times_out(slow_server):
    started = time.monotonic()
    with pytest.raises(FetchError, match="too slow|timed out"):
        Fetcher(FetchPolicy(timeout=1.0, allow_private=True)).fetch(slow_server)
    assert time.monotonic() - started < 4


def test_dead_url_is_skipped_and_the_rest_goes_on(tmp_path):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    good = tmp_path / "a.txt"
    good.write_text("Ferry terminal to close\nThe city council voted on Tuesday to close the old ferry terminal by the end of the year, ending ninety years of service across the bay, members said.")
    options = IngestOptions(fetch=FetchPolicy(allow_private=True))  # a loopback server stands in for a dead host
    articles, skipped = read_articles([f"http://127.0.0.1:{port}/story", str(good)], options=options)
    assert len(articles) == 1
    assert skipped[0].source == f"http://127.0.0.1:{port}/story" and "could not fetch" in skipped[0].reason


@pytest.mark.parametrize("url", ["http://[::1", "http://a..b/", "http://example.com:99999/", "http://" + "x" * 70 + ".example/"])
def test_malformed_urls_are_one_line_errors(url):
    # The real transport: these fail while parsing or encoding the host, before any network use.
    with pytest.raises(FetchError, match="not a valid URL|could not fetch"):
        Fetcher(FetchPolicy(timeout=2, allow_private=True)).fetch(url)


def test_private_addresses_are_refused_by_default():
    with pytest.raises(FetchError, match="private or local"):
        Fetcher().fetch("http://127.0.0.1:9/")
