"""The real example pair (../shared/examples/iraq-withdrawal), checked by meaning against EXPECTED.md.

Statements are recognised by a few words of each article's own telling (test data, not product
knowledge), never by sentence numbers. How "no shared fact pairs statements that say different
things" is judged: every fact reported by both outlets must be one of the facts EXPECTED.md lists
as reported by both (S1-S6). A fact may hold several of them (one Press TV sentence tells S4 and S5
together), but each of its mentions must tell at least one of them, and the two outlets' mentions
must have at least one of them in common. Any other shared fact pairs different statements and fails.
"""

from __future__ import annotations

import pytest

PRESS_TV, MEE = 0, 1

FURNITURE = {
    PRESS_TV: ["News / Iraq", "News   /   Iraq", "can also be accessed at the following alternate addresses", "www.presstv.co.uk",
               "SHARE THIS ARTICLE", "Press TV News Roku"],
    MEE: ["Skip to main content", "Read More", "US welcomes apparent consensus on Iraq's latest government formation",
          "At what point do US troops in Iraq become an occupation force?", "Middle East Eye delivers independent",
          "More about MEE can be found here"],
}
CAPTIONS = {PRESS_TV: "(Photo by AFP)", MEE: "(AFP/File photo)"}

# Facts both outlets report: words that identify each outlet's telling.
SHARED = {
    "S1 June talks on a timetable": ({PRESS_TV: ["next June", "timetable"]}, {MEE: ["June", "withdrawal"]}),
    "S2 forces reduced as goodwill gesture": ({PRESS_TV: ["goodwill gesture"]}, {MEE: ["goodwill gesture"]}),
    "S3 security relationship continues": ({PRESS_TV: ["Security relationship", "training"]}, {MEE: ["security relationship", "training"]}),
    "S4 parliament demands withdrawal": ({PRESS_TV: ["lawmakers", "bill"]}, {MEE: ["parliament passed a resolution"]}),
    "S5 strike killed Soleimani and al-Muhandis": ({PRESS_TV: ["Soleimani"]}, {MEE: ["Soleimani"]}),
    "S6 Khalaf spoke on Sunday": ({PRESS_TV: ["Khalaf", "Sunday"]}, {MEE: ["Khalaf", "Sunday"]}),
}
# Facts one outlet alone reports, in sentences of their own.
ONE_OUTLET = {
    "P1 letter very positive": (PRESS_TV, "very positive"),
    "P2 serious and detailed manner": (PRESS_TV, "serious and detailed manner"),
    "P3 Abdul-Mahdi asked for a delegation": (PRESS_TV, "dispatch a delegation"),
    "P4 sovereignty and airspace": (PRESS_TV, "violation of its sovereignty"),
    "P5 troops increase at Ain al-Assad": (PRESS_TV, "increase in the number of American forces"),
    "M1 7,500 foreign troops": (MEE, "7,500 foreign troops"),
    "M2 no comment from the State Department": (MEE, "did not immediately respond"),
    "M3 four bases handed over": (MEE, "handed over control of at least four military bases"),
    "M4 Trump threatened sanctions": (MEE, "threatened Iraq with sanctions"),
    "M5 Patriot batteries": (MEE, "Patriot air defence systems"),
    "M6 economic, cultural, political relations": (MEE, "economic, cultural, political and security fields"),
}

pytestmark = pytest.mark.shared


def _tells(text: str, words: list[str]) -> bool:
    return all(w.lower() in text.lower() for w in words)


def test_articles_and_metadata(iraq_comparison):
    press_tv, mee = iraq_comparison.articles
    assert press_tv.outlet == "Press TV" and mee.outlet == "Middle East Eye"
    assert press_tv.title.startswith("Iraq serious about US troops pullout")
    assert mee.title.startswith("US and Iraq to meet in June")


def test_no_furniture_survives(iraq_comparison):
    for article in iraq_comparison.articles:
        for line in FURNITURE[article.id]:
            assert line not in article.text, line
        assert CAPTIONS[article.id] not in article.text
        assert any(c.endswith(CAPTIONS[article.id]) for c in article.captions)


def test_the_articles_own_subheading_and_standfirst_stay(iraq_comparison):
    mee = iraq_comparison.articles[MEE]
    assert "Complete withdrawal remains unlikely" in mee.text
    assert "said meeting will also focus on Iraq's economy and political future" in mee.text


def _fact_with(comparison, article: int, words: list[str]):
    return [f for f in comparison.facts if any(m.article == article and _tells(m.text, words) for m in f.mentions)]


@pytest.mark.parametrize("name", [n for n in SHARED if not n.startswith("S6")])
def test_shared_facts_are_found_in_both(iraq_comparison, name):
    (ptv,), (mee,) = (list(side.values()) for side in SHARED[name])
    facts = [f for f in _fact_with(iraq_comparison, PRESS_TV, ptv) if f in _fact_with(iraq_comparison, MEE, mee)]
    assert facts, f"{name}: no fact holds both tellings"
    assert all(f.status == "shared" for f in facts)


def test_one_outlet_facts_are_unique_to_it(iraq_comparison):
    right, shared = [], []
    for name, (outlet, words) in ONE_OUTLET.items():
        facts = _fact_with(iraq_comparison, outlet, [words])
        assert facts, f"{name}: its sentence is missing from the text"
        if any(f.status != "unique" for f in facts):
            shared.append(name)
        elif all(f.mentions[0].article == outlet for f in facts):
            right.append(name)
    assert not shared, f"marked as reported by both: {shared}"
    assert len(right) >= 9, f"only {len(right)} of 11 one-outlet facts are unique to the right outlet"


def test_no_shared_fact_pairs_different_statements(iraq_comparison):
    for fact in iraq_comparison.facts:
        if fact.status == "unique":
            continue
        held = {PRESS_TV: set(), MEE: set()}
        for mention in fact.mentions:
            tells = {
                name for name, sides in SHARED.items()
                for side in sides if mention.article in side and _tells(mention.text, side[mention.article])
            }
            assert tells, f"{fact.id}: {mention.text!r} tells none of the facts both outlets report"
            held[mention.article] |= tells
        assert held[PRESS_TV] & held[MEE], f"{fact.id} pairs {held[PRESS_TV]} with {held[MEE]}"


def test_similarity_says_same_story(iraq_comparison):
    assert iraq_comparison.similarity[0][1] >= 0.5
    assert iraq_comparison.warnings == []


# Quotes and sources (EXPECTED.md, "Quotes: same speaker, two wordings, two intermediaries").
def _group_with(comparison, words: dict[int, str]):
    return [
        g for g in comparison.quotes
        if all(any(m.article == a and w.lower() in m.text.lower() for m in g.mentions) for a, w in words.items())
    ]


@pytest.mark.parametrize("words", [
    {PRESS_TV: "goodwill gesture", MEE: "goodwill gesture"},
    {PRESS_TV: "security relationship", MEE: "security relationship"},
], ids=["goodwill", "security relationship"])
def test_khalaf_statements_are_grouped_across_outlets(iraq_comparison, words):
    groups = _group_with(iraq_comparison, words)
    assert len(groups) == 1, "one group holds both outlets' wording"
    group = groups[0]
    assert group.named and group.speaker.endswith("Khalaf")
    via = {m.article: (m.via or "").lower() for m in group.mentions}
    assert "al-mawazin" in via[PRESS_TV] and "al-sabah" in via[MEE]
    assert "different_intermediaries" in group.flags


def test_unnamed_security_source_is_press_tv_only(iraq_comparison):
    groups = [g for g in iraq_comparison.quotes if any("Ain al-Assad" in m.text or "partially withdrawn" in m.text for m in g.mentions)]
    assert groups
    for group in groups:
        assert group.articles == [PRESS_TV] and "one_outlet" in group.flags
        assert not group.named and "source" in group.speaker
    facts = [f for f in iraq_comparison.facts if any("partially withdrawn" in m.text for m in f.mentions)]
    assert facts and all(f.unnamed_only for f in facts)


def test_coalition_release_is_middle_east_eye_only(iraq_comparison):
    groups = _group_with(iraq_comparison, {MEE: "pre-planned base transfers"})
    assert len(groups) == 1 and groups[0].articles == [MEE]
    assert "release" in (groups[0].mentions[0].channel or "") and groups[0].mentions[0].via is None
    assert "coalition" in groups[0].speaker.lower()


def test_the_78_year_old_politician_is_abdul_mahdi(iraq_comparison):
    press_tv = iraq_comparison.articles[PRESS_TV]
    quote = next(q for q in press_tv.quotes if q.speaker_start is not None and "78-year-old" in press_tv.text[q.speaker_start : q.speaker_end])
    assert quote.speaker == "Adel Abdul-Mahdi"


def test_intermediaries_are_sources(iraq_comparison):
    names = {s.name.lower(): s for s in iraq_comparison.sources}
    mawazin = next(s for n, s in names.items() if "al-mawazin" in n)
    sabah = next(s for n, s in names.items() if "al-sabah" in n)
    assert "intermediary" in mawazin.roles and mawazin.articles == [PRESS_TV]
    assert "intermediary" in sabah.roles and sabah.articles == [MEE]
    khalaf = next(s for n, s in names.items() if n.endswith("khalaf"))
    assert {c.via for c in khalaf.citations} >= {mawazin.id, sabah.id}


# Names and wording (EXPECTED.md, "Names and wording for the same things").
def _entity_named(comparison, article: int, words: str):
    found = [e for e in comparison.entities if any(m.article == article and m.kind != "description" and words.lower() in m.text.lower() for m in e.mentions)]
    assert found, words
    return found[0]


@pytest.mark.parametrize("ptv, mee", [
    ("Daesh", "Islamic State"),
    ("Hashd al-Sha", "Popular Mobilization Forces"),
    ("Abdul Karim Khalaf", "Abdul-Karim Khalaf"),
], ids=["Daesh / IS", "Hashd al-Sha'abi / PMF", "Khalaf's spellings"])
def test_one_entity_under_each_outlets_name(iraq_comparison, ptv, mee):
    entity = _entity_named(iraq_comparison, PRESS_TV, ptv)
    assert entity is _entity_named(iraq_comparison, MEE, mee)


def test_acronyms_join_their_names(iraq_comparison):
    group = _entity_named(iraq_comparison, MEE, "Popular Mobilization Forces")
    assert {"PMF", "Popular Mobilization Forces"} <= set(group.names_in(MEE))
    assert any("Popular Mobilization Units" in n for n in group.names_in(PRESS_TV))
    islamic_state = _entity_named(iraq_comparison, MEE, "Islamic State")
    assert "IS" in islamic_state.names_in(MEE)


def test_descriptions_stand_for_their_person(iraq_comparison):
    mahdi = _entity_named(iraq_comparison, PRESS_TV, "Abdul-Mahdi")
    assert any("78-year-old politician" in n for n in mahdi.names_in(PRESS_TV))
    assert any("caretaker prime minister" in n for n in mahdi.names_in(PRESS_TV))
    soleimani = _entity_named(iraq_comparison, MEE, "Soleimani")
    assert any("top Iranian general" in n for n in soleimani.names_in(MEE))
    assert any("commander of the Quds Force" in n for n in soleimani.names_in(PRESS_TV))


def test_the_strike_is_worded_differently(iraq_comparison):
    swaps = [(w.a.text.lower(), w.b.text.lower()) for w in iraq_comparison.wording if w.kind == "swap"
             and w.a.article == PRESS_TV and w.b.article == MEE]
    assert any("assassination" in a and "kill" in b for a, b in swaps)
    assert any("airstrike" in a and "strike" in b for a, b in swaps)


def test_loaded_words_flagged_in_press_tv(iraq_comparison):
    flagged = {w.a.text.lower() for w in iraq_comparison.wording if w.kind == "term" and w.a.article == PRESS_TV}
    assert {"purportedly", "takfiri", "assassination"} <= flagged
    for w in iraq_comparison.wording:
        if w.kind == "term":
            article = iraq_comparison.articles[w.a.article]
            assert article.field_text(w.a.field)[w.a.start : w.a.end] == w.a.text
