"""Agreement between two annotators of the real-news set (issue 17): 10 stories annotated twice,
independently (tests/data/realnews/gold and gold-second). For each kind of annotation, the F1 of
one annotator's items against the other's (symmetric), with the counts:

- facts: the pairs of sentences of two articles that one fact joins;
- entities: the pairs of different names one entity joins;
- quotes: quotations marked (spans overlapping by half the shorter); among those both marked,
  the same speaker (a name word in common) and the same intermediary;
- conflicts, loaded words, word swaps: items whose spans overlap;
- lines not in the body (headlines, bylines, clutter...): sentences so labelled, with Cohen's kappa
  over every sentence (body or not).

    python benchmarks/realnews_agreement.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from realnews import LINES_NOT_BODY, name_words, overlap  # noqa: E402
from realnews_data import GOLD, GOLD2, load_stories  # noqa: E402


def f1(a: set, b: set) -> tuple[float, int, int, int]:
    both = len(a & b)
    return (2 * both / (len(a) + len(b)) if a or b else 1.0), both, len(a), len(b)


def _sentences_of(story, key, start, end) -> set[str]:
    return {s.id for s in story.sentences[key] if s.start < end and start < s.end}


def fact_links(story, data) -> set[tuple[str, str]]:
    out = set()
    for fact in data["facts"]:
        sentences = [(k, sid) for k, s, e in fact["mentions"] for sid in _sentences_of(story, k, s, e)]
        for k1, s1 in sentences:
            for k2, s2 in sentences:
                if k1 < k2:
                    out.add((s1, s2))
    return out


def entity_joins(data) -> set[tuple[str, str]]:
    out = set()
    for e in data["entities"]:
        names = sorted({n.lower() for names in e["names"].values() for n in names})
        out |= {(a, b) for i, a in enumerate(names) for b in names[i + 1 :]}
    return out


def spans_matched(a: list, b: list, key) -> list[tuple[int, int]]:
    """One-to-one matches of items whose spans overlap by half the shorter, largest first."""
    pairs = []
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            (ka, sa, ea), (kb, sb, eb) = key(x), key(y)
            o = overlap((sa, ea), (sb, eb)) if ka == kb else 0
            if o and o >= 0.5 * min(ea - sa, eb - sb):
                pairs.append((o, i, j))
    used_a, used_b, out = set(), set(), []
    for _, i, j in sorted(pairs, reverse=True):
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            out.append((i, j))
    return out


def main() -> None:
    stories = {s.id: s for s in load_stories()}
    second = sorted(p.stem for p in GOLD2.glob("*.json"))
    totals: dict[str, list[int]] = {}

    def add(name: str, both: int, first: int, other: int) -> None:
        t = totals.setdefault(name, [0, 0, 0])
        t[0] += both
        t[1] += first
        t[2] += other

    label_pairs = []
    speaker_same = speaker_total = via_same = via_total = 0
    for sid in second:
        story = stories[sid]
        one = json.loads((GOLD / f"{sid}.json").read_text(encoding="utf-8"))
        two = json.loads((GOLD2 / f"{sid}.json").read_text(encoding="utf-8"))
        add("facts (sentence pairs)", *f1(fact_links(story, one), fact_links(story, two))[1:])
        add("entities (joined names)", *f1(entity_joins(one), entity_joins(two))[1:])
        matched = spans_matched(one["quotes"], two["quotes"], key=lambda q: tuple(q["span"]))
        add("quotes (marked)", len(matched), len(one["quotes"]), len(two["quotes"]))
        for i, j in matched:
            qa, qb = one["quotes"][i], two["quotes"][j]
            speaker_total += 1
            speaker_same += bool(name_words(qa["speaker"]) & name_words(qb["speaker"])) or qa["speaker"] == qb["speaker"]
            if qa.get("via") or qb.get("via"):
                via_total += 1
                via_same += bool(name_words(qa.get("via")) & name_words(qb.get("via")))
        for name, field, key in (
            ("conflicts", "conflicts", lambda c: tuple(c["a"])),
            ("loaded words", "loaded", lambda w: tuple(w["span"])),
            ("word swaps", "swaps", lambda w: tuple(w["a"])),
        ):
            matched = spans_matched(one[field], two[field], key)
            add(name, len(matched), len(one[field]), len(two[field]))
        nonbody = []
        for data in (one, two):
            labelled = set()
            for k, s, e, label in data["lines"]:
                if label in LINES_NOT_BODY:
                    labelled |= _sentences_of(story, k, s, e)
            nonbody.append(labelled)
        add("lines not in the body", *f1(nonbody[0], nonbody[1])[1:])
        for key, sentences in story.sentences.items():
            for s in sentences:
                label_pairs.append((s.id in nonbody[0], s.id in nonbody[1]))

    print(f"Two annotators, independently, on {len(second)} stories ({', '.join(second)})\n")
    print("| annotation | F1 | both | first | second |\n|---|---|---|---|---|")
    for name, (both, first, other) in totals.items():
        value = 2 * both / (first + other) if first + other else 1.0
        print(f"| {name} | {value:.2f} | {both} | {first} | {other} |")
    print(f"| quote speakers, where both marked the quote | {speaker_same / max(1, speaker_total):.2f} | {speaker_same} | {speaker_total} | |")
    print(f"| quote intermediaries, where either gave one | {via_same / max(1, via_total):.2f} | {via_same} | {via_total} | |")
    n = len(label_pairs)
    observed = sum(a == b for a, b in label_pairs) / n
    p1, p2 = sum(a for a, _ in label_pairs) / n, sum(b for _, b in label_pairs) / n
    expected = p1 * p2 + (1 - p1) * (1 - p2)
    print(f"\nlines not in the body, per sentence: agreement {observed:.3f}, Cohen's kappa {(observed - expected) / (1 - expected):.2f} over {n} sentences")


if __name__ == "__main__":
    main()
