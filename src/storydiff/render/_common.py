"""Helpers every output format shares."""

from __future__ import annotations

from .._models import Article, article_labels  # noqa: F401  (re-exported for the renderers)


def story_title(articles: list[Article]) -> str:
    return next((a.title for a in articles if a.title), "Comparison")


def shorten(text: str, width: int) -> str:
    """One line of at most `width` characters, cut at a word boundary (never inside a word)."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    cut = text[: max(1, width - 1)]
    if " " in cut and not text[len(cut)].isspace():
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-–—(") + "…"


def notices(comparison) -> list[str]:
    """What a reader should know before the findings, in every format: copies left out, articles
    that seem off the story, and how an article was read (an encoding that was not UTF-8)."""
    labels = article_labels(comparison.articles)
    out = list(comparison.warnings)  # articles off the story first: they change what "shared" means
    out += [_copy_note(comparison, d) for d in comparison.duplicates]
    out += [f"{labels[a.id]}: {w}" for a in comparison.articles for w in a.warnings]
    return out


def _copy_note(comparison, d) -> str:
    from .._api import copy_phrase

    kept = comparison.articles[d.article]
    changes = "; ".join(f"“{a}” → “{b}”" if a and b else (f"adds “{b}”" if b else f"drops “{a}”") for a, b in d.changes[:5])
    more = f" and {d.changed - 5} more" if d.changed > 5 else ""
    what = f", except {changes}{more}" if changes else ", word for word"
    phrase = copy_phrase(d, kept.source)
    if phrase == "given twice":
        return f"{d.source} was given twice: compared once"
    return f"{d.source} is {phrase[:-1]}{what}): compared once"


def count_possible(comparison) -> int:
    """How many findings are `possible` (kept out of the default view)."""
    groups = (comparison.facts, comparison.quotes, comparison.entities, comparison.wording, comparison.conflicts, comparison.tensions)
    return sum(1 for group in groups for finding in group if finding.level == "possible")


def shown(findings, possible: bool) -> list:
    """The findings a view shows: certain ones, and possible ones too when asked."""
    return [f for f in findings if possible or f.level != "possible"]
