"""Odd inputs through the whole pipeline: no crash, every offset holds, every unit in one fact."""

import json
import os
import subprocess
import sys

import pytest

import storydiff
from storydiff import Article, NotEnoughArticles

from .conftest import EXAMPLES

BASE = (
    "The river burst its banks on Sunday night, flooding the lower town of Marsk. "
    "Emergency crews moved 300 residents to the school hall. The mayor said the water would fall by Tuesday."
)

ODD = {
    "one sentence each": ("Floods hit the lower town of Marsk on Sunday night after two days of heavy rain across the whole "
                          "region, forcing hundreds of families from their homes and closing every road into the valley.",) * 2,
    "crlf line ends": (BASE.replace(". ", ".\r\n\r\n"), BASE),
    "emoji and astral characters": (BASE + " Residents posted 🌊🏠 pictures of 𝔣𝔩𝔬𝔬𝔡𝔢𝔡 streets online.", BASE),
    "a very long sentence": (BASE + " " + ", and ".join(f"street number {i} was closed to traffic" for i in range(120)) + ".", BASE),
    "quotes without end": ('The mayor said: "We will rebuild the wall, and we will do it before the winter comes.\n\n' + BASE, BASE),
    "chinese text": ("周日晚上河水决堤，淹没了马尔斯克下城。紧急救援人员将三百名居民转移到学校礼堂。市长说，水位将在周二之前下降。" * 2, BASE),
}


def _check(result):
    for article in result.articles:
        units = [0] * len(article.units)
        for fact in result.facts:
            for m in fact.mentions:
                assert article.text[m.start : m.end] == m.text if m.article == article.id else True
                if m.article == article.id:
                    for k, unit in enumerate(article.units):
                        if m.start <= unit.start and unit.end <= m.end:
                            units[k] += 1
        assert all(count == 1 for count in units), "every unit belongs to exactly one fact"
    for group in result.quotes:
        for m in group.mentions:
            assert result.articles[m.article].text[m.start : m.end] == m.text
    json.loads(result.to_json())
    result.to_html()
    result.to_markdown()


@pytest.mark.parametrize("name", ODD)
def test_odd_pairs(name):
    first, second = ODD[name]
    # Some pairs are one text twice, in other forms: compared fact by fact here, to test the pipeline.
    result = storydiff.compare([Article("a", first, outlet="A"), Article("b", second, outlet="B")], keep_copies=True)
    _check(result)


def test_three_articles_with_one_off_topic():
    other = "The central bank raised interest rates by a quarter point on Thursday, citing stubborn inflation in services and housing."
    result = storydiff.compare([Article("a", BASE, outlet="A"), Article("b", BASE.replace("300", "about 300"), outlet="B"), Article("c", other * 2, outlet="C")])
    _check(result)
    assert result.off_story == [2]


@pytest.mark.parametrize("text", ["", "   \n  ", "Headline only\nAnother label\nThird label here"])
def test_articles_given_directly_are_checked(text):
    with pytest.raises(NotEnoughArticles) as raised:
        storydiff.compare([Article("good", BASE * 2), Article("bad", text)])
    assert raised.value.comparison.skipped[0].source == "bad"


def test_same_output_across_processes(tmp_path):
    outputs = []
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed, STORYDIFF_THREADS=seed)
        done = subprocess.run(
            [sys.executable, "-m", "storydiff", "compare", str(EXAMPLES / "halvern-bridge"), "-f", "json"],
            capture_output=True, env=env, timeout=120,
        )
        assert done.returncode == 0, done.stderr.decode()
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]


def test_terminal_summary_shows_markup_and_escapes_as_text(tmp_path):
    evil = tmp_path / "evil.json"
    evil.write_text(json.dumps({"outlet": "Evil [link=https://evil.example/]click[/link] \x1b[5mBLINK", "published": "[/bold]",
                                "text": BASE * 2}))
    done = subprocess.run([sys.executable, "-m", "storydiff", "compare", str(evil), str(EXAMPLES / "halvern-bridge" / "metro-wire.json")],
                          capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode()
    out = done.stdout.decode()
    assert "\x1b" not in out  # no escape sequence from the article reaches the terminal
    assert "[link=https://evil.example/]click[/link]" in out.replace("\n", "")


def test_output_that_cannot_be_written(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    done = subprocess.run([sys.executable, "-m", "storydiff", "compare", str(EXAMPLES / "halvern-bridge"), "-o", str(blocker / "r.html"), "-q"],
                          capture_output=True, timeout=120)
    assert done.returncode == 5
    lines = done.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"storydiff: cannot write {blocker / 'r.html'}")
    assert list(tmp_path.iterdir()) == [blocker]  # nothing half-written left behind


def test_wire_copy_keeps_its_short_sentences(tmp_path):
    wire = "Storm closes port\nThe storm closed the port of Varna on Monday, officials said.\nNo one was hurt.\nThe port director declined to comment.\nShips were sent to anchor offshore until the wind drops, the coast guard said."
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(wire)
    articles, _ = storydiff.read([str(tmp_path / "a.txt"), str(tmp_path / "b.txt")])
    for article in articles:
        assert "No one was hurt." in article.text and "declined to comment" in article.text
