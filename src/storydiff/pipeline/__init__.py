"""Stage 2, analysis: components that read and enrich a `Comparison`, run in order.

    segment      -> paragraphs, sentences, alignment units           (per article)
    names        -> names the recognizer finds (spaCy)               (per article)
    quotes       -> quotations and reported speech, speakers, via    (per article)
    embed        -> unit vectors and token states                    (per article, one model pass)
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

from .._models import Comparison


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
    "slots": "reading numbers and dates",
    "conflicts": "finding conflicts",
    "tensions": "finding tensions",
    "timeline": "ordering events",
}


class Component(Protocol):
    name: str

    def __call__(self, comparison: Comparison) -> None: ...


class Pipeline:
    """Named components applied in order to a comparison, each enriching it in place."""

    def __init__(self, components: Iterable[Component]):
        self.components = list(components)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.components]

    def __call__(self, comparison: Comparison, *, progress: Callable[[str], None] | None = None) -> Comparison:
        for component in self.components:
            if progress:
                progress(STAGE_MESSAGES.get(component.name, component.name))
            component(comparison)
        return comparison


def default_pipeline() -> Pipeline:
    from .align import Aligner
    from .bias import BiasScorer
    from .conflicts import ConflictFinder
    from .embed import Embedder
    from .entities import EntityLinker, NameFinder
    from .quote_groups import QuoteAligner
    from .quotes import QuoteFinder
    from .segment import Segmenter
    from .similarity import ArticleSimilarity
    from .slots import SlotFinder
    from .sources import SourceLinker
    from .tensions import TensionFinder
    from .timeline import TimelineBuilder
    from .wording import WordingFinder

    return Pipeline([
        Segmenter(), NameFinder(), QuoteFinder(), Embedder(), ArticleSimilarity(), Aligner(), SourceLinker(), QuoteAligner(),
        EntityLinker(), WordingFinder(), BiasScorer(), SlotFinder(), ConflictFinder(), TensionFinder(), TimelineBuilder(),
    ])
