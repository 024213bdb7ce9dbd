"""Publication dates come from metadata, a dateline or an explicit "Published ..." line: never guessed."""

import pytest

import storydiff
from storydiff import InputError, InvalidArgument, read_articles
from storydiff.ingest._dates import labelled_date, strict_date

BODY = "".join(
    f"<p>The harbour board met on a grey morning to weigh the plan for the northern quay, item {i}. "
    "Members said the repairs would take most of the summer and cost more than the board had set aside.</p>"
    for i in range(6)
)


def _page(extra_head: str = "", before_body: str = "", footer: str = "") -> str:
    return (
        f"<!DOCTYPE html><html><head><title>Harbour board weighs quay plan</title>{extra_head}</head><body>"
        f"<article><h1>Harbour board weighs quay plan</h1>{before_body}{BODY}</article>"
        f"<footer>{footer}</footer></body></html>"
    )


def _published(tmp_path, html: str) -> str | None:
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    (article,), _ = read_articles([str(path)])
    return article.published


@pytest.mark.parametrize("footer", ["<p>© 2019 Harbour Media Ltd. All rights reserved.</p>", "<p>Copyright 2019 Harbour Media</p>"])
def test_a_copyright_footer_is_no_publication_date(tmp_path, footer):
    assert _published(tmp_path, _page(footer=footer)) is None


def test_dates_come_from_metadata_or_an_explicit_published_line(tmp_path):
    meta = '<meta property="article:published_time" content="2020-03-30T11:20:00Z">'
    assert _published(tmp_path, _page(extra_head=meta, footer="<p>© 2019 Harbour Media</p>")) == "2020-03-30"
    line = '<p class="meta">Published on <time>March 30, 2020</time></p>'
    assert _published(tmp_path, _page(before_body=line, footer="<p>© 2019 Harbour Media</p>")) == "2020-03-30"


def test_a_date_mentioned_in_the_story_is_no_publication_date(tmp_path):
    text = "<p>The quay was first opened on June 4, 1921, and last repaired in May 1990.</p>"
    assert _published(tmp_path, _page(before_body=text)) is None


@pytest.mark.parametrize("value, expected", [
    ("2020-03-30", "2020-03-30"), ("2020-03-30T11:20:00Z", "2020-03-30"), ("March 30, 2020", "2020-03-30"),
    ("yesterday", None), ("2020-13-45", None), ("March 2020", None), ("30/03/2020", None),
])
def test_a_typed_date_must_be_one_real_day(value, expected):
    assert strict_date(value) == expected


def test_labelled_lines():
    assert labelled_date("Published: March 30, 2020 11:20 UTC") == "2020-03-30"
    assert labelled_date("Updated 30 March 2020") == "2020-03-30"
    assert labelled_date("Published in the spring of 2020 by the harbour board") is None


def test_the_api_refuses_a_date_that_is_not_one(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("The harbour board met on Monday. " * 10, encoding="utf-8")
    with pytest.raises(InvalidArgument) as raised:
        read_articles([str(path)], dates=["not-a-date"])
    assert isinstance(raised.value, InputError) and raised.value.source == "dates[0]"
    with pytest.raises(InvalidArgument):
        storydiff.compare([str(path), str(path)], dates=["", "2020-13-45"])
