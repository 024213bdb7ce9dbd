"""`storydiff.Corpus`: a store of articles, grouped into stories, each of which can be compared.

    corpus = storydiff.Corpus("news.db")
    corpus.ingest(["https://example.org/feed.xml", "dump.jsonl.gz", "crawl.warc.gz"])
    for story in corpus.stories(min_outlets=3):
        print(story.id, story.title, story.outlet_names)
    comparison = corpus.compare(story.id)          # a Comparison, as `storydiff.compare` returns
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .._exceptions import InvalidArgument, NotEnoughArticles
from .._models import Article, Comparison, Duplicate
from ..ingest import IngestOptions
from ..store import Store, StoredArticle, StoryRow
from ._steps import IngestReport, ProgressFn, read_sources, run_steps

# A stored story compared at once holds at most this many articles (one per outlet first, the
# earliest first): comparison time grows with the square of the number of articles.
MAX_COMPARED = 8
# Inputs read to their end that are not read again when given again (their content cannot have
# changed, short of editing the file): feeds, sitemaps and folders are, since they grow.
_READ_ONCE = ("dump", "warc", "urls")


@dataclass
class _Plan:
    """What comparing a story takes: the articles chosen, the comparison to fill, its kept key."""

    chosen: list[StoredArticle]
    comparison: Comparison
    key: str


class Corpus:
    """A corpus store at `path` (one SQLite file, created on first use unless `create=False`)."""

    def __init__(self, path: str | os.PathLike, *, create: bool = True, readonly: bool = False):
        self.store = Store(path, create=create, readonly=readonly)
        self.path = self.store.path

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Corpus({str(self.path)!r})"

    # -- writing ------------------------------------------------------------------------------

    def ingest(
        self,
        sources: Sequence[str | os.PathLike],
        *,
        options: IngestOptions | None = None,
        fetcher=None,
        mapping=None,
        policy=None,
        workers: int | None = None,
        reread: bool = False,
        cluster: bool = True,
        progress: ProgressFn | None = None,
    ) -> IngestReport:
        """Read `sources` into the store, then find copies and stories for what is new.

        Sources are anything `compare` takes (files, folders, article URLs, `-`), RSS/Atom feeds
        and their URLs, sitemaps, WARC files, JSON-lines dumps (`mapping`: a `FieldMapping` for
        dumps whose field names differ) and files of URLs. Bad items are skipped and counted,
        never fatal. A run that was stopped, even killed, goes on where it stopped when started
        again; a dump, WARC or URL file read to its end is not read again unless `reread`.
        With `cluster=False` only reading is done (run `update()` later).
        """
        if isinstance(sources, (str, os.PathLike)):
            raise TypeError(f"ingest() takes a list of sources, not one {type(sources).__name__}: ingest([{str(sources)!r}])")
        from ._steps import local_kind

        report = IngestReport()
        given = [os.fspath(s) for s in sources]
        done = self.store.finished_inputs()
        todo = []
        for source in dict.fromkeys(given):  # each once, in order
            if not reread and source in done and local_kind(source) in _READ_ONCE:
                report.notes.append(f"{source}: read to its end by an earlier run (--reread reads it again)")
                continue
            todo.append(source)
        began = time.perf_counter()
        if todo:
            read_sources(
                self.store, todo, options=options or IngestOptions(), fetcher=fetcher, mapping=mapping, policy=policy,
                workers=workers, progress=progress, report=report,
            )
        report.seconds["read"] = time.perf_counter() - began
        if cluster:
            run_steps(self.store, progress=progress, report=report)
        self.store.set_state("last_run_seconds", json.dumps({k: round(v, 2) for k, v in report.seconds.items()}))
        return report

    def update(self, *, progress: ProgressFn | None = None) -> IngestReport:
        """Find copies, vectors and stories for articles stored without them."""
        return run_steps(self.store, progress=progress)

    # -- reading ------------------------------------------------------------------------------

    def summary(self) -> dict[str, int]:
        return self.store.summary()

    def stories(
        self,
        *,
        since: str | None = None,
        until: str | None = None,
        outlets: Sequence[str] = (),
        min_outlets: int = 1,
        min_articles: int = 1,
        search: str | None = None,
        limit: int | None = 50,
        offset: int = 0,
        order: str = "outlets",
    ) -> list[StoryRow]:
        """Stories, the most widely reported first (`order="latest"`: the latest first).

        `since`/`until` are days (YYYY-MM-DD) a story's reporting must reach; `outlets`: stories
        each of these outlets reported; `search`: words all found in the title or lead of one of
        its articles.
        """
        from ..ingest._dates import strict_date

        for name, value in (("since", since), ("until", until)):
            if value and strict_date(value) is None:
                raise InvalidArgument(name, f"{value!r} is not a date: give the day as YYYY-MM-DD")
        if order not in ("outlets", "latest", "id"):
            raise InvalidArgument("order", f"{order!r}: give outlets, latest or id")
        return self.store.stories(
            since=strict_date(since) if since else None, until=strict_date(until) if until else None, outlets=outlets,
            min_outlets=min_outlets, min_articles=min_articles, search=search, limit=limit, offset=offset, order=order,
        )

    def story(self, story: int) -> StoryRow:
        return self.store.story(int(story))

    def articles(self, story: int | None = None, ids: Sequence[int] | None = None) -> list[StoredArticle]:
        """The articles of a story (earliest first), or those with `ids`."""
        if story is not None:
            self.store.story(int(story))  # NotFound for an unknown story
            ids = self.store.story_article_ids(int(story))
        return self.store.articles(list(ids or []))

    def compare(self, story: int, *, max_articles: int = MAX_COMPARED, keep_copies: bool = False, pipeline=None, progress=None) -> Comparison:
        """The comparison of a stored story: its articles that are no copies (at most
        `max_articles`: one per outlet first, the earliest first), with its copies listed as such.
        What the per-article stages find is kept in the store, so comparing again recomputes
        nothing about any article alone."""
        from .._api import _pipeline
        from ..pipeline import Pipeline
        from .insights import headline

        if pipeline is None:
            kept = self.kept_comparison(story, max_articles=max_articles, keep_copies=keep_copies)
            if kept is not None:
                return kept[1]
        plan = self._plan(story, max_articles, keep_copies)
        base = pipeline or _pipeline()
        runner = Pipeline(base.components, cache=StoredAnalyses(self.store, plan.chosen))
        result = runner(plan.comparison, progress=progress)
        if pipeline is None and not self.store.readonly:
            # compact: the C encoder, about 5x faster than the indented one, and a smaller store
            self.store.put_comparison(int(story), plan.key, result.to_json(indent=None), headline(result))
        return result

    def kept_comparison(self, story: int, *, max_articles: int = MAX_COMPARED, keep_copies: bool = False) -> tuple[str, Comparison] | None:
        """The story's kept comparison and its key, if it was compared with these articles and
        this storydiff; None when `compare` would have to work. Never computes anything."""
        key = self.comparison_key(story, max_articles=max_articles, keep_copies=keep_copies)
        kept = self._kept(story, key)
        return (key, kept) if kept is not None else None

    def kept_json(self, story: int, *, max_articles: int = MAX_COMPARED, keep_copies: bool = False) -> str | None:
        """The kept comparison's JSON as stored (not parsed), or None."""
        return self.store.comparison(int(story), self.comparison_key(story, max_articles=max_articles, keep_copies=keep_copies))

    def comparison_key(self, story: int, *, max_articles: int = MAX_COMPARED, keep_copies: bool = False) -> str:
        """What the story's comparison is kept under: changes when its articles or storydiff do.
        Raises NotEnoughArticles for a story with fewer than two articles that are no copies."""
        chosen, copies = self._choose(story, max_articles, keep_copies)
        return _comparison_key(chosen, copies, keep_copies)

    def _choose(self, story: int, max_articles: int, keep_copies: bool) -> tuple[list[StoredArticle], list[StoredArticle]]:
        return choose_voices(story, self.articles(story), max_articles, keep_copies)

    def _plan(self, story: int, max_articles: int, keep_copies: bool) -> _Plan:
        return plan_comparison(story, self.articles(story), max_articles=max_articles, keep_copies=keep_copies)

    def _kept(self, story: int, key: str) -> Comparison | None:
        kept = self.store.comparison(int(story), key)
        if kept is None:
            return None
        try:
            return Comparison.from_json(kept)
        except ValueError:
            return None  # made by another version, or damaged: compare again

    def spread(self, stories: Sequence[int]) -> dict[int, float]:
        """How differently each story's articles (copies left out) open: 1 - the mean cosine of
        their title-and-lead vectors, 0 for the same words; stories of one voice are left out.
        Cheap (stored vectors), so a list of stories can show it before any comparison."""
        from .insights import spread

        return spread(self.store, [int(s) for s in stories])

    def export(self, path: str | os.PathLike, *, format: str | None = None, text: bool = True, story: int | None = None) -> int:
        """Write the stored articles (with their story and copy) as JSON lines or Parquet; the
        number written. The format comes from the file name unless given."""
        from ._export import export

        return export(self.store, Path(path), format=format, text=text, story=story)

    def reporting(self, story: int):
        """Who reported a story first and who followed, with times (`insights.ReportingOrder`)."""
        from .insights import reporting_order

        return reporting_order(self.articles(story))

    def quote_trail(self, story: int | Comparison):
        """For each quotation of a story: the first article that carried it, and the later ones
        that repeated it, with or without credit (`insights.QuoteTrail`)."""
        from .insights import quote_trail

        return quote_trail(story if isinstance(story, Comparison) else self.compare(story))

    def omissions(self, *, min_outlets: int = 3, stories: int = 50, progress=None):
        """For each outlet, the kinds of facts it leaves out that most others on a story report,
        over the `stories` most widely reported stories with `min_outlets` outlets or more
        (`insights.OutletOmissions`). Each story is compared (once: analyses are stored)."""
        from .insights import compare_stories, omissions

        ids = [row.id for row in self.stories(min_outlets=min_outlets, limit=stories)]
        return omissions(compare_stories(self, ids, progress=progress))


def _comparison_key(chosen: list[StoredArticle], copies: list[StoredArticle], keep_copies: bool) -> str:
    """What a kept comparison of a story must match: this storydiff, these articles (and copies)."""
    import hashlib

    from .._version import __version__

    parts = [__version__, str(keep_copies), *(m.article.uid for m in chosen), "|", *(m.article.uid for m in copies)]
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:32]


def choose_voices(story: int, members: list[StoredArticle], max_articles: int, keep_copies: bool) -> tuple[list[StoredArticle], list[StoredArticle]]:
    """`pick_voices`, or NotEnoughArticles for a story with fewer than two articles that are no copies."""
    chosen, copies = pick_voices(members, max_articles, keep_copies=keep_copies)
    if len(chosen) < 2:
        raise NotEnoughArticles(
            f"story {story} has {'one article' if chosen else 'no article'} that is no copy: nothing to compare",
            Comparison(articles=[m.article for m in chosen]),
        )
    return chosen, copies


def plan_comparison(story: int, members: list[StoredArticle], *, max_articles: int = MAX_COMPARED, keep_copies: bool = False) -> _Plan:
    """What comparing a story of these members (earliest first) takes; the same wherever the
    members come from (the store, or a Spark partition: `storydiff.scale`)."""
    chosen, copies = choose_voices(story, members, max_articles, keep_copies)
    articles = [m.article for m in chosen]
    for number, article in enumerate(articles):
        article.id = number
    comparison = Comparison(articles=articles, duplicates=_duplicates(chosen, copies))
    return _Plan(chosen, comparison, _comparison_key(chosen, copies, keep_copies))


def pick_voices(members: list[StoredArticle], limit: int, *, keep_copies: bool = False) -> tuple[list[StoredArticle], list[StoredArticle]]:
    """The articles to compare (no copies unless `keep_copies`; one per outlet first, earliest
    first, at most `limit`), and the copies left out."""
    voices = [m for m in members if keep_copies or m.copy_of is None]
    copies = [m for m in members if not keep_copies and m.copy_of is not None]
    seen: set[str] = set()
    first, rest = [], []
    for m in voices:  # members come earliest first
        outlet = (m.article.outlet or m.article.source or "").lower()
        (rest if outlet in seen else first).append(m)
        seen.add(outlet)
    chosen = (first + rest)[:max(2, limit)]
    order = {m.id: n for n, m in enumerate(voices)}
    chosen.sort(key=lambda m: order[m.id])
    return chosen, copies


def _duplicates(chosen: list[StoredArticle], copies: list[StoredArticle]) -> list[Duplicate]:
    from ..ingest.duplicates import changed_words
    from .._api import SHOWN_CHANGES

    index = {m.id: n for n, m in enumerate(chosen)}
    by_id = {m.id: m for m in chosen}
    out = []
    for copy in copies:
        if copy.copy_of not in index:
            continue  # a copy of an article left out of this comparison
        original = by_id[copy.copy_of].article
        changes = changed_words(original.text, copy.article.text)
        out.append(Duplicate(
            article=index[copy.copy_of], source=copy.article.source or copy.article.url or f"article {copy.id}",
            outlet=copy.article.outlet, similarity=round(copy.copy_similarity or 0.0, 3),
            changes=changes[:SHOWN_CHANGES], changed=len(changes),
        ))
    return out


class StoredAnalyses:
    """The pipeline's per-article cache, kept in the store: an article's own analysis is made
    once, the first time a story holding it is compared, and read back after that."""

    def __init__(self, store: Store, members: list[StoredArticle]):
        self.store = store
        self._ids = {id(m.article): m.id for m in members}
        self.hits = self.misses = 0

    def restore(self, key: str, article: Article) -> bool:
        from ..article._stored import load_analysis

        stored = self._ids.get(id(article))
        data = self.store.analysis(stored, key) if stored is not None else None
        if data is not None and load_analysis(data, article):
            self.hits += 1
            return True
        self.misses += 1
        return False

    def save(self, key: str, article: Article) -> None:
        from ..article._stored import dump_analysis

        stored = self._ids.get(id(article))
        if stored is None or self.store.readonly:
            return
        self.store.put_analysis(stored, key, dump_analysis(article))


def story_json(row: StoryRow) -> dict:
    return {
        "id": row.id, "title": row.title, "first_published": row.first_published, "last_published": row.last_published,
        "articles": row.articles, "voices": row.voices, "outlets": row.outlets, "outlet_names": row.outlet_names,
    }


__all__ = ["Corpus", "IngestReport", "MAX_COMPARED", "StoredAnalyses", "choose_voices", "pick_voices", "plan_comparison", "story_json"]
