"""Quality and speed of corpus copy detection (storydiff.corpus.dedup).

1. planted edits: 2,000 real AllSides articles (>= 150 words, a fixed random sample), each given
   nine copies with wire-republishing edits (lede rewritten + new headline, 1-2 paragraphs
   dropped, a paragraph added, cut to its first 40-60%, boilerplate lines, 2-5% words changed
   (typos and other words), punctuation/whitespace/"U.S." spelling, and two mixes of several),
   shuffled into the pool of originals. Settings were chosen on the first half (`--sweep` shows the
   grid); the score reported is on the second half. Recall: a copy ends in its original's group.
   Precision: of all pairs in a group, those of one original.
2. different articles of one event must not be grouped: ECB+ (86 events, 982 articles) and NeuS
   (three outlets an event), every group formed printed with its exact shingle Jaccard and
   containment so it can be judged.
3. speed: signatures/s on one core, and indexing + querying all 37,554 AllSides articles; the copy
   groups found among them (real wire copies), with examples, and the least alike groups (where
   false ones are: CNN pages whose extracted text is mostly one photo gallery's captions).

    python benchmarks/dedup_quality.py            # all three, the default settings
    python benchmarks/dedup_quality.py --sweep    # the settings grid on the tuning half
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import random
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from datasets import DATA, neus_events, require  # noqa: E402

from storydiff.corpus import dedup  # noqa: E402
from storydiff.corpus.dedup import CopyFinder, count_words, signature  # noqa: E402
from storydiff.ingest.duplicates import jaccard, shingles  # noqa: E402

SEED = 20161108
SAMPLE = 2000

BOILERPLATE = [
    "Copyright 2016 The Associated Press. All rights reserved. This material may not be published, broadcast, rewritten or redistributed.",
    "Associated Press writers Julie Pace in Washington and Steve Peoples in New York contributed to this report.",
    "(Reporting by David Lawder; Editing by Andrea Ricci)",
    "Follow us on Twitter and Facebook for the latest news.",
    "Sign up for our daily newsletter to get the top stories in your inbox.",
    "This story has been corrected to show the vote took place on Tuesday, not Wednesday.",
    "© 2016 Reuters. All rights reserved.",
    "Read more: What you need to know about the election",
]


def load_allsides() -> list[dict]:
    path = require(DATA / "allsides-articles" / "articles.jsonl.gz")
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


# -- planted edits ----------------------------------------------------------------------------------

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"])")


def _paragraphs(text: str) -> list[str]:
    return [p for p in (x.strip() for x in text.split("\n")) if p]


def edit_lede(text: str, rng: random.Random, donor: dict) -> str:
    """A new headline line, and the first sentence rewritten (another article's first sentence)."""
    paras = _paragraphs(text)
    first = _SENTENCE.split(paras[0], maxsplit=1)
    other = " ".join(_SENTENCE.split(_paragraphs(donor["text"])[0], maxsplit=1)[0].split()[:40])
    paras[0] = other + (" " + first[1] if len(first) > 1 else "")
    return donor["title"] + "\n" + "\n".join(paras)


def edit_drop(text: str, rng: random.Random, donor: dict) -> str:
    paras = _paragraphs(text)
    if len(paras) < 4:
        return text
    total = sum(len(p.split()) for p in paras)
    for _ in range(rng.choice((1, 2))):  # a paragraph, not most of the article
        small = [i for i in range(1, len(paras)) if len(paras[i].split()) <= 0.2 * total]
        if small:
            paras.pop(rng.choice(small))
    return "\n".join(paras)


def edit_add(text: str, rng: random.Random, donor: dict) -> str:
    paras = _paragraphs(text)
    # A paragraph of another article, of an ordinary length (an editor's own line or two).
    paras_d = [p for p in _paragraphs(donor["text"]) if 15 <= len(p.split()) <= 80] or ["Officials did not immediately respond to a request for comment on Tuesday."]
    extra = rng.choice(paras_d)
    paras.insert(rng.randrange(1, len(paras) + 1), extra)
    return "\n".join(paras)


def edit_truncate(text: str, rng: random.Random, donor: dict) -> str:
    """Cut after the paragraph that brings it to 40-60% of its words (a wire story cut short)."""
    paras = _paragraphs(text)
    total = sum(len(p.split()) for p in paras)
    target = rng.uniform(0.4, 0.6) * total
    kept, n = [], 0
    for p in paras:
        if kept and n + len(p.split()) > target and n >= 0.4 * total:
            break
        kept.append(p)
        n += len(p.split())
        if n >= target:
            break
    if n > 0.6 * total:  # one long paragraph: cut in it
        words = " ".join(kept).split()
        return " ".join(words[: int(target)])
    return "\n".join(kept)


def edit_boilerplate(text: str, rng: random.Random, donor: dict) -> str:
    lines = rng.sample(BOILERPLATE, rng.choice((1, 2, 3)))
    head = [lines.pop()] if rng.random() < 0.3 and len(lines) > 1 else []
    return "\n".join(head + [text] + lines)


def edit_substitute(text: str, rng: random.Random, donor: dict) -> str:
    """2-5% of the words changed: half typos, half other words."""
    words = text.split(" ")
    vocab = donor["text"].split()
    for i in rng.sample(range(len(words)), max(1, int(len(words) * rng.uniform(0.02, 0.05)))):
        w = words[i]
        if rng.random() < 0.5 and len(w) > 3:
            j = rng.randrange(len(w) - 1)
            words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
        else:
            words[i] = rng.choice(vocab)
    return " ".join(words)


def edit_punctuation(text: str, rng: random.Random, donor: dict) -> str:
    text = text.replace("“", '"').replace("”", '"').replace("’", "'").replace("—", " -- ")
    text = text.replace("U.S.", "US").replace("Mr. ", "Mr ")
    text = re.sub(r",(?= )", lambda m: "" if rng.random() < 0.3 else ",", text)
    text = text.replace("\n", "\n\n" if rng.random() < 0.5 else " ")
    return re.sub(r"\. ", lambda m: ".  " if rng.random() < 0.2 else ". ", text)


EDITS = {
    "lede+headline": edit_lede,
    "drop 1-2 paras": edit_drop,
    "add a para": edit_add,
    "truncate 40-60%": edit_truncate,
    "boilerplate": edit_boilerplate,
    "2-5% words": edit_substitute,
    "punct/space": edit_punctuation,
}
MIXABLE = ["lede+headline", "drop 1-2 paras", "add a para", "boilerplate", "2-5% words", "punct/space"]


def planted(originals: list[dict], donors: list[dict], seed: int) -> list[tuple[str, str, int]]:
    """(kind, text, index of its original) for every copy of every original."""
    rng = random.Random(seed)
    out = []
    for i, art in enumerate(originals):
        for kind, edit in EDITS.items():
            out.append((kind, edit(art["text"], rng, rng.choice(donors)), i))
        for kind, extra in (("mix of 2-3", []), ("truncate+mix", ["truncate 40-60%"])):
            steps = rng.sample(MIXABLE, rng.choice((2, 3))) + extra
            text = art["text"]
            for step in steps:
                text = EDITS[step](text, rng, rng.choice(donors))
            out.append((kind, text, i))
    return out


def run_planted(originals, copies, settings, sigs=None, seed=0):
    """Add originals and copies in a shuffled order; recall by kind, pair precision, false pairs."""
    items = [("original", a["text"], i) for i, a in enumerate(originals)] + copies
    order = list(range(len(items)))
    if seed is not None:  # else the originals first, then their copies
        random.Random(seed).shuffle(order)
    if sigs is None:
        sigs = [signature(t) for _, t, _ in items]
    finder = CopyFinder(**settings)
    for key in order:
        finder.add(key, sigs[key], count_words(items[key][1]))
    rep = {key: finder.copy_of(key) or key for key in range(len(items))}
    found, total = Counter(), Counter()
    for key in range(len(originals), len(items)):
        kind, _, origin = items[key]
        total[kind] += 1
        found[kind] += rep[key] == rep[origin]
    good = bad = 0
    false_pairs = []
    for members in finder.groups().values():
        for a, b in itertools.combinations(members, 2):
            if items[a][2] == items[b][2]:
                good += 1
            else:
                bad += 1
                false_pairs.append((items[a][2], items[b][2]))
    return found, total, good, bad, false_pairs, sigs


def sweep(originals, copies):
    print("settings grid on the tuning half (recall overall / of the hardest kinds / false pairs)")
    base = {}
    sigs_by_size = {}
    items = [a["text"] for a in originals] + [t for _, t, _ in copies]
    for size in (2, 3, 4):
        sigs_by_size[size] = [dedup._minhash(dedup._shingle_hashes(t, size)) for t in items]
    for size in (2, 3, 4):
        for j, c, r in itertools.product((0.5, 0.6, 0.7), (0.6, 0.7, 0.8), (0.35,)):
            settings = base | {"jaccard": j, "contained": c, "length_ratio": r}
            found, total, good, bad, _, _ = run_planted(originals, copies, settings, sigs_by_size[size])
            recall = sum(found.values()) / sum(total.values())
            cut = " ".join(f"{k} {found[k] / total[k]:.3f}" for k in ("truncate 40-60%", "truncate+mix", "mix of 2-3"))
            print(f"  shingle {size} jaccard {j} contained {c} ratio {r}: recall {recall:.4f}  {cut}  false pairs {bad}", flush=True)


def report_planted(originals, copies, label):
    """Recall by edit, added in a shuffled order (copies often before their original, the hard
    case: groups never merge) and with the originals first."""
    found, total, good, bad, false_pairs, sigs = run_planted(originals, copies, {})
    found_first, _, good_first, bad_first, false_first, _ = run_planted(originals, copies, {}, sigs, seed=None)
    print(f"\n{label}: {len(originals)} originals + {len(copies)} planted copies")
    print(f"  {'edit':<18} {'shuffled':>8} {'originals first':>16}")
    for kind in total:
        print(f"  {kind:<18} {found[kind] / total[kind]:8.3f} {found_first[kind] / total[kind]:16.3f}   of {total[kind]}")
    n_total = sum(total.values())
    print(f"  {'all':<18} {sum(found.values()) / n_total:8.3f} {sum(found_first.values()) / n_total:16.3f}   of {n_total}")
    print(f"  pairs grouped (shuffled): {good + bad}, of one original {good}: precision {good / max(1, good + bad):.4f}")
    print(f"  pairs grouped (originals first): {good_first + bad_first}, of one original {good_first}: precision {good_first / max(1, good_first + bad_first):.4f}")
    for a, b in sorted({tuple(sorted(p)) for p in false_pairs + false_first})[:5]:
        sa, sb = shingles(originals[a]["text"]), shingles(originals[b]["text"])
        contained = len(sa & sb) / min(len(sa), len(sb))
        print(f"    cross-original pair: {originals[a]['outlet']} / {originals[b]['outlet']}: exact Jaccard {jaccard(sa, sb):.2f}, contained {contained:.2f}")
        print(f"      {originals[a]['title'][:70]!r} / {originals[b]['title'][:70]!r}")


# -- same-event articles ----------------------------------------------------------------------------


def event_groups(events: list[list[dict]], label: str) -> None:
    """One finder over all events' articles in order; groups within an event and across events."""
    finder = CopyFinder()
    where = {}
    texts = {}
    key = 0
    for e, arts in enumerate(events):
        for a in arts:
            finder.add(key, signature(a["text"]), count_words(a["text"]))
            where[key], texts[key] = e, a
            key += 1
    groups = finder.groups()
    same = [g for g in groups.values() if len({where[k] for k in g}) == 1]
    print(f"\n{label}: {len(events)} events, {key} articles: {len(groups)} groups formed, {len(same)} within one event, {len(groups) - len(same)} across events")
    # Margin: the highest exact similarity among same-event pairs that were not grouped.
    rep = {k: finder.copy_of(k) or k for k in range(key)}
    top_j = top_c = 0.0
    for e, arts in itertools.groupby(range(key), key=where.get):
        arts = list(arts)
        sets = {k: shingles(texts[k]["text"]) for k in arts}
        for a, b in itertools.combinations(arts, 2):
            if rep[a] == rep[b] or not sets[a] or not sets[b]:
                continue
            j = jaccard(sets[a], sets[b])
            small, large = sorted((sets[a], sets[b]), key=len)
            top_j, top_c = max(top_j, j), max(top_c, len(small & large) / len(small) if len(small) >= 25 else 0)
    print(f"  same-event pairs not grouped: highest exact 3-shingle Jaccard {top_j:.2f}, highest containment (shorter >= 25 shingles) {top_c:.2f}")
    for first, members in list(groups.items())[:10]:
        for k in members[1:]:
            sa, sb = shingles(texts[first]["text"]), shingles(texts[k]["text"])
            small, large = sorted((sa, sb), key=len)
            print(
                f"  group: event {where[first]} / {where[k]}: words {count_words(texts[first]['text'])} / {count_words(texts[k]['text'])}, "
                f"exact Jaccard {jaccard(sa, sb):.2f}, contained {len(small & large) / len(small):.2f}"
            )
            print(f"    A: {texts[first]['text'][:110]!r}\n    B: {texts[k]['text'][:110]!r}")


def ecbplus_events() -> list[list[dict]]:
    path = require(DATA / "ecbplus" / "events.jsonl")
    return [json.loads(line)["articles"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# -- speed and the real corpus ----------------------------------------------------------------------


def corpus(articles: list[dict]) -> None:
    texts = [a["text"] for a in articles]
    words = [count_words(t) for t in texts]
    dedup._WORD_CACHE.clear()
    started = time.perf_counter()
    sigs = [signature(t) for t in texts]
    sig_time = time.perf_counter() - started
    # Signatures/s on ~600-word texts: the first 600 words of the 5,000 first articles of >= 600.
    short = [" ".join(t.split()[:600]) for t in texts if len(t.split()) >= 600][:5000]
    started = time.perf_counter()
    for t in short:
        signature(t)
    short_time = time.perf_counter() - started
    print(f"\nspeed: {len(texts)} AllSides articles (mean {sum(words) / len(words):.0f} words), one core; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"  signatures: {sig_time:.1f} s, {len(texts) / sig_time:.0f} articles/s (word-hash cache cold); of 600-word texts {len(short) / short_time:.0f}/s (warm)")
    finder = CopyFinder()
    started = time.perf_counter()
    for key, (sig, n) in enumerate(zip(sigs, words)):
        finder.add(key, sig, n)
    add_time = time.perf_counter() - started
    stored = [(k, dedup.to_blob(s), n, finder.copy_of(k)) for k, (s, n) in enumerate(zip(sigs, words))]
    started = time.perf_counter()
    again = CopyFinder()
    again.restore(stored)
    restore_time = time.perf_counter() - started
    assert again.groups() == finder.groups()
    started = time.perf_counter()
    for key in range(0, len(sigs), 10):
        again.match(sigs[key], words[key])
    query_time = time.perf_counter() - started
    print(f"  index + query (add() each in turn): {add_time:.1f} s; restore() from blobs {restore_time:.2f} s; match() {query_time / len(range(0, len(sigs), 10)) * 1e3:.2f} ms each")
    groups = finder.groups()
    members = sum(len(g) for g in groups.values())
    sizes = Counter(min(len(g), 6) for g in groups.values())
    print(f"  copy groups in the corpus: {len(groups)} ({members} articles; sizes {dict(sorted(sizes.items()))}, 6 = 6+)")
    outlets = Counter()
    for g in groups.values():
        outlets.update(articles[k]["outlet"] for k in g)
    print(f"  outlets most in groups: {outlets.most_common(6)}")
    # The least alike groups, where false groups would be (e.g. pages whose extracted text is
    # mostly one photo gallery's captions).
    loosest = sorted(groups, key=lambda f: min(CopyFinder.similarity(sigs[f], sigs[k]) for k in groups[f][1:]))
    print("  the 6 groups least alike (estimated Jaccard of a member to the first, lowest):")
    for first in loosest[:6]:
        low = min(CopyFinder.similarity(sigs[first], sigs[k]) for k in groups[first][1:])
        caps = sum("Hide Caption" in articles[k]["text"] for k in groups[first])
        print(f"    J~{low:.2f} {len(groups[first])} articles ({caps} with gallery captions): " + " / ".join(f"{articles[k]['outlet'][:16]}: {articles[k]['title'][:40]!r}" for k in groups[first][:2]))
    rng = random.Random(SEED)
    by_kind = defaultdict(list)
    for first, g in groups.items():
        kind = "same outlet" if len({articles[k]["outlet"] for k in g}) == 1 else "across outlets"
        by_kind[kind].append(first)
    print(f"  groups within one outlet only: {len(by_kind['same outlet'])}; across outlets: {len(by_kind['across outlets'])}")
    for first in rng.sample(by_kind["across outlets"], min(6, len(by_kind["across outlets"]))):
        print(f"  group of {len(groups[first])}:")
        for k in groups[first][:4]:
            a = articles[k]
            sim = CopyFinder.similarity(sigs[first], sigs[k])
            print(f"    {a['date']} {a['outlet'][:24]:<24} {words[k]:5d} words  J~{sim:.2f}  {a['title'][:70]!r}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sweep", action="store_true", help="the settings grid on the tuning half")
    parser.add_argument("--skip-corpus", action="store_true")
    args = parser.parse_args()
    articles = load_allsides()
    rng = random.Random(SEED)
    pool = [a for a in articles if len(a["text"].split()) >= 150 and len(_paragraphs(a["text"])) >= 3]
    sample = rng.sample(pool, SAMPLE)
    chosen = {a["id"] for a in sample}
    donors = [a for a in rng.sample(pool, 4000) if a["id"] not in chosen]
    tune, test = sample[: SAMPLE // 2], sample[SAMPLE // 2 :]
    tune_copies, test_copies = planted(tune, donors, SEED), planted(test, donors, SEED + 1)
    if args.sweep:
        sweep(tune, tune_copies)
        return
    report_planted(tune, tune_copies, "planted edits, tuning half")
    report_planted(test, test_copies, "planted edits, held-out half")
    event_groups(ecbplus_events(), "ECB+")
    event_groups(neus_events("train") + neus_events("val"), "NeuS train+val")
    if not args.skip_corpus:
        corpus(articles)


if __name__ == "__main__":
    main()
