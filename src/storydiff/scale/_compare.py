"""Each story's comparison, in Spark partitions: corpus mode's plan and pipeline, per story.

The members of a story are grouped by key and put in corpus mode's order (earliest first); the
articles to compare and the copies beside them are chosen by `corpus.plan_comparison`, and the
comparison is made by the default pipeline, loaded once per Python worker (it is a process-wide
singleton, and Spark reuses its Python workers). The per-article analyses made on the way are
kept (`article._stored.dump_analysis`, the bytes corpus mode keeps in its store) and come back
with the comparison, to be written beside each article.
"""

from __future__ import annotations

from typing import Any


def compare_stories(members: Any, *, max_articles: int) -> Any:
    """From an RDD of (story, article row) (rows as `_job` writes them): an RDD of
    (story, key, comparison JSON, [(article id, analysis key, analysis bytes)])."""
    return members.groupByKey().flatMap(lambda kv: _compare_one(kv[0], list(kv[1]), max_articles))


class _Collected:
    """A per-article cache that keeps nothing before and collects what is made (the pipeline's
    cache interface: restore, save)."""

    def __init__(self, ids: dict[int, int]):
        self.ids = ids  # id(Article) -> article id
        self.made: list[tuple[int, str, bytes]] = []

    def restore(self, key: str, article) -> bool:
        return False

    def save(self, key: str, article) -> None:
        from ..article._stored import dump_analysis

        self.made.append((self.ids[id(article)], key, dump_analysis(article)))


def _compare_one(story, rows: list[dict], max_articles: int):
    from .._api import _pipeline
    from .._exceptions import NotEnoughArticles
    from ..corpus import plan_comparison
    from ..pipeline import Pipeline
    from ..store import ARTICLE_COLUMNS, StoredArticle, article_from_columns

    rows.sort(key=lambda r: (r["published"] or "9999", r["id"]))  # as the store lists a story's articles
    members = [
        StoredArticle(r["id"], article_from_columns(**{c: r[c] for c in ARTICLE_COLUMNS}), r["copy_of"], r["copy_similarity"], story)
        for r in rows
    ]
    try:
        plan = plan_comparison(story, members, max_articles=max_articles)
    except NotEnoughArticles:
        return []
    cache = _Collected({id(m.article): m.id for m in plan.chosen})
    result = Pipeline(_pipeline().components, cache=cache)(plan.comparison)
    return [(story, plan.key, result.to_json(indent=None), cache.made)]
