"""Telling page furniture from article text in text copied out of a browser.

A copied page is a list of lines: navigation and skip links, breadcrumbs, the title, a standfirst,
photo captions, the body with its subheadings, related-article teasers, share prompts, mirror-address
notices and publisher blurbs. No library separates these once the HTML is gone (trafilatura and
jusText need the markup), so this module does it by hand, from three kinds of evidence:

* form: web addresses, "Read more"-style links and the teaser line above them, all-caps prompts,
  breadcrumbs, photo credits, bylines and date lines, short lines without sentence punctuation;
* position: the header before the first paragraph of prose and the tail after the last one, where
  furniture gathers, against the body between them, where a short line is a subheading;
* repetition: a line that is not prose and recurs across the documents of one run (a site's footer).

Every decision keeps its reason, so the removed lines can be shown to the user.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ._dates import DATE_LABEL, UPDATE_LABEL, dateline_date, parse_date

_WS = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")

_URL = re.compile(r"^(?:https?://\S+|www\.\S+|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?:/\S*)?)$", re.IGNORECASE)
_SKIP_LINK = re.compile(r"^(?:skip|jump|go) to (?:the )?(?:main )?(?:content|navigation|menu|search|article)\b", re.IGNORECASE)
# "Read More »", "Continue reading", "See more", "View gallery ›": a link to another page.
_MORE_LINK = re.compile(
    r"^(?:read|see|view|show|load|continue|watch|listen|click)(?:\s+\w+){0,3}\s*[»›→>]*$|^.{0,40}[»›→]\s*$",
    re.IGNORECASE,
)
# "Related: ...", "READ MORE: ...", "More:Trump blasts ...", "WATCH: ...": a teaser carrying its own label.
_TEASER_LABEL = re.compile(
    r"^\(?(?:read more|read also|also read|related(?: articles?| stories| coverage| video)?|see also|recommended|"
    r"more on this(?: story)?|more from [\w ]+|must read|trending|most read|editor'?s picks?|more|watch|listen|"
    r"opinion|video|photos?|gallery|full coverage|live updates|latest|top stories|don'?t miss|popular)\s*[:|»›\-–—]"
    r"|^see also\s+[A-Z]",
    re.IGNORECASE,
)
# A link in a list of links, its label glued to the title it points to ("More:Trump blasts ...",
# "What happened Tuesday in impeachment:The rules ...") or a dated teaser ("Dec. 5: Wisconsin GOP ...").
_GLUED_LINK = re.compile(r"^[^:]{3,80}:[A-Z‘“'\"]\S|^(?:jan|feb|mar|apr|may|june?|july?|aug|sept?|oct|nov|dec)[a-z]*\.? \d{1,2}: ", re.IGNORECASE)
# "Story Continued Below", "Continue reading the main story", "This article is more than 3 years old".
_PAGE_NOTICE = re.compile(
    r"^(?:story )?continue[sd]? (?:below|reading|after)|^this (?:article|story|page) is (?:more|over) than .{1,20} old$"
    r"|\bclick for more\b|\bjoin our [\w ]{0,20}(?:group|community|newsletter|list)\b|^want to (?:talk|read|hear|see) more\b"
    r"|\bfor licensing\b|\bavailable without charge\b|\bsend (?:us )?tips\b",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.]+\b")
# A dateline on a line of its own: "MADISON, Wis.", "WASHINGTON".
_PLACE_LINE = re.compile(r"^[A-Z][A-Z .'’-]{2,30}(?:,\s*[A-Z][\w.]{1,12})?\.?$")
# Lines that only date or time the page: "Posted: Friday, March 8, 2013 2: 39 pm", "Updated at
# 5:21 p.m. ET", "UPDATED 05 / 03 / 2013 at 11: 00 AM EDT", "FOR IMMEDIATE RELEASE July 13, 2009".
_DATE_WORDS = re.compile(
    r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|"
    r"nov(?:ember)?|dec(?:ember)?|mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:rs?|rsday)?|fri(?:day)?|sat(?:urday)?|"
    r"sun(?:day)?|[ap]\.?\s?m\.?|[ap]|noon|midnight|gmt|utc|bst|cet|[ecmp][sd]?t|et|pt|updated|posted|published|"
    r"originally|first|last|modified|at|on|by|for|immediate|release|date|time|\d+(?:st|nd|rd|th|[ap])?)\b",
    re.IGNORECASE,
)
# "Fox News' John Roberts contributed to this report.", "Follow Adrianna Rodriguez on Twitter: @AdriannaUSAT",
# "— Donald J. Trump (@realDonaldTrump) May 1, 2018" (the credit line of an embedded post).
_CREDIT_LINE = re.compile(
    r"\bcontributed (?:to )?(?:this |the )?(?:report|story|article|reporting)\b|^(?:additional )?reporting by\b|"
    r"^follow [\w .'’-]{2,40} on (?:twitter|facebook|instagram|x)\b|^[—–-]\s*[\w .'’-]{2,60}\(@\w+\)",
    re.IGNORECASE,
)
# "Update: this story has been updated with ...", "Editor's note: ..."
_UPDATE_NOTE = re.compile(r"^(?:update|updated|editor'?s note)\s*:.{0,160}\b(?:updated|update[sd]? (?:with|to))\b", re.IGNORECASE)
# Calls to action and legal lines. Phrases, not single words: "subscribers" in a story is not a prompt.
_CALL_TO_ACTION = re.compile(
    # One word-boundary test before all the phrases, not one in each: the engine tries every
    # character of every line of a corpus, and this is four times faster.
    r"\b(?:"
    r"share (?:this|the|on|via)\b|follow us\b|subscribe (?:to|now|for|today)\b|"
    r"sign up (?:for|to|now|here)\b|newsletters?\b.*\b(?:sign|subscribe|inbox)|"
    r"download (?:the|our) (?:free )?app\b|click here\b|can be found here\b|fill (?:out|in) (?:this|the) form\b|"
    r"to learn more about\b|all rights reserved\b|cookies? (?:policy|settings)\b|"
    r"terms of (?:use|service)\b|privacy policy\b|support (?:our|independent) journalism\b|"
    r"comments? (?:are|is) (?:closed|disabled)\b|leave a (?:comment|reply)\b|report an? (?:error|typo)\b|"
    r"breaking news alerts\b|delivered (?:weekday|daily|every)\b|"
    r"(?:in|to|meet|hit) your inbox\b|protected by recaptcha\b|download the [\w ]{1,30} app\b|enlarge this image\b|"
    r"toggle caption\b|hit the jump\b|join (?:our|the) (?:telegram|whatsapp|mailing)\b|"
    r"can (?:also )?be accessed at\b|alternate (?:web )?address(?:es)?\b|mirror sites?\b|"
    r"send us your\b|get in touch\b|we(?:'d| would) love to hear\b"
    r")"
    r"|^share$|^subscribe\b|^copyright\b|©|^advertisements?\s*:?$|^ad\s*:?$|^sponsored(?: content)?$",
    re.IGNORECASE,
)
# A photo gallery flattened into text: "Photos: ... Hide Caption 3 of 24 Photos: ...". Thousands of
# words of captions that several articles of one site share: never the article's own text.
_GALLERY = re.compile(r"\bhide caption \d+ of \d+\b", re.IGNORECASE)
# Photo credits: "(Photo by AFP)", "(AFP/File photo)", "Photo: Reuters", "| Getty Images".
_AGENCY = r"AFP|Reuters|AP|Getty(?: Images)?|EPA|Anadolu|Xinhua|Shutterstock|Alamy|Bloomberg|PA|IRNA|WANA|Sipa|Handout"
_CREDIT_TAIL = re.compile(
    r"\((?:[^()]*\b(?:photo|photograph|picture|image|file|illustration|handout|courtesy|credit|screengrab|video grab|"
    + _AGENCY
    + r")\b[^()]*)\)\s*$"
    r"|[|/–—-]\s*(?:photo(?:graph)?:?\s*)?(?:" + _AGENCY + r")(?:\s*/\s*[\w .]+)?\s*$"
    r"|\b(?:photo|image|picture|illustration)s?(?: credit)?\s*:\s*[\w .,'&/-]{2,60}$",
    re.IGNORECASE,
)
_CREDIT_HEAD = re.compile(
    r"^(?:photo|image|picture|credit|illustration|caption)s?\s*[:|]|^file photo\s*:|^close\s+[A-Z]"
    r"|^(?:" + _AGENCY + r")(?:\s*/\s*[\w .'’-]+)+$|^\(?[A-Z][a-z]{2}\.? \d{1,2}\)? (?:AP|AFP|Reuters)$|^(?:REUTERS|AFP|AP)\s+[A-Z]",
    re.IGNORECASE,
)
_BYLINE = re.compile(
    r"^(?i:by|written by|reporting by)\s+(?P<name>[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|van|de|al|bin|and|&|,))*)"
    r"(?:\s*[|,–—-]\s*.*)?$"
)
_BREADCRUMB_SEP = re.compile(r"\s+[/>»›|]\s+")
# Possessive or descriptive self-references that name the outlet in its own furniture.
_OUTLET_CUES = (
    re.compile(r"(?:©|\bcopyright\b)\s*(?:\(c\)\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*)?(?P<name>[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,4})"),
    re.compile(r"^(?P<name>[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){0,4})[’']s (?:website|site|app|newsletter|journalism|coverage|reporting)\b"),
    re.compile(r"^(?P<name>[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){0,4}) (?:delivers|provides|brings you|publishes|is an? (?:independent|leading|news))\b"),
)
_SENTENCE_END = re.compile(r"[.!?…。！？؟।][\"'”’)\]」』]*$")
# a sentence ending inside a line: its mark, closing quotes, a space, the next one's capital
_INNER_SENTENCE_END = re.compile(r"(?:[a-z]{3}|[0-9%)])[.!?][\"'”’)]*\s+[\"“‘(]?[A-Z]")  # not "Mr. Smith", "Gov. Newsom"
HEADING_WORDS = 15  # a shorter line that is no sentence may be a heading inside the body
RUNNING_TEXT_WORDS = 30  # a line this long with a sentence ending inside is text, whatever its end
# a quotation and then its source: "...,” — Tiana Lowe, Washington Examiner
_QUOTE_SOURCE = re.compile(r"[.!?…,][\"'”’]\s*[—–-]{1,2}\s*[A-Z][^.!?\"“”]{1,100}$")


@dataclass
class CleanText:
    """The result of cleaning one copied page."""

    title: str | None
    paragraphs: list[str]
    captions: list[str] = field(default_factory=list)
    furniture: list[str] = field(default_factory=list)  # removed lines, for the user to inspect
    author: str | None = None
    published: str | None = None
    outlet: str | None = None  # an outlet name the furniture gives away, if any
    url: str | None = None

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


def normalize_line(line: str) -> str:
    return _WS.sub(" ", line).strip()


# The credit an embedded post ends with, on the line of its text: "... never happened! — Donald J.
# Trump (@realDonaldTrump) May 1, 2018". The words are the post's; the credit is a line of its own.
_POST_CREDIT = re.compile(r"(?<=\S)\s*(?=[—–]\s*[\w .'’-]{2,60}\(@\w+\)[\w ,.:]{0,40}$)")


def split_lines(text: str) -> list[str]:
    lines = (normalize_line(line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    out = []
    for line in lines:
        out += [part.strip() for part in _POST_CREDIT.split(line, maxsplit=1)] if "(@" in line else [line]
    return [line for line in out if line]


def line_key(line: str) -> str:
    """The form of a line used to spot repeats across documents."""
    return re.sub(r"\W+", " ", line.lower()).strip()


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def word_count(text: str) -> int:
    """Words of a text; in Chinese, Japanese and Korean, which do not space their words, every
    two characters count as one (about the average length of a word there)."""
    cjk = len(_CJK.findall(text))
    return len(_CJK.sub(" ", text).split()) + cjk // 2 if cjk else len(text.split())


_words = word_count


def is_sentence(line: str) -> bool:
    """Ends like a sentence and is more than a label."""
    return _words(line) >= 3 and bool(_SENTENCE_END.search(line))


def is_prose(line: str) -> bool:
    return _words(line) >= 8 and is_sentence(line)


def _continues_body(line: str, *, last: bool, next_line: str | None) -> bool:
    """Whether a paragraph after the body's last sentence is still the article's, though it does
    not end like a sentence: a quotation followed by its source ("...” — Henry Olsen, Washington
    Post"), a lead-in of 12 words or more ending in a colon that text follows, or that ends the
    text (the scraper dropped the quotation or post it introduced: 26 times in 33 on unstudied
    allsides articles; the other 7 were a site's "contact us in the following ways:"), or the
    last line of a long paragraph a dump cut short (a sentence ends inside it). Page furniture after the body is short lines: links, labels,
    notices; a call to action never continues it."""
    if _CALL_TO_ACTION.search(line):
        return False
    words = _words(line)
    if words >= 8 and _QUOTE_SOURCE.search(line):
        return True
    if words >= 12 and line.endswith(":"):
        return last or bool(next_line and (is_sentence(next_line) or _QUOTE_SOURCE.search(next_line) or _cut_short(next_line)))
    return last and _cut_short(line)


def _cut_short(line: str) -> bool:
    """A long paragraph with a sentence ending inside it and no call to action."""
    return _words(line) >= RUNNING_TEXT_WORDS and bool(_INNER_SENTENCE_END.search(line)) and not _CALL_TO_ACTION.search(line)


def is_headline(line: str) -> bool:
    return 3 <= _words(line) <= 30 and not line.endswith(".") and not _URL.match(line)


def is_caption(line: str) -> bool:
    return bool(_CREDIT_TAIL.search(line) or _CREDIT_HEAD.match(line))


def _is_breadcrumb(line: str) -> bool:
    parts = _BREADCRUMB_SEP.split(line)
    return len(parts) >= 2 and all(0 < _words(p) <= 3 for p in parts) and not is_sentence(line)


def _is_more_link(line: str) -> bool:
    return _words(line) <= 6 and bool(_MORE_LINK.match(line))


def _is_date_line(line: str) -> bool:
    """A short line of nothing but a date, a time, a zone and their labels."""
    if _words(line) > 26 or not re.search(r"\d", line):
        return False
    rest = _DATE_WORDS.sub(" ", line)
    return not re.search(r"[^\W\d_]", rest)  # no letters left over


def _is_caps_teaser(line: str) -> bool:
    """A line of six words or more in capitals: a teaser or banner, not a subheading. Only
    letters that have a case count: Korean, Chinese, Arabic or Hebrew text has none, and is never
    "in capitals"."""
    lower = sum(map(str.islower, line))  # counted in C: every line of a corpus passes here
    if lower > 0.1 * len(line):
        return False
    upper = sum(map(str.isupper, line))
    return _words(line) >= 6 and upper >= 20 and upper >= 0.9 * (upper + lower)


def _is_call_to_action(line: str) -> bool:
    hits = len(_CALL_TO_ACTION.findall(line))
    if not hits:
        return False
    # A short line with one cue is a prompt; a longer one needs a second cue or to end the page
    # (decided by the caller), so that a story about newsletters keeps its sentences.
    return _words(line) <= 12 or hits >= 2 or (line.isupper() and _words(line) <= 20)


def _outlet_from(lines: list[str]) -> str | None:
    for pattern in _OUTLET_CUES:
        for line in lines:
            match = pattern.search(line)
            if match:
                name = match.group("name").strip(" .,'’")
                if 1 <= _words(name) <= 5 and name.lower() not in {"the", "this", "our", "all", "we"}:
                    return name
    return None


def clean_copied_text(
    text: str, *, repeated: frozenset[str] = frozenset(), find_title: bool = True, positional: bool = True
) -> CleanText:
    """Split text copied from a browser into title, body paragraphs, captions and furniture.

    `repeated` holds `line_key`s of lines that recur across the documents of this run.
    With `find_title` off (the title is known), header lines are kept as body unless a cue marks
    them. With `positional` off (text an extractor already cut out of a page), only the cues of
    form apply: no header or footer guessing, and bylines and date lines stay.
    """
    lines = split_lines(text)
    n = len(lines)
    role: list[str | None] = [None] * n  # None = undecided; else body/title/caption/furniture/byline/date
    reason: list[str] = [""] * n
    author = published = None

    def mark(i: int, r: str, why: str) -> None:
        if role[i] is None:
            role[i], reason[i] = r, why

    for i, line in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < n else ""
        if _URL.match(line):
            mark(i, "furniture", "web address")
        elif _SKIP_LINK.match(line):
            mark(i, "furniture", "skip link")
        elif _is_more_link(line):
            mark(i, "furniture", "link to another page")
            if i > 0 and is_headline(lines[i - 1]) and _words(lines[i - 1]) <= 20 and role[i - 1] is None:
                mark(i - 1, "furniture", "teaser for another article")
        elif _TEASER_LABEL.match(line) and not is_prose(line):
            mark(i, "furniture", "teaser for another article")
        elif line.endswith(":") and _URL.match(nxt):
            mark(i, "furniture", "notice of other addresses")
        elif _is_breadcrumb(line):
            mark(i, "furniture", "breadcrumb navigation")
        elif _GALLERY.search(line):
            mark(i, "caption", "photo gallery")
        elif is_caption(line):
            mark(i, "caption", "photo caption or credit")
        elif _words(line) <= 25 and _CREDIT_LINE.search(line):
            mark(i, "byline", "credit line")
        elif _UPDATE_NOTE.match(line):
            mark(i, "furniture", "update note")
        elif _words(line) <= 25 and _PAGE_NOTICE.search(line):
            mark(i, "furniture", "page notice")
        elif "@" in line and _words(line) <= 15 and _EMAIL.search(line):
            mark(i, "byline", "contact address")
        elif _GLUED_LINK.match(line) and not is_prose(line.replace(":", ": ", 1)):
            mark(i, "furniture", "link in a list of links")
        elif _is_date_line(line):
            mark(i, "date", "date line")
            if not UPDATE_LABEL.match(line) and (date := parse_date(DATE_LABEL.sub("", line), whole=True)):
                published = published or date
        elif i > 0 and _is_caps_teaser(line):
            mark(i, "furniture", "teaser in capitals")
        elif _PLACE_LINE.match(line) and _words(line) <= 4 and i + 1 < n and is_sentence(lines[i + 1]):
            mark(i, "date", "dateline")
        elif _is_call_to_action(line):
            mark(i, "furniture", "call to action")
        elif repeated and line_key(line) in repeated and not is_sentence(line):
            # A site's menu or footer; a sentence two outlets share (wire copy) is article text.
            mark(i, "furniture", "repeated across documents")
        elif not positional:
            continue
        elif (m := _BYLINE.match(line)) and _words(line) <= 12:
            mark(i, "byline", "byline")
            author = author or m.group("name").strip(" ,&")
        elif _words(line) <= 12 and (date := parse_date(DATE_LABEL.sub("", line), whole=True)):
            mark(i, "date", "date line")
            if not UPDATE_LABEL.match(line):  # an update is not the publication
                published = published or date

    _mark_menus(lines, role, reason)
    if not positional:
        return _result(lines, role, None, None, None)

    open_lines = [i for i in range(n) if role[i] is None]
    sentences = [i for i in open_lines if is_sentence(lines[i])]
    prose = [i for i in open_lines if is_prose(lines[i])]
    if not prose:
        prose = sentences
    body_start = prose[0] if prose else n
    # The body ends at its last sentence, or goes on from there over paragraphs that end
    # otherwise, one after another: a quotation and its source, a lead-in to what follows, the
    # last paragraph of a text a dump cut short. Forward only, so a footer line further down
    # never pulls the lines above it into the body.
    body_end = sentences[-1] if sentences else -1
    after = [i for i in range(body_end + 1, n) if role[i] in (None, "furniture")]  # captions, bylines: passed over
    for k, i in enumerate(after):
        if role[i] == "furniture":  # a line already known as the page's ends the body
            break
        following = after[k + 1] if k + 1 < len(after) and role[after[k + 1]] is None else None
        if _continues_body(lines[i], last=following is None, next_line=None if following is None else lines[following]):
            body_end = i
        elif _words(lines[i]) > HEADING_WORDS:
            break
        # else a heading ("Perspectives"): the body's only if the body goes on after it

    # Tail: after the body's last line, only furniture remains, and prose there that carries a
    # call to action is a publisher blurb.
    for i in range(max(body_end, body_start - 1) + 1, n):
        mark(i, "furniture", "page footer")
    for i in reversed(range(0, body_end + 1)):
        if role[i] == "furniture":
            continue
        if role[i] is None and _CALL_TO_ACTION.search(lines[i]):
            role[i], reason[i] = "furniture", "publisher blurb"
            continue
        if role[i] is None:
            break

    # Header: the title is its first line that reads like a headline; shorter lines before it
    # are navigation; what follows it (standfirst, subtitle) is the article's own.
    title = None
    if find_title:
        for i in range(0, min(body_start, n)):
            if role[i] is not None:
                continue
            if title is None and is_headline(lines[i]):
                title = lines[i]
                role[i], reason[i] = "title", "title"
            elif title is None or _words(lines[i]) < 3:
                role[i], reason[i] = "furniture", "navigation"
    else:
        # The title is known (a record's field): short lines above the story that are no sentence
        # are its byline, the outlet's name or a label ("John Bacon", "USA TODAY", "THE WHITE HOUSE").
        for i in range(0, min(body_start, n)):
            if role[i] is None and _words(lines[i]) <= 5 and not is_sentence(lines[i]):
                role[i], reason[i] = "byline", "name or label above the story"

    return _result(lines, role, title, author, published)


MENU_RUN = 3  # this many one- or two-word labels in a row are a menu ("Twitter", "Flipboard", "Email")


def _mark_menus(lines: list[str], role: list[str | None], reason: list[str]) -> None:
    """Runs of very short lines without sentence punctuation: share buttons, menus, tag lists."""
    run: list[int] = []
    for i in range(len(lines) + 1):
        if i < len(lines) and role[i] is None and _words(lines[i]) <= 2 and not _SENTENCE_END.search(lines[i]):
            run.append(i)
            continue
        if len(run) >= MENU_RUN:
            for k in run:
                role[k], reason[k] = "furniture", "menu or list of links"
        run = []


def _result(lines: list[str], role: list[str | None], title, author, published) -> CleanText:
    n = len(lines)
    paragraphs = [lines[i] for i in range(n) if role[i] is None]
    # With no date line, a dateline opening the story gives the day ("EASTPORT, March 4, 2026 —").
    published = published or (dateline_date(paragraphs[0]) if paragraphs else None)
    return CleanText(
        title=title,
        paragraphs=paragraphs,
        captions=[lines[i] for i in range(n) if role[i] == "caption"],
        furniture=[lines[i] for i in range(n) if role[i] in ("furniture", "byline", "date")],
        author=author,
        published=published,
        outlet=_outlet_from([lines[i] for i in range(n) if role[i] == "furniture"]),
    )
