"""Page furniture in text copied from a browser, on made-up pages (cues of form and position)."""

from storydiff.ingest.furniture import clean_copied_text

PAGE = """Skip to main content
Home | World | Europe
Flood barrier holds as river peaks in Kellby
Engineers say the new wall spared 2,000 homes from the water
Residents watch the river from the barrier on Monday. (Photo by Anna Roe/Reuters)
By Tom Hardy
12 March 2024
The new flood barrier in Kellby held on Monday as the river Ousel rose to its highest level in forty years, officials said.
Engineers said the wall, finished last spring, kept water out of about 2,000 homes in the lower town.
What happens next
The council will decide next week whether to extend the barrier to the northern bank, a project costing £14m.
Storm warnings issued for the weekend across the north
Read More »
Residents who were evacuated on Sunday were allowed home on Monday evening.
SHARE THIS ARTICLE
Follow us on Facebook
The Kellby Courier is an independent local newspaper. To learn more about advertising with us, please fill out this form. More about the Courier can be found here.
"""


def test_title_standfirst_and_body():
    page = clean_copied_text(PAGE)
    assert page.title == "Flood barrier holds as river peaks in Kellby"
    assert page.paragraphs[0].startswith("Engineers say the new wall")  # standfirst is the article's own
    assert any(p.startswith("The new flood barrier in Kellby held") for p in page.paragraphs)
    assert "What happens next" in page.paragraphs  # a subheading inside the body stays
    assert page.paragraphs[-1].startswith("Residents who were evacuated")


def test_furniture_removed_and_reported():
    page = clean_copied_text(PAGE)
    body = page.text
    for line in ("Skip to main content", "Home | World | Europe", "SHARE THIS ARTICLE", "Follow us on Facebook",
                 "Read More", "Storm warnings issued", "fill out this form"):
        assert line not in body, line
    assert "Storm warnings issued for the weekend across the north" in page.furniture  # a teaser
    assert any("independent local newspaper" in f for f in page.furniture)  # the publisher blurb


def test_captions_kept_apart():
    page = clean_copied_text(PAGE)
    assert page.captions == ["Residents watch the river from the barrier on Monday. (Photo by Anna Roe/Reuters)"]
    assert "Photo by" not in page.text


def test_byline_date_and_outlet_detected():
    page = clean_copied_text(PAGE)
    assert page.author == "Tom Hardy"
    assert page.published == "2024-03-12"
    assert page.outlet == "The Kellby Courier"


def test_mirror_address_notice_and_web_addresses():
    text = (
        "Ministers agree new budget\n"
        "The finance ministers of the region agreed a new common budget on Friday after two days of talks in the capital.\n"
        "The Daily Record's website can also be reached at the following mirror addresses:\n"
        "www.dailyrecord-mirror.example\n"
        "dailyrecord.example/world\n"
    )
    page = clean_copied_text(text)
    assert page.paragraphs == [
        "The finance ministers of the region agreed a new common budget on Friday after two days of talks in the capital."
    ]
    assert len(page.furniture) == 3


def test_repeated_lines_are_furniture_but_repeated_prose_is_not():
    text = (
        "Harbour reopens after storm\n"
        "The harbour reopened to ships on Tuesday after a two-day closure caused by the storm, the port said.\n"
        "Most read this week\n"
    )
    repeated = frozenset({"most read this week", "the harbour reopened to ships on tuesday after a two day closure caused by the storm the port said"})
    page = clean_copied_text(text, repeated=repeated)
    assert "Most read this week" not in page.text
    assert "The harbour reopened" in page.text  # wire copy shared by two outlets is article text


def test_find_title_off_keeps_header_lines():
    page = clean_copied_text("A short standfirst without a full stop\nThe body of the story continues here with a sentence.", find_title=False)
    assert page.title is None
    assert page.paragraphs[0] == "A short standfirst without a full stop"


def test_clutter_scrapers_leave_in_article_text_goes_by_its_form():
    from storydiff.ingest.furniture import clean_copied_text

    body = [
        "The senator said on Tuesday that the bill would pass before the end of the month, and that talks would go on.",
        "Republicans in the legislature voted for the bill after a long night of debate in the capitol.",
        "The governor said he would veto it, and that he expected the courts to decide the matter in the spring.",
    ]
    clutter = [
        "Advertisement:", "More:Trump blasts Puerto Rican mayor for 'poor leadership'", "WATCH: IS THE TEAM LEAKING TO CHANGE THE NARRATIVE?",
        "Twitter", "Flipboard", "WhatsApp", "Email", "Story Continued Below", "This article is more than 3 years old",
        "Send tips to kevin@example.org", "Dec. 5: Wisconsin GOP makes lame-duck moves: What you need to know",
        "Posted: Friday, March 8, 2013 2: 39 pm", "Fox News' John Roberts and The Associated Press contributed to this report.",
        "Follow Adrianna Rodriguez on Twitter: @AdriannaUSAT", "PELOSI CLAIMS MUELLER WAS FIRED IN BIZARRE EMAIL TO DONORS",
        "Get breaking news alerts and special reports.",
    ]
    captions = ["REUTERS/Matej Leskovsek", "FILE PHOTO: FBI Director Robert Mueller testifies before a committee.", "(Dec. 4) AP"]
    text = "\n".join([body[0], *clutter[:8], body[1], *captions, *clutter[8:], body[2]])
    cleaned = clean_copied_text(text, find_title=False)
    assert cleaned.paragraphs == body
    assert cleaned.captions == captions


def test_a_photo_gallery_flattened_into_the_text_is_not_the_article():
    from storydiff.ingest.furniture import clean_copied_text

    text = (
        "Crowds gathered in the square before midnight, the mayor said.\n\n"
        "Photos: New Year around the world People celebrate as confetti flies. Hide Caption 1 of 24 "
        "Photos: New Year around the world Fireworks over the harbour. Hide Caption 2 of 24\n\n"
        "The celebrations ended peacefully at dawn, police said."
    )
    cleaned = clean_copied_text(text).text
    assert "Hide Caption" not in cleaned and "confetti" not in cleaned
    assert "mayor said" in cleaned and "ended peacefully" in cleaned


def test_a_last_paragraph_that_ends_otherwise_than_a_sentence_is_still_the_article():
    # a roundup of opinions (each quotation followed by its source), a lead-in to a quotation,
    # and a last paragraph a dump cut short: the article's own text, though none ends like a
    # sentence; the short lines after them are the page's
    text = (
        "Council approves the new tram line\n"
        "The city council approved the new tram line on Tuesday by a vote of 31 to 9, ending two years of debate.\n"
        "“The line will carry 40,000 riders a day within five years. Critics who called it a vanity project have not "
        "explained how else the east side gets a fast link to the centre.” — Dana Whitfield, Harbour Gazette\n"
        "The mayor's office answered the critics in a statement on Wednesday, which read in part as follows, under the heading:\n"
        "Opponents said they would keep fighting. They have asked the regional court to review the vote, and their lawyer "
        "said the filing would go in before the end of the month, when the contracts for the first section are due to be\n"
        "Share this article\n"
        "© 2024 Harbour Gazette\n"
    )
    page = clean_copied_text(text, find_title=False)
    body = page.text
    assert "— Dana Whitfield, Harbour Gazette" in body
    assert "under the heading:" in body
    assert "when the contracts for the first section are due to be" in body
    assert "Share this article" not in body and "© 2024" not in body
    assert page.furniture == ["Share this article", "© 2024 Harbour Gazette"]


def test_a_teaser_in_capitals_goes_but_text_in_a_script_without_capitals_stays():
    korean = "시의회는 화요일 새 노면전차 노선을 찬성 31표, 반대 9표로 승인했다. 이로써 2년간의 논쟁이 끝났다."
    arabic = "وافق مجلس المدينة يوم الثلاثاء على خط الترام الجديد بأغلبية 31 صوتا مقابل 9 أصوات بعد عامين من الجدل."
    text = (
        "Council approves the new tram line\n"
        "The city council approved the new tram line on Tuesday by a vote of 31 to 9, ending two years of debate.\n"
        "WATCH LIVE: EVERY VOTE OF THE COUNCIL MEETING STREAMED HERE TONIGHT\n"
        f"{korean}\n{arabic}\n"
        "Work on the first section starts in May, the council said.\n"
    )
    page = clean_copied_text(text)
    assert "WATCH LIVE: EVERY VOTE OF THE COUNCIL MEETING STREAMED HERE TONIGHT" in page.furniture
    assert korean in page.paragraphs and arabic in page.paragraphs


def test_a_footer_line_after_the_body_never_pulls_the_lines_above_it_into_the_article():
    text = (
        "Council approves the new tram line\n"
        "The city council approved the new tram line on Tuesday by a vote of 31 to 9, ending two years of debate.\n"
        "Mayor opens new library in east side\n"
        "School board votes on budget cuts\n"
        "Share this article\n"
        "“The most trusted local news source in the whole region, year after year,” — Readers' Choice Awards 2023\n"
        "Our journalism depends on readers like you, and every gift keeps our reporters covering the council in the region:\n"
        "Donate\n"
    )
    page = clean_copied_text(text, find_title=False)
    assert page.paragraphs[-1].startswith("The city council approved")
    for line in ("Mayor opens new library", "School board votes", "Readers' Choice", "readers like you", "Donate"):
        assert line not in page.text, line
