"""The Python API: compare() and similarity() on made-up articles."""

import pytest

import storydiff
from storydiff import Article, NotEnoughArticles


QUAKE = (
    "A magnitude 6.2 earthquake struck the mountain town of Varel early on Sunday, destroying dozens of homes "
    "and killing at least 14 people, the regional governor said. Rescue teams worked through the night to free "
    "residents trapped under rubble. The quake cut power to the whole valley."
)
QUAKE_RETOLD = (
    "At least 14 people died when a 6.2-magnitude quake hit Varel, a town in the mountains, in the early hours of "
    "Sunday, according to the governor of the region. Rescuers dug through collapsed houses overnight to reach "
    "people buried under debris. Electricity was down across the valley."
)
ELECTION = (
    "The ruling party lost its majority in Sunday's parliamentary election, official results showed on Monday, "
    "forcing the prime minister to seek a coalition partner. Turnout was the lowest since 1990. The opposition "
    "leader called the result a turning point for the country."
)


def test_similarity_orders_stories():
    same = storydiff.similarity(QUAKE, QUAKE)
    retold = storydiff.similarity(QUAKE, QUAKE_RETOLD)
    other = storydiff.similarity(QUAKE, ELECTION)
    assert 0.95 <= same <= 1.0
    assert 0.0 <= other < retold < same
    assert storydiff.similarity(QUAKE_RETOLD, QUAKE) == pytest.approx(retold, abs=1e-6)


def test_retold_story_shares_its_facts():
    result = storydiff.compare([Article("a", QUAKE, outlet="A"), Article("b", QUAKE_RETOLD, outlet="B")])
    shared = result.facts_with_status("shared")
    assert len(shared) >= 2
    assert any("14" in m.text for f in shared for m in f.mentions)
    assert result.warnings == []


def test_off_story_input_is_warned_about():
    result = storydiff.compare([Article("a", QUAKE, outlet="A"), Article("b", QUAKE_RETOLD, outlet="B"), Article("c", ELECTION, outlet="C")])
    assert any(w.startswith("C does not seem to report the same story") for w in result.warnings)
    assert not any(2 in f.articles and len(f.articles) > 1 for f in result.facts)
    assert result.off_story == [2]
    # What A and B both report still counts as reported by all: C is not on the story.
    assert any(f.status == "shared" and f.articles == [0, 1] for f in result.facts)


def test_needs_two_articles_and_says_why_each_input_was_left_out(tmp_path):
    with pytest.raises(NotEnoughArticles) as raised:
        storydiff.compare([Article("a", QUAKE)])
    assert "at least two" in str(raised.value)
    # Articles and inputs to read mix; what could not be read is named, with its reason, in the message.
    with pytest.raises(NotEnoughArticles) as raised:
        storydiff.compare([Article("a", QUAKE), str(tmp_path / "b.txt")])
    assert f"{tmp_path / 'b.txt'}: no such file or directory" in str(raised.value)


def test_bundled_example(bridge_comparison):
    labels = {a.id: a.outlet for a in bridge_comparison.articles}
    shared_texts = [" ".join(m.text for m in f.mentions) for f in bridge_comparison.facts_with_status("shared")]
    assert any("state of emergency" in t for t in shared_texts)  # all three report the mayor's declaration
    assert any("harbour" in t.lower() for t in shared_texts)  # and the closed harbour

    def unique_to(outlet, words):
        return [f for f in bridge_comparison.facts if f.status == "unique" and labels[f.mentions[0].article] == outlet
                and words in f.mentions[0].text]

    assert unique_to("Metro Wire Service", "fell 12 percent")
    assert unique_to("The Eastport Gazette", "opened in 1968")
    assert unique_to("Coastline Daily", "lights went dark")


def test_parallel_step_gives_what_the_stages_give_one_after_another():
    from storydiff.pipeline import Parallel, Pipeline, default_pipeline

    pipeline = default_pipeline()
    assert any(isinstance(c, Parallel) for c in pipeline.components)
    one_by_one = Pipeline(pipeline.stages)
    assert one_by_one.names == pipeline.names
    articles = [Article("a", QUAKE, outlet="A"), Article("b", QUAKE_RETOLD, outlet="B")]
    parallel = storydiff.compare(articles, pipeline=pipeline).to_json()
    assert parallel == storydiff.compare(articles, pipeline=one_by_one).to_json()
    assert parallel == storydiff.compare(articles, pipeline=pipeline).to_json()
    assert "quotes" not in pipeline.without({"quotes"}).names
    assert pipeline.without({"quotes"}).names == [n for n in pipeline.names if n != "quotes"]


def test_parallel_step_raises_what_a_branch_raises():
    from storydiff._models import Comparison
    from storydiff.pipeline import Parallel

    class Broken:
        name = "broken"

        def __call__(self, comparison):
            raise ValueError("broken stage")

    ran = []

    class Fine:
        name = "fine"

        def __call__(self, comparison):
            ran.append(self.name)

    for branches in (([Fine()], [Broken()]), ([Broken()], [Fine()])):
        ran.clear()
        with pytest.raises(ValueError, match="broken stage"):
            Parallel(*branches)(Comparison([]))
        assert ran == ["fine"]  # the other branch ran to its end


def test_one_string_is_not_a_list_of_inputs():
    for wrong in ("a.txt", b"a.txt", Article(text=QUAKE)):
        with pytest.raises(TypeError, match=r"takes a list of inputs"):
            storydiff.compare(wrong)
    with pytest.raises(TypeError, match=r"takes a list of inputs"):
        storydiff.read("a.txt")
    with pytest.raises(TypeError, match=r"an input is a path, URL"):
        storydiff.compare([QUAKE.encode(), ELECTION.encode()])


def test_text_is_read_as_a_file_would_be(tmp_path):
    copied = "Skip to main content\nHome | World | Sport\n\nQuake kills 14 in Varel\n\n" + QUAKE + "\n\nSHARE THIS ARTICLE\n"
    path = tmp_path / "copied.txt"
    path.write_text(copied, encoding="utf-8")
    (from_file,), _ = storydiff.read([str(path)])
    (from_text,), _ = storydiff.read([storydiff.Text(copied, outlet="Valley News")])
    assert from_text.text == from_file.text and "SHARE THIS" not in from_text.text
    assert from_text.outlet == "Valley News" and from_text.title == from_file.title
    article = Article.from_text(copied, outlet="Valley News")
    assert article.text == from_file.text and article.outlet == "Valley News"
    result = storydiff.compare([storydiff.Text(copied), storydiff.Text(QUAKE_RETOLD, outlet="B")])
    assert [a.source for a in result.articles] == ["text 1", "text 2"] and result.articles[1].outlet == "B"


def test_an_article_by_hand_needs_only_its_text():
    article = Article(text=QUAKE, outlet="Valley News")
    assert article.source == "Valley News" and article.id == -1
    with pytest.raises(TypeError):
        Article(text=QUAKE.encode())


def test_similarity_reads_paths_and_agrees_with_the_report(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(QUAKE, encoding="utf-8")
    b.write_text(QUAKE_RETOLD, encoding="utf-8")
    with pytest.raises(TypeError, match="looks like a path"):
        storydiff.similarity(str(a), str(b))  # never the similarity of two path strings
    from pathlib import Path

    by_path = storydiff.similarity(Path(a), Path(b))
    report = storydiff.compare([str(a), str(b)]).similarity[0][1]
    assert by_path == report == storydiff.similarity(QUAKE, QUAKE_RETOLD)
    articles, _ = storydiff.read([str(a), str(b)])
    assert storydiff.similarity(*articles) == report


def test_more_overrides_than_inputs_is_an_error():
    with pytest.raises(storydiff.InvalidArgument, match="3 values for 2 inputs"):
        storydiff.compare([Article(text=QUAKE), Article(text=QUAKE_RETOLD)], outlets=["A", "B", "C"])
    with pytest.raises(storydiff.InvalidArgument, match="not a string"):
        storydiff.compare([Article(text=QUAKE), Article(text=QUAKE_RETOLD)], outlets="AB")
