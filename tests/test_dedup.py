"""Copies in a corpus (storydiff.corpus.dedup): a wire story republished, lightly edited, is one group;
different reports of one event are not."""

from __future__ import annotations

import gzip
import itertools
import json
import os
import random
import sqlite3
import subprocess
import sys

import numpy as np
import pytest

from storydiff.corpus.dedup import NUM_PERM, CopyFinder, count_words, from_blob, signature, to_blob

from .conftest import SHARED

WIRE = [
    "Harbour board approves costly repair of northern quay",
    "VAREL (AP) — The harbour board on Monday approved a plan to rebuild the northern quay, which was badly "
    "damaged when two winter storms drove heavy seas over the breakwater in January.",
    "The work will cost 4.2 million euros and take most of the summer, the board's chair, Ana Ruiz, told "
    "reporters after a meeting that ran late into the evening. \"We have waited long enough,\" she said.",
    "Fishing boats will moor at the southern quay while the work goes on, and the ferry to the islands will "
    "leave from a temporary pontoon near the old customs house, the board said in a statement.",
    "Ruiz said the board had set aside money for the repair last year, but that the price of steel and "
    "concrete had risen sharply since, and the regional government had agreed to cover part of the gap.",
    "Contractors will be chosen by the end of the month. The board will publish the winning bid, Ruiz said, "
    "and residents will be able to follow the progress of the work on a page of the port's website.",
    "Some fishermen had asked the board to wait until the end of the herring season, which runs into "
    "October, but the board decided that the risk of another storm damaging the quay was too great.",
    "The northern quay was built in 1962 and last repaired in the 1990s. Engineers found cracks in its "
    "foundations after the storms and closed it to heavy vehicles in February.",
]

# Other reports of the same event: same facts, same quote, their own words.
OTHER_REPORTS = [
    "Varel's northern quay is to be rebuilt at a cost of 4.2 million euros after the harbour board voted "
    "for the repair on Monday evening. Board chair Ana Ruiz said \"we have waited long enough\" after storms "
    "in January left cracks in the foundations of the 1962 structure. Until the work ends, probably in late "
    "summer, fishing boats are being sent to the southern quay and island ferries will use a pontoon by the "
    "old customs house. Fishermen who wanted the work delayed until after the herring season were overruled: "
    "the board feared another storm. Steel and concrete prices have climbed since money was first set aside, "
    "and the region will pay part of the difference. The winning contractor is expected within weeks.",
    "After months of waiting, Varel will get its quay back. On Monday the harbour board signed off on a "
    "4.2-million-euro rebuild of the northern quay, closed to heavy traffic since engineers found cracked "
    "foundations in February. \"We have waited long enough,\" said Ana Ruiz, who chairs the board. Not "
    "everyone is pleased. Herring fishermen, whose season lasts into October, say moving to the crowded "
    "southern quay will cost them time and money, and some had urged a delay. The ferry will run from a "
    "temporary pontoon. Ruiz promised the bids would be published and the work could be followed online. "
    "The regional government has agreed to cover part of the cost overrun caused by rising material prices.",
]

UNRELATED = (
    "Rescue crews searched the hills above the village on Tuesday after a landslide buried two roads and a "
    "footbridge. Officials said no one was missing, but several farms were cut off and the school was closed. "
    "The regional government promised help for the families whose houses were damaged, and said the roads "
    "would reopen within a week if the rain stopped. Geologists will survey the slope, which has moved before, "
    "and the council will decide next month whether the houses closest to it can be lived in again."
)


def text(paragraphs: list[str]) -> str:
    return "\n".join(paragraphs)


def finder_with(*texts: str) -> tuple[CopyFinder, list[int | None]]:
    finder = CopyFinder()
    out = [finder.add(i, signature(t), count_words(t)) for i, t in enumerate(texts)]
    return finder, out


def test_signature_is_a_fixed_size_uint64_array_that_round_trips_through_bytes():
    sig = signature(text(WIRE))
    assert sig.dtype == np.uint64 and sig.shape == (NUM_PERM,)
    blob = to_blob(sig)
    assert isinstance(blob, bytes) and len(blob) == NUM_PERM * 8
    assert np.array_equal(from_blob(blob), sig)
    with pytest.raises(ValueError):
        from_blob(blob[:-8])


def test_signature_is_the_same_in_every_process():
    """No per-process hash seed: a signature stored today compares with one made tomorrow."""
    code = "from storydiff.corpus.dedup import signature, to_blob; import sys; sys.stdout.write(to_blob(signature('one two three four five six')).hex())"
    outs = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=os.environ | {"PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2")
    }
    assert outs == {to_blob(signature("one two three four five six")).hex()}


def test_identical_and_lightly_edited_copies_are_one_group():
    edited = [
        "Harbor board OKs pricey fix for north quay",  # new headline
        WIRE[1].replace("VAREL (AP) — ", "").replace("harbour", "harbor"),
        WIRE[2].replace("4.2 million euros", "4.2m euros"),
        WIRE[3],
        # a paragraph dropped
        WIRE[5],
        WIRE[6],
        WIRE[7],
        "Copyright 2026 The Associated Press. All rights reserved. This material may not be published, broadcast, rewritten or redistributed.",
    ]
    finder, out = finder_with(text(WIRE), text(WIRE), text(edited), UNRELATED)
    assert out == [None, 0, 0, None]
    assert finder.groups() == {0: [0, 1, 2]}
    sim = finder.similarity(finder.signature_of(0), finder.signature_of(2))
    assert 0.55 < sim < 1.0
    assert finder.similarity(finder.signature_of(0), finder.signature_of(1)) == 1.0


def test_a_copy_cut_short_is_found_either_way_round():
    cut = text(WIRE[:4])  # the first half of the story
    assert 0.4 < count_words(cut) / count_words(text(WIRE)) < 0.6
    _, out = finder_with(text(WIRE), cut)
    assert out == [None, 0]
    _, out = finder_with(cut, text(WIRE))
    assert out == [None, 0]


def test_a_longer_article_quoting_a_short_piece_is_not_its_copy():
    """Contained, but the 'copy' would be under LENGTH_RATIO of the longer text: own reporting."""
    short = text(WIRE[1:3])
    long = text(WIRE[1:3] + OTHER_REPORTS + [UNRELATED])
    assert count_words(short) / count_words(long) < 0.3
    _, out = finder_with(short, long)
    assert out == [None, None]


def test_different_reports_of_one_event_are_not_grouped():
    _, out = finder_with(text(WIRE), *OTHER_REPORTS, UNRELATED)
    assert out == [None, None, None, None]
    sigs = [signature(t) for t in (text(WIRE), *OTHER_REPORTS)]
    assert all(CopyFinder.similarity(a, b) < 0.2 for a, b in itertools.combinations(sigs, 2))


def test_a_later_copy_points_at_the_first_member_not_at_another_copy():
    a = text(WIRE)
    b = text(WIRE[:6])  # cut short: a copy of a
    c = text(WIRE[:6]).replace("Monday", "Tuesday")  # closest to b, points at a
    finder, out = finder_with(a, b, c)
    assert out == [None, 0, 0]
    assert finder.copy_of(2) == 0 and finder.copy_of(0) is None
    match = finder.match(signature(c), count_words(c))
    assert match.key == 0


def test_short_texts_are_never_grouped():
    _, out = finder_with("Read more on our website.", "Read more on our website.")
    assert out == [None, None]


def test_restore_from_sqlite_gives_the_same_groups_and_answers():
    texts = [text(WIRE), *OTHER_REPORTS, text(WIRE[:4]), UNRELATED, text(WIRE[1:])]
    finder = CopyFinder()
    db = sqlite3.connect(":memory:")
    db.execute("create table a (key integer primary key, sig blob, words integer, copy_of integer)")
    for key, t in enumerate(texts):
        sig = signature(t)
        copy_of = finder.add(key, sig, count_words(t))
        db.execute("insert into a values (?, ?, ?, ?)", (key, to_blob(sig), count_words(t), copy_of))
    again = CopyFinder()
    again.restore(db.execute("select key, sig, words, copy_of from a order by key"))
    assert again.groups() == finder.groups() == {0: [0, 3, 5]}
    new = text(WIRE).replace("1962", "1963")
    assert again.add(99, signature(new), count_words(new)) == finder.add(99, signature(new), count_words(new)) == 0
    with pytest.raises(ValueError):
        again.add(99, signature(new), count_words(new))


def test_same_order_same_groups():
    rng = random.Random(1)
    texts = [text(WIRE), *OTHER_REPORTS, UNRELATED]
    for _ in range(12):  # copies with a few words swapped and some paragraphs dropped
        paras = [p for p in WIRE if rng.random() > 0.15]
        words = text(paras).split(" ")
        words[rng.randrange(len(words))] = "quayside"
        texts.append(" ".join(words))
    order = list(range(len(texts)))
    rng.shuffle(order)
    runs = []
    for _ in range(2):
        finder = CopyFinder()
        runs.append([finder.add(k, signature(texts[k]), count_words(texts[k])) for k in order])
    assert runs[0] == runs[1]
    assert sum(r is None for r in runs[0]) == 4  # the wire group, two other reports, the unrelated


def test_planted_copies_of_real_articles_are_found():
    """On real AllSides articles (skipped without ../shared): 60 articles, each with a copy cut to
    its first half and a copy with a new first line and a boilerplate line."""
    path = SHARED / "data" / "allsides-articles" / "articles.jsonl.gz"
    if not path.exists():
        pytest.skip(f"needs the shared data set at {path}")
    articles = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            a = json.loads(line)
            if len(a["text"].split()) >= 300:
                articles.append(a["text"])
            if len(articles) == 60:
                break
    finder = CopyFinder()
    for key, t in enumerate(articles):
        finder.add(key, signature(t), count_words(t))
    found = 0
    for key, t in enumerate(articles):
        words = t.split()
        for copy in (" ".join(words[: len(words) // 2]), "Breaking news\n" + t + "\nCopyright 2016 The Associated Press."):
            found += finder.match(signature(copy), count_words(copy)) is not None and finder.match(signature(copy), count_words(copy)).key == key
    assert found >= 118
