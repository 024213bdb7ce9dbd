"""Stage: how similar whole articles are, and a warning when they do not seem to tell one story."""

from __future__ import annotations

import numpy as np

from .._models import Article, Comparison

# Below this, two articles probably report different events. On SemEval-2022's English pairs,
# "Overall" > 2.5 (different or loosely related stories) is caught with precision 0.96 and
# recall 0.88 at this value (docs/benchmarks.md).
SAME_STORY = 0.45


def vector_similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Cosine of two whole-article vectors in [0, 1], to the three decimals every output shows."""
    return round(float(np.clip(a @ b, 0.0, 1.0)), 3)


def article_similarity(a: Article, b: Article) -> float:
    """Similarity of two embedded articles in [0, 1]: cosine of their lead-weighted vectors.

    Sentence-by-sentence matching scored worse against human judgements than this whole-text
    view (Pearson 0.79-0.85 against 0.87 on SemEval-2022), so alignment explains *how* two
    articles differ, and this says *whether* they tell the same story.
    """
    if a.vector is None or b.vector is None:
        return 0.0
    return vector_similarity(a.vector, b.vector)


class ArticleSimilarity:
    """Pipeline component: fills `comparison.similarity` and `comparison.off_story`, and warns.

    An article off the story is one whose best similarity to any other is below SAME_STORY.
    Alignment then judges "reported by all" among the articles on the story, so that one stray
    input does not turn every shared fact into a partial one.
    """

    name = "similarity"

    def __call__(self, comparison: Comparison) -> None:
        articles = comparison.articles
        n = len(articles)
        matrix = [[1.0] * n for _ in range(n)]
        for i in range(n):
            for j in range(i + 1, n):
                matrix[i][j] = matrix[j][i] = article_similarity(articles[i], articles[j])
        comparison.similarity = matrix
        off = []
        for i in range(n):
            best, nearest = max((matrix[i][j], j) for j in range(n) if j != i)
            if best < SAME_STORY:
                off.append(i)
                comparison.warnings.append(
                    f"{articles[i].label} does not seem to report the same story as the others: its highest "
                    f"similarity is {best:.2f} (with {articles[nearest].label}), and same-story pairs usually "
                    f"score above {SAME_STORY:.2f}"
                )
        # With fewer than two articles on the story there is no "the story" to set them apart from.
        comparison.off_story = off if n - len(off) >= 2 else []
        if comparison.off_story:
            names = ", ".join(articles[i].label for i in comparison.off_story)
            comparison.warnings.append(f"facts are counted as reported by all when every article but {names} reports them")
