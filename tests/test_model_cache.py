"""The cached embedding model: a damaged file is rebuilt, never loaded; two builders build it once."""

import threading
import time

import pytest

from storydiff import ModelError
from storydiff.article import embed


@pytest.fixture
def builds(tmp_path, monkeypatch):
    """A cache in tmp_path whose 'build' writes fixed bytes (slowly), counting the builds."""
    monkeypatch.setenv("STORYDIFF_CACHE", str(tmp_path))
    count = []

    def quantize(source, folder):
        count.append(1)
        time.sleep(0.2)
        out = folder / "quantized.onnx"
        out.write_bytes(b"model bytes " * 1000)
        return out

    monkeypatch.setattr(embed, "_quantize", quantize)
    return count


def test_a_damaged_cached_model_is_rebuilt(builds):
    path = embed.prepared_model_path()
    assert builds == [1] and path.read_bytes() == b"model bytes " * 1000
    assert embed.prepared_model_path() == path and builds == [1]  # intact: used as it is
    path.write_bytes(path.read_bytes()[:500])  # truncated
    assert embed.prepared_model_path().read_bytes() == b"model bytes " * 1000 and len(builds) == 2
    path.write_bytes(b"x" * len(b"model bytes " * 1000))  # same size, other bytes
    assert embed.prepared_model_path().read_bytes() == b"model bytes " * 1000 and len(builds) == 3
    embed._checksum_file(path).unlink()  # a build that died before its checksum was written
    embed.prepared_model_path()
    assert len(builds) == 4


def test_two_builders_at_once_build_once(builds):
    paths = []
    threads = [threading.Thread(target=lambda: paths.append(embed.prepared_model_path())) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert builds == [1] and len(set(paths)) == 1
    assert paths[0].read_bytes() == b"model bytes " * 1000


def test_a_model_that_will_not_load_is_rebuilt_once_then_named(builds, monkeypatch):
    attempts = []

    def session(path):
        attempts.append(path)
        raise RuntimeError("[ONNXRuntimeError] : 7 : INVALID_PROTOBUF : Load model failed")

    monkeypatch.setattr(embed, "one_core_session", session)
    with pytest.raises(ModelError) as raised:
        embed._load_session(None)
    assert len(attempts) == 2 and len(builds) == 2  # built, failed, rebuilt, failed
    message = str(raised.value)
    assert str(embed.cache_dir()) in message and "rm -r" in message and "INVALID_PROTOBUF" not in message


def test_a_killed_build_leaves_nothing_behind_and_an_old_cache_is_rebuilt_quietly(builds, caplog):
    stale = embed.cache_dir() / (embed._BUILD_PREFIX + "killed")
    stale.mkdir(parents=True)
    (stale / "folded.onnx").write_bytes(b"half a model")
    target = embed.prepared_model_path()
    assert not stale.exists()
    target.write_bytes(b"a model from before checksums")
    embed._checksum_file(target).unlink()
    with caplog.at_level("WARNING"):
        embed.prepared_model_path()
    assert caplog.records == [] and len(builds) == 2
