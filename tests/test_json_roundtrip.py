"""A comparison reads back from its own JSON: reading then writing gives the same JSON, and what
is read renders in every format as the original does."""

import json

import pytest

import storydiff
from storydiff import Comparison, SchemaError


def _round_trip(comparison):
    first = comparison.to_json()
    again = Comparison.from_json(first)
    return first, again


def test_bundled_example_reads_back_to_the_same_json(bridge_comparison):
    first, again = _round_trip(bridge_comparison)
    assert again.to_json() == first
    # what the renderers show is the same too
    assert again.to_markdown() == bridge_comparison.to_markdown()
    assert again.to_markdown(possible=True) == bridge_comparison.to_markdown(possible=True)
    assert again.to_html() == bridge_comparison.to_html()


def test_real_pair_reads_back_to_the_same_json(iraq_comparison):
    first, again = _round_trip(iraq_comparison)
    assert again.to_json() == first
    assert [a.uid for a in again.articles] == [a.uid for a in iraq_comparison.articles]
    assert len(again.conflicts) == len(iraq_comparison.conflicts) and len(again.facts) == len(iraq_comparison.facts)


def test_articles_carry_a_stable_id_whatever_their_position(bridge_comparison):
    forward = {a.source: a.uid for a in bridge_comparison.articles}
    backward = storydiff.compare(list(reversed([a.fresh() for a in bridge_comparison.articles])))
    assert {a.source: a.uid for a in backward.articles} == forward
    assert len(set(forward.values())) == len(forward)


def test_ids_come_from_the_canonical_url_or_the_words():
    a = storydiff.Article(text="One text.", url="https://www.example.com/news/story/?utm_source=feed#comments")
    b = storydiff.Article(text="Another text.", url="http://example.com/news/story")
    assert a.uid == b.uid  # one page, two links
    c = storydiff.Article(text="One  text.", title="T")
    d = storydiff.Article(text="one text.", title="t")
    assert c.uid == d.uid != storydiff.Article(text="One text. More.", title="T").uid


@pytest.mark.parametrize("text, reason", [
    ("{not json", "not JSON"),
    ('{"articles": []}', "not a storydiff comparison"),
    ('{"schema_version": "2.0", "articles": [], "facts": []}', "schema version 2.0"),
    ('{"schema_version": "1.6", "articles": [{"text": 3}], "facts": []}', "not a valid"),
])
def test_anything_else_is_a_schema_error(text, reason):
    with pytest.raises(SchemaError, match=reason):
        Comparison.from_json(text)
    assert issubclass(SchemaError, ValueError)


def test_reading_validates_against_the_schema(bridge_comparison):
    jsonschema = pytest.importorskip("jsonschema")
    from storydiff.resources import resource_path

    schema = json.loads(resource_path("comparison.schema.json").read_text())
    jsonschema.validate(json.loads(bridge_comparison.to_json()), schema)
