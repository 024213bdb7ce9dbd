"""The public verbs: `read`, `compare`, `similarity`. The CLI is a thin layer over these."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import BinaryIO

from ._exceptions import InputError, NotEnoughArticles
from ._models import Article, Comparison, Duplicate, Skipped
from .ingest import IngestOptions, Overrides, Text, check_article, check_overrides, input_list, read_inputs
from .ingest._dates import strict_date
from .ingest._decode import clean_field
from .ingest._fetch import Fetcher
from .ingest.duplicates import changed_words, copy_groups
from .pipeline import Pipeline, default_pipeline

_default_pipeline: Pipeline | None = None

Input = str | os.PathLike | Text | Article


def _pipeline() -> Pipeline:
    global _default_pipeline
    if _default_pipeline is None:
        _default_pipeline = default_pipeline()
    return _default_pipeline


def compare(
    inputs: Sequence[Input],
    *,
    outlets: Sequence[str | None] = (),
    titles: Sequence[str | None] = (),
    dates: Sequence[str | None] = (),
    options: IngestOptions | None = None,
    fetcher: Fetcher | None = None,
    stdin: BinaryIO | None = None,
    pipeline: Pipeline | None = None,
    progress: Callable[[str], None] | None = None,
    keep_copies: bool = False,
) -> Comparison:
    """Compare the articles behind `inputs`: a list of paths, directories, URLs, `-` (stdin),
    `storydiff.Text(...)` (article text as a string, cleaned as a file would be) and `Article`s.

    Inputs that cannot be read are listed in `Comparison.skipped`; copies of an article already
    given are listed in `Comparison.duplicates` and compared once. Raises `NotEnoughArticles`
    (saying why each input was left out) when fewer than two different articles remain, and
    `InvalidArgument` for an override that cannot apply (more `outlets` than inputs, a date that
    is not one). `progress`, if given, receives a short message as each input is read and as
    each analysis stage starts. `keep_copies` compares copies fact by fact like other articles.
    """
    articles, skipped = _read(inputs, outlets, titles, dates, options, fetcher, stdin, progress)
    articles, duplicates = (articles, []) if keep_copies else _drop_copies(articles)
    comparison = Comparison(articles=articles, skipped=skipped, duplicates=duplicates)
    if len(articles) < 2:
        summary, reasons = _not_enough(articles, skipped, duplicates)
        message = f"{summary}; left out: {'; '.join(reasons)}" if reasons else summary
        raise NotEnoughArticles(message, comparison, summary=summary)
    return (pipeline or _pipeline())(comparison, progress=progress)


def _read(inputs, outlets, titles, dates, options, fetcher, stdin, progress) -> tuple[list[Article], list[Skipped]]:
    """Read the inputs that need reading, take `Article`s as given; both in input order."""
    inputs = input_list(inputs, "compare")
    check_overrides(len(inputs), outlets=outlets, titles=titles, dates=dates)
    positions = [i for i, item in enumerate(inputs) if not isinstance(item, Article)]
    overrides = Overrides(outlets, titles, dates).pick(positions)
    read, skipped = read_inputs(
        [inputs[i] for i in positions], overrides, options=options, fetcher=fetcher, stdin=stdin, progress=progress
    ) if positions else ([], [])
    ordered: list[tuple[int, int, Article]] = [(positions[k], n, a) for n, (k, a) in enumerate(read)]
    for index, item in enumerate(inputs):
        if not isinstance(item, Article):
            continue
        try:
            check_article(item, options)
        except InputError as error:
            skipped.append(Skipped(error.source, error.reason))
            continue
        article = item.fresh()
        article.outlet = _given(outlets, index) or article.outlet
        article.title = _given(titles, index) or article.title
        if date := _given(dates, index):
            article.published = strict_date(date)
        ordered.append((index, 0, article))
    articles = [a for _, _, a in sorted(ordered, key=lambda t: (t[0], t[1]))]
    for number, article in enumerate(articles):
        article.id = number
    return articles, skipped


def _given(values: Sequence[str | None], index: int) -> str | None:
    return clean_field(values[index]) or None if index < len(values) and values[index] else None


def _drop_copies(articles: list[Article]) -> tuple[list[Article], list[Duplicate]]:
    """Keep the first of each group of copies; the others become `Duplicate` notes.

    Two copies of one article agree with themselves on everything: compared fact by fact they
    would only add noise (a "shared" fact that is one outlet's text twice, tensions with itself).
    """
    groups = copy_groups([a.text for a in articles])
    if not groups:
        return articles, []
    dropped = {copy for group in groups for copy, _ in group.copies}
    kept = [a for a in articles if a.id not in dropped]
    renumber = {a.id: number for number, a in enumerate(kept)}
    duplicates = [
        Duplicate(
            article=renumber[group.first], source=articles[copy].source, outlet=articles[copy].outlet,
            similarity=round(score, 3), changes=changed_words(articles[group.first].text, articles[copy].text),
        )
        for group in groups
        for copy, score in group.copies
    ]
    for article in kept:
        article.id = renumber[article.id]
    return kept, duplicates


def _not_enough(articles: list[Article], skipped: list[Skipped], duplicates: list[Duplicate]) -> tuple[str, list[str]]:
    """What to say when too few articles remain: a summary, and why each input was left out."""
    found = "one article" if len(articles) == 1 else "no article"
    reasons = [str(s) for s in skipped]
    reasons += [
        f"{d.source}: a copy of {articles[d.article].source} ({d.similarity:.0%} the same wording)" for d in duplicates
    ]
    return f"{found} to compare: storydiff needs at least two different articles", reasons


def similarity(a: str | os.PathLike | Text | Article, b: str | os.PathLike | Text | Article) -> float:
    """How similar two articles are as wholes, in [0, 1] (1: the same story told alike).

    Each side is clean article text (a str, taken as it is, like `Article(text=...)`), a `Path`
    to read, a `storydiff.Text` (text to clean, as copied from a browser), or an `Article`. The
    score is the one `compare()` reports for the same two inputs (`Comparison.similarity`).
    """
    from .pipeline.embed import shared_encoder
    from .pipeline.similarity import vector_similarity

    texts = [_similarity_text(side, name) for side, name in ((a, "a"), (b, "b"))]
    if not all(t.strip() for t in texts):
        return 0.0
    first, second = shared_encoder().document_vectors(texts)
    return vector_similarity(first, second)


def _similarity_text(side, name: str) -> str:
    if isinstance(side, Article):
        return side.text
    if isinstance(side, str):
        one_line = "\n" not in side and len(side) < 4096
        if one_line and (side.lower().startswith(("http://", "https://")) or _is_file(side)):
            raise TypeError(
                f"similarity() compares article texts; {name}={side!r} looks like a path or URL: "
                f"pass Path({side!r}) to read a file, or storydiff.read([...]) first"
            )
        return side
    if isinstance(side, os.PathLike):
        side = os.fspath(side)
    elif not isinstance(side, Text):
        raise TypeError(f"similarity() takes article text, a Path, a storydiff.Text or an Article, not {type(side).__name__}")
    read, skipped = read_inputs([side], options=IngestOptions(min_words=1))
    if not read:
        raise InputError(skipped[0].source, skipped[0].reason)
    return read[0][1].text


def _is_file(text: str) -> bool:
    try:
        return Path(text).expanduser().is_file()
    except (OSError, ValueError):
        return False
