"""Publication dates come from metadata, a dateline or an explicit "Published ..." line: never guessed."""

import pytest

import storydiff
from storydiff import InputError, InvalidArgument, read_articles
import datetime

from storydiff.ingest._dates import dateline_date, strict_date
from storydiff.ingest._page_dates import published_in

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


@pytest.mark.parametrize("before, footer", [
    ("<p>The quay was first opened on June 4, 1921, and last repaired in May 1990.</p>", ""),
    ("<p>An inspection report dated 2019-05-01 found cracks in the quay wall.</p>", ""),
    ("", "<p>Cached 2019-05-01 10:22:33</p><p>Terms of use revised 01.05.2019</p>"),
    ("", '<div class="related"><span class="date">12 July 2018</span> Other story</div>'),
    ("", '<div class="comments"><p>Posted on 5 June 2018 by a reader</p></div>'),
    ("", "<p>Last updated: 1 January 2019</p>"),
    ('<p class="meta">Published: 03/04/2020</p>', ""),
])
def test_dates_in_the_story_footers_comments_and_teasers_are_no_publication_date(tmp_path, before, footer):
    assert _published(tmp_path, _page(before_body=before, footer=footer)) is None


@pytest.mark.parametrize("head, before", [
    ('<script type="application/ld+json">{"@graph": [{"@type": "NewsArticle", "datePublished": "2020-03-30T08:00:00Z"}]}</script>', ""),
    ("", '<time itemprop="datePublished" datetime="2020-03-30">30 March</time>'),
    ("", '<p class="byline">By Jane Writer | Published: March 30, 2020</p>'),
    ("", "<p>Updated: April 2, 2020</p><p>Published: March 30, 2020</p>"),
    ("", "<p>By X<br>Published: 30 March 2020, 11:20 GMT</p>"),
])
def test_metadata_and_published_lines_in_their_forms(tmp_path, head, before):
    assert _published(tmp_path, _page(extra_head=head, before_body=before)) == "2020-03-30"


@pytest.mark.parametrize("value, expected", [
    ("2020-03-30", "2020-03-30"), ("2020-03-30T11:20:00Z", "2020-03-30"), ("March 30, 2020", "2020-03-30"),
    ("Monday, March 30, 2020", "2020-03-30"), (datetime.date(2020, 3, 30), "2020-03-30"),
    ("yesterday", None), ("2020-13-45", None), ("March 2020", None), ("30/03/2020", None),
    ("2020-03-30T25:99", None), ("Sunday, March 30, 2020", None),
])
def test_a_typed_date_must_be_one_real_day(value, expected):
    assert strict_date(value) == expected


def test_published_lines_and_datelines():
    assert published_in("Published: March 30, 2020 11:20 UTC") == "2020-03-30"
    assert published_in("Published - 30 Mar 2020") == "2020-03-30"
    assert published_in("Updated 30 March 2020") is None
    assert published_in("Published in the spring of 2020 by the harbour board") is None
    assert dateline_date("EASTPORT, March 4, 2026 — The operator of the ship said ...") == "2026-03-04"
    assert dateline_date("WASHINGTON (Reuters), Jan. 5, 2020 - Lawmakers said ...") == "2020-01-05"
    assert dateline_date("EASTPORT, March 4 (Metro Wire) - The operator ...") is None  # no year: no date


def test_a_copied_text_dateline_dates_the_article(tmp_path):
    path = tmp_path / "wire.txt"
    path.write_text("EASTPORT, March 4, 2026 — " + "The harbour board met on a grey morning. " * 8, encoding="utf-8")
    (article,), _ = read_articles([str(path)])
    assert article.published == "2026-03-04"


def test_the_api_refuses_a_date_that_is_not_one(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("The harbour board met on Monday. " * 10, encoding="utf-8")
    with pytest.raises(InvalidArgument) as raised:
        read_articles([str(path)], dates=["not-a-date"])
    assert isinstance(raised.value, InputError) and raised.value.source == "dates[0]"
    with pytest.raises(InvalidArgument):
        storydiff.compare([str(path), str(path)], dates=["", "2020-13-45"])
    with pytest.raises(InvalidArgument):
        storydiff.Text("The harbour board met.", published="yesterday")
    with pytest.raises(InvalidArgument):
        storydiff.Article(text="The harbour board met.", published="yesterday")
    (article,), _ = read_articles([str(path)], dates=[datetime.date(2020, 3, 30)])
    assert article.published == "2020-03-30"
