"""Stage 2, analysis: components that read and enrich a `Comparison`, run in order.

    segment      -> paragraphs, sentences, alignment units           (per article)
    names        -> names the recognizer finds (spaCy)               (per article)
    quotes       -> quotations and reported speech, speakers, via    (per article)
    embed        -> unit vectors and token states                    (per article, one model pass;
                                                                      beside names and quotes, in a thread)
    similarity   -> article x article scores, articles off the story (across articles)
    align        -> facts: who reports what, with spans              (across articles)
    sources      -> who is cited through whom; facts' sources        (across articles)
    quote_groups -> one speaker's words as each outlet gives them    (across articles)
    entities     -> one entity per real thing, with every name used  (across articles)
    wording      -> word swaps inside shared facts, loaded terms     (across articles)
    bias         -> sentences a BABE-trained classifier calls biased (only once the user built it)
    slots        -> dates, quantities, places, actors, intermediaries   (per fact mention)
    conflicts    -> different values for one slot of one fact        (across articles)
    tensions     -> statements on one topic pulling opposite ways    (across facts)
    timeline     -> dated events in order, undated ones apart        (across articles)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol

from ._models import Comparison
from .article._cache import ArticleCache, article_key


STAGE_MESSAGES = {
    "segment": "splitting sentences",
    "names": "finding names",
    "quotes": "finding quotations",
    "sources": "linking sources",
    "quote_groups": "matching quotations",
    "entities": "linking names",
    "wording": "comparing wording",
    "bias": "judging sentences",
    "embed": "embedding sentences",
    "align": "aligning facts",
    "similarity": "scoring similarity",
    "values": "reading numbers and dates",
    "slots": "placing values in facts",
    "conflicts": "finding conflicts",
    "tensions": "finding tensions",
    "timeline": "ordering events",
}


class Component(Protocol):
    name: str
    # True for a stage that reads one article at a time and writes only to it (its result is
    # the same whatever else is compared, so it is cached per article).
    per_article: bool

    def __call__(self, comparison: Comparison) -> None: ...


class Parallel:
    """A pipeline step made of branches that read nothing another branch writes: each branch runs
    its components in order, the branches side by side (the first in the calling thread, the others
    in threads of their own), and the step ends when every branch has. The models release the GIL
    while they compute, so the sentence encoder's pool and spaCy's recognizer share the cores
    instead of taking turns. Outputs are the same as running the branches one after the other."""

    def __init__(self, *branches: Iterable[Component]):
        self.branches = [list(branch) for branch in branches]

    @property
    def name(self) -> str:
        return " | ".join("+".join(c.name for c in branch) for branch in self.branches)

    @property
    def stages(self) -> list[Component]:
        return [c for branch in self.branches for c in branch]

    @property
    def per_article(self) -> bool:
        return all(getattr(c, "per_article", False) for c in self.stages)

    def __call__(self, comparison: Comparison, *, progress: Callable[[str], None] | None = None) -> None:
        from concurrent.futures import ThreadPoolExecutor

        def run(branch: list[Component], progress: Callable[[str], None] | None = None) -> None:
            for component in branch:
                if progress:
                    progress(STAGE_MESSAGES.get(component.name, component.name))
                component(comparison)

        first, *others = self.branches
        if not others:
            return run(first, progress)
        # leaving the block waits for every branch, also when one raises; result() re-raises
        with ThreadPoolExecutor(len(others), thread_name_prefix="storydiff-step") as pool:
            futures = [pool.submit(run, branch) for branch in others]
            run(first, progress)
            for future in futures:
                future.result()


class Pipeline:
    """Named components applied in order to a comparison, each enriching it in place.

    The leading per-article components (`Component.per_article`) run only on articles the
    `cache` has not seen; for the others their results are restored (see `_cache`)."""

    def __init__(self, components: Iterable[Component], cache: ArticleCache | None = None):
        self.components = list(components)
        self.cache = cache

    @property
    def stages(self) -> list[Component]:
        """Every stage, the branches of a parallel step one after the other."""
        return [s for c in self.components for s in (c.stages if isinstance(c, Parallel) else [c])]

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.stages]

    def without(self, names: Iterable[str]) -> Pipeline:
        """This pipeline without the named stages."""
        left_out = set(names)
        components = []
        for c in self.components:
            if isinstance(c, Parallel):
                branches = [[s for s in branch if s.name not in left_out] for branch in c.branches]
                c = Parallel(*(b for b in branches if b)) if any(branches) else None
            elif c.name in left_out:
                c = None
            if c is not None:
                components.append(c)
        return Pipeline(components, self.cache)

    @property
    def article_components(self) -> list[Component]:
        """The leading components that read one article at a time."""
        out = []
        for component in self.components:
            if not getattr(component, "per_article", False):
                break
            out.append(component)
        return out

    def __call__(self, comparison: Comparison, *, progress: Callable[[str], None] | None = None) -> Comparison:
        per_article = self.article_components
        self._articles(comparison, per_article, progress)
        for component in self.components[len(per_article):]:
            self._run(component, comparison, progress)
        return comparison

    def _articles(self, comparison: Comparison, components: list[Component], progress) -> None:
        """The per-article components, on the articles the cache does not hold."""
        if not components:
            return
        if self.cache is None:
            for component in components:
                self._run(component, comparison, progress)
            return
        stages = tuple(s.name for c in components for s in (c.stages if isinstance(c, Parallel) else [c]))
        keys = {a.id: article_key(a, stages) for a in comparison.articles}
        missing = [a for a in comparison.articles if not self.cache.restore(keys[a.id], a)]
        if not missing:
            return
        # The same Article objects, in a comparison of their own: the stages fill them in place.
        alone = Comparison(articles=missing)
        for component in components:
            self._run(component, alone, progress)
        for article in missing:
            self.cache.save(keys[article.id], article)

    @staticmethod
    def _run(component, comparison: Comparison, progress) -> None:
        if isinstance(component, Parallel):
            component(comparison, progress=progress)
            return
        if progress:
            progress(STAGE_MESSAGES.get(component.name, component.name))
        component(comparison)


def default_pipeline() -> Pipeline:
    from .story.align import Aligner
    from .story.bias import BiasScorer
    from .story.confidence import ConfidenceScorer
    from .story.conflicts import ConflictFinder
    from .article.embed import Embedder
    from .article.names import NameFinder
    from .story.entities import EntityLinker
    from .story.highlights import HighlightPicker
    from .story.quote_groups import QuoteAligner
    from .article.quotes import QuoteFinder
    from .article.segment import Segmenter
    from .article.values import ValueFinder
    from .story.similarity import ArticleSimilarity
    from .story.slots import SlotFinder
    from .story.sources import SourceLinker
    from .story.tensions import TensionFinder
    from .story.timeline import TimelineBuilder
    from .story.wording import WordingFinder

    return Pipeline([
        # the encoder needs only the sentences, so it runs while spaCy finds names and quotes
        Segmenter(), Parallel([NameFinder(), QuoteFinder(), ValueFinder()], [Embedder()]), ArticleSimilarity(), Aligner(), SourceLinker(), QuoteAligner(),
        EntityLinker(), WordingFinder(), BiasScorer(), SlotFinder(), ConflictFinder(), TensionFinder(), TimelineBuilder(),
        ConfidenceScorer(), HighlightPicker(),
    ], cache=ArticleCache())
