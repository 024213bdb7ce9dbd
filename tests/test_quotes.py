"""Quotations, speakers and intermediaries, on made-up articles written for these tests."""

import pytest

import storydiff
from storydiff import Article
from storydiff.article.quotes import extract_quotes
from storydiff.article.segment import segment_article

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
    assert quote.via is None and quote.channel == "a statement" and quote.speaker == "Harbour Trust"


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
    # "told the Coastal Times" in the Coastal Times' own story: spoken to this outlet, through no one.
    assert {(m.via, m.channel) for m in group.mentions} == {(None, "told the Coastal Times"), (None, "a statement")}
    assert "different_intermediaries" not in group.flags
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
    from storydiff.article._speakers import SpeakerRegister

    register = SpeakerRegister.build(text, [s.start for s in article.sentences])
    people = {m.name for m in register.names if m.person}
    assert "US" not in people and not any("Ukraine" in p for p in people)
    assert "Mira Danko" in people


def _quotes_of(text):
    from storydiff.article.names import find_named_entities

    article = Article(source="t", text=text, id=0)
    segment_article(article)
    article.named_entities = find_named_entities(article)  # as the pipeline's `names` stage does
    return article, extract_quotes(article)


def _reported(article, quotes):
    """Reported statements by their words."""
    return {article.text[q.start : q.end]: q for q in quotes if q.kind == "reported"}


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
    assert results.speaker == "Lev Marsh" and results.via is None and results.channel == "the earnings release"
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
    assert ships.speaker == "Harbour Commission" and ships.via is None and ships.channel == "a statement"
    assert _find(article, found, "the rule would last").speaker == "Harbour Commission"


def test_one_outlet_credited_in_two_forms_is_not_different_intermediaries():
    a = Article("a", "The port will reopen on Monday. “The divers have finished their checks and the harbour is safe again,” port director Ana Ruiz told the Merrowgate Herald. Ferries were expected to return by noon.", outlet="Coastal Times", id=0)
    b = Article("b", "Ferries will soon run again. “The divers have finished their checks, and the harbour is safe again,” port director Ana Ruiz said in an interview with the Herald. Cargo ships must wait.", outlet="Bay Wire", id=1)
    result = storydiff.compare([a, b])
    (group,) = [g for g in result.quotes if len(g.articles) == 2]
    assert {(m.via, m.channel) for m in group.mentions} == {("the Merrowgate Herald", None), ("Herald", "an interview")}
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


def test_reported_statement_holding_a_quotation_with_words_of_its_own():
    article, found = _quotes_of(
        "Captain Ole Brekke said he was “just trying to keep the crew safe.”\n\n"
        "Port director Ana Ruiz told the Coastal Times that Brekke “ignored every warning. We told him twice.”\n\n"
        "Brekke said: “We followed every rule.”"
    )
    safe = [q for q in found if q.kind == "reported" and "he was “just trying" in article.text[q.start : q.end]]
    assert safe and safe[0].speaker == "Ole Brekke"
    warning = [q for q in found if q.kind == "reported" and article.text[q.start : q.end].startswith("Brekke “ignored")]
    assert warning and warning[0].speaker == "Ana Ruiz"
    rules = [q for q in found if "followed every rule" in article.text[q.start : q.end]]
    assert [q.kind for q in rules] == ["direct"]  # a whole quoted statement is never also reported


def test_statement_split_by_its_attribution_before_a_verb_and_scene_setting():
    article, found = _quotes_of(
        "“The reef is recovering,” marine biologist Ines Varga said. Finding live coral at that depth, she said, is the “best news in a decade” for the bay.\n\n"
        "The reef was surveyed in May. Most of the damage, Varga said, came from the 2019 storm.\n\n"
        "Later, in remarks at the harbour office, Varga said, “We will be back next year.”\n\n"
        "The old ferry terminal will be turned into a market hall, the planning director said on Tuesday, after years of debate."
    )
    texts = _reported(article, found)
    assert texts["Finding live coral at that depth"].speaker.endswith("Varga")
    assert texts["is the “best news in a decade” for the bay"].speaker.endswith("Varga")
    assert texts["came from the 2019 storm"].speaker.endswith("Varga")
    assert not [t for t in texts if t.startswith("Later")]  # when and where, not what
    assert not [t for t in texts if t.startswith("after years")]


def test_only_the_outermost_statement_is_reported_and_a_new_clause_ends_the_last():
    article, found = _quotes_of(
        "Afterward, Ruiz said she had warned the council that the wall might fail, Brandt testified.\n\n"
        "The mayor said the port would reopen, adding that the ferries would run on Friday.\n\n"
        "The agency has said that there is no danger to swimmers, but it has also acknowledged that the water is murky.\n\n"
        "Health officials have confirmed that a third case of the fever has been reported in the town."
    )
    texts = _reported(article, found)
    assert texts["Afterward, Ruiz said she had warned the council that the wall might fail"].speaker == "Brandt"
    assert not [t for t in texts if t.startswith("she had warned")]
    assert "the port would reopen" in texts and "the ferries would run on Friday" in texts
    assert "there is no danger to swimmers" in texts and "the water is murky" in texts
    assert "a third case of the fever has been reported in the town" in texts  # "has been reported" credits nobody


def test_according_to_after_an_attribution_is_its_channel():
    article, found = _quotes_of(
        "The couple was quarantined, and the Harbour Commission said it had checked every crew member on the ferry, "
        "according to Ana Ruiz of the Coastal Times.\n\n"
        "There is no evidence linking the third case to the first two, the health commission said, according to Reuters.\n\n"
        "President Ola Brandt, according to the Harbour Trust, made an unscheduled visit to the port on Saturday."
    )
    crew = _find(article, found, "checked every crew member")
    assert crew.speaker == "Harbour Commission" and crew.via.startswith("Ana Ruiz")
    assert "according" not in article.text[crew.start : crew.end]
    evidence = _find(article, found, "no evidence linking")
    assert evidence.speaker == "the health commission" and evidence.via == "Reuters"
    visit = _find(article, found, "unscheduled visit")
    assert article.text[visit.start : visit.end].startswith("made an unscheduled") and visit.speaker == "Harbour Trust"


def test_titles_in_quotation_marks_are_not_quotations():
    article, found = _quotes_of(
        "The band will play hits including “Harbour Lights,” “Come On Home,” and “The Long Road Back” on the tour, "
        "the promoter Sea Live said.\n\n"
        "Fans chanted, “Bring Them Home,” as the band walked on. The club posted a photo with the caption: “Welcome Back”."
    )
    texts = [article.text[q.start : q.end] for q in found]
    assert not any(t.startswith(("Harbour Lights", "Come On Home", "The Long Road Back")) for t in texts), texts
    assert any(t.startswith("Bring Them Home") for t in texts) and any(t.startswith("Welcome Back") for t in texts)


def test_parenthetical_credits_as_and_per():
    article, found = _quotes_of(
        "As Lena Okafor reports for the Coastal Times, the first cases came to light last week.\n\n"
        "The fever, as the Harbour Clinic very recently explained, is rare and treatable.\n\n"
        "The bacterium, per the WHO, is often found in small mammals and their fleas."
    )
    cases = _find(article, found, "the first cases came to light")
    assert cases.speaker == "Lena Okafor" and cases.via == "the Coastal Times"
    rare = _find(article, found, "rare and treatable")
    assert article.text[rare.start : rare.end] == "is rare and treatable" and rare.speaker == "Harbour Clinic"
    fleas = _find(article, found, "small mammals")
    assert article.text[fleas.start : fleas.end].startswith("is often found") and fleas.speaker == "WHO"


def test_second_verbs_relative_and_subordinate_clauses_report_speech():
    article, found = _quotes_of(
        "The port authority said another 30 sailors had been hurt, but added the cause of the fire remained unclear.\n\n"
        "Harland’s envoy Petra Lind accused the fleet of ignoring the fishing quotas for years and warned that the talks could collapse.\n\n"
        "The rebels claimed the attack on the convoy, which they said crashed in the hills south of the capital.\n\n"
        "The news came a month after Ola Brandt announced that the bridge would open in May.\n\n"
        "The tide is higher than the charts show, said harbour pilot Ines Varga, a sailor for 30 years."
    )
    texts = _reported(article, found)
    assert "another 30 sailors had been hurt" in texts
    assert texts["the cause of the fire remained unclear"].speaker == "port authority" or "port authority" in texts["the cause of the fire remained unclear"].speaker
    assert texts["ignoring the fishing quotas for years"].speaker == "Petra Lind" and texts["the talks could collapse"].speaker == "Petra Lind"
    assert "crashed in the hills south of the capital" in texts
    assert texts["the bridge would open in May"].speaker == "Ola Brandt"
    assert texts["The tide is higher than the charts show"].speaker == "Ines Varga"  # "than the charts, said" is no "than X said"


def test_a_description_holding_a_quoted_title_speaks():
    article, found = _quotes_of(
        "The actor Tom Reid was back on the show.\n\n"
        "“It was the best night of my life,” the “Harbour Lights” actor previously said on the show."
    )
    assert _find(article, found, "best night of my life").speaker == "Tom Reid"


def test_what_is_not_a_statement_after_or_before_a_reporting_verb():
    article, found = _quotes_of(
        "The mother of the girl testified, describing her daughter as brave and strong before the jury.\n\n"
        "“The crisis is now,” Keith Ruiz said to cheers from the crowd.\n\n"
        "Harbour Lines is giving us a glimpse of the future with a small electric ferry called the Gull.\n\n"
        "Officers carried the girl to the parking lot where they called an ambulance.\n\n"
        "The ferry is based on its Gull design, which the company’s founder Ola Brandt announced earlier this year.\n\n"
        "Another wondered why the town bothered to register the name at all.\n\n"
        "“We write with urgency”\n\n"
        "Port director Ana Ruiz admitted to ignoring the warnings about the harbour wall for years."
    )
    texts = list(_reported(article, found))
    assert not any(t.startswith(("describing", "to cheers", "Harbour Lines is giving", "Officers carried", "The ferry is based", "why the town")) for t in texts), texts
    assert not [q for q in found if article.text[q.start : q.end] == "We write with urgency"]  # a subheading
    assert _find(article, found, "ignoring the warnings").speaker == "Ana Ruiz"


def test_nested_statements_keep_the_outermost_and_according_to_relays_the_inner():
    article, found = _quotes_of(
        "Officials said a scan of the dog’s microchip revealed that the dog had travelled 900 miles from Oregon.\n\n"
        "According to the Coastal Times, Ines Varga wrote in a blog post that the ferry had left an hour late."
    )
    texts = _reported(article, found)
    assert texts["a scan of the dog’s microchip revealed that the dog had travelled 900 miles from Oregon"].speaker == "Officials"
    assert "the dog had travelled 900 miles from Oregon" not in texts
    late = texts["the ferry had left an hour late"]
    assert late.speaker == "Ines Varga" and late.via == "the Coastal Times"
    assert not [t for t in texts if t.startswith("Ines Varga")]


def test_group_descriptions_acronyms_and_descriptions_resolve_to_the_named_body():
    article, found = _quotes_of(
        "The nurses, members of a newly formed group Nurses for Safe Harbours, wrote to the council in May.\n\n"
        "The Harland Centre for Coastal Research and Protection tracks the tides.\n\n"
        "The Dunmore Public Ferries Commission opened an inquiry in June.\n\n"
        "The sea wall was inspected twice in the spring, the port engineer said on Monday.\n\n"
        "The nurses said the clinic had run out of masks by the end of the first week.\n\n"
        "Harland CCRP said the water had risen faster than at any time in the last century.\n\n"
        "The ferries commission said it would publish its findings in the autumn."
    )
    assert _find(article, found, "run out of masks").speaker == "Nurses for Safe Harbours"
    assert _find(article, found, "water had risen faster").speaker == "Harland Centre for Coastal Research and Protection"
    assert _find(article, found, "publish its findings").speaker == "Dunmore Public Ferries Commission"


def test_plural_descriptions_are_never_one_person_and_two_appositions_keep_the_name():
    article, found = _quotes_of(
        "Senior author Dr. Lena Okafor, a professor at Harland University, led the study.\n\n"
        "Using the ferry twice a week is not thought to cause problems, the authors said.\n\n"
        "Ivo Brandt, president of Brandt & Sons, a Dunmore design agency, said he thought the campaign was clever."
    )
    ferry = _find(article, found, "Using the ferry twice a week")
    assert ferry.speaker == "the authors" and not ferry.named
    assert _find(article, found, "the campaign was clever").speaker == "Ivo Brandt"


def test_present_tense_reports_documents_inverted_outlets_and_spaced_marks():
    article, found = _quotes_of(
        "Coastal News reports the man who stole the boat was sentenced to five years.\n\n"
        "Engineer Ivo Lenz led the team. The study found the ferry could carry a third more passengers with lighter seats.\n\n"
        "In the wake of the storm, the port “rebuilt its sea wall in record time,” writes the Associated Press.\n\n"
        "“Running a port is hard,” Ines Varga said. “ I love what I am doing.”\n\n"
        "The harbour was busy, Varga said while visiting the new terminal in Dunmore.\n\n"
        "Both men claimed at the time that they were being treated well by the crew."
    )
    assert _find(article, found, "the man who stole the boat").speaker == "Coastal News"
    study = _find(article, found, "a third more passengers")
    assert study.speaker == "The study" and not study.named
    assert _find(article, found, "rebuilt its sea wall in record time").speaker == "Associated Press"
    love = _find(article, found, "I love what I am doing")
    assert article.text[love.start : love.end] == "I love what I am doing." and love.speaker == "Ines Varga"
    assert _find(article, found, "The harbour was busy").speaker.endswith("Varga")
    assert _find(article, found, "they were being treated well").speaker.lower() == "both men"


def test_a_passive_accusation_credits_nobody():
    article, found = _quotes_of("In 2003, officials there were accused of concealing the true extent of the outbreak for weeks.")
    assert not [q for q in found if "concealing" in article.text[q.start : q.end]]


def test_a_clause_after_according_to_and_a_denied_object_are_not_statements():
    article, found = _quotes_of(
        "Three designs are still in contention for the new terminal, according to the Coastal Times, so it is possible the council is still undecided.\n\n"
        "The company flat-out denied the allegations in a statement shared to its website."
    )
    texts = list(_reported(article, found))
    assert "Three designs are still in contention for the new terminal" in texts
    assert not any(t.startswith(("so it is possible", "the allegations")) for t in texts), texts


def test_two_named_speakers_and_a_name_in_apposition_to_a_relative_clause():
    article, found = _quotes_of(
        "Port director Ana Ruiz spoke first. Captain Tom Reid testified on Tuesday.\n\n"
        "Ruiz and Reid said that the harbour wall had never been inspected properly.\n\n"
        "The firm that runs the ferries, Harbour Lines Ltd, denies that any ticket money was lost.\n\n"
        "“We have no further comment,” they said."
    )
    assert _find(article, found, "never been inspected").speaker == "Ana Ruiz and Tom Reid"
    assert _find(article, found, "ticket money was lost").speaker == "Harbour Lines Ltd"
    assert _find(article, found, "no further comment").speaker == "Harbour Lines Ltd"


def test_the_company_is_the_body_in_focus_and_the_statement_its_issuer():
    article, found = _quotes_of(
        "Harbour Lines Ltd said on Monday that it would add two ferries to the winter timetable.\n\n"
        "“We have the boats ready,” the operator Tidewater Marine said in a separate statement to the Coastal Times.\n\n"
        "On Tuesday, Ana Ruiz accused Harbour Lines of hiding the true cost of the repairs.\n\n"
        "The company denied the claims in a statement posted to its website.\n\n"
        "“We have never hidden a single invoice,” the statement read.\n\n"
        "“It is simply not true,” Ana Ruiz said.\n\n"
        "“We stand by every one of our crews,” the statement continued."
    )
    assert _find(article, found, "never hidden a single invoice").speaker == "Harbour Lines Ltd"
    assert _find(article, found, "We stand by every one").speaker == "Harbour Lines Ltd"


def test_a_participle_goes_on_with_the_speaker_not_a_subject_inside_the_statement():
    article, found = _quotes_of(
        "Port director Ana Ruiz spoke on Tuesday.\n\n"
        "Ruiz said that after a long review the council had decided the wall was safe, saying she trusted the engineers to check it."
    )
    assert _find(article, found, "she trusted the engineers").speaker == "Ana Ruiz"


def test_company_descriptions_by_trade_and_documents_by_publisher():
    article, found = _quotes_of(
        "Halvorsen is showing a new electric van called the Fjord Cargo at the fair.\n\n"
        "The Norwegian automaker says the van will go 400 miles on a single charge.\n\n"
        "According to a report in the Merrow Gazette, the council approved the harbour plan on Monday.\n\n"
        "The report says the plan will cost twice the first estimate.\n\n"
        "“Ferry demand will rise sharply next year,” said a report from Tidewater Equities."
    )
    assert _find(article, found, "the van will go 400 miles").speaker == "Halvorsen"
    assert _find(article, found, "the council approved the harbour plan").speaker == "Merrow Gazette"
    assert _find(article, found, "the plan will cost twice").speaker == "Merrow Gazette"
    assert _find(article, found, "Ferry demand will rise").speaker == "Tidewater Equities"


def test_the_utility_is_a_body_the_recognizer_names_not_a_place():
    article, found = _quotes_of(
        "Northgate Power Co. warned of outages across the Merrow Valley foothills on Tuesday.\n\n"
        "The utility said it would restore power to every home by Friday."
    )
    assert _find(article, found, "restore power to every home").speaker.startswith("Northgate Power")


def test_acronyms_with_an_ampersand_and_a_company_suffix():
    from storydiff.story.sources import same_speaker

    assert same_speaker("NP&L", "Northgate Power & Light Co.")
    assert not same_speaker("NPL", "Northgate Harbour Lines")


def test_a_description_used_beside_a_person_for_someone_else_is_not_that_person():
    article, found = _quotes_of(
        "Dr. Ivo Lenz treated the patient for a year.\n\n"
        "According to the paper, published in Coastal Case Notes, the 40-year-old man had suffered for months.\n\n"
        "Lenz told the man to remove the feather pillows from his home.\n\n"
        "“I feel completely fine now,” the man wrote in a note beside the paper."
    )
    fine = _find(article, found, "I feel completely fine now")
    assert fine.speaker == "the man" and not fine.named


def test_venues_and_platforms_are_the_channel():
    article, found = _quotes_of(
        "Mayor Lena Okafor told a news conference in Westport that the bridge would reopen on Monday.\n\n"
        "Okafor said at a press briefing that the repairs had cost less than planned.\n\n"
        "“We will not close it again,” Okafor wrote on social media.\n\n"
        "In a post on X, Okafor said the ferries would run a late service."
    )
    # A news conference and a briefing are channels, not intermediaries; a platform is one.
    assert _find(article, found, "the bridge would reopen").channel == "a news conference"
    assert _find(article, found, "the bridge would reopen").via is None
    assert _find(article, found, "the repairs had cost less").channel == "a press briefing"
    assert _find(article, found, "We will not close it again").channel == "social media"
    assert (_find(article, found, "a late service").via, _find(article, found, "a late service").channel) == ("X", "a post")
    article, found = _quotes_of(
        "Tom Reid, the harbour coach, watched the crossing.\n\n"
        "Speaking to Solmark Radio Sport, the 52-year-old said the rowing team would train on the river again."
    )
    rowing = _find(article, found, "the rowing team would train")
    assert rowing.speaker == "Tom Reid" and rowing.via == "Solmark Radio Sport"


def test_he_is_the_subject_after_an_opening_phrase():
    article, found = _quotes_of(
        "Singer Ivo Lenz will tour with Tom Reid next year.\n\n"
        "Following a performance of their song “Harbour Lights,” Reid introduced Lenz's return. "
        "“You may know him from his own band these days,” he said."
    )
    assert _find(article, found, "You may know him").speaker == "Tom Reid"


def test_a_journal_is_not_the_speaker_of_its_authors():
    article, found = _quotes_of(
        "The authors of the research published in the journal Coastal Medicine argued that while the ferries "
        "have brought “real benefits to island families,” the rise in crossings is “a growing safety concern.”"
    )
    concern = _find(article, found, "a growing safety concern")
    assert concern.speaker.lower() == "the authors" and not concern.named


def test_a_dated_letter_to_someone_and_a_group_subject_after_two_auxiliaries():
    article, found = _quotes_of(
        "The Harbour Office of Emergency Services said in an Oct. 26 letter to ferry companies that their response was too slow.\n\n"
        "Businesses and residents also have complained of poor service and say that the outages were far too broad."
    )
    slow = _find(article, found, "their response was too slow")
    assert article.text[slow.start : slow.end].startswith("their response") and slow.via is None
    assert slow.channel == "an Oct. 26 letter to ferry companies"
    broad = _find(article, found, "the outages were far too broad")
    assert broad.speaker == "residents" and not broad.named


def test_trade_words_describe_the_company():
    article, found = _quotes_of(
        "Tidewater Equities raised its target for ferry shares on Monday, the firm said.\n\n"
        "The brokerage said a long slowdown could cost the port its best routes."
    )
    assert _find(article, found, "a long slowdown").speaker == "Tidewater Equities"


def test_a_description_of_any_trade_then_the_name_who_speaks_and_where():
    article, found = _quotes_of(
        "The flu season has started three weeks early, the country's chief epidemiologist, Dr. Ilse Marrow, "
        "said in an interview with Harbour TV on Thursday.\n\n"
        'Ruth Amery, 51, announced her departure on Tuesday, telling the Coastline Gazette: "I have given this job everything."'
    )
    early = _find(article, found, "The flu season has started")
    assert early.speaker == "Ilse Marrow" and (early.via, early.channel) == ("Harbour TV", "an interview")
    departure = _find(article, found, "I have given this job everything")
    assert departure.speaker == "Ruth Amery" and departure.via == "the Coastline Gazette"


def test_straight_single_quotes_are_quotation_marks_and_apostrophes_are_not():
    article, found = _quotes_of(
        "'We must get smaller to survive, and we must do it now,' chief executive Wenna Trask told Radio Pell.\n\n"
        "Fans of the '90s band queued outside. 'Til the doors opened, nobody left, \"and we would do it again,\" said Ora Pike."
    )
    smaller = _find(article, found, "We must get smaller to survive")
    assert smaller.kind == "direct" and smaller.speaker == "Wenna Trask" and smaller.via == "Radio Pell"
    # an unclosed straight quote ('Til) is an apostrophe: the double-quoted words after it still count
    again = _find(article, found, "and we would do it again")
    assert again.speaker == "Ora Pike"
    assert not any("90s band" in article.text[q.start : q.end] for q in found)


def test_channels_in_an_apposition_an_opening_phrase_or_after_the_object():
    article, found = _quotes_of(
        "Chief executive Wenna Trask, in an interview with the Pell Business Daily, said: \"We must get smaller.\"\n\n"
        "Speaking to Harbour Radio Sport shortly after the announcement, the 52-year-old coach Abel Roan said he had no regrets.\n\n"
        "Union leader Dora Vask announced the walkout in a post on the social network Chirrup: \"They left us no choice.\"\n\n"
        "Olan Pyke, in Karsk, said the talks would resume."
    )
    assert _find(article, found, "We must get smaller").via == "Pell Business Daily"
    assert _find(article, found, "he had no regrets").via == "Harbour Radio Sport"
    assert _find(article, found, "They left us no choice").via == "social network Chirrup"
    assert _find(article, found, "the talks would resume").via is None  # a place, not a channel


def test_a_channel_named_once_carries_to_the_speakers_next_words():
    article, found = _quotes_of(
        "The governor of the central bank, Ilsa Maro, said rates could rise before the summer, "
        "in an interview with Vale Radio broadcast on Wednesday.\n\n"
        "\"We cannot let inflation become a habit,\" Maro said.\n\n"
        "Mayor Tobin Rask will not run again, he told Radio Caldera on Tuesday.\n\n"
        "\"It is time for someone new,\" Rask said in the interview."
    )
    assert _find(article, found, "rates could rise").via == "Vale Radio"
    assert _find(article, found, "become a habit").via == "Vale Radio"
    assert _find(article, found, "time for someone new").via == "Radio Caldera"


def test_leading_apostrophes_and_documents_read_are_no_quotation_or_channel():
    article, found = _quotes_of(
        "Fans had queued 'til dawn, and the mayor, Clara Voss, said the city 'will never forget this night' on Sunday.\n\n"
        "Auditor Ines Pell said she had found several errors in the report: \"The figures do not add up.\"\n\n"
        "Mayor Tobin Rask will not run again, he told Radio Caldera on Tuesday. Rask said in the statement that he was proud."
    )
    night = _find(article, found, "will never forget this night")
    assert night.speaker == "Clara Voss" and "til dawn" not in article.text[night.start : night.end]
    assert _find(article, found, "The figures do not add up").via is None  # a document she read, not her channel
    assert _find(article, found, "he was proud").channel == "the statement"  # a statement is no radio interview
    assert _find(article, found, "he was proud").via is None


def test_a_closing_mark_after_a_plural_closes_when_nothing_else_does():
    article, found = _quotes_of(
        "The mayor said the city 'will rebuild the harbour walls' before winter.\n\n"
        "'The workers' union will not back down,' said Ana Pell."
    )
    assert any(q.kind == "partial" and article.text[q.start : q.end] == "will rebuild the harbour walls" for q in found)
    assert _find(article, found, "The workers' union will not back down").speaker == "Ana Pell"
