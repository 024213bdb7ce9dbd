"""Stage: how similar whole articles are, and a warning when they do not seem to tell one story."""

from __future__ import annotations

import numpy as np

from .._models import Article, Comparison

SAME_STORY = 0.5  # below this, two articles probably report different events


def article_similarity(a: Article, b: Article) -> float:
    """Similarity of two embedded articles in [0, 1]."""
    if a.unit_vectors is None or b.unit_vectors is None or not len(a.unit_vectors) or not len(b.unit_vectors):
        return 0.0
    sims = a.unit_vectors @ b.unit_vectors.T
    coverage = 0.5 * (sims.max(axis=1).mean() + sims.max(axis=0).mean())
    return float(np.clip(coverage, 0.0, 1.0))


class ArticleSimilarity:
    """Pipeline component: fills `comparison.similarity` and warns about off-story inputs."""

    name = "similarity"

    def __call__(self, comparison: Comparison) -> None:
        articles = comparison.articles
        n = len(articles)
        matrix = [[1.0] * n for _ in range(n)]
        for i in range(n):
            for j in range(i + 1, n):
                matrix[i][j] = matrix[j][i] = round(article_similarity(articles[i], articles[j]), 3)
        comparison.similarity = matrix
        for i in range(n):
            others = [matrix[i][j] for j in range(n) if j != i]
            if others and max(others) < SAME_STORY:
                comparison.warnings.append(
                    f"{articles[i].label} does not seem to report the same story as the other articles "
                    f"(similarity at most {max(others):.2f}; same-story pairs usually score above {SAME_STORY:.2f})"
                )
