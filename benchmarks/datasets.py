"""Readers for the evaluation data in ../shared/data and for our annotations of it.

The data stays in ../shared (its licences must not reach the package); annotations we made
(spans and labels only) live in tests/data.
"""

from __future__ import annotations

import csv
import gzip
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("STORYDIFF_SHARED", ROOT.parent / "shared"))
DATA = SHARED / "data"
ANNOTATIONS = ROOT / "tests" / "data"


def require(path: Path) -> Path:
    if not path.exists():
        raise SystemExit(f"{path} is missing: these benchmarks read the shared data set beside the project (../shared)")
    return path


def semeval_rows() -> list[dict]:
    csv.field_size_limit(1 << 30)
    with require(DATA / "semeval2022-task8" / "pairs.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def semeval_english_pairs() -> list[dict]:
    """The original English-English pairs (rows whose id is two numbers; others are translations)."""
    out = []
    for row in semeval_rows():
        left, _, right = row["pair_id"].partition("_")
        if row["lang1"] == "en" and row["lang2"] == "en" and left.isdigit() and right.isdigit():
            out.append(row)
    return out


def neus_events(split: str = "val") -> list[list[dict]]:
    """One list per event of {"title", "text"} for its three outlets."""
    events = []
    for line in require(DATA / "neus" / f"{split}.source").read_text(encoding="utf-8").splitlines():
        articles = []
        for block in line.rstrip("\n").split(" [SEP] "):
            title, _, body = block.partition(" ARTICLE=> ")
            articles.append({"title": title.removeprefix("TITLE=> ").strip(), "text": body.strip()})
        events.append(articles)
    return events


def extraction_pages() -> list[tuple[str, bytes, str]]:
    """(page id, gzip-decoded HTML bytes, true article body) for the extraction benchmark."""
    root = require(DATA / "extraction-benchmark")
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id in sorted(truth):
        html = gzip.decompress((root / "html" / f"{page_id}.html.gz").read_bytes())
        pages.append((page_id, html, truth[page_id]["articleBody"]))
    return pages


@dataclass
class GoldGroup:
    """Texts of one event or pair, and labelled sentence pairs between them."""

    name: str
    texts: list[str]
    # (article a, span a, article b, span b) -> label (same | partial | different)
    labels: dict[tuple[int, tuple[int, int], int, tuple[int, int]], str] = field(default_factory=dict)

    def labels_on(self, sentences: list[list[tuple[int, int]]]) -> dict[tuple[int, tuple[int, int], int, tuple[int, int]], str]:
        """The labels moved onto the sentences storydiff produces (`sentences[article]`): a gold
        span stands for every produced sentence lying mostly inside it. The annotations were made
        on blingfire's sentences of the raw text; storydiff's segmentation may cut differently
        (a line break also ends a paragraph), and no label may silently turn into "unlabelled"."""

        def inside(span: tuple[int, int], produced: list[tuple[int, int]]) -> list[tuple[int, int]]:
            found = []
            for start, end in produced:
                overlap = min(end, span[1]) - max(start, span[0])
                if end > start and overlap >= 0.5 * (end - start):
                    found.append((start, end))
            return found

        moved = {}
        for (a, span_a, b, span_b), label in self.labels.items():
            for sa in inside(span_a, sentences[a]):
                for sb in inside(span_b, sentences[b]):
                    # A stronger label wins where two gold pairs land on one produced pair.
                    if moved.get((a, sa, b, sb)) not in ("same", "partial"):
                        moved[a, sa, b, sb] = label
        return moved


def alignment_gold() -> list[GoldGroup]:
    """Our hand-annotated sentence alignments on NeuS events and SemEval pairs."""
    groups: list[GoldGroup] = []
    neus = None
    for name in ("alignment_gold_neus.json", "alignment_gold_neus_2.json"):
        path = ANNOTATIONS / name
        if not path.exists():
            continue
        neus = neus or neus_events("val")
        for event in json.loads(path.read_text(encoding="utf-8"))["events"]:
            group = GoldGroup(f"neus-{event['line']}", [a["text"] for a in neus[event["line"]]])
            for p in event["pairs"]:
                group.labels[p["a"], tuple(p["a_span"]), p["b"], tuple(p["b_span"])] = p["label"]
            groups.append(group)
    path = ANNOTATIONS / "alignment_gold_semeval.json"
    if path.exists():
        rows = {r["pair_id"]: r for r in semeval_rows()}
        for pair in json.loads(path.read_text(encoding="utf-8"))["pairs"]:
            row = rows[pair["pair_id"]]
            group = GoldGroup(f"semeval-{pair['pair_id']}", [row["text1"], row["text2"]])
            for link in pair["links"]:
                group.labels[0, tuple(link["a_span"]), 1, tuple(link["b_span"])] = link["label"]
            groups.append(group)
    return groups
