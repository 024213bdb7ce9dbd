"""Story clustering on small made-up vectors and texts (fast; no shared data needed)."""
from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest

from storydiff.corpus.clustering import ClusterSettings, StoryClusterer, StoryFeatures, outlet_id

DIM = 16


def _unit(v):
    v = np.asarray(v, np.float32)
    return v / np.linalg.norm(v)


def _stories(n_stories=4, per=4, seed=0, days=None):
    """Made-up articles: each story has its own direction, names and numbers."""
    rng = np.random.default_rng(seed)
    places = ["Lisbon", "Oslo", "Nairobi", "Quito", "Hanoi", "Perth"]
    people = ["Maria Alves", "Ola Nordmann", "Wanjiru Kamau", "Diego Paz", "Tran Van", "Jack Smith"]
    things = ["flood", "election", "strike", "merger", "wildfire", "trial"]
    out = []
    for s in range(n_stories):
        centre = rng.standard_normal(DIM)
        for a in range(per):
            v = _unit(centre + 0.25 * rng.standard_normal(DIM))
            title = f"{things[s].title()} in {places[s]}: {people[s]} speaks"
            text = (f"{people[s]} said on Monday that the {things[s]} in {places[s]} affected {1000 + 17 * s} people. "
                    f"Officials in {places[s]} expect more news about the {things[s]} (report {a}).")
            day = None if days is None else days[s] + a % 2
            out.append((s, StoryFeatures.build(title, text, v, day)))
    return out


def _cluster(items, settings=None, batch=100):
    cl = StoryClusterer(settings or ClusterSettings(exact_search=True))
    labels = {}
    for s in range(0, len(items), batch):
        labels.update(cl.add([(k, f) for k, (_, f) in enumerate(items[s : s + batch], start=s)]))
    return cl, [labels[k] for k in range(len(items))]


def _same_partition(pred, gold):
    pairs = {(p, g) for p, g in zip(pred, gold)}
    return len(pairs) == len(set(pred)) == len(set(gold))


def test_features_roundtrip():
    f = StoryFeatures.build("Flood in Lisbon", "Maria Alves said 1,200 people left Lisbon.", _unit(np.arange(1, DIM + 1)), 19000)
    g = StoryFeatures.from_bytes(f.to_bytes())
    assert g.day == 19000
    assert np.array_equal(g.vector, f.vector) and g.vector.dtype == np.float16
    assert np.array_equal(g.term_ids, f.term_ids) and np.array_equal(g.term_tf, f.term_tf)
    assert StoryFeatures.from_bytes(StoryFeatures.build(None, "text only", np.ones(DIM), None).to_bytes()).day is None
    assert len(f.to_bytes()) < 2 * DIM + 6 * len(f.term_ids) + 16


def test_vector_texts_is_title_and_lead():
    text = " ".join(f"w{i}" for i in range(500))
    v = StoryFeatures.vector_texts("A title", text)
    assert v.startswith("A title\nw0 w1") and len(v.split()) < 120
    assert StoryFeatures.vector_texts(None, "just text") == "just text"


def test_separates_made_up_stories_in_one_batch_and_incrementally():
    items = _stories()
    gold = [s for s, _ in items]
    for batch in (100, 3, 1):
        _, pred = _cluster(items, batch=batch)
        assert _same_partition(pred, gold), (batch, pred)


def test_deterministic():
    items = _stories(seed=3)
    assert _cluster(items)[1] == _cluster(items)[1]


def test_existing_articles_never_move_and_ids_are_stable():
    items = _stories()
    cl = StoryClusterer(ClusterSettings(exact_search=True))
    first = cl.add([(k, f) for k, (_, f) in enumerate(items[:8])])
    second = cl.add([(k, f) for k, (_, f) in enumerate(items[8:], start=8)])
    assert set(first).isdisjoint(second)
    assert all(cl.story_of(k) == s for k, s in first.items())
    # later stories got new ids; the new articles of the first two stories joined them
    assert {second[k] for k in range(8, 16)}.isdisjoint(first.values())
    with pytest.raises(ValueError):
        cl.add([(0, items[0][1])])


def test_time_window_splits_far_apart_days():
    # the same story twice, 30 days apart: two stories
    items = _stories(n_stories=1, per=4)
    far = [(0, StoryFeatures(f.vector, f.term_ids, f.term_tf, 20000 + (30 if k >= 2 else 0))) for k, (_, f) in enumerate(items)]
    _, pred = _cluster(far, ClusterSettings(exact_search=True, max_days=3))
    assert pred[0] == pred[1] and pred[2] == pred[3] and pred[0] != pred[2]
    undated = [(0, StoryFeatures(f.vector, f.term_ids, f.term_tf, None)) for _, f in items]
    _, pred = _cluster(undated)
    assert len(set(pred)) == 1


@pytest.mark.parametrize("batch", [2, 100])
def test_a_story_spans_at_most_max_days(batch):
    # one running subject reported every day for 8 days: each day's articles are within max_days of
    # the day before, but a story may not chain across them: its first and last day stay within
    # max_days, whether the days arrive together or one at a time
    items = _stories(n_stories=1, per=16)
    daily = [(0, StoryFeatures(f.vector, f.term_ids, f.term_tf, 20000 + k // 2)) for k, (_, f) in enumerate(items)]
    for max_days in (1, 3):
        cl, pred = _cluster(daily, ClusterSettings(exact_search=True, max_days=max_days), batch=batch)
        for story in set(pred):
            days = [f.day for (_, f), p in zip(daily, pred) if p == story]
            assert max(days) - min(days) <= max_days
        assert len(set(pred)) >= 8 // (max_days + 1)
        assert len(set(pred)) <= 8  # and stories do form: a day's two articles are never apart


def test_restore_continues_like_the_original():
    items = _stories(n_stories=5, per=4, seed=1)
    gold = [s for s, _ in items]
    cl = StoryClusterer(ClusterSettings(exact_search=True))
    stored = cl.add([(k, f) for k, (_, f) in enumerate(items[:12])])
    again = StoryClusterer.restore(ClusterSettings(exact_search=True),
                                   [(k, StoryFeatures.from_bytes(items[k][1].to_bytes()), stored[k]) for k in range(12)])
    assert again.n_stories == cl.n_stories and again.n_articles == 12
    rest = again.add([(k, f) for k, (_, f) in enumerate(items[12:], start=12)])
    pred = [stored.get(k, rest.get(k)) for k in range(len(items))]
    assert _same_partition(pred, gold)
    assert max(rest.values()) < again.n_stories


def test_usearch_index_matches_exact_on_small_input():
    items = _stories(n_stories=6, per=5, seed=2)
    _, exact = _cluster(items)
    _, approx = _cluster(items, ClusterSettings())
    assert exact == approx


@pytest.mark.skipif(not Path("/work/shared/data/ecbplus/events.jsonl").exists(), reason="needs ../shared data")
def test_shared_data_is_readable():
    import json

    line = Path("/work/shared/data/ecbplus/events.jsonl").open().readline()
    assert json.loads(line)["articles"]


def test_small_corpus_unrelated_stories_stay_apart():
    """Two stories and nothing else: each is the other's nearest neighbour, so the relative
    features (rank, gaps) say "closest"; only the cosines can say no. Static-table vectors share a
    common direction (unrelated cosine ~0.3), as here (0.32)."""
    rng = np.random.default_rng(3)
    common = _unit(rng.standard_normal(DIM))
    items = []
    for g, f in _stories(n_stories=2, per=4, seed=3):
        v = _unit(f.vector.astype(np.float32) + 0.45 * common)
        items.append((g, StoryFeatures(v.astype(np.float16), f.term_ids, f.term_tf, f.day)))
    gold = [g for g, _ in items]
    _, pred = _cluster(items)
    assert _same_partition(pred, gold)


@pytest.mark.parametrize("exact", [True, False])
def test_a_snapshot_continues_exactly_like_the_original(tmp_path, exact):
    items = _stories(n_stories=5, per=4, seed=3, days=[20000, 20001, 20005, 20009, 20030])
    items[13] = (items[13][0], StoryFeatures(items[13][1].vector, items[13][1].term_ids, items[13][1].term_tf, None))
    settings = ClusterSettings(exact_search=exact)
    original = StoryClusterer(settings)
    stored = original.add([(k, f) for k, (_, f) in enumerate(items[:12])])
    original.save(tmp_path / "snap")
    loaded = StoryClusterer.load(settings, tmp_path / "snap", stored)
    assert loaded is not None and loaded.n_articles == 12 and loaded.n_stories == original.n_stories
    # what the dated pairs taught about the time window (undated articles' discount) travels too
    assert original._win_seen.sum() > 0
    assert np.array_equal(loaded._win_seen, original._win_seen) and np.array_equal(loaded._win_pass, original._win_pass)
    rest = [(k, f) for k, (_, f) in enumerate(items[12:], start=12)]
    assert loaded.add(rest) == original.add(rest)
    # A snapshot of other articles, other stories or other settings is refused, never used.
    assert StoryClusterer.load(settings, tmp_path / "snap", {**stored, 99: 0}) is None
    assert StoryClusterer.load(settings, tmp_path / "snap", {k: s + 1 for k, s in stored.items()}) is None
    assert StoryClusterer.load(ClusterSettings(exact_search=exact, threshold=0.5), tmp_path / "snap", stored) is None
    (tmp_path / "snap").write_bytes(b"damaged")
    assert StoryClusterer.load(settings, tmp_path / "snap", stored) is None


def test_exported_trees_give_scikit_learns_probabilities():
    """The model ships as JSON node arrays evaluated with numpy; it must agree with the fitted
    scikit-learn model it was exported from, monotone constraints included."""
    ensemble = pytest.importorskip("sklearn.ensemble")
    from storydiff.corpus._story_model import FEATURES, MONOTONE, StoryPairModel, export_hgb

    rng = np.random.default_rng(0)
    X = rng.standard_normal((600, len(FEATURES)))
    y = (X[:, 5] + 0.5 * X[:, 16] - 0.3 * X[:, 6] + 0.3 * rng.standard_normal(600)) > 0
    clf = ensemble.HistGradientBoostingClassifier(max_iter=30, max_leaf_nodes=7, random_state=0, monotonic_cst=list(MONOTONE)).fit(X, y)
    model = StoryPairModel(export_hgb(clf, 0.3, 0.4, {}))
    Z = rng.standard_normal((200, len(FEATURES)))
    assert np.allclose(model.probability(Z), clf.predict_proba(Z)[:, 1], atol=1e-9)
    assert (model.threshold, model.join_threshold) == (0.3, 0.4)
    with pytest.raises(ValueError):
        StoryPairModel({**export_hgb(clf, 0.3, 0.4, {}), "features": list(FEATURES[:-1])})


def test_the_shipped_model_rises_with_similarity():
    """Monotone where the direction is known: the same pair made more similar in every view
    (and nearer in rank) never gets a lower probability; unrelated-looking pairs score low."""
    from storydiff.corpus._story_model import FEATURES, MONOTONE, story_pair_model

    model = story_pair_model()
    rng = np.random.default_rng(1)
    base = rng.uniform(0, 0.6, (300, len(FEATURES)))
    up = base + 0.1 * np.array(MONOTONE)
    assert np.all(model.probability(up) >= model.probability(base) - 1e-12)
    low = np.zeros((1, len(FEATURES)))
    low[0, FEATURES.index("rank_min")] = low[0, FEATURES.index("rank_max")] = np.log1p(12)
    low[0, [FEATURES.index(f) for f in FEATURES if f.startswith("gap")]] = -0.3
    assert model.probability(low)[0] < 0.05


def test_a_snapshot_of_another_model_is_refused(tmp_path):
    from storydiff.corpus._story_model import story_pair_model, StoryPairModel

    items = _stories(n_stories=3, per=3, seed=4)
    settings = ClusterSettings(exact_search=True)
    original = StoryClusterer(settings)
    stored = original.add([(k, f) for k, (_, f) in enumerate(items)])
    original.save(tmp_path / "snap")
    assert StoryClusterer.load(settings, tmp_path / "snap", stored) is not None
    other = StoryPairModel({**story_pair_model().spec, "threshold": 0.99})
    assert StoryClusterer(settings, model=other).threshold == 0.99
    # load() builds its clusterer with the shipped model; a snapshot written under another one
    # is refused (its digest is in the snapshot)
    changed = StoryClusterer(settings, model=other)
    changed.add([(k, f) for k, (_, f) in enumerate(items)])
    changed.save(tmp_path / "other")
    assert StoryClusterer.load(settings, tmp_path / "other", stored) is None


def test_pair_table_rows_are_the_models_features():
    from storydiff.corpus._story_model import FEATURES

    items = _stories(n_stories=3, per=3, seed=5)
    a, b, X = StoryClusterer.pair_table([(k, f) for k, (_, f) in enumerate(items)], ClusterSettings(exact_search=True))
    assert X.shape == (len(a), len(FEATURES)) and len(a) == len(b) > 0
    assert np.all(a < b)  # each pair once
    same = np.array([items[i][0] == items[j][0] for i, j in zip(a, b)])
    mixed = X[:, FEATURES.index("mixed")]
    assert mixed[same].min() > mixed[~same].max()  # made-up stories: mates are the most similar


def test_an_undated_article_needs_more_than_its_topic_where_the_corpus_is_dated():
    # one subject reported on 20 days, 3 days apart: each day a story of its own. A dated
    # article's nearest neighbours are mostly other days' (outside the window), so the corpus
    # says that closeness alone rarely means the same days; an undated article as close to them
    # as they are to each other stays alone. In a corpus with no dates at all there is nothing to
    # learn that from, and it joins the subject's story as before.
    items = _stories(n_stories=1, per=41, seed=5)
    dated = [(0, StoryFeatures(f.vector, f.term_ids, f.term_tf, 20000 + 3 * (k // 2))) for k, (_, f) in enumerate(items[:40])]
    lone = (0, StoryFeatures(items[40][1].vector, items[40][1].term_ids, items[40][1].term_tf, None))
    cl, pred = _cluster(dated + [lone], batch=40)
    assert len(set(pred[:40])) >= 20  # no story holds two days
    assert pred[40] not in pred[:40]
    rate = cl._time_unknown(np.array([0.9]))[0]
    assert rate < 0.5  # estimated from the dated pairs: most close pairs were other days
    assert StoryClusterer()._time_unknown(np.array([0.2, 0.9, 1.0])).tolist() == [1.0, 1.0, 1.0]
    undated = [(0, StoryFeatures(f.vector, f.term_ids, f.term_tf, None)) for _, f in dated]
    _, pred = _cluster(undated + [lone], batch=40)
    assert pred[40] in pred[:40]


def test_two_articles_of_one_outlet_are_one_story_only_through_other_outlets():
    # four reports of one event; alone, two articles of one outlet stay apart (an outlet's
    # articles on a subject look alike whatever the day: its style, its boilerplate); with two
    # other outlets' reports of the event they all make one story
    items = _stories(n_stories=1, per=4, seed=2)
    outlets = ["Daily Ledger", "daily  ledger", "Northern Post", "Coastline News"]  # case and spacing do not count
    same = [(0, StoryFeatures(f.vector, f.term_ids, f.term_tf, 20000, outlet_id(o))) for (_, f), o in zip(items, outlets)]
    _, pred = _cluster(same[:2])
    assert pred[0] != pred[1]
    _, pred = _cluster(same)
    assert len(set(pred)) == 1
    # one at a time: the second Ledger article joins the story the other outlets already hold
    # (arriving before them it would start its own: existing stories never merge)
    _, pred = _cluster(same[2:] + same[:2], batch=1)
    assert len(set(pred)) == 1
    unknown = [(0, StoryFeatures(f.vector, f.term_ids, f.term_tf, 20000)) for _, f in items[:2]]
    _, pred = _cluster(unknown)
    assert pred[0] == pred[1]  # no outlet known: nothing to go by


def test_features_keep_their_outlet_and_older_bytes_still_read():
    f = StoryFeatures.build("Flood in Lisbon", "Maria Alves said 1,200 people left Lisbon.", _unit(np.arange(1, DIM + 1)), 19000, "Daily Ledger")
    assert f.outlet == outlet_id("daily ledger") != outlet_id("Northern Post")
    assert StoryFeatures.from_bytes(f.to_bytes()).outlet == f.outlet
    assert outlet_id(None) == outlet_id("  ") == StoryFeatures.build(None, "text", np.ones(DIM)).outlet == 0
    # version 1 (no outlet field), as stores written before it hold
    head = struct.pack("<BHIi", 1, DIM, len(f.term_ids), 19000)
    old = b"".join((head, f.vector.astype("<f2").tobytes(), f.term_ids.astype("<u4").tobytes(), f.term_tf.astype("<f2").tobytes()))
    g = StoryFeatures.from_bytes(old)
    assert g.outlet == 0 and g.day == 19000 and np.array_equal(g.term_tf, f.term_tf)
    assert np.array_equal(StoryFeatures.vector_from_bytes(old), f.vector.astype(np.float32))
    with pytest.raises(ValueError):
        StoryFeatures.from_bytes(b"\x09" + old[1:])


def test_one_article_at_a_time_through_the_usearch_index():
    # usearch answers a single query in another shape than a batch: adding one article to a
    # corpus (a store that gets one new article) must work as adding many
    items = _stories(n_stories=3, per=4, seed=4)
    _, one_by_one = _cluster(items, ClusterSettings(), batch=1)
    _, exact = _cluster(items, ClusterSettings(exact_search=True), batch=1)
    assert one_by_one == exact
