"""The public verbs: `read`, `compare`, `similarity`. The CLI is a thin layer over these."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import BinaryIO

from ._exceptions import InputError, NotEnoughArticles
from ._models import Article, Comparison, Skipped
from .ingest import IngestOptions, check_article, read_articles
from .ingest._fetch import Fetcher
from .pipeline import Pipeline, default_pipeline

_default_pipeline: Pipeline | None = None


def _pipeline() -> Pipeline:
    global _default_pipeline
    if _default_pipeline is None:
        _default_pipeline = default_pipeline()
    return _default_pipeline


def compare(
    inputs: Sequence[str | Article],
    *,
    outlets: Sequence[str | None] = (),
    titles: Sequence[str | None] = (),
    dates: Sequence[str | None] = (),
    options: IngestOptions | None = None,
    fetcher: Fetcher | None = None,
    stdin: BinaryIO | None = None,
    pipeline: Pipeline | None = None,
    progress: Callable[[str], None] | None = None,
) -> Comparison:
    """Compare the articles behind `inputs` (paths, directories, URLs, `-`, or `Article`s).

    Inputs that cannot be read are listed in `Comparison.skipped`; raises `NotEnoughArticles`
    when fewer than two articles remain. `progress`, if given, receives a short message as each
    input is read and as each analysis stage starts.
    """
    given = [i for i in inputs if isinstance(i, Article)]
    specs = [i for i in inputs if not isinstance(i, Article)]
    if given and specs:
        raise TypeError("pass either input specs (paths, URLs) or Article objects, not both")
    if given:
        articles, skipped = [], []
        for article in given:
            try:
                check_article(article, options)
            except InputError as error:
                skipped.append(Skipped(error.source, error.reason))
                continue
            article = article.fresh()
            article.id = len(articles)
            articles.append(article)
    else:
        articles, skipped = read_articles(
            specs, outlets=outlets, titles=titles, dates=dates, options=options, fetcher=fetcher, stdin=stdin,
            progress=progress,
        )
    comparison = Comparison(articles=articles, skipped=skipped)
    if len(articles) < 2:
        found = "one article" if len(articles) == 1 else "no article"
        raise NotEnoughArticles(f"{found} to compare: storydiff needs at least two", comparison)
    return (pipeline or _pipeline())(comparison, progress=progress)


def similarity(a: str, b: str) -> float:
    """How similar two article texts are as wholes, in [0, 1] (1: the same story told alike)."""
    import numpy as np

    from .pipeline.embed import shared_encoder

    if not a.strip() or not b.strip():
        return 0.0
    first, second = shared_encoder().document_vectors([a, b])
    return float(np.clip(first @ second, 0.0, 1.0))
