"""Entities and word choice on made-up articles written for these tests."""

import storydiff
from storydiff import Article

A = """The Coastal Defence League (CDL) said on Monday that the so-called relief plan would fail.
League spokeswoman Marta Ilves told reporters that the regime had ignored every warning.
The 52-year-old activist said the dam was built in 1961 and had not been inspected since.
Officials claimed the water level was falling."""

B = """The CDL, a coalition of fishing towns, said on Monday that the relief plan would not work.
Marta Ilves, a spokeswoman for the group, said the government had ignored the warnings.
The dam, finished in 1961, has not been inspected since, Ilves said.
Officials said the water level was dropping."""


def _compare():
    return storydiff.compare([Article("a.txt", A, outlet="Shore Post"), Article("b.txt", B, outlet="Bay Daily")])


def test_names_acronyms_and_descriptions():
    result = _compare()
    league = next(e for e in result.entities if "CDL" in e.names_in(0))
    assert "Coastal Defence League" in league.names_in(0) and "CDL" in league.names_in(1)
    ilves = next(e for e in result.entities if "Marta Ilves" in e.names_in(0))
    assert set(ilves.articles) == {0, 1}
    assert any("52-year-old activist" in n for n in ilves.names_in(0))


def test_swaps_ignore_tense_and_order_but_show_words():
    result = _compare()
    swaps = {(w.a.text.lower(), w.b.text.lower()) for w in result.wording if w.kind == "swap"}
    assert ("regime", "government") in swaps
    assert ("falling", "dropping") in swaps
    assert not any(a == b for a, b in swaps)
    for w in result.wording:
        if w.kind == "swap":
            assert result.articles[w.a.article].text[w.a.start : w.a.end] == w.a.text
            assert result.articles[w.b.article].text[w.b.start : w.b.end] == w.b.text


def test_loaded_terms_and_attribution():
    result = _compare()
    terms = {(w.a.article, w.a.text.lower(), w.category) for w in result.wording if w.kind == "term"}
    assert (0, "so-called", "hedge") in terms
    assert (0, "regime", "loaded") in terms
    assert (0, "claimed", "attribution") in terms
    assert not any(article == 1 for article, _, _ in terms)  # the neutral telling has none


def test_a_hedge_word_as_a_clause_verb_is_no_hedge_of_the_writer():
    # The parse decides: a modifier casts the writer's doubt; the verb of a clause with an active
    # subject reports someone's claim; a passive one states a duty.
    text = (
        "The court heard the tape of what the prosecution alleged was a threat to the alleged victim.\n"
        "The mayor was supposed to sign the order on Monday.\n"
        "The man allegedly fired two shots."
    )
    from storydiff.story.wording import loaded_terms

    article = storydiff.compare(
        [Article("a.txt", text, outlet="Shore Post"), Article("b.txt", B, outlet="Bay Daily")]
    ).articles[0]
    terms = {(w.a.text.lower(), w.category) for w in loaded_terms(article)}
    assert ("alleged", "attribution") in terms  # "the prosecution alleged"
    assert ("alleged", "hedge") in terms  # "the alleged victim"
    assert ("allegedly", "hedge") in terms
    assert not any(word == "supposed" for word, _ in terms)


def test_lexicon_terms_are_found_as_the_whole_patterns_find_them():
    # `_term_matches` searches each term without its leading lookbehind and tests that by hand: it
    # must find what the whole pattern finds, inside words and hyphenated words too.
    import re

    from storydiff.story.wording import _lexicon, _term_files, _term_matches, _unanchored

    texts = [
        A, B, "Thugs, thuggish ex-thugs and anti-regime regimes; a so-called so-calledness; non-militants militants.",
        "terrorists-terrorism terror terrorism! claimed that, claims to, reclaimed that, spin doctors, spun; spin",
    ]
    files = tuple(_term_files())
    for (pattern, _, _), unanchored in zip(_lexicon(files), _unanchored(files)):
        for text in texts:
            assert [m.span() for m in _term_matches(pattern, unanchored, text)] == [m.span() for m in pattern.finditer(text)]
    # a pattern that may match nothing at all steps past empty matches as finditer does
    empty = re.compile(r"(?<![\w-])(?:x*)(?![\w-])")
    text = "a x xx y-x x"
    assert [m.span() for m in _term_matches(empty, re.compile(r"(?:x*)(?![\w-])"), text)] == [m.span() for m in empty.finditer(text)]
