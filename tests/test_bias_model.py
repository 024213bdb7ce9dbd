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
from storydiff.story import bias

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
