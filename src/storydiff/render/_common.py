"""Helpers every output format shares."""

from __future__ import annotations

from .._models import Article, article_labels  # noqa: F401  (re-exported for the renderers)


def story_title(articles: list[Article]) -> str:
    return next((a.title for a in articles if a.title), "Comparison")


def shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
