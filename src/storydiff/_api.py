"""The public verbs: `read`, `compare`, `similarity`. The CLI is a thin layer over these."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import BinaryIO

from ._exceptions import InputError, NotEnoughArticles
from ._models import Article, Comparison, Duplicate, Skipped
from .ingest import IngestOptions, Overrides, Text, apply_overrides, check_article, check_overrides, input_list, read_inputs
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
    """Read the inputs that need reading, take `Article`s as given; both, and what was skipped,
    in input order."""
    inputs = input_list(inputs, "compare")
    check_overrides(len(inputs), outlets=outlets, titles=titles, dates=dates)
    positions = [i for i, item in enumerate(inputs) if not isinstance(item, Article)]
    overrides = Overrides(outlets, titles, dates).pick(positions)
    read, skipped = read_inputs(
        [inputs[i] for i in positions], overrides, options=options, fetcher=fetcher, stdin=stdin, progress=progress
    ) if positions else ([], [])
    found: list[tuple[int, int, Article]] = [(positions[k], n, a) for n, (k, a) in enumerate(read)]
    left_out: list[tuple[int, int, Skipped]] = [(positions[k], n, s) for n, (k, s) in enumerate(skipped)]
    for index, item in enumerate(inputs):
        if not isinstance(item, Article):
            continue
        try:
            check_article(item, options)
        except InputError as error:
            left_out.append((index, 0, Skipped(error.source, error.reason)))
            continue
        article = item.fresh()
        apply_overrides(article, index, outlets, titles, dates)
        found.append((index, 0, article))
    articles = [a for _, _, a in sorted(found, key=lambda t: t[:2])]
    for number, article in enumerate(articles):
        article.id = number
    return articles, [s for _, _, s in sorted(left_out, key=lambda t: t[:2])]


# A copy note lists at most this many of the places where the copy's words differ.
SHOWN_CHANGES = 20


def _drop_copies(articles: list[Article]) -> tuple[list[Article], list[Duplicate]]:
    """Keep the most complete of each group of copies; the others become `Duplicate` notes.

    Two copies of one article agree with themselves on everything: compared fact by fact they
    would only add noise (a "shared" fact that is one outlet's text twice, tensions with itself).
    """
    groups = copy_groups([a.text for a in articles])
    if not groups:
        return articles, []
    dropped = {copy for group in groups for copy, _ in group.copies}
    kept = [a for a in articles if a.id not in dropped]
    renumber = {a.id: number for number, a in enumerate(kept)}
    duplicates = []
    for group in groups:
        for copy, score in group.copies:
            changes = changed_words(articles[group.first].text, articles[copy].text)
            duplicates.append(Duplicate(
                article=renumber[group.first], source=articles[copy].source, outlet=articles[copy].outlet,
                similarity=score, changes=changes[:SHOWN_CHANGES], changed=len(changes),
            ))
    for article in kept:
        article.id = renumber[article.id]
    return kept, duplicates


def _not_enough(articles: list[Article], skipped: list[Skipped], duplicates: list[Duplicate]) -> tuple[str, list[str]]:
    """What to say when too few articles remain: a summary, and why each input was left out."""
    found = "one article" if len(articles) == 1 else "no article"
    reasons = [str(s) for s in skipped]
    reasons += [f"{d.source}: {copy_phrase(d, articles[d.article].source)}" for d in duplicates]
    return f"{found} to compare: storydiff needs at least two different articles", reasons


def copy_phrase(duplicate: Duplicate, kept_source: str) -> str:
    """'a copy of a.txt (97% the same wording)', or 'given twice' for one source named twice."""
    if duplicate.source == kept_source:
        return "given twice"
    return f"a copy of {kept_source} ({duplicate.similarity:.0%} the same wording)"


def similarity(a: str | os.PathLike | Text | Article, b: str | os.PathLike | Text | Article) -> float:
    """How similar two articles are as wholes, in [0, 1] (1: the same story told alike).

    Each side is clean article text (a str, taken as it is, like `Article(text=...)`; a page's
    HTML or a JSON record in a str is read as `Text`), a `Path` to a file, a `storydiff.Text`
    (text to clean, as copied from a browser), or an `Article`. Sides to read are read together,
    as `compare()` reads its inputs, so the score is the one `compare()` reports for the same two
    inputs (`Comparison.similarity`). A str that looks like a path or URL is a TypeError: read it
    first (`storydiff.read([...])`) or pass a `Path`.
    """
    from .article.embed import shared_encoder
    from .story.similarity import vector_similarity

    sides = [_similarity_side(side, name) for side, name in ((a, "a"), (b, "b"))]
    to_read = [(i, side) for i, side in enumerate(sides) if not isinstance(side, str)]
    if to_read:
        # Every article, however long: similarity has no length cap to raise.
        options = IngestOptions(min_words=1, max_words=10**9)
        read, skipped = read_inputs([side for _, side in to_read], options=options)  # Text and Path: read
        if skipped:
            raise InputError(skipped[0][1].source, skipped[0][1].reason)
        for (i, _), (_, article) in zip(to_read, read):
            sides[i] = article.text
    if not all(t.strip() for t in sides):
        return 0.0
    first, second = shared_encoder().document_vectors(sides)
    return vector_similarity(first, second)


def _similarity_side(side, name: str) -> str | Text | Path:
    """A side as clean text (str) or as something to read (a Text or a path)."""
    from .ingest import sniff

    if isinstance(side, Article):
        return side.text
    if isinstance(side, Text):
        return side
    if isinstance(side, os.PathLike):
        path = Path(side).expanduser()
        if path.is_dir():
            raise TypeError(f"similarity() compares two articles; {name}={os.fspath(side)!r} is a folder")
        return path
    if not isinstance(side, str):
        raise TypeError(f"similarity() takes article text, a Path, a storydiff.Text or an Article, not {type(side).__name__}")
    if side.lower().startswith(("http://", "https://")) and len(side.split()) == 1:
        raise TypeError(f"similarity() compares article texts; {name}={side!r} is a URL: fetch it with storydiff.read([{side!r}]) first")
    if _looks_like_path(side):
        raise TypeError(
            f"similarity() compares article texts; {name}={side!r} looks like a path: pass Path({side!r}) to read a file"
        )
    return Text(side) if sniff(side) != "text" else side


_PATH_SUFFIX = re.compile(r"\.(?:html?|xhtml|txt|text|md|markdown|jsonl?|ndjson|gz)$", re.I)


def _looks_like_path(text: str) -> bool:
    """One word with a path's shape ("a.txt", "story/", "~/news/b.html"), existing or not."""
    word = text.strip()
    if not word or len(word) > 300 or any(c.isspace() for c in word):
        return False
    return bool(_PATH_SUFFIX.search(word) or "/" in word or "\\" in word or word.startswith("~") or Path(word).exists())
