"""One article given twice, or lightly edited: named once as a copy, with the words that differ."""

import pytest

import storydiff
from storydiff import Article, NotEnoughArticles

STORY = (
    "Quay plan approved\n\n"
    "The harbour board backs a costly repair of the northern quay\n\n"
    "The harbour board on Monday approved a plan to rebuild the northern quay, which was damaged in the winter storms. "
    "The work will cost 4.2 million euros and take most of the summer, the board's chair, Ana Ruiz, said.\n\n"
    "Fishing boats will moor at the southern quay while the work goes on. Ruiz said the board had set aside "
    "money for the repair last year, but that prices had risen since.\n\n"
    "What happens next\n\n"
    "Contractors will be chosen by the end of the month. The board will publish the winning bid, Ruiz said, "
    "and residents will be able to follow the work online.\n"
)
OTHER = (
    "Rescue crews searched the hills above Varel on Tuesday after a landslide buried two roads. Officials said "
    "no one was missing, but several farms were cut off. The regional government promised help for the families "
    "whose houses were damaged, and said the roads would reopen within a week."
)


def test_two_copies_are_named_not_compared(tmp_path):
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(STORY, encoding="utf-8")
    with pytest.raises(NotEnoughArticles) as raised:
        storydiff.compare([str(tmp_path / "a.txt"), str(tmp_path / "b.txt")])
    assert f"{tmp_path / 'b.txt'}: a copy of {tmp_path / 'a.txt'} (100% the same wording)" in str(raised.value)


def test_an_edited_copy_is_compared_once_with_its_changes():
    edited = STORY.replace("on Monday", "on Tuesday")
    result = storydiff.compare([Article("a", STORY, outlet="A"), Article("b", edited, outlet="B"), Article("c", OTHER, outlet="C")])
    assert [a.outlet for a in result.articles] == ["A", "C"]
    (copy,) = result.duplicates
    assert copy.article == 0 and copy.source == "b" and 0.9 <= copy.similarity < 1
    assert copy.changes == [("Monday,", "Tuesday,")] or copy.changes == [("Monday", "Tuesday")]
    assert "b is a copy of a" in result.to_markdown()
    assert result.to_dict()["duplicates"][0]["changes"][0]["b"].startswith("Tuesday")
    kept = storydiff.compare([Article("a", STORY), Article("b", edited)], keep_copies=True)
    assert len(kept.articles) == 2 and kept.duplicates == []


def test_a_second_copy_does_not_turn_the_headline_and_standfirst_into_furniture(tmp_path):
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(STORY, encoding="utf-8")
    (tmp_path / "c.txt").write_text(OTHER, encoding="utf-8")
    articles, _ = storydiff.read([str(tmp_path / n) for n in ("a.txt", "b.txt", "c.txt")])
    for article in articles[:2]:
        assert article.title == "Quay plan approved"
        assert "The harbour board backs a costly repair of the northern quay" in article.text
        assert "What happens next" in article.text


def test_a_copy_cut_short_is_a_copy_and_the_longer_one_is_kept():
    cut = STORY[: STORY.index("What happens next")]
    result = storydiff.compare([Article("short", cut, outlet="A"), Article("long", STORY, outlet="B"), Article("c", OTHER, outlet="C")])
    assert [a.outlet for a in result.articles] == ["B", "C"]
    assert result.duplicates[0].source == "short" and result.duplicates[0].changed >= 1


def test_copies_from_two_sites_keep_their_headline_whatever_the_furniture(tmp_path):
    (tmp_path / "a.txt").write_text("Skip to content\nHome | News | Sport\n\n" + STORY + "\nSHARE THIS ARTICLE\n© Site A", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Menu\nSubscribe now\n\n" + STORY + "\nRead more »\nAll rights reserved, Site B", encoding="utf-8")
    articles, _ = storydiff.read([str(tmp_path / "a.txt"), str(tmp_path / "b.txt")])
    for article in articles:
        assert article.title == "Quay plan approved"
        assert "The harbour board backs a costly repair of the northern quay" in article.text


def test_the_same_file_twice_is_said_so(tmp_path):
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    with pytest.raises(NotEnoughArticles) as raised:
        storydiff.compare([str(tmp_path / "a.txt"), str(tmp_path / "a.txt")])
    assert f"{tmp_path / 'a.txt'}: given twice" in str(raised.value)
