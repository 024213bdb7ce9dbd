"""Reading inputs of every kind, and every kind of bad input."""

import gzip
import io
import json

import pytest

from storydiff import IngestOptions, read_articles

from .conftest import EXAMPLES

BODY = (
    "The city council voted on Tuesday to close the old ferry terminal by the end of the year, "
    "ending ninety years of service across the bay. Council members said the terminal needed repairs "
    "costing more than it could raise, and that a new bus link would replace the crossing."
)


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return str(path)


def test_saved_html_page_with_metadata():
    articles, skipped = read_articles([str(EXAMPLES / "halvern-bridge" / "eastport-gazette.html")])
    assert skipped == []
    (page,) = articles
    assert page.input_format == "html"
    assert page.title == "Ship strikes Halvern Bridge, collapsing span into Tarne River"
    assert page.outlet == "The Eastport Gazette"
    assert page.author == "Mira Castellan"
    assert page.published == "2026-03-04"
    assert page.url == "https://gazette.example/news/2026/03/04/halvern-bridge-collapse"
    assert page.text.startswith("A cargo ship struck a support pier")
    for furniture in ("Subscribe", "Ferry fares to rise", "All rights reserved", "Sign up for our morning newsletter"):
        assert furniture not in page.text


def test_json_record_and_list_and_jsonl(tmp_path):
    record = {"title": "Ferry terminal to close", "outlet": "Bay News", "date": "2025-06-03T10:00:00Z", "text": BODY}
    one = write(tmp_path, "one.json", json.dumps(record))
    many = write(tmp_path, "many.json", json.dumps([record, record | {"outlet": "Bay Post"}]))
    lines = write(tmp_path, "lines.jsonl", json.dumps(record) + "\n{not json\n" + json.dumps({"title": "no body"}) + "\n")
    articles, skipped = read_articles([one, many, lines])
    assert [a.outlet for a in articles] == ["Bay News", "Bay News", "Bay Post", "Bay News"]
    assert all(a.published == "2025-06-03" and a.title == "Ferry terminal to close" for a in articles)
    assert [s.source for s in skipped] == [f"{lines} line 2", f"{lines} line 3"]
    assert "not valid JSON" in skipped[0].reason and "no text or html field" in skipped[1].reason


def test_markdown_and_gzip_and_directory(tmp_path):
    folder = tmp_path / "story"
    folder.mkdir()
    write(folder, "a.md", f"# Ferry terminal to close\n\n{BODY}\n")
    write(folder, "b.txt.gz", gzip.compress(f"Old terminal closing\n{BODY}\n".encode()))
    write(folder, "notes.csv", "ignored,file\n")
    write(folder, ".hidden.txt", BODY)
    articles, skipped = read_articles([str(folder)])
    assert [a.title for a in articles] == ["Ferry terminal to close", "Old terminal closing"]
    assert skipped == []


def test_stdin():
    articles, _ = read_articles(["-"], stdin=io.BytesIO(f"Ferry terminal to close\n{BODY}".encode()))
    assert articles[0].source == "stdin" and articles[0].title == "Ferry terminal to close"


def test_overrides_apply_per_input(tmp_path):
    a = write(tmp_path, "a.txt", f"Ferry terminal to close\n{BODY}")
    b = write(tmp_path, "b.txt", f"Terminal closing\n{BODY}")
    articles, _ = read_articles([a, b], outlets=["Bay News", None], titles=["", "Given title"], dates=["2025-06-03", None])
    assert [(x.outlet, x.title, x.published) for x in articles] == [
        ("Bay News", "Ferry terminal to close", "2025-06-03"),
        (None, "Given title", None),
    ]


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\n ", "white space"),
        ("image.html", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "PNG image"),
        ("nav.html", b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "no article"),
        ("short.txt", b"Just a headline\nAnd one line.", "too short"),
        ("bad.json", b"{\"text\": ", "not valid JSON"),
    ],
)
def test_bad_files_are_skipped_with_a_reason(tmp_path, name, content, reason):
    good = write(tmp_path, "good.txt", f"Ferry terminal to close\n{BODY}")
    bad = write(tmp_path, name, content)
    articles, skipped = read_articles([good, bad])
    assert len(articles) == 1
    assert len(skipped) == 1 and skipped[0].source == bad and reason in skipped[0].reason
    assert "\n" not in skipped[0].reason


def test_missing_and_oversized(tmp_path):
    big = write(tmp_path, "big.txt", BODY * 100)
    articles, skipped = read_articles([str(tmp_path / "nope.txt"), big], options=IngestOptions(max_bytes=1000))
    assert articles == []
    assert "no such file" in skipped[0].reason
    assert "over the size cap" in skipped[1].reason


def test_non_utf8_text_is_read(tmp_path):
    french = "Le conseil municipal a voté mardi la fermeture du vieux terminal de ferry d'ici la fin de l'année, après quatre-vingt-dix ans de service. Les élus ont déclaré que les réparations coûteraient trop cher."
    path = write(tmp_path, "latin1.txt", ("Fermeture du terminal\n" + french).encode("latin-1"))
    (article,), _ = read_articles([path])
    assert "déclaré" in article.text and article.encoding not in (None, "utf-8")


def test_huge_text_is_not_an_article(tmp_path):
    book = write(tmp_path, "book.txt", "A long book title here\n" + (BODY + "\n") * 500)
    articles, skipped = read_articles([book], options=IngestOptions(max_words=5000))
    assert articles == [] and "too long for an article" in skipped[0].reason
