"""The bias stage: off until the user builds a classifier, then it flags sentences.

The real classifier is trained on BABE (AGPL-3.0) by `storydiff build-bias-model` and is never
shipped; here a stand-in ONNX graph with fixed outputs takes its place, to test the plumbing."""

import json

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper

import storydiff
from storydiff import Article
from storydiff.pipeline import bias

TEXT = (
    "The council approved the new budget on Monday after a long debate. The opposition called the plan "
    "reckless and said it would hurt families. The mayor said the city would publish the full figures next week."
)


def _stand_in(path, logits):
    ids = helper.make_tensor_value_info("input_ids", TensorProto.INT64, [1, None])
    mask = helper.make_tensor_value_info("attention_mask", TensorProto.INT64, [1, None])
    out = helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, 2])
    # logits = constant + 0 * sum(mask): uses the inputs, returns fixed scores
    graph = helper.make_graph(
        [
            helper.make_node("Cast", ["attention_mask"], ["mask_f"], to=TensorProto.FLOAT),
            helper.make_node("ReduceSum", ["mask_f"], ["total"], keepdims=1),
            helper.make_node("Mul", ["total", "zero"], ["nothing"]),
            helper.make_node("Add", ["base", "nothing"], ["logits"]),
        ],
        "stand_in", [ids, mask], [out],
        initializer=[helper.make_tensor("zero", TensorProto.FLOAT, [], [0.0]), helper.make_tensor("base", TensorProto.FLOAT, [1, 2], logits)],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.save(model, str(path))


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("STORYDIFF_CACHE", str(tmp_path))
    monkeypatch.setattr(bias, "_loaded", None)
    return tmp_path


def _compare():
    return storydiff.compare([Article("a", TEXT, outlet="A"), Article("b", TEXT.replace("Monday", "Tuesday"), outlet="B")])


def test_no_classifier_no_sentences(cache):
    assert bias.load_bias_model() is None
    assert not [w for w in _compare().wording if w.kind == "sentence"]


@pytest.mark.parametrize("logits, flagged", [([0.0, 2.0], True), ([2.0, 0.0], False)])
def test_a_built_classifier_flags_sentences(cache, logits, flagged):
    target = cache / "bias-babe"
    target.mkdir()
    _stand_in(target / "model.onnx", logits)
    (target / "meta.json").write_text(json.dumps({"name": "stand-in"}))
    result = _compare()
    sentences = [w for w in result.wording if w.kind == "sentence"]
    assert bool(sentences) == flagged
    for w in sentences:
        assert w.category == "biased" and float(w.note) == pytest.approx(1 / (1 + np.exp(-2.0)), abs=0.01)
        assert result.articles[w.a.article].text[w.a.start : w.a.end] == w.a.text
    json.loads(result.to_json())
    result.to_html()


def _heads(path, *, word_terms, word_coef, intercept):
    """heads.npz with a vector head that says nothing and an n-gram head on a few words only."""
    np.savez(
        path,
        vector_coef=np.zeros(384), vector_intercept=np.float64(0.0),
        word_terms=np.array(word_terms, dtype=str), word_idf=np.ones(len(word_terms)),
        char_terms=np.array(["zz"], dtype=str), char_idf=np.ones(1),
        ngram_coef=np.array(list(word_coef) + [0.0]), ngram_intercept=np.float64(intercept),
    )


def test_the_blend_of_a_built_classifier(cache):
    target = cache / "bias-babe"
    target.mkdir()
    _stand_in(target / "model.onnx", [0.0, 0.0])  # the network: 0.5 for every sentence
    _heads(target / "heads.npz", word_terms=["reckless"], word_coef=[8.0], intercept=-4.0)
    blend = {"weights": {"finetuned": 0.5, "vector": 0.2, "ngram": 0.3}, "threshold": 0.55}
    (target / "meta.json").write_text(json.dumps({"name": "stand-in", "blend": blend}))
    result = _compare()
    flagged = {w.a.text for w in result.wording if w.kind == "sentence"}
    assert flagged == {"The opposition called the plan reckless and said it would hurt families."}
    p = 0.5 * 0.5 + 0.2 * 0.5 + 0.3 / (1 + np.exp(-4.0))
    assert all(float(w.note) == pytest.approx(p, abs=0.01) for w in result.wording if w.kind == "sentence")


def test_sentence_vectors_from_the_embed_stage_match_the_training_features():
    comparison = _compare()
    article = comparison.articles[0]
    texts = [article.text[s.start : s.end] for s in article.sentences]
    assert np.allclose(bias._article_vectors(article), bias.text_vectors(texts), atol=1e-5)


def test_ngrams_are_scikit_learns():
    text_module = pytest.importorskip("sklearn.feature_extraction.text")
    texts = [TEXT, "A big dog, ok. I  go\tto  X-ray's \u201cquoted\u201d caf\u00e9 at 9am!", ""]
    words = text_module.TfidfVectorizer(ngram_range=(1, 2)).build_analyzer()
    chars = text_module.TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5)).build_analyzer()
    for text in texts:
        assert bias.word_ngrams(text) == words(text)
        assert bias.char_ngrams(text) == chars(text)


def test_fitted_heads_learn_the_training_sentences(tmp_path):
    pytest.importorskip("torch")
    from storydiff.training.bias_model import fit_heads

    texts = ["The reckless, radical plan is a disaster.", "The council met on Monday.", "A shameful, absurd scheme.", "The report was published on Tuesday."] * 3
    labels = [1, 0, 1, 0] * 3
    np.savez(tmp_path / "heads.npz", **fit_heads(texts, labels))
    heads = bias.LinearHeads.load(tmp_path / "heads.npz")
    assert ((heads.ngram_probabilities(texts) >= 0.5) == np.array(labels, bool)).all()
    assert ((heads.vector_probabilities(bias.text_vectors(texts)) >= 0.5) == np.array(labels, bool)).all()
