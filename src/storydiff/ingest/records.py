"""Articles as JSON records: a `.json` object (or list of them) or `.jsonl` with one object a line.

A record needs a text or an HTML field; the field names of common scrapers and news APIs are
accepted (news-please, NewsAPI, schema.org NewsArticle, trafilatura's own JSON output).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .._exceptions import NoArticleFound, UnsupportedInput
from ._decode import clean_field

TEXT_FIELDS = ("text", "body", "content", "article", "articleBody", "maintext", "raw_text", "description")
HTML_FIELDS = ("html", "raw_html", "content_html", "body_html")
TITLE_FIELDS = ("title", "headline")
OUTLET_FIELDS = ("outlet", "source", "site_name", "sitename", "publisher", "source_domain", "domain", "hostname")
DATE_FIELDS = ("published", "date", "date_publish", "published_at", "publishedAt", "pubDate", "datePublished")
AUTHOR_FIELDS = ("author", "authors", "byline")
URL_FIELDS = ("url", "link", "source_url")


@dataclass
class Record:
    source: str  # the file, with the line or item number when there are several
    text: str | None
    html: str | None
    title: str | None
    outlet: str | None
    published: str | None
    author: str | None
    url: str | None


def parse_records(text: str, source: str, *, lines: bool) -> Iterator[Record | NoArticleFound | UnsupportedInput]:
    """Records of one JSON or JSON-lines document; a bad record yields an error and the rest go on."""
    if lines:
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            where = f"{source} line {number}"
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                yield UnsupportedInput(where, f"not valid JSON ({exc.msg})")
                continue
            except RecursionError:
                yield UnsupportedInput(where, "JSON nested too deeply to be an article")
                continue
            yield _record(value, where)
        return
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        yield UnsupportedInput(source, f"not valid JSON ({exc.msg} at line {exc.lineno})")
        return
    except RecursionError:
        yield UnsupportedInput(source, "JSON nested too deeply to be an article")
        return
    if isinstance(value, list):
        for number, item in enumerate(value, start=1):
            yield _record(item, f"{source} item {number}")
    else:
        yield _record(value, source)


def _record(value: Any, where: str) -> Record | NoArticleFound | UnsupportedInput:
    if not isinstance(value, dict):
        return UnsupportedInput(where, "a JSON article must be an object with a text or html field")
    text = _first(value, TEXT_FIELDS, body=True)
    html = _first(value, HTML_FIELDS, body=True)
    if not (text and text.strip()) and not (html and html.strip()):
        return NoArticleFound(where, f"no text or html field (looked for: {', '.join(TEXT_FIELDS[:3] + HTML_FIELDS[:1])})")
    return Record(
        source=where,
        text=text,
        html=html,
        title=_first(value, TITLE_FIELDS),
        outlet=_first(value, OUTLET_FIELDS),
        published=_first(value, DATE_FIELDS),
        author=_first(value, AUTHOR_FIELDS),
        url=_first(value, URL_FIELDS),
    )


def _first(record: dict, names: tuple[str, ...], *, body: bool = False) -> str | None:
    """The first non-empty field of `names`; metadata comes back as one clean line, a body as is."""
    for name in names:
        value = record.get(name)
        if isinstance(value, dict):  # NewsAPI: "source": {"id": ..., "name": ...}
            value = value.get("name") or value.get("title")
        if isinstance(value, list):  # "authors": [...]
            names = (v.get("name") if isinstance(v, dict) else v for v in value)
            value = ", ".join(str(n) for n in names if isinstance(n, (str, int, float)) and str(n).strip())
        if isinstance(value, (str, int, float)) and not isinstance(value, bool) and str(value).strip():
            return str(value) if body else clean_field(str(value))
    return None
