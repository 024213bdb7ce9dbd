"""The comparison as Markdown: the same findings as the HTML report, as readable text."""

from __future__ import annotations

from .._models import Comparison, Fact
from ._common import article_labels, story_title


def _escape(text: str) -> str:
    """Article text as inert Markdown: no markup, links or HTML of its own."""
    text = " ".join(text.split())
    for ch in "\\`*_{}[]<>()#+!|~":
        text = text.replace(ch, "\\" + ch)
    return text


def _quote(fact: Fact, labels: list[str]) -> list[str]:
    lines = []
    for m in fact.mentions:
        lines.append(f"  - **{_escape(labels[m.article])}** ({m.start}–{m.end}): “{_escape(m.text)}”")
    for m in fact.possible:
        lines.append(f"  - possible in **{_escape(labels[m.article])}** (score {m.score:.2f}): “{_escape(m.text)}”")
    return lines


def render_markdown(comparison: Comparison) -> str:
    articles = comparison.articles
    labels = article_labels(articles)
    facts = comparison.facts
    out = [f"# {_escape(story_title(articles))}", ""]
    counts = {s: len(comparison.facts_with_status(s)) for s in ("shared", "partial", "unique")}
    out.append(
        f"{len(articles)} articles, {len(facts)} facts: {counts['shared']} shared by all, "
        f"{counts['partial']} shared by some, {counts['unique']} in one outlet only."
    )
    out.append("")
    for warning in comparison.warnings:
        out.append(f"> **Warning:** {_escape(warning)}")
        out.append("")
    if comparison.skipped:
        out += ["## Skipped inputs", ""]
        out += [f"- `{s.source}`: {_escape(s.reason)}" for s in comparison.skipped]
        out.append("")

    out += ["## Articles", "", "| # | outlet | title | published | source |", "|---|---|---|---|---|"]
    for a, label in zip(articles, labels):
        cells = [str(a.id), label, a.title or "", a.published or "", a.source]
        out.append("| " + " | ".join(_escape(c) for c in cells) + " |")
    out.append("")

    sections = [
        ("shared", "Reported by all"),
        ("partial", "Reported by some"),
    ]
    for status, heading in sections:
        chosen = comparison.facts_with_status(status)
        if not chosen:
            continue
        out += [f"## {heading} ({len(chosen)})", ""]
        for fact in chosen:
            who = ", ".join(labels[i] for i in fact.articles)
            score = f", score {fact.score:.2f}" if fact.score is not None else ""
            out.append(f"- **{fact.id}** ({_escape(who)}{score})")
            out += _quote(fact, labels)
        out.append("")

    out += ["## Only in one outlet", ""]
    for a, label in zip(articles, labels):
        unique = comparison.unique_facts(a.id)
        out += [f"### {_escape(label)} ({len(unique)})", ""]
        if not unique:
            out.append("Nothing this outlet alone reports.")
        for fact in unique:
            out.append(f"- **{fact.id}**: “{_escape(fact.mentions[0].text)}”")
            for m in fact.possible:
                out.append(f"  - possible in **{_escape(labels[m.article])}** (score {m.score:.2f}): “{_escape(m.text)}”")
        out.append("")

    out += ["## Coverage", "", "| fact | " + " | ".join(_escape(l) for l in labels) + " |", "|---|" + "---|" * len(labels)]
    for fact in facts:
        cells = ["✔" if a.id in fact.articles else "" for a in articles]
        out.append(f"| {fact.id} ({fact.status}) | " + " | ".join(cells) + " |")
    out.append("")

    out += ["## Similarity", "", "| | " + " | ".join(_escape(l) for l in labels) + " |", "|---|" + "---|" * len(labels)]
    for label, row in zip(labels, comparison.similarity):
        out.append(f"| {_escape(label)} | " + " | ".join(f"{v:.2f}" for v in row) + " |")
    out.append("")
    return "\n".join(out)
