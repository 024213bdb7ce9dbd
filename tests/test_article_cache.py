"""Per-article analysis is pure and kept by content: comparing an article again recomputes nothing
about it alone, and the result is the same as computing it afresh."""

import storydiff
from storydiff import Article
from storydiff.pipeline import default_pipeline

QUAKE = (
    "A magnitude 6.2 earthquake struck the mountain town of Varel early on Sunday, destroying dozens of homes "
    "and killing at least 14 people, the regional governor said. Rescue teams worked through the night to free "
    "residents trapped under rubble. “We will not stop until everyone is found,” governor Ana Ruiz told Radio Varel."
)
RETOLD = (
    "At least 14 people died when a 6.2-magnitude quake hit Varel, a town in the mountains, in the early hours of "
    "Sunday, according to the governor of the region. Rescuers dug through collapsed houses overnight to reach "
    "people buried under debris. Electricity was down across the valley."
)
OTHER = "Varel's mayor said on Monday that the town would rebuild its school before winter, with help from the army and from volunteers."


def test_a_cached_article_is_not_analysed_again_and_gives_the_same_result():
    pipeline = default_pipeline()
    calls = []
    original = pipeline.components[0]

    class Counting:
        name, per_article = original.name, True

        def __call__(self, comparison):
            calls.append([a.source for a in comparison.articles])
            original(comparison)

    pipeline.components[0] = Counting()
    first = storydiff.compare([Article("a", QUAKE), Article("b", RETOLD)], pipeline=pipeline)
    again = storydiff.compare([Article("a", QUAKE), Article("b", RETOLD)], pipeline=pipeline)
    mixed = storydiff.compare([Article("a", QUAKE), Article("c", OTHER + " " + RETOLD)], pipeline=pipeline)
    assert calls == [["a", "b"], ["c"]]  # the second comparison ran no per-article stage; the third only for c
    assert again.to_json() == first.to_json()
    pipeline.cache = None
    fresh = storydiff.compare([Article("a", QUAKE), Article("c", OTHER + " " + RETOLD)], pipeline=pipeline)
    assert fresh.to_json() == mixed.to_json()
    # Later stages annotate quotes (their source): the cached copies stay as the per-article stages left them.
    pipeline = default_pipeline()
    result = storydiff.compare([Article("a", QUAKE), Article("b", RETOLD)], pipeline=pipeline)
    assert any(q.source for a in result.articles for q in a.quotes)
    assert all(q.source is None for saved in pipeline.cache._items.values() for q in saved["quotes"])
