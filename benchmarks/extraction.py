"""Article-body extraction on the 181 pages of ../shared/data/extraction-benchmark.

Scores storydiff's HTML path (`storydiff.ingest.html.extract_html`) beside trafilatura's plain
`extract()` in the same run, like the benchmark's own evaluation: lowercased whitespace tokens,
precision / recall / F1 of the token bags per page, averaged over pages (nothing extracted: 0).

    python benchmarks/extraction.py [--worst 10]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from datasets import extraction_pages  # noqa: E402


def token_prf(predicted: str, truth: str) -> tuple[float, float, float]:
    p_tokens, t_tokens = Counter(predicted.lower().split()), Counter(truth.lower().split())
    common = sum((p_tokens & t_tokens).values())
    if not common:
        return 0.0, 0.0, 0.0
    precision = common / sum(p_tokens.values())
    recall = common / sum(t_tokens.values())
    return precision, recall, 2 * precision * recall / (precision + recall)


def _storydiff(html: bytes) -> str:
    from storydiff import InputError
    from storydiff.ingest._decode import decode, html_declared_charset
    from storydiff.ingest.html import extract_html

    try:
        text, _ = decode(html, "page", declared=html_declared_charset(html))
        return extract_html(text, "page").text
    except InputError:
        return ""


def _trafilatura(html: bytes) -> str:
    import trafilatura

    return trafilatura.extract(html) or ""


SYSTEMS = {"storydiff": _storydiff, "trafilatura extract()": _trafilatura}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worst", type=int, default=8, help="list this many pages where storydiff scores lowest")
    args = parser.parse_args()
    pages = extraction_pages()
    scores: dict[str, list[tuple[str, float, float, float]]] = {}
    for name, system in SYSTEMS.items():
        started = time.perf_counter()
        scores[name] = [(page_id, *token_prf(system(html), truth)) for page_id, html, truth in pages]
        elapsed = time.perf_counter() - started
        n = len(pages)
        p, r, f = (sum(s[k] for s in scores[name]) / n for k in (1, 2, 3))
        print(f"{name:24} P {p:.4f}  R {r:.4f}  F1 {f:.4f}   {n / elapsed:5.1f} pages/s ({n} pages)")
    ours, theirs = scores["storydiff"], scores["trafilatura extract()"]
    better = sum(a[3] > b[3] + 0.005 for a, b in zip(ours, theirs))
    worse = sum(a[3] < b[3] - 0.005 for a, b in zip(ours, theirs))
    print(f"storydiff better on {better} pages, worse on {worse} (by more than 0.005 F1)")
    print("\nlowest storydiff F1 (trafilatura extract() in brackets):")
    for (page_id, p, r, f), other in sorted(zip(ours, theirs), key=lambda x: x[0][3])[: args.worst]:
        print(f"  {page_id[:16]}  F1 {f:.3f} (P {p:.2f} R {r:.2f})  [{other[3]:.3f}]")


if __name__ == "__main__":
    main()
