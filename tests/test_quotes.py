"""Quotations, speakers and intermediaries, on made-up articles written for these tests."""

import pytest

import storydiff
from storydiff import Article
from storydiff.pipeline.quotes import extract_quotes
from storydiff.pipeline.segment import segment_article

STORY = """The mayor of Dunmore, Clara Voss, said on Monday that the city would rebuild the old harbour wall before winter.

“We cannot wait another year,” Voss told the Dunmore Herald. “The sea will not wait for us either.”

The 61-year-old politician added that the budget had been approved by the council.

A council source said the works could cost twice the estimate. He warned that “nobody has checked the numbers properly.”

Residents’ groups welcomed the plan, according to a statement from the Harbour Trust.

“This is a good day for the town. We have asked for this for ten years.

“Now we want to see the diggers,” said Tom Reid, who chairs the trust.
"""


@pytest.fixture(scope="module")
def quotes():
    article = Article(source="story", text=STORY, id=0)
    segment_article(article)
    return article, extract_quotes(article)


def _find(article, quotes, words):
    found = [q for q in quotes if words in article.text[q.start : q.end]]
    assert found, words
    return found[0]


def test_direct_quote_broken_by_its_attribution(quotes):
    article, found = quotes
    first = _find(article, found, "We cannot wait another year")
    second = _find(article, found, "The sea will not wait")
    assert first.kind == second.kind == "direct"
    assert first.speaker == second.speaker == "Clara Voss"
    assert first.via == "the Dunmore Herald"
    assert not article.text[first.start : first.end].startswith("“")  # the marks are not the words


def test_description_resolves_to_the_person_named_before(quotes):
    article, found = quotes
    quote = _find(article, found, "budget had been approved")
    assert quote.kind == "reported" and quote.speaker == "Clara Voss" and quote.named


def test_unnamed_source_stays_unnamed_and_he_refers_to_it(quotes):
    article, found = quotes
    reported = _find(article, found, "twice the estimate")
    assert reported.speaker == "A council source" and not reported.named and reported.speaker_kind == "unnamed"
    partial = _find(article, found, "nobody has checked the numbers")
    assert partial.kind == "partial" and partial.speaker == "A council source" and not partial.named


def test_quotation_running_over_paragraphs_is_never_credited_to_the_wrong_speaker(quotes):
    article, found = quotes
    opening = _find(article, found, "This is a good day for the town")
    closing = _find(article, found, "Now we want to see the diggers")
    assert closing.speaker == "Tom Reid"
    assert opening.speaker == "Tom Reid" or opening.speaker is None  # attributed after the fact, or not at all
    assert opening.speaker != "Clara Voss"


def test_late_attribution_reaches_the_quotation_s_first_paragraph(quotes):
    article, found = quotes
    opening = _find(article, found, "This is a good day for the town")
    closing = _find(article, found, "Now we want to see the diggers")
    assert opening.speaker == "Tom Reid" and opening.group == closing.group


def test_according_to_a_statement_is_a_channel(quotes):
    article, found = quotes
    quote = _find(article, found, "welcomed the plan")
    assert quote.kind == "reported"
    # the statement is the channel, whoever issued it the speaker
    assert quote.via == "a statement" and quote.speaker == "Harbour Trust"


def test_apostrophes_are_not_quotation_marks(quotes):
    article, found = quotes
    for quote in found:
        text = article.text[quote.start : quote.end]
        assert not text.startswith(("s groups", "s ")), text
    text = ("The councillors’ vote was close. ‘We have the council’s backing and the residents’ support,’ said "
            "Mara Lind, who leads the group. The mayor’s office did not comment.\n\nIt is the town’s first such vote.")
    other = Article(source="apostrophes", text=text, id=0)
    segment_article(other)
    (quote,) = extract_quotes(other)
    assert text[quote.start : quote.end].startswith("We have the council’s backing and the residents’ support")
    assert quote.speaker == "Mara Lind"


def test_one_speaker_under_two_spellings_is_one_source():
    a = Article("a", "The strike killed Qassem Soleimani, officials said. “We will respond,” Qassem Soleimani said in a recording.\n\nThe region was tense.", id=0)
    b = Article("b", "The strike killed Qasem Soleimani, officials said. “We will respond,” Qasem Soleimani said in a recording.\n\nThe region was tense.", id=1)
    result = storydiff.compare([a, b], options=storydiff.IngestOptions(min_words=1))
    speakers = [s for s in result.sources if "speaker" in s.roles and s.named]
    assert len(speakers) == 1 and {c.article for c in speakers[0].citations} == {0, 1}
    assert [g for g in result.quotes if len(g.articles) == 2]
    # "..., officials said." is reported speech of its own, by an unnamed source in both
    unnamed = [s for s in result.sources if not s.named]
    assert [s.name for s in unnamed] == ["officials"] and {c.article for c in unnamed[0].citations} == {0, 1}


def test_same_speaker_across_outlets_in_different_words():
    a = Article("a", "The port director, Ana Ruiz, spoke on Friday. “The harbour will reopen on Monday once the divers finish their checks,” Ruiz told the Coastal Times. She said the ferries would run again.", outlet="Coastal Times", id=0)
    b = Article("b", "Ferries will soon run again. “We expect to reopen the harbour on Monday, after the divers complete their inspection,” port director Ana Ruiz said in a statement. No date was given for cargo.", outlet="Bay Wire", id=1)
    result = storydiff.compare([a, b])
    shared = [g for g in result.quotes if len(g.articles) == 2]
    assert len(shared) == 1
    group = shared[0]
    assert group.speaker == "Ana Ruiz"
    assert {m.via for m in group.mentions} == {"the Coastal Times", "a statement"}
    assert "different_intermediaries" in group.flags
    assert any(op.op != "equal" for op in group.changes[1])
    source = next(s for s in result.sources if s.id == group.source)
    assert source.kind == "person" and source.articles == [0, 1]


def test_headline_words_do_not_become_a_person():
    # A headline ending in a role word ("...: Spokesman") and the next line starting with a
    # place must not make "US" a person; nor may a place in a possessive ("Ukraine's Azov Unit").
    text = (
        "Talks on troop pullout to start in June: Spokesman\n\n"
        "US officials and Ukrainian commanders met on Monday in Kyiv to discuss the pullout of troops.\n\n"
        "\u201cThe security relationship will continue,\u201d the spokesman said after the meeting ended.\n\n"
        "Colonel Mira Danko, a spokeswoman for Ukraine's Azov Unit, said the talks went well for both sides."
    )
    article = Article(source="t", text=text, id=0)
    segment_article(article)
    from storydiff.pipeline._speakers import SpeakerRegister

    register = SpeakerRegister.build(text, [s.start for s in article.sentences])
    people = {m.name for m in register.names if m.person}
    assert "US" not in people and not any("Ukraine" in p for p in people)
    assert "Mira Danko" in people


def _quotes_of(text):
    from storydiff.pipeline.entities import find_named_entities

    article = Article(source="t", text=text, id=0)
    segment_article(article)
    article.named_entities = find_named_entities(article)  # as the pipeline's `names` stage does
    return article, extract_quotes(article)


def test_reported_speech_the_parser_finds_mid_sentence_shared_subject_and_gerund():
    text = (
        "Shares in Eastport slipped on Tuesday after the Harbour Times reported that the mood among traders was gloomy.\n\n"
        "The port authority did not name the ship and said it was withholding the crew list until families were told.\n\n"
        "Tom Ruiz, who ran the terminal until May, has denied taking money from the contractors.\n\n"
        "The weather was calm all week."
    )
    article, found = _quotes_of(text)
    mood = _find(article, found, "the mood among traders was gloomy")
    assert mood.kind == "reported" and mood.speaker == "Harbour Times" and mood.named
    crew = _find(article, found, "withholding the crew list")
    assert crew.kind == "reported" and "port authority" in crew.speaker.lower()
    assert not article.text[crew.start : crew.end].startswith("it did not")  # the content, not the first verb's clause
    money = _find(article, found, "taking money from the contractors")
    assert money.kind == "reported" and money.speaker == "Tom Ruiz"
    assert not [q for q in found if "weather" in article.text[q.start : q.end]]


def test_mixed_quotation_marks_and_acronym_speakers():
    text = (
        "The World Health Organization (WHO) tracks the outbreak closely.\n\n"
        "“It was an avoidable failure,’’ Ana Duarte, who heads the clinic, told the Coastline Daily. “We warned them.”\n\n"
        "“Our results were below what we expected,\" chief executive Lev Marsh said in the earnings release.\n\n"
        "Untreated, the disease is \"almost always fatal\", says WHO."
    )
    article, found = _quotes_of(text)
    failure = _find(article, found, "It was an avoidable failure")
    assert article.text[failure.start : failure.end] == "It was an avoidable failure,"  # ’’ closes “
    assert failure.speaker == "Ana Duarte" and failure.via == "the Coastline Daily"
    assert _find(article, found, "We warned them").speaker == "Ana Duarte"
    results = _find(article, found, "Our results were below")
    assert results.speaker == "Lev Marsh" and results.via == "the earnings release"
    fatal = _find(article, found, "almost always fatal")
    assert fatal.speaker == "World Health Organization" and fatal.named


def test_capitalised_descriptions_are_not_names_and_salient_people_win():
    text = (
        "Recent governments have recognized that the dam was never inspected.\n\n"
        "Both sides said they were hopeful the talks could resume in spring.\n\n"
        "Indiana State Police reported that at least 5,000 people attended the rally.\n\n"
        "Lena Okafor will coach the Harlow side until 2026. Okafor won the cup twice, and Okafor's teams rarely lose.\n\n"
        "She replaced Piet Brandt, who was sacked in December.\n\n"
        "The 56-year-old said after her appointment that the squad excited her."
    )
    article, found = _quotes_of(text)
    governments = _find(article, found, "the dam was never inspected")
    assert governments.speaker.lower() == "recent governments" and not governments.named
    sides = _find(article, found, "hopeful the talks could resume")
    assert sides.speaker and sides.speaker.lower() == "both sides" and not sides.named
    police = _find(article, found, "at least 5,000 people attended")
    assert police.speaker == "Indiana State Police" and police.named
    squad = _find(article, found, "the squad excited her")
    assert squad.speaker == "Lena Okafor"  # the person the story is about, not the last one named


def test_reported_statement_around_a_partial_quotation_is_both():
    text = (
        "Mayor Ines Calder warned that the council “will not stand by” if the river floods again.\n\n"
        "Calder said: “We have waited long enough for the dredgers.”"
    )
    article, found = _quotes_of(text)
    reported = _find(article, found, "the council “will not stand by” if the river floods again")
    (partial,) = [q for q in found if q.kind == "partial"]
    assert reported.kind == "reported" and reported.speaker == partial.speaker == "Ines Calder"
    assert partial.kind == "partial" and article.text[partial.start : partial.end] == "will not stand by"
    # A whole quoted statement is only a quotation, never also reported speech.
    dredgers = [q for q in found if "dredgers" in article.text[q.start : q.end]]
    assert [q.kind for q in dredgers] == ["direct"]


def test_a_role_before_a_name_resolves_to_that_person_even_before_the_name():
    text = (
        "Harland’s ambassador to Britain accused the fishing fleet of ignoring the quotas and warned that the talks could collapse.\n\n"
        "Captain Ole Brekke, who leads the fleet, said: “We have followed every rule.”\n\n"
        "Harland’s ambassador to Britain Petra Lindqvist has said that her government wants a deal by March."
    )
    article, found = _quotes_of(text)
    assert _find(article, found, "her government wants a deal").speaker == "Petra Lindqvist"
    assert _find(article, found, "the talks could collapse").speaker == "Petra Lindqvist"  # not the next man quoted


def test_a_statement_issued_by_a_body_is_that_body_s_words():
    text = (
        "The Harbour Commission, which oversees the docks, issued a statement warning that “ships will be turned away after dark.”\n\n"
        "It added that the rule would last until the lights were repaired."
    )
    article, found = _quotes_of(text)
    ships = _find(article, found, "ships will be turned away")
    assert ships.speaker == "Harbour Commission" and ships.via == "a statement"
    assert _find(article, found, "the rule would last").speaker == "Harbour Commission"


def test_one_outlet_credited_in_two_forms_is_not_different_intermediaries():
    a = Article("a", "The port will reopen on Monday. “The divers have finished their checks and the harbour is safe again,” port director Ana Ruiz told the Merrowgate Herald. Ferries were expected to return by noon.", outlet="Coastal Times", id=0)
    b = Article("b", "Ferries will soon run again. “The divers have finished their checks, and the harbour is safe again,” port director Ana Ruiz said in an interview with the Herald. Cargo ships must wait.", outlet="Bay Wire", id=1)
    result = storydiff.compare([a, b])
    (group,) = [g for g in result.quotes if len(g.articles) == 2]
    assert {m.via for m in group.mentions} == {"the Merrowgate Herald", "an interview with the Herald"}
    assert "different_intermediaries" not in group.flags
    assert not [c for c in result.conflicts if c.kind == "intermediary"]


def test_an_office_after_a_role_is_not_a_person_s_title():
    text = (
        "The spokesman for the Commander-in-Chief of the Harland Armed Forces says the government is serious about the withdrawal.\n\n"
        "“The timetable will be agreed in June,” Major General Ivo Brandt told the Coastline Daily."
    )
    article, found = _quotes_of(text)
    assert _find(article, found, "serious about the withdrawal").speaker == "Ivo Brandt"


def test_statement_before_its_attribution_without_quotation_marks():
    article, found = _quotes_of(
        "The old ferry terminal will be turned into a market hall, the city's planning director said on Tuesday, "
        "after years of debate over its future.\n\n"
        "Ticket prices are likely to rise in the spring, said Ines Varga, a transport analyst at Dunmore Bank.\n\n"
        "The first passengers boarded the new ferry at dawn, according to the state-run Coastline News Agency.\n\n"
        "The harbour master had asked for more tugboats, the news agency said, citing the port authority."
    )
    market = _find(article, found, "turned into a market hall")
    assert market.kind == "reported" and "after years of debate" not in article.text[market.start : market.end]
    assert market.speaker == "the city's planning director" and not market.named
    prices = _find(article, found, "Ticket prices are likely to rise")
    assert prices.kind == "reported" and prices.speaker == "Ines Varga"
    dawn = _find(article, found, "boarded the new ferry at dawn")
    assert "Coastline News Agency" in dawn.speaker
    tugs = _find(article, found, "asked for more tugboats")
    assert tugs.speaker == "the port authority" and tugs.via == "the news agency"


def test_he_means_the_person_who_opened_the_last_sentence():
    article, found = _quotes_of(
        "“The season is long,” coach Ruth Adler said after the match.\n\n"
        "Midfielder Tomas Brenner, who scored twice, shrugged off the praise. “I only finished what others started,” he said.\n\n"
        "Lt. Col. Mara Quist of the harbour police said the divers had found nothing."
    )
    assert _find(article, found, "I only finished").speaker == "Tomas Brenner"
    assert _find(article, found, "divers had found nothing").speaker == "Mara Quist"


def test_a_scientist_and_her_team_speak_as_one():
    article, found = _quotes_of(
        "The probe found ice on the moon's south pole. “The ice is older than we thought,” Dana Okoro and her team wrote in the paper.\n\n"
        "“It will take years to study,” said planetary geologist Ivo Lenz of the Westport Observatory."
    )
    assert _find(article, found, "The ice is older").speaker == "Dana Okoro and her team"
    assert _find(article, found, "It will take years").speaker == "Ivo Lenz"


def test_requests_refusals_and_objects_are_not_statements():
    article, found = _quotes_of(
        "The harbour master told the crew to stay ashore. Officials declined to say when the port would reopen.\n\n"
        "Councillor Ines Varga added 25 new berths to the plan, and the mayor approved it.\n\n"
        "Noting that the storm had passed, Varga said the ferries would run on Friday."
    )
    texts = [article.text[q.start : q.end] for q in found if q.kind == "reported"]
    assert not any("stay ashore" in t or "port would reopen" in t or "25 new berths" in t for t in texts), texts
    storm = _find(article, found, "the storm had passed")
    assert storm.kind == "reported" and storm.speaker == "Ines Varga"
    assert "Noting" not in article.text[storm.start : storm.end]


def test_the_unnamed_source_introduced_before_keeps_its_description():
    article, found = _quotes_of(
        "Dr. Lena Okafor, who runs the clinic, said the vaccines had arrived.\n\n"
        "A spokesperson who did not wish to be named said in a statement that the agency would not comment further.\n\n"
        "“We follow the law,” the spokesperson said."
    )
    quote = _find(article, found, "We follow the law")
    assert quote.speaker != "Lena Okafor" and not quote.named and "spokesperson" in quote.speaker.lower()


def test_speech_nouns_with_a_content_clause_are_reported_speech():
    article, found = _quotes_of(
        "Prime Minister Ola Brandt is under fire for failing to deliver on his often-repeated vow that the bridge would open in May.\n\n"
        "The delay came despite an earlier declaration by the city council that the works were on schedule."
    )
    vow = _find(article, found, "the bridge would open in May")
    assert vow.kind == "reported" and vow.speaker == "Ola Brandt" and vow.cue == "vow"
    declaration = _find(article, found, "the works were on schedule")
    assert declaration.speaker == "the city council" and not declaration.named


def test_a_statement_split_by_its_attribution_is_two_spans_of_one_speaker():
    article, found = _quotes_of("Divers found the leak before dawn, harbour master Ola Brandt said, and sealed it by noon with a steel plate.")
    first = _find(article, found, "Divers found the leak")
    second = _find(article, found, "sealed it by noon")
    assert first.kind == second.kind == "reported" and first.speaker == second.speaker == "Ola Brandt"
    assert "said" not in article.text[second.start : second.end]


def test_his_office_is_the_office_of_the_person_he_stands_for():
    article, found = _quotes_of(
        "Governor Ana Ruiz skipped the rally on Tuesday. Her office said she was keeping long-standing plans to visit the port."
    )
    quote = _find(article, found, "keeping long-standing plans")
    assert quote.speaker == "Ana Ruiz's office" and quote.speaker_kind == "organization"
