"""The learned second opinion on conflicts: its weights, its parse gate, and what it adds, on made-up articles."""

import json

import jsonschema
import numpy as np

from storydiff import Article, IngestOptions, compare
from storydiff.story._conflict_model import FEATURES, PARSED, ConflictModel, conflict_model
from storydiff.resources import resource_path

SCHEMA = json.loads(resource_path("comparison.schema.json").read_text(encoding="utf-8"))


def _pair(a: str, b: str) -> list[Article]:
    return [
        Article(source="a", text=a, outlet="Harbour Ledger", published="2020-11-12"),
        Article(source="b", text=b, outlet="Evening Post", published="2020-11-12"),
    ]


def test_the_shipped_model_matches_the_features_and_says_how_it_was_chosen():
    model = conflict_model()
    assert model is not None, "resources/conflict_model.json is missing or was written for other features"
    data = json.loads(resource_path("conflict_model.json").read_text(encoding="utf-8"))
    assert tuple(data["features"]) == FEATURES and len(data["weights"]) == len(FEATURES)
    assert 0.5 <= model.threshold < 1 and data["leave_one_set_out"]["threshold"] == model.threshold


def test_the_parse_gate_never_drops_a_candidate_that_would_pass():
    rng = np.random.default_rng(7)
    n = len(FEATURES)
    model = ConflictModel(np.zeros(n), np.ones(n), rng.normal(size=n), -0.5, 0.7)
    parsed = set(PARSED)
    for _ in range(500):
        features = {name: float(rng.random() if name not in parsed else rng.integers(0, 2)) for name in FEATURES}
        if model.score(features) >= model.threshold:
            cheap = {k: v for k, v in features.items() if k not in parsed}
            assert model.could_pass(cheap)  # the best the parse could add is assumed


def test_a_conflict_only_the_model_finds_is_marked_and_scored():
    a = ("A court in Lissot found former mayor Olan Brisk guilty of fraud on Thursday and sentenced him to four years in prison.\n\n"
         "Brisk, 61, denied the charges.")
    b = ("Former Lissot mayor Olan Brisk will appeal against his fraud conviction, his lawyer said. "
         "The court handed down the four-year sentence on November 10.\n\nBrisk, 61, has always denied wrongdoing.")
    comparison = compare(_pair(a, b), options=IngestOptions(min_words=1))
    learned = [c for c in comparison.conflicts if c.found_by == "model"]
    assert [(c.kind, c.a.text, c.b.text) for c in learned] == [("date", "Thursday", "November 10")]
    assert learned[0].score >= conflict_model().threshold
    data = json.loads(comparison.to_json())
    jsonschema.validate(data, SCHEMA)
    assert data["conflicts"][0]["found_by"] == "model"
    # A date conflict is a possible finding on real news: shown, marked so, when asked for.
    assert learned[0].level == "possible" and "learned model" not in comparison.to_markdown()
    assert "learned model" in comparison.to_markdown(possible=True) and "learned model" in comparison.to_html()


def test_agreeing_reports_get_no_learned_conflict():
    a = ("Police arrested 41 people during clashes after the cup final in Dunmere on Saturday, a police spokesman said.\n\n"
         "Eight officers were hurt.")
    b = ("Forty-one fans were detained by police in Dunmere after fighting broke out following Saturday's cup final.\n\n"
         "Eight police officers needed treatment.")
    comparison = compare(_pair(a, b), options=IngestOptions(min_words=1))
    assert comparison.conflicts == []


def test_the_gate_over_feature_rows_keeps_exactly_the_candidates_it_would_pass_one_by_one():
    import math

    from storydiff.story.conflicts import model_candidates, named_by_article

    a = ("Flooding in Verrin killed 14 people and forced 2,300 from their homes on Monday, the regional governor Ilsa Marrow said.\n\n"
         "About 40 houses were destroyed near the river port of Calde.")
    b = ("At least 19 people died and 3,100 were evacuated when the Verrin river burst its banks on Sunday, mayor Tomas Erl said.\n\n"
         "Some 60 homes were swept away in Calde and nearby Osk.")
    comparison = compare(_pair(a, b), options=IngestOptions(min_words=1))
    everything = model_candidates(comparison, named_by_article(comparison))
    assert len(everything) >= 4 and {c.kind for c in everything} >= {"quantity"}
    for candidate in everything:
        features = candidate.features
        assert [k for k in FEATURES if k.startswith("kind_") and features[k] == 1.0] == [f"kind_{candidate.kind}"]
        assert not set(PARSED) & set(features)  # the parse comes later, for those the gate lets through
        assert features["first_sentence"] <= features["last_sentence"] and 0 <= features["sentence_overlap"] <= 1
        if candidate.kind == "quantity":
            x, y = abs(candidate.a.parsed.value), abs(candidate.b.parsed.value)
            assert math.isclose(features["ratio"], abs(math.log(x / y)), abs_tol=1e-9)
    # a gate that lets half through: the rows it is shown and the dicts it would judge one by one agree
    model = conflict_model()
    scores = sorted(model.score(c.features) for c in everything)
    middle = scores[len(scores) // 2]
    gate = ConflictModel(model.mean, model.scale, model.weights, model.bias, middle)
    kept = model_candidates(comparison, named_by_article(comparison), keep=gate.could_pass_rows)
    expected = [c for c in everything if gate.could_pass(c.features)]
    assert 0 < len(expected) < len(everything) or middle >= 0.999
    assert [(c.kind, c.a.start, c.b.start) for c in kept] == [(c.kind, c.a.start, c.b.start) for c in expected]
    assert [c.features for c in kept] == [c.features for c in expected]
