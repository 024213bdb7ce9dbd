"""Shared fixtures. Tests that read the real data in ../shared skip cleanly when it is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("STORYDIFF_SHARED", ROOT.parent / "shared"))
EXAMPLES = ROOT / "examples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
IRAQ = SHARED / "examples" / "iraq-withdrawal"


def shared_path(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"needs the shared data set at {path}")
    return path


@pytest.fixture(scope="session")
def iraq_comparison():
    """The real example pair, compared once for every test that reads it."""
    import storydiff

    shared_path("examples", "iraq-withdrawal")
    return storydiff.compare([str(IRAQ / "presstv.txt"), str(IRAQ / "middleeasteye.txt")])


@pytest.fixture(scope="session")
def bridge_comparison():
    """The bundled made-up example: three outlets, three input forms."""
    import storydiff

    return storydiff.compare([str(EXAMPLES / "halvern-bridge")])


def write_fixture_warc(records: list[dict], path: Path) -> Path:
    """A small CC-NEWS-style WARC of our made-up records (fields url, outlet, date, title, text):
    each an HTML page with site furniture around the article, then a redirect and an image."""
    import html
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    writer.write_record(writer.create_warcinfo_record(path.name, {"software": "storydiff tests"}))
    for record in records:
        paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in record["text"].split("\n\n"))
        page = (
            f"<html><head><title>{html.escape(record['title'])}</title>"
            f'<meta property="article:published_time" content="{record["date"]}">'
            f'<meta property="og:site_name" content="{record["outlet"]}"></head>'
            f"<body><nav>Home | World | Business</nav><article><h1>{html.escape(record['title'])}</h1>{paragraphs}</article>"
            "<footer>Copyright 2024. All rights reserved.</footer></body></html>"
        )
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(record["url"], "response", payload=io.BytesIO(page.encode()), http_headers=headers))
    moved = StatusAndHeaders("301 Moved Permanently", [("Location", "https://x.example/")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record("https://x.example/old", "response", payload=io.BytesIO(b""), http_headers=moved))
    image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record("https://x.example/a.png", "response", payload=io.BytesIO(b"\x89PNG"), http_headers=image))
    path.write_bytes(out.getvalue())
    return path
