"""Helpers every output format shares."""

from __future__ import annotations

from .._models import Article


def article_labels(articles: list[Article]) -> list[str]:
    """One name per article (its outlet, else its source), numbered when two would be the same."""
    labels = [a.label for a in articles]
    totals = {label: labels.count(label) for label in labels}
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        if totals[label] > 1:
            seen[label] = seen.get(label, 0) + 1
            label = f"{label} ({seen[label]})"
        out.append(label)
    return out


def story_title(articles: list[Article]) -> str:
    return next((a.title for a in articles if a.title), "Comparison")


def shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
