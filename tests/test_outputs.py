"""JSON against its schema, HTML that is self-contained and inert, Markdown with the same findings."""

import io
import json
import re
from html.parser import HTMLParser

import jsonschema
import pytest

import storydiff
from storydiff import Article
from storydiff.resources import resource_path

SCHEMA = json.loads(resource_path("comparison.schema.json").read_text(encoding="utf-8"))


def test_json_validates_and_offsets_hold(bridge_comparison):
    data = json.loads(bridge_comparison.to_json())
    jsonschema.validate(data, SCHEMA)
    texts = [a["text"] for a in data["articles"]]
    for fact in data["facts"]:
        for mention in fact["mentions"] + fact["possible"]:
            assert texts[mention["article"]][mention["start"] : mention["end"]] == mention["text"]
    assert data["summary"]["facts"] == len(data["facts"])


def test_schema_rejects_broken_output(bridge_comparison):
    data = json.loads(bridge_comparison.to_json())
    data["facts"][0]["status"] = "maybe"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA)


HOSTILE = (
    'Officials said </script><script>alert("x")</script> the vote passed <img src=x onerror=alert(1)> on Monday, '
    "and the council met again on Tuesday to confirm the budget, spending & saving in equal parts. "
    "The mayor said the plan would cut waste across every department of the city."
)


@pytest.fixture(scope="module")
def hostile():
    a = Article(source="<b>a</b>.txt", text=HOSTILE, outlet='Evil "Outlet" <script>', title="<script>alert(2)</script>")
    b = Article(source="b.txt", text=HOSTILE.replace("Monday", "Sunday"), outlet="Plain")
    return storydiff.compare([a, b])


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.handlers = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.handlers += [name for name, _ in attrs if name.startswith("on")]


def test_html_escapes_everything(hostile):
    html = hostile.to_html()
    parsed = _Tags()
    parsed.feed(html)
    assert parsed.tags.count("script") == 2  # the report's own data block and script, nothing else
    assert "img" not in parsed.tags and parsed.handlers == []
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # shown as text, not run
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html  # the title too
    data_block = html.split('id="storydiff-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data_block  # nothing in the JSON can close the script element
    json.loads(data_block)


def test_html_is_self_contained(bridge_comparison):
    html = bridge_comparison.to_html()
    assert "Content-Security-Policy" in html
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)  # nothing loaded from the network
    assert "@import" not in html
    for fact in bridge_comparison.facts:
        assert f'data-fact="{fact.id}"' in html  # every fact is clickable somewhere
    assert 'id="matrix"' in html and "Only in one outlet" in html


def test_markdown_says_the_same(bridge_comparison):
    md = bridge_comparison.to_markdown()
    shared = bridge_comparison.facts_with_status("shared")
    certain = [f for f in shared if f.level == "certain"]
    more = f", +{len(shared) - len(certain)} possible" if len(certain) < len(shared) else ""
    assert f"## Reported by all ({len(certain)}{more})" in md
    for article in bridge_comparison.articles:
        assert f"### {article.outlet} (" in md
    assert md.index("## What matters most") < md.index("## Articles")
    every = bridge_comparison.to_markdown(possible=True)
    assert f"## Reported by all ({len(shared)})" in every and "*possible*" in every


def test_default_views_show_certain_findings_and_a_switch_shows_possible_ones(bridge_comparison):
    from storydiff.render.terminal import print_summary
    from rich.console import Console

    possible = [f for f in bridge_comparison.facts if f.level == "possible"]
    assert possible and all(f.confidence is not None and f.basis for f in bridge_comparison.facts)
    hidden = f"  {possible[0].id}  "  # its line in a list of facts
    console = Console(width=200, record=True, file=io.StringIO())
    print_summary(bridge_comparison, console, per_outlet=100)
    default = console.export_text()
    console = Console(width=200, record=True, file=io.StringIO())
    print_summary(bridge_comparison, console, per_outlet=100, possible=True)
    every = console.export_text()
    assert hidden not in default and f"{hidden}(possible)" in every
    assert "possible findings not shown" in default
    html = bridge_comparison.to_html()
    assert 'id="show-possible"' in html and "hide-possible" in html


def test_markdown_neutralises_markup(hostile):
    md = hostile.to_markdown()
    assert not re.search(r"(?<!\\)[<>]", md)  # every angle bracket escaped: no HTML reaches a renderer
    assert "\\<img src=x onerror=alert\\(1\\)\\>" in md


def test_same_inputs_same_output(bridge_comparison):
    again = storydiff.compare([str(a.source) for a in bridge_comparison.articles])
    assert again.to_json() == bridge_comparison.to_json()


def _summary(comparison, width=72):
    from rich.console import Console

    from storydiff.render.terminal import print_summary

    console = Console(width=width, record=True, color_system=None, file=io.StringIO())
    print_summary(comparison, console, per_outlet=2)
    return console.export_text()


def test_terminal_summary_counts_cuts_and_fits(bridge_comparison):
    text = _summary(bridge_comparison)
    lines = text.splitlines()
    assert all(len(line) <= 72 for line in lines)
    headings = [i for i, line in enumerate(lines) if re.match(r"^\S.* \((\d+)\)$", line)]
    for i in headings:
        total = int(re.search(r"\((\d+)\)$", lines[i]).group(1))
        items = [line for line in lines[i + 1 : i + 4] if re.match(r"^  f\d+ ", line)]
        if items and total > len(items):
            following = lines[i + 1 : i + 1 + len(items) + 1]
            assert f"  … and {total - len(items)} more" in following, lines[i]
    assert "(0)" not in text  # an empty section is left out
    words = set(re.findall(r"\w+", " ".join(a.text + " " + (a.outlet or "") for a in bridge_comparison.articles)))
    for line in lines:
        if line.endswith("…"):
            assert re.search(r"(\w+)\W*…$", line).group(1) in words, f"cut inside a word: {line!r}"


def test_terminal_summary_warns_first():
    import storydiff
    from storydiff import Article

    quake = ("A magnitude 6.2 earthquake struck the mountain town of Varel early on Sunday, destroying dozens of homes "
             "and killing at least 14 people, the regional governor said. Rescue teams worked through the night.")
    retold = ("At least 14 people died when a 6.2-magnitude quake hit Varel, a town in the mountains, early on Sunday, "
              "the governor of the region said. Rescuers dug through collapsed houses overnight.")
    vote = ("The ruling party lost its majority in Sunday's parliamentary election, official results showed on Monday, "
            "forcing the prime minister to seek a coalition partner. Turnout was the lowest since 1990.")
    result = storydiff.compare([Article(text=quake, outlet="A"), Article(text=retold, outlet="B"), Article(text=vote, outlet="C")])
    lines = _summary(result).splitlines()
    assert lines[1].startswith("warning: C does not seem to report the same story")
