"""Corpus sources as a stream (storydiff.ingest.stream): detection, feeds, sitemaps, WARC, dumps,
URL lists, politeness, conditional requests, resume. Offline: httpx.MockTransport, and one real
loopback server. All content is made up."""

from __future__ import annotations

import gzip
import io
import json
import pickle
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from storydiff._exceptions import InvalidArgument
from storydiff._models import Article, Skipped
from storydiff.ingest import IngestOptions
from storydiff.ingest._fetch import Fetcher, FetchPolicy
from storydiff.ingest._fetch import _retry_after
from storydiff.ingest._polite import PoliteFetcher, PolitePolicy
from storydiff.ingest._sources import RawDocument
from storydiff.ingest.stream import Failed, FieldMapping, Pending, SourceDone, finish, source_kind, stream_sources

CORPUS = Path(__file__).resolve().parent / "data" / "corpus"
FAST = PolitePolicy(delay=0, backoff=0.01, max_backoff=1.0, window=4)
OPTIONS = IngestOptions()


def body(topic: str) -> str:
    return (
        f"The county council said on Tuesday that the {topic} would go ahead after a long debate. "
        f"Officials told reporters that the plan for the {topic} had been revised twice, and that the final "
        f"cost would be published next month once the contracts were signed. Residents welcomed the news."
    )


def page(topic: str, *, title: str | None = "Council news", site: str | None = "Halvern Courier") -> str:
    head = (f"<title>{title}</title>" if title else "") + (f"<meta property='og:site_name' content='{site}'>" if site else "")
    return f"<html><head>{head}</head><body><article><p>{body(topic)}</p></article></body></html>"


def rss(items: list[tuple[str, str | None]], title: str = "Halvern Courier") -> str:
    entries = "".join(
        f"<item><title>{t}</title>{f'<link>{link}</link>' if link else ''}<pubDate>Tue, 03 Mar 2026 09:30:00 GMT</pubDate>"
        f"<author>desk@courier.example (Ada Marsh)</author></item>"
        for t, link in items
    )
    return f"<?xml version='1.0'?><rss version='2.0'><channel><title>{title}</title><link>https://courier.example/</link>{entries}</channel></rss>"


def urlset(urls: list[str], news: bool = False) -> str:
    ns = " xmlns:news='http://www.google.com/schemas/sitemap-news/0.9'" if news else ""
    extra = (
        "<news:news><news:publication><news:name>Courier Wire</news:name></news:publication>"
        "<news:publication_date>2026-03-05T08:00:00Z</news:publication_date><news:title>Wire title</news:title></news:news>"
        if news else ""
    )
    entries = "".join(f"<url><loc>{u}</loc>{extra}</url>" for u in urls)
    return f"<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'{ns}>{entries}</urlset>"


def sitemap_index(urls: list[str]) -> str:
    entries = "".join(f"<sitemap><loc>{u}</loc></sitemap>" for u in urls)
    return f"<?xml version='1.0'?><sitemapindex xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>{entries}</sitemapindex>"


class Site:
    """A made-up web site behind httpx.MockTransport; records every request."""

    def __init__(self, routes: dict):
        self.routes = routes
        self.requests: list[httpx.Request] = []
        self.lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        with self.lock:
            self.requests.append(request)
        route = self.routes.get(str(request.url))
        if route is None:
            return httpx.Response(404)
        return route(request) if callable(route) else route

    def fetcher(self, **policy) -> Fetcher:
        # allow_private skips the guard's DNS lookup of the made-up hosts (it can stall offline);
        # test_private_addresses_stay_refused_unless_allowed turns the guard back on.
        policy.setdefault("allow_private", True)
        return Fetcher(FetchPolicy(**policy), transport=httpx.MockTransport(self))

    def paths(self) -> list[str]:
        return [r.url.path for r in self.requests]


def events(sources, **kwargs) -> list:
    kwargs.setdefault("options", OPTIONS)
    kwargs.setdefault("policy", FAST)
    return list(stream_sources(sources, **kwargs))


def of(kind, evs, origin=None):
    return [e for e in evs if isinstance(e, kind) and (origin is None or e.origin == origin)]


# -- field mapping -----------------------------------------------------------------------------


def test_field_mapping_parses_and_refuses_bad_items():
    mapping = FieldMapping.parse(["text=maintext", "title=headline", "published = date_publish", "outlet=source.name"])
    assert dict(mapping.fields) == {"text": "maintext", "title": "headline", "published": "date_publish", "outlet": "source.name"}
    assert FieldMapping.parse("text=maintext,title=headline") == FieldMapping.parse(["text=maintext", "title=headline"])
    mapped = mapping.apply({"maintext": "x", "headline": "H", "source": {"name": "Courier"}})
    assert mapped["text"] == "x" and mapped["title"] == "H" and mapped["outlet"] == "Courier"
    for bad, message in [("body", "not KEY=FIELD"), ("colour=red", "unknown key 'colour'"), ("text=", "not KEY=FIELD"), ("text=a..b", "dotted path")]:
        with pytest.raises(InvalidArgument, match=message):
            FieldMapping.parse([bad])
    with pytest.raises(InvalidArgument, match="mapped twice"):
        FieldMapping.parse(["text=a", "text=b"])


# -- detection ---------------------------------------------------------------------------------


def test_source_kind_by_suffix_and_by_content(tmp_path):
    assert source_kind(str(CORPUS / "stream-feed.rss")) == "feed"
    assert source_kind(str(CORPUS / "stream-sitemap-news.xml")) == "sitemap"
    assert source_kind(str(CORPUS / "stream-urls.txt")) == "urls"
    assert source_kind(str(CORPUS / "stream-dump.jsonl")) == "dump"
    (tmp_path / "sitemap.xml.gz").write_bytes(gzip.compress(urlset(["https://a.example/1"]).encode()))
    (tmp_path / "noext").write_bytes(rss([("t", "https://a.example/1")]).encode())
    (tmp_path / "crawl.warc.gz").write_bytes(b"")
    (tmp_path / "mystery").write_bytes(_warc_bytes([("https://a.example/1", "200 OK", "text/html", b"<html></html>")]))
    (tmp_path / "note.txt").write_text("https://a.example/1\nand an article line that is not a URL\n")
    (tmp_path / "a.html").write_text(page("bridge"))
    for name, kind in [("sitemap.xml.gz", "sitemap"), ("noext", "feed"), ("crawl.warc.gz", "warc"), ("mystery", "warc"),
                       ("note.txt", "files"), ("a.html", "files")]:
        assert source_kind(str(tmp_path / name)) == kind, name
    assert source_kind(str(tmp_path)) == "files" and source_kind("-") == "files" and source_kind(str(tmp_path / "gone")) == "files"
    site = Site({
        "https://a.example/feed": httpx.Response(200, headers={"Content-Type": "application/rss+xml"}, text=rss([])),
        "https://a.example/map": httpx.Response(200, headers={"Content-Type": "application/xml"}, text=urlset([])),
        "https://a.example/story": httpx.Response(200, html=page("bridge")),
    })
    fetcher = site.fetcher()
    assert [source_kind(f"https://a.example/{p}", fetcher=fetcher) for p in ("feed", "map", "story", "missing")] == ["feed", "sitemap", "files", "files"]
    assert source_kind("https://a.example/CC-NEWS-1.warc.gz") == "warc"


# -- dumps -------------------------------------------------------------------------------------


def test_dump_streams_lines_names_bad_ones_and_applies_mapping():
    mapping = FieldMapping.parse(["text=maintext", "title=headline", "published=date_publish"])
    dump = str(CORPUS / "stream-dump.jsonl")
    evs = events([dump], mapping=mapping)
    assert [type(e).__name__ for e in evs] == ["Pending", "Failed", "Failed", "SourceDone"]
    assert [e.position for e in evs[:3]] == [0, 1, 2]
    assert evs[1].skipped.source == f"{dump} line 2" and "not valid JSON" in evs[1].skipped.reason
    assert evs[2].skipped.source == f"{dump} line 3" and "no text or html field" in evs[2].skipped.reason
    assert evs[3] == SourceDone(dump, 3)
    article = finish(pickle.loads(pickle.dumps(evs[0])), OPTIONS)
    assert isinstance(article, Article) and article.title == "Bridge to reopen in May" and article.published == "2026-03-03"
    assert article.outlet == "courier.example" and "rusted cables" in article.text


def test_dump_gzip_resume_known_and_oversize_lines(tmp_path):
    lines = [json.dumps({"title": f"Story {i}", "text": body(f"plan {i}"), "url": f"https://a.example/{i}"}) for i in range(6)]
    lines.insert(3, "")  # a blank line takes a position and yields nothing
    lines.append(json.dumps({"title": "huge", "text": "word " * 5000}))
    path = tmp_path / "dump.jsonl.gz"
    path.write_bytes(gzip.compress("\n".join(lines).encode()))
    options = IngestOptions(max_bytes=4_000)
    evs = events([str(path)], options=options, start={str(path): 2}, known_url=lambda c: c == "https://a.example/4")
    pend = of(Pending, evs)
    assert [p.position for p in pend] == [2, 4, 6]  # 0-1 resumed past, 3 blank, 5 (a.example/4) known
    failed = of(Failed, evs)
    assert [f.position for f in failed] == [7] and "size cap" in failed[0].skipped.reason and "line 8" in failed[0].skipped.source
    assert evs[-1] == SourceDone(str(path), 8, known=1)


def test_a_damaged_gzip_dump_fails_once_after_its_good_lines(tmp_path):
    data = gzip.compress("\n".join(json.dumps({"text": body(f"plan {i}")}) for i in range(200)).encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    evs = events([str(path), str(CORPUS / "stream-dump.jsonl")])
    cut = [e for e in evs if e.origin == str(path)]
    assert isinstance(cut[-1], Failed) and cut[-1].position == -1 and "breaks off" in cut[-1].skipped.reason
    assert not of(SourceDone, evs, str(path)) and of(SourceDone, evs, str(CORPUS / "stream-dump.jsonl"))


# -- WARC --------------------------------------------------------------------------------------


def _warc_bytes(records, *, gzipped=True) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzipped)
    writer.write_record(writer.create_warcinfo_record("test.warc.gz", {"software": "storydiff tests"}))
    for uri, status, ctype, payload in records:
        headers = StatusAndHeaders(status, [("Content-Type", ctype)] if ctype else [], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(uri, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")))
        writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(payload), http_headers=headers))
    return out.getvalue()


def test_warc_reads_html_responses_and_counts_the_rest(tmp_path):
    records = [
        ("https://a.example/bridge", "200 OK", "text/html; charset=utf-8", page("bridge").encode()),
        ("https://a.example/old", "301 Moved Permanently", "text/html", b""),
        ("https://a.example/logo.png", "200 OK", "image/png", b"\x89PNG...."),
        ("https://a.example/huge", "200 OK", "text/html", b"<html>" + b"x" * 5000 + b"</html>"),
        ("https://a.example/ferry", "200 OK", "text/html", page("ferry").encode()),
    ]
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(_warc_bytes(records))
    evs = events([str(path)], options=IngestOptions(max_bytes=3_000))
    pend = of(Pending, evs)
    assert [(p.position, p.url) for p in pend] == [(0, "https://a.example/bridge"), (4, "https://a.example/ferry")]
    done = evs[-1]
    assert done.items == 5 and done.passed_over == {"HTTP 301": 1, "not HTML (image/png)": 1, "over the size cap of 2.9 KB": 1}
    article = finish(pend[0], OPTIONS)
    assert isinstance(article, Article) and article.url == "https://a.example/bridge" and "revised twice" in article.text
    resumed = events([str(path)], options=IngestOptions(max_bytes=3_000), start={str(path): 1}, known_url=lambda c: c == "https://a.example/ferry")
    assert of(Pending, resumed) == [] and resumed[-1].known == 1 and resumed[-1].items == 5
    whole = _warc_bytes(records)
    path.write_bytes(whole[: len(whole) - 200])  # cut off inside the last record: warcio alone would not say
    broken = events([str(path)])
    assert [e.position for e in of(Pending, broken)] == [0, 3] and not of(SourceDone, broken)
    assert broken[-1].position == -1 and "breaks off inside a record, after 4 whole response records" in broken[-1].skipped.reason


# -- feeds and sitemaps ------------------------------------------------------------------------


def test_feed_fetches_entries_in_order_fills_gaps_and_skips_known():
    feed = rss([("Bridge to reopen", "https://a.example/bridge"), ("No link", None), ("Stored", "https://a.example/stored"),
                ("Gone", "https://a.example/gone"), ("Ferry", "/ferry"), ("Bridge again", "https://www.a.example/bridge/")])
    site = Site({
        "https://a.example/feed": httpx.Response(200, headers={"Content-Type": "application/rss+xml", "ETag": '"v1"'}, text=feed),
        "https://a.example/bridge": httpx.Response(200, html=page("bridge", title=None, site=None)),
        "https://a.example/ferry": httpx.Response(200, html=page("ferry")),
    })
    evs = events(["https://a.example/feed"], fetcher=site.fetcher(), known_url=lambda c: c == "https://a.example/stored")
    assert [(type(e).__name__, getattr(e, "position", None)) for e in evs] == [
        ("Pending", 0), ("Failed", 1), ("Failed", 3), ("Pending", 4), ("SourceDone", None)]
    assert "no link" in evs[1].skipped.reason and evs[2].skipped.reason == "HTTP 404 Not Found"
    done = evs[-1]
    assert done.items == 6 and done.known == 1 and done.passed_over == {"listed twice": 1}
    assert done.validators == {"https://a.example/feed": ('"v1"', None)}
    assert "/stored" not in site.paths()
    article = finish(evs[0], OPTIONS)
    assert article.title == "Bridge to reopen" and article.published.startswith("2026-03-03")
    assert article.outlet == "Halvern Courier" and article.author  # the feed's title beats the host name
    assert evs[3].item.url == "https://a.example/ferry"  # relative link resolved against the feed


def test_conditional_requests_and_not_modified():
    def feed(request):
        if request.headers.get("if-none-match") == '"v1"':
            return httpx.Response(304, headers={"ETag": '"v1"'})
        return httpx.Response(200, headers={"Content-Type": "application/rss+xml", "ETag": '"v1"', "Last-Modified": "Tue, 03 Mar 2026 09:30:00 GMT"}, text=rss([]))

    site = Site({"https://a.example/feed": feed})
    first = events(["https://a.example/feed"], fetcher=site.fetcher())
    assert first[-1].validators == {"https://a.example/feed": ('"v1"', "Tue, 03 Mar 2026 09:30:00 GMT")}
    again = events(["https://a.example/feed"], fetcher=site.fetcher(), validators=first[-1].validators)
    assert again == [SourceDone("https://a.example/feed", 0, {"https://a.example/feed": ('"v1"', "Tue, 03 Mar 2026 09:30:00 GMT")}, not_modified=True)]
    assert site.requests[-1].headers["if-modified-since"] == "Tue, 03 Mar 2026 09:30:00 GMT"


def test_sitemap_index_children_news_metadata_and_caps():
    site = Site({
        "https://a.example/sitemap.xml": httpx.Response(200, headers={"Content-Type": "application/xml"}, text=sitemap_index(
            ["https://a.example/news.xml.gz", "https://a.example/old.xml", "https://a.example/broken.xml", "https://a.example/nested.xml"])),
        "https://a.example/news.xml.gz": httpx.Response(200, headers={"Content-Type": "application/gzip", "ETag": '"n1"'},
                                                        content=gzip.compress(urlset(["https://a.example/bridge", "https://a.example/ferry", "https://a.example/extra"], news=True).encode())),
        "https://a.example/old.xml": lambda r: httpx.Response(304) if r.headers.get("if-none-match") else httpx.Response(500),
        "https://a.example/broken.xml": httpx.Response(200, headers={"Content-Type": "text/xml"}, text="<urlset><url><loc>https://a.example/x</loc></url><url"),
        "https://a.example/nested.xml": httpx.Response(200, headers={"Content-Type": "text/xml"}, text=sitemap_index(["https://a.example/deeper.xml"])),
        "https://a.example/bridge": httpx.Response(200, html=page("bridge", title=None, site=None)),
        "https://a.example/ferry": httpx.Response(200, html=page("ferry")),
    })
    policy = PolitePolicy(delay=0, max_urls_per_sitemap=2, max_sitemap_depth=1)
    evs = events(["https://a.example/sitemap.xml"], fetcher=site.fetcher(), policy=policy,
                 validators={"https://a.example/old.xml": ('"o1"', None)})
    pend = of(Pending, evs)
    assert [p.position for p in pend] == [0, 1]
    failed = of(Failed, evs)
    assert [f.position for f in failed] == [2, -1]  # the URL listed before the damage (a 404), then the damage
    assert failed[0].skipped.source == "https://a.example/x"
    assert "broken.xml" in failed[1].skipped.source and "damaged sitemap XML after 1 entry" in failed[1].skipped.reason
    done = evs[-1]
    assert done.items == 3
    assert done.passed_over == {"over the cap of 2 URLs in one sitemap": 1, "child sitemaps not modified": 1, "sitemap indexes nested too deep": 1}
    assert done.validators["https://a.example/news.xml.gz"] == ('"n1"', None) and done.validators["https://a.example/old.xml"] == ('"o1"', None)
    article = finish(pend[0], OPTIONS)
    assert article.title == "Wire title" and article.outlet == "Courier Wire" and article.published.startswith("2026-03-05")
    assert "/deeper.xml" not in site.paths()


def test_local_feed_and_news_sitemap_files():
    site = Site({"https://courier.example/news/bridge-reopens": httpx.Response(200, html=page("bridge", title=None, site=None)),
                 "https://courier.example/news/ferry-fares": httpx.Response(200, html=page("ferry"))})
    feed, sitemap = str(CORPUS / "stream-feed.rss"), str(CORPUS / "stream-sitemap-news.xml")
    evs = events([feed, sitemap], fetcher=site.fetcher())
    assert [(type(e).__name__, e.origin, getattr(e, "position", None)) for e in evs] == [
        ("Pending", feed, 0), ("Failed", feed, 1), ("Failed", feed, 2), ("SourceDone", feed, None),
        ("Pending", sitemap, 1), ("SourceDone", sitemap, None)]  # sitemap position 0: the feed's bridge again
    assert "no link" in evs[1].skipped.reason and "not a web address" in evs[2].skipped.reason  # relative, no base
    assert evs[0].author == "Ada Marsh" and evs[0].published == "2026-03-03T09:30:00Z"
    assert evs[-1].passed_over == {"listed twice": 1} and site.paths().count("/news/bridge-reopens") == 1
    alone = events([sitemap], fetcher=site.fetcher())
    assert alone[0].outlet == "Halvern Courier" and alone[0].title == "Bridge to reopen in May" and alone[0].published == "2026-03-03T09:30:00Z"


def test_url_list_resume_and_comments(tmp_path):
    path = tmp_path / "list.txt"
    path.write_text("# made up\nhttps://a.example/1\n\nhttps://a.example/2  # second\nhttps://a.example/3\n")
    site = Site({f"https://a.example/{i}": httpx.Response(200, html=page(f"plan {i}")) for i in (1, 2)})
    evs = events([str(path)], fetcher=site.fetcher(), start={str(path): 1})
    assert [(type(e).__name__, getattr(e, "position", None)) for e in evs] == [("Pending", 1), ("Failed", 2), ("SourceDone", None)]
    assert evs[1].skipped.source == "https://a.example/3" and "404" in evs[1].skipped.reason
    assert evs[-1].items == 3 and sorted(site.paths()) == ["/2", "/3"]  # position 0 not fetched
    from storydiff.ingest.urls import read_urls

    path.write_text("https://a.example/1\nnot a url\n")
    assert [(p, getattr(u, "source", u)) for p, u in read_urls(path, "list")] == [(0, "https://a.example/1"), (1, "list line 2")]


# -- politeness --------------------------------------------------------------------------------


def test_concurrent_fetches_come_back_in_order_within_the_host_limit():
    active = {"now": 0, "max": 0}
    lock = threading.Lock()

    def slow(request):
        with lock:
            active["now"] += 1
            active["max"] = max(active["max"], active["now"])
        time.sleep(0.02 * (hash(str(request.url)) % 3))
        with lock:
            active["now"] -= 1
        return httpx.Response(200, html=page(request.url.path))

    links = [(f"s{i}", f"https://a.example/s{i}") for i in range(12)]
    routes = {u: slow for _, u in links}
    routes["https://a.example/feed"] = httpx.Response(200, headers={"Content-Type": "application/rss+xml"}, text=rss(links))
    site = Site(routes)
    evs = events(["https://a.example/feed"], fetcher=site.fetcher(), policy=PolitePolicy(delay=0, per_host=3, total=8, window=5))
    assert [e.position for e in of(Pending, evs)] == list(range(12))
    assert 1 < active["max"] <= 3


def test_delay_between_requests_to_one_host():
    site = Site({f"https://a.example/{i}": httpx.Response(200, html=page("x")) for i in range(3)})
    polite = PoliteFetcher(site.fetcher(), PolitePolicy(delay=0.05, per_host=3))
    began = time.monotonic()
    list(polite.ordered((i, lambda i=i: polite.get(f"https://a.example/{i}")) for i in range(3)))
    polite.close()
    assert time.monotonic() - began >= 0.1


def test_backs_off_on_429_and_503_then_gives_up():
    calls = {"n": 0}

    def busy(request):
        calls["n"] += 1
        return httpx.Response(429, headers={"Retry-After": "0"}) if calls["n"] < 3 else httpx.Response(200, html=page("x"))

    site = Site({"https://a.example/busy": busy, "https://a.example/down": httpx.Response(503),
                 "https://a.example/later": httpx.Response(429, headers={"Retry-After": "3600"})})
    polite = PoliteFetcher(site.fetcher(), PolitePolicy(delay=0, retries=2, backoff=0.01, max_backoff=5))
    assert polite.get("https://a.example/busy").status == 200 and calls["n"] == 3
    from storydiff._exceptions import FetchError

    with pytest.raises(FetchError, match=r"503 Service Unavailable \(still refused after 2 retries\)"):
        polite.get("https://a.example/down")
    with pytest.raises(FetchError, match="asks to wait 3600 s"):
        polite.get("https://a.example/later")
    polite.close()
    assert _retry_after("120") == 120 and _retry_after("soon") is None
    assert 0 <= _retry_after("Wed, 21 Oct 2015 07:28:00 GMT") < 1


def test_private_addresses_stay_refused_unless_allowed():
    site = Site({"http://127.0.0.1/feed": httpx.Response(200, text=rss([]))})
    evs = events(["http://127.0.0.1/feed"], fetcher=site.fetcher(allow_private=False))
    assert isinstance(evs[0], Failed) and "private or local address" in evs[0].skipped.reason and site.requests == []


# -- bad sources, files, finish ----------------------------------------------------------------


def test_bad_sources_fail_once_and_the_stream_goes_on(tmp_path):
    (tmp_path / "a.html").write_text(page("bridge"))
    (tmp_path / "list.json").write_text(json.dumps([{"text": body("ferry")}, {"title": "empty"}]))
    site = Site({})
    evs = events([str(tmp_path / "missing.jsonl"), "https://a.example/x.warc.gz", "https://a.example/nothing", str(tmp_path)], fetcher=site.fetcher())
    assert [(e.origin.rsplit("/", 1)[-1], e.position) for e in evs[:3]] == [("missing.jsonl", -1), ("x.warc.gz", -1), ("nothing", -1)]
    assert "no such file" in evs[0].skipped.reason and "download it first" in evs[1].skipped.reason and "404" in evs[2].skipped.reason
    folder = [e for e in evs if e.origin == str(tmp_path)]
    assert [(type(e).__name__, getattr(e, "position", None)) for e in folder] == [("Pending", 0), ("Pending", 1), ("Failed", 2), ("SourceDone", None)]
    assert isinstance(finish(folder[1], OPTIONS), Article)  # one JSON record per position


def test_finish_never_raises_and_reports_why():
    cases = [
        RawDocument("bin", b"\x00\x01\x02" * 100, "auto"),
        RawDocument("short.html", b"<html><body><p>Too short.</p></body></html>", "html"),
        RawDocument("menu.txt", b"Home\nNews\nSport\n", "text"),
    ]
    for raw in cases:
        result = finish(Pending("o", 0, raw), OPTIONS)
        assert isinstance(result, Skipped) and result.reason and "\n" not in result.reason


# -- one real server ---------------------------------------------------------------------------


def test_a_real_loopback_server_feed_and_articles():
    served = {
        "/feed": ("application/rss+xml", rss([("Bridge", "/bridge"), ("Ferry", "/ferry"), ("Missing", "/missing")]).encode()),
        "/bridge": ("text/html; charset=utf-8", page("bridge").encode()),
        "/ferry": ("text/html; charset=utf-8", page("ferry").encode()),
    }

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            kind, data = served.get(self.path, ("text/plain", b""))
            self.send_response(200 if self.path in served else 404)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("ETag", '"live"')
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/feed"
        fetcher = Fetcher(FetchPolicy(allow_private=True, timeout=5))
        evs = events([url], fetcher=fetcher)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
    assert [type(e).__name__ for e in evs] == ["Pending", "Pending", "Failed", "SourceDone"]
    assert evs[-1].validators == {url: ('"live"', None)}
    articles = [finish(e, OPTIONS) for e in evs[:2]]
    assert [a.title for a in articles] == ["Council news", "Council news"] and "ferry" in articles[1].text
