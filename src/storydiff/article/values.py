"""Per-article stage: values. Every date and quantity an article states, in its body, title and
captions (`Article.dates`, `Article.quantities`), parsed by `_values`: dates placed against the
publication day and against other dates in the text ("two days earlier"), quantities with the
interval their wording allows and what they count. Story stages turn them into slots of facts.
"""

from __future__ import annotations

from .._models import Article, Comparison
from ._values import find_dates, find_quantities


def number_text(value: float) -> str:
    """7500.0 -> '7500', 1234567.5 -> '1234567.5': the number in full, never in exponent form."""
    return format(value, "f").rstrip("0").rstrip(".")


def find_values(article: Article) -> None:
    """Fill `article.dates` and `article.quantities`, in reading order per field."""
    published = article.published_date
    article.dates, article.quantities = [], []
    for field, text in article.fields():
        # inside a quotation "on Sunday" counts from the day it was said, which is not known
        quoted = [(q.start, q.end) for q in article.quotes if q.kind != "reported"] if field == "text" else []
        dates = find_dates(text, published, speech=quoted)
        # a number inside a name ("the Rye Song Gang 1") counts nothing
        names = [(s, e) for f, s, e, label in article.named_entities if f == field and label not in ("DATE", "TIME")]
        article.dates += [(field, d) for d in dates]
        article.quantities += [(field, q) for q in find_quantities(text, skip=[(d.start, d.end) for d in dates] + names)]


class ValueFinder:
    """Pipeline component: the dates and quantities of every article. Needs `names` and `quotes`."""

    name = "values"
    per_article = True

    def __call__(self, comparison: Comparison) -> None:
        for article in comparison.articles:
            find_values(article)
