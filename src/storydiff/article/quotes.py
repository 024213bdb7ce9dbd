"""Stage: quotations and reported speech in each article, with speaker, cue and intermediary.

    “The letter ... was very positive,” al-Mawazin news agency quoted Major General Abdul Karim
    Khalaf as saying.           -> direct, speaker Abdul Karim Khalaf, via al-Mawazin news agency
    He added, “Iraq will ...”   -> direct, "He" resolved to the last speaker, same intermediary
    Khalaf noted that the two countries will ...   -> reported
    ... discuss "relations between the two countries ..."   -> partial (quoted words in the reporter's sentence)

Quotation marks are paired by hand (straight, curly and single quotes; a quotation left open at
the end of a paragraph continues in the next, as news style has it); attribution frames come from
`_attribution.py` and speakers are resolved by `_speakers.py`. Why by hand: see those modules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .._models import Article, Comparison, Quote
from ._attribution import (
    DOCUMENT, DOCUMENT_NOUNS, GROUP_NOUNS, ISSUED_NOUNS, NAME, PARTICIPLES, ROLE_NOUNS, SPEAKER, SPEECH_NOUNS, SPEECH_VERBS, Frame,
    PASSIVE, find_frames,
)
from ._clauses import candidate_verbs, reported_clauses
from ._credit import split_credit
from ._speakers import Resolution, SpeakerRegister, name_key, same_person
from ._values import WEEKDAYS

# Verbs that introduce what someone said even without "that"; the others ("declared a state of
# emergency", "announced a plan") report speech only when "that", a colon or a quotation follows.
_CONTENT_VERBS = frozenset(
    """said says say told tells added adds noted notes stated states explained explains concluded concludes insisted
    insists argued argues claimed claims wrote writes tweeted tweets replied replies warned warns acknowledged
    acknowledges stressed stresses emphasized emphasised emphasizes cautioned cautions commented comments observed
    denied denies accused accuses indicated indicates recognized recognizes revealed reveals conceded admitted admits
    alleged alleges predicted predicts reiterated testified mentioned reports claims advises found finds shows showed""".split()
) | {"pointed out", "points out"}
_IRREGULAR_PAST = (
    "said|told|wrote|gave|made|took|went|came|saw|got|held|met|left|ran|won|lost|sent|spent|put|set|kept|brought|"
    "thought|spoke|broke|chose|drove|rose|fell|began|became|felt|found|knew|led|paid|read|sat|stood|struck|sought|"
    "taught|threw|understood|withdrew|forecast|cut|hit|quit|shut|bid|fought|caught|bought|sold|built|meant|heard|"
    "dealt|lent|slept|spread|shot|flew|grew|drew|wore|tore|swore|hid|bit|fled|fed|bled|sped|lay|rode|woke|froze|stole|"
    "shook|swam|sang|sank|rang|drank|hung|swung|stuck|dug|spun"
)
# Reporting verbs that as often take a plain object ("added 25 points", "noted the findings",
# "told the man to leave"): their statement needs "that" or a verb of its own.
_OBJECT_VERBS = frozenset(
    "added adds noted notes revealed reveals observed claimed claims warned warns told tells denied denies accused accuses".split()
) | {"pointed out", "points out"}
_SPEECH_NOUNS = frozenset(SPEECH_NOUNS.split("|"))
_DIRECTIVE_VERBS = frozenset("told tells warned warns".split())
_DIRECTIVE = re.compile(r"^\s*(?:[\w'’-]+\s+){1,3}?(?:not\s+)?to\s+[a-z]+")
# Before a reporting verb, what makes it no statement: "declined to say", "did not say", "than
# McKinley said", "what he said".
_NO_STATEMENT_BEFORE = re.compile(
    r"(?:\b(?:declined|refused|wouldn['’]t|would\s+not|did\s+not|didn['’]t|won['’]t|not)\s+to\s*$|\b(?:did\s+not|didn['’]t|would\s+not|wouldn['’]t|won['’]t|not)\s*$"
    r"|\b(?:than|what)\s+(?:[^\s,;]+\s+){0,6}$)",
    re.I,
)
_FINITE = re.compile(
    r"\b(?:is|are|was|were|will|would|had|has|have|can|could|should|may|might|must|did|does|do|"
    r"won’t|won't|isn’t|isn't|wasn’t|wasn't|[a-z]{3,}ed|" + _IRREGULAR_PAST + r")\b"
)
_CONTENT_INTRO = re.compile(r"^\s*(?:(?:on|in|at|last|this|late|earlier|during)\b[^,.;“\"]{0,40}?\s+)?(?:that\b|:|,|against\b|about\b|of\b|“|\")")
_OPENERS = {"“": "”", "‘": "’", "«": "»", '"': '"', "'": "'"}
MIN_PARTIAL_WORDS = 2
MIN_REPORTED_WORDS = 4
# Reported speech may hold quotation marks ('Lee said he was “just trying to help”'); with fewer
# words of its own outside them, it is the attribution of a quotation.
MIN_OUTSIDE_WORDS = 1


@dataclass
class _Marks:
    """A quotation: the quoted words [start, end) and the marks around them [outer_start, outer_end)."""

    start: int
    end: int
    outer_start: int
    outer_end: int
    paragraph: int
    continued: bool = False  # opened in an earlier paragraph and left open there


def quotation_marks(text: str, paragraphs: list[tuple[int, int]]) -> list[_Marks]:
    """Quoted stretches of each paragraph. Apostrophes (Iraq’s, don't) are not quotation marks."""
    found: list[_Marks] = []
    carried = False  # the previous paragraph ended inside a quotation
    for index, (p_start, p_end) in enumerate(paragraphs):
        open_at: int | None = None
        closer = ""
        if carried:
            # A continued quotation reopens with a mark at the paragraph's start; without one, it
            # was not a quotation after all.
            first = text[p_start] if p_start < p_end else ""
            if first in _OPENERS:
                open_at, closer = p_start, _OPENERS[first]
        # A straight single quote never closed in its paragraph was an apostrophe ("'til the
        # end"): the paragraph is read again without it, so the quotations after it still count.
        apostrophes: set[int] = set()
        while True:
            marks, left_open = _paragraph_marks(text, p_start, p_end, index, open_at, closer, apostrophes)
            if left_open is None or text[left_open.outer_start] != "'":
                break
            apostrophes.add(left_open.outer_start)
            if left_open.outer_start == open_at:
                open_at, closer = None, ""
        found += marks
        carried = left_open is not None
        if left_open is not None:
            found.append(left_open)
    return [m for m in found if text[m.start : m.end].strip()]


# Words written with a leading apostrophe, never a quotation: "'til dawn", "rock 'n' roll".
_ELISION = re.compile(r"(?:til|tis|twas|em|n|cause|cos|bout|round|nother|neath|tween)\b", re.I)


def _paragraph_marks(
    text: str, p_start: int, p_end: int, index: int, open_at: int | None, closer: str, apostrophes: set[int]
) -> tuple[list[_Marks], _Marks | None]:
    """The closed quotations of one paragraph, and the one left open at its end (if any).
    `open_at` is where a quotation continued from the last paragraph reopens."""
    found: list[_Marks] = []
    continued = open_at is not None
    possessive_at: int | None = None  # a closing mark passed over as a plural's apostrophe ("walls' before")
    position = p_start if open_at is None else p_start + 1
    while position < p_end:
        ch = text[position]
        before = text[position - 1] if position > p_start else " "
        after = text[position + 1] if position + 1 < p_end else " "
        if open_at is None:
            # An opening mark is followed by a word, or by a space after a full stop ('said. “ I love it.”');
            # a straight single quote only by a letter ("the '90s" opens nothing).
            spaced_open = after == " " and ch in "“\"" and text[max(p_start, position - 2) : position] in (". ", "! ", "? ")
            if (
                ch in _OPENERS and (not before.isalnum()) and (not after.isspace() or spaced_open)
                and not (ch in "‘'" and after == "s") and not (ch == "'" and not after.isalpha()) and position not in apostrophes
                and not (ch in "'‘" and _ELISION.match(text, position + 1))
            ):
                open_at, closer, possessive_at = position, _OPENERS[ch], None
        elif closer == "'" and ch == "'" and before.isspace() and after.isalpha():
            # another straight quote opening before this one closed: this one was an apostrophe
            return found, _Marks(open_at + 1, position, open_at, position, index, continued)
        elif ch in "’'" and closer == ch and not after.isalpha() and _plural_possessive(text, position):
            possessive_at = position  # "the residents’ support" goes on; unless nothing else closes the quotation
        elif (ch == closer or closer == "”" and (ch == '"' or text.startswith("’’", position)) or closer == '"' and ch == "”") and not (
            ch in "’'" and closer == ch and after.isalpha()
        ) and not (ch == '"' and before.isspace() and after.isalnum()):
            # Scraped text mixes styles: “...," and "...” pair up, and the wires' ’’ closes “ too.
            width = 2 if closer == "”" and text.startswith("’’", position) else 1
            found.append(_Marks(open_at + 1 + (text[open_at + 1] == " "), position, open_at, position + width, index, continued))
            open_at, continued = None, False
            position += width - 1
        position += 1
    if open_at is not None and possessive_at is not None:
        # "'we will rebuild the harbour walls' before winter": the mark after a plural closed it after all
        found.append(_Marks(open_at + 1, possessive_at, open_at, possessive_at + 1, index, continued))
        rest, left_open = _paragraph_marks(text, possessive_at + 1, p_end, index, None, "", apostrophes)
        return found + rest, left_open
    left_open = _Marks(open_at + 1, p_end, open_at, p_end, index, continued) if open_at is not None else None
    return found, left_open


def _plural_possessive(text: str, position: int) -> bool:
    """"the residents’ support": an apostrophe after a plural, followed by the noun it governs."""
    return text[position - 1 : position] in ("s", "S") and bool(re.match(r" [a-z]", text[position + 1 : position + 3]))


def _inside(position: int, marks: list[_Marks]) -> bool:
    return any(m.start <= position < m.end for m in marks)


def _words(text: str) -> int:
    return len(text.split())


@dataclass
class _Attribution:
    frame: Frame
    offset: int  # the frame's text starts here in the article
    paragraph: int
    channel: str | None = None  # "a statement from her office", from a later "according to" in the sentence
    parsed: tuple[int, int] | None = None  # what the parser found this verb reports, when the patterns find nothing
    content: tuple[int, int] | None = None  # what the patterns find it reports (`_reported_content`), set once
    nested: bool = False  # it stands inside another attribution's statement (`_nest`)
    cut: int | None = None  # its statement ends before here (", according to Reuters", the channel)

    @property
    def start(self) -> int:
        return self.offset + self.frame.start

    @property
    def end(self) -> int:
        return self.offset + self.frame.end

    def span(self, part: tuple[int, int] | None) -> tuple[int, int] | None:
        return (self.offset + part[0], self.offset + part[1]) if part else None


def extract_quotes(article: Article) -> list[Quote]:
    text = article.text
    paragraphs = [(p.start, p.end) for p in article.paragraphs]
    marks = quotation_marks(text, paragraphs)
    people = [(start, end) for field, start, end, label in article.named_entities if field == "text" and label == "PERSON"]
    bodies = [(start, end) for field, start, end, label in article.named_entities if field == "text" and label == "ORG"]
    register = SpeakerRegister.build(text, [s.start for s in article.sentences], people, bodies)

    attributions: list[_Attribution] = []
    for index, (p_start, p_end) in enumerate(paragraphs):
        for frame in find_frames(text[p_start:p_end]):
            attribution = _Attribution(frame, p_start, index)
            if not _inside(attribution.start, marks):  # speech inside a quotation is not ours to attribute
                attributions.append(attribution)

    attributions = _merge_channels(article, [_with_subject(article, a) for a in attributions])
    for attribution in attributions:
        attribution.content = _reported_content(article, attribution, marks)
    attributions = _merge_relays(article, attributions, marks)
    _nest(text, attributions, marks)
    linked: dict[int, _Attribution | None] = {id(m): _link(text, m, attributions, article) for m in marks}
    # The parser's attributions only take what the patterns left: statements they found no
    # content for, and quotations nothing else claims.
    parsed = _parsed_attributions(article, attributions, marks, {id(a) for a in linked.values() if a is not None})
    for mark in marks:
        linked[id(mark)] = linked[id(mark)] or _link(text, mark, parsed, article)
    register.note_speaker_names([a.span(a.frame.speaker) for a in attributions + parsed if a.frame.speaker])

    events: list[tuple[int, str, object]] = [(m.start, "marks", m) for m in marks]
    events += [(a.start, "frame", a) for a in attributions + parsed]
    used = {id(a) for a in linked.values() if a is not None}

    quotes: list[Quote] = []
    last_via: dict[tuple[str, ...], str] = {}  # speaker -> the intermediary last credited for them
    group_of: dict[int, int] = {}
    previous: Quote | None = None
    previous_paragraph = -1
    waiting: list[Quote] = []  # paragraphs of a quotation still open, none of them attributed yet
    for _, kind, item in sorted(events, key=lambda e: (e[0], e[1])):
        if kind == "frame":
            attribution = item
            if id(attribution) in used:
                # An attribution of a quotation reports speech of its own only around a partial
                # quotation ('warned that the government "will not sit on our hands" if ...').
                # So does one whose statement lies apart from every quotation ("Finding water on
                # Europa, he said, is the “next best thing”").
                content = attribution.content
                if content is not None and not _holds_partial(text, content, marks) and _touches_marks(content, marks):
                    content = None
            else:
                content = None if attribution.nested else attribution.content or _parsed_content(attribution, marks, quotes)
            if content is not None and content[1] <= attribution.start and _scene_only(text, content, attribution.end):
                content = None  # "Later, in remarks at the party headquarters, Esper said, “...”": when and where, not what
            if content is None:
                # No statement of its own, but its speaker is now the one a "he" or "she" means
                # (a channel, "the statement said", was credited to its issuer by the quotation).
                if attribution.frame.speaker and not _is_channel(text[slice(*attribution.span(attribution.frame.speaker))]):
                    register.record(attribution.start, register.resolve(*attribution.span(attribution.frame.speaker)))
                continue
            content, trailing_via = _trailing_credit(text, content)
            quote = _quote(register, attribution, content, "reported", last_via)
            if trailing_via and not quote.via:
                credit = split_credit(trailing_via)
                quote.via, quote.channel, quote.via_certain = credit.intermediary, credit.channel, credit.certain
                if quote.speaker:  # "..., in an interview with Vale Radio": her next words came through it too
                    last_via[name_key(quote.speaker)] = trailing_via
            quote.group = len(quotes)
            quotes.append(quote)
            rest = _second_part(article, attribution, content, marks)
            if rest is not None:
                # "Crews found the leak, Khalaf said, and sealed it by noon": the statement goes on
                # after its attribution, the same speaker's.
                quotes.append(replace(quote, start=rest[0], end=rest[1]))
            previous, previous_paragraph = quote, attribution.paragraph
            continue
        mark: _Marks = item
        words = _words(text[mark.start : mark.end])
        attribution = linked[id(mark)]
        kind_of = _kind(text, mark)
        if kind_of == "partial" and words < MIN_PARTIAL_WORDS:
            continue  # a scare-quoted word, not someone's words
        if _is_title(text, mark) or _is_heading(text, mark, paragraphs):
            continue  # “Takin’ It to the Streets”, the “Hanoi Hilton”: a title or a name; a subheading
        # A quotation with no attribution of its own continues the last speaker: in the same
        # paragraph ('..., Dempsey said. "That way ..."'); in a paragraph it opens, after a
        # quotation, or after reported speech when it is the whole next paragraph.
        follows = previous is not None and (
            previous_paragraph == mark.paragraph
            or (mark.continued or _opens_paragraph(text, mark, paragraphs))
            and (previous.kind != "reported" or mark.paragraph == previous_paragraph + 1 and _whole_quotation_paragraph(text, mark, paragraphs))
        )
        if attribution is None and follows:
            # A paragraph of quotation with no attribution continues the last speaker.
            quote = Quote(
                mark.start, mark.end, kind_of, previous.cue, previous.speaker, previous.named, previous.speaker_kind,
                via=previous.via, channel=previous.channel, via_certain=previous.via_certain,
            )
            quote.group = previous.group if mark.continued else len(quotes)
        elif attribution is None and (subject := _sentence_subject(article, register, mark.outer_start)) is not None:
            # No reporting verb, but the sentence's subject speaks ("The UK has urged an “end to ...”").
            quote = Quote(mark.start, mark.end, kind_of, None, subject.name, subject.named, subject.kind, via=None)
            quote.group = len(quotes)
        elif attribution is None:
            quote = Quote(mark.start, mark.end, kind_of)
            quote.group = len(quotes)
        else:
            quote = _quote(register, attribution, (mark.start, mark.end), kind_of, last_via)
            key = id(attribution)
            quote.group = group_of.setdefault(key, len(quotes))
        if not mark.continued:
            waiting = []
        if attribution is not None and mark.continued:
            # A quotation over several paragraphs, attributed only in a later one ('“...¶“...,” said
            # Tom Reid'): its earlier paragraphs are the same speaker's.
            for earlier in waiting:
                earlier.cue, earlier.speaker, earlier.named, earlier.speaker_kind = quote.cue, quote.speaker, quote.named, quote.speaker_kind
                earlier.via, earlier.group = quote.via, quote.group
                earlier.channel, earlier.via_certain = quote.channel, quote.via_certain
            waiting = []
        elif attribution is None and mark.outer_end == mark.end:  # left open: it goes on in the next paragraph
            waiting.append(quote)
        quotes.append(quote)
        previous, previous_paragraph = quote, mark.paragraph
    # A headline or subheading is the outlet's label for its story, never someone's words, even
    # when it reads like reported speech ("Capaldi was the only name considered, Moffat says").
    quotes = [q for q in quotes if not ((s := article.sentence_at(q.start)) and s.heading)]
    people = {article.field_text(f)[s:e] for f, s, e, label in article.named_entities if label == "PERSON"}
    for quote in quotes:
        if quote.via and names_own_outlet(quote.via, article):
            # "told USA TODAY" in USA TODAY's own story: spoken to this outlet, through no one.
            quote.channel, quote.via = quote.channel or f"told {quote.via}", None
        elif quote.via and any(same_person(quote.via, person) for person in people):
            quote.via_certain = False  # "told Chuck Todd": a journalist, maybe of another outlet
    return quotes


def names_own_outlet(credit: str, article: Article) -> bool:
    """Whether a credited intermediary is the article's own outlet ("NBC News" in NBC News (Online))."""
    words = [w for w in re.findall(r"[a-z0-9]+", credit.lower()) if w != "the"]
    if not words:
        return False
    outlet = [w for w in re.findall(r"[a-z0-9]+", (article.outlet or "").lower()) if w not in ("the", "online", "web", "news", "com")]
    host = re.sub(r"^www\.", "", (article.url or "").split("//")[-1].split("/")[0].lower())
    core = [w for w in words if w not in ("news", "online", "web")] or words
    return bool(outlet and set(core) <= set(re.findall(r"[a-z0-9]+", (article.outlet or "").lower()))) or bool(
        host and "".join(core) in host.replace(".", "").replace("-", "")
    )


def _quote(
    register: SpeakerRegister, attribution: _Attribution, content: tuple[int, int], kind: str, last_via: dict[tuple[str, ...], str]
) -> Quote:
    frame = attribution.frame
    speaker_span = attribution.span(frame.speaker)
    via_span = attribution.span(frame.via)
    via = attribution.channel or (register.text[via_span[0] : via_span[1]] if via_span else None)
    if speaker_span and _is_channel(register.text[speaker_span[0] : speaker_span[1]]):
        # "according to a statement from her office", "the statement continued": a channel; the
        # speaker is whoever issued it, the last one quoted.
        via, speaker_span = register.text[speaker_span[0] : speaker_span[1]], None
        resolution = (
            _issuer(register, attribution.start) or register.last_issuer(attribution.start)
            or register.last_speaker(attribution.start) or Resolution(None, False, "unknown")
        )
    else:
        apposition = attribution.span(frame.apposition)
        named_apposition = apposition and register.text[apposition[0]].isupper()
        in_relative = speaker_span and re.search(r"\b(?:that|which|who)\s+[a-z]+\s+(?:the\s+)?$", register.text[max(0, speaker_span[0] - 40) : speaker_span[0]])
        if speaker_span and named_apposition and (in_relative or _is_description(register.text[speaker_span[0] : speaker_span[1]])):
            speaker_span = apposition  # "The company that runs the AMAs, Dick Clark Productions, denies"
        resolution = register.resolve(*speaker_span) if speaker_span else Resolution(None, False, "unknown")
    register.record(attribution.start, resolution, issued=bool(via and _is_channel(via)))
    carried = False
    if resolution.name:
        key = name_key(resolution.name)
        if via and key in last_via and _points_back(via, last_via[key]):
            via = last_via[key]  # "he told Radio Caldera ... he said in the interview": that interview
        elif via:
            last_via[key] = via
        else:
            via = last_via.get(key)
            carried = via is not None  # the speaker's earlier credit, inferred for these words
    cue = "quoted ... as saying" if frame.verb == "quoted" else frame.verb
    start, end = content
    credit = split_credit(via)
    return Quote(
        start, end, kind, cue, resolution.name, resolution.named, resolution.kind,
        speaker_span[0] if speaker_span else None, speaker_span[1] if speaker_span else None, credit.intermediary,
        channel=credit.channel, via_certain=credit.certain and not carried,
    )


# A channel named by "the" alone, which points back to one already named: "in the interview".
_ANAPHORIC_CHANNEL = re.compile(r"^the\s+(?:same\s+)?(?P<noun>" + DOCUMENT_NOUNS + r")$", re.I)


def _points_back(via: str, earlier: str) -> bool:
    """Whether "the interview" / "the statement" is the channel named before: an interview is any
    outlet spoken to ("told Radio Caldera"); a statement, post or letter only one of its own kind."""
    match = _ANAPHORIC_CHANNEL.match(via)
    if not match:
        return False
    noun = match.group("noun").lower()
    if noun == "interview":
        return not _CHANNELS.match(earlier) or "interview" in earlier.lower()
    return noun in earlier.lower()
_DOCUMENTS = re.compile(r"\b(?:" + DOCUMENT_NOUNS + r"|data|figures|documents?|records?)\b", re.I)
# Channels a speaker issues (credited to the issuer), as against studies and reports, which speak for themselves.
_CHANNELS = re.compile(r"^(?:the|a|an|his|her|their|its)\s+(?:[\w-]+\s+){0,2}(?:" + ISSUED_NOUNS + r"|interview|briefing)\b", re.I)


_A_DOCUMENT = r"(?:[Aa]n?|[Tt]he|[Ii]ts|[Tt]heir|[Hh]is|[Hh]er)\s+(?:[\w-]+\s+){0,2}?(?:" + ISSUED_NOUNS + r")\b"
_ISSUED = re.compile(
    r"(?P<issuer>" + NAME + r")\s+(?:has\s+|had\s+|also\s+|later\s+)?(?:issued|released|put\s+out|posted|published|shared|sent)\s+"
    r"(?:an?|its|their|his|her)\s+(?:[\w-]+\s+){0,2}?(?:" + ISSUED_NOUNS + r")\b"
    # "The company flat-out denied the allegations in a statement shared to its website."
    r"|(?<![\w“\"])(?!" + _A_DOCUMENT + r")(?P<subject>" + SPEAKER + r")\s+[^.,;“”\"\n]{0,80}?\bin\s+(?:an?|its|their|his|her)\s+(?:[\w-]+\s+){0,2}?(?:" + ISSUED_NOUNS + r")\b"
)


def _issuer(register: SpeakerRegister, position: int) -> Resolution | None:
    """Who issued the statement "the statement continued" refers to: the last "X issued a statement"
    before it, unless someone was quoted since."""
    issued = list(_ISSUED.finditer(register.text, 0, position))
    if not issued:
        return None
    last = issued[-1]
    if any(last.end() <= p < position for p, r in register.spoken if r.name):
        return None
    return register.resolve(*last.span("issuer" if last.group("issuer") else "subject"))


def _is_channel(expression: str) -> bool:
    return bool(_CHANNELS.match(expression.strip()))


_SUBJECT = re.compile(r"^(?:[^,“”\"]{0,60},\s+)?(?P<speaker>" + SPEAKER + r")")
_SUBJECT_PARTICIPLES = PARTICIPLES | {"telling"}
_SPEAKER_ANYWHERE = re.compile(r"(?<![\w'’-])" + SPEAKER)


def _with_subject(article: Article, attribution: _Attribution) -> _Attribution:
    """A participle frame (", saying ...") or a second verb ("and warned that") takes its speaker
    from the start of its sentence."""
    frame = attribution.frame
    text = article.text
    second_verb = text[max(0, attribution.start - 4) : attribution.start] in ("and ", "but ")
    # "telling" is a participle too, but only with its outlet (", telling the Gazette: ..."): see _attribution
    if frame.speaker or not (frame.verb.lower() in _SUBJECT_PARTICIPLES or second_verb):
        return attribution
    sentence = article.sentence_at(attribution.start)
    if sentence is None:
        return attribution
    clause = article.text[sentence.start : attribution.start]
    # The subject is the last speaker-like phrase followed by a verb: "BUFFALO, N.Y. — ... Wild
    # coach Bruce Boudreau expressed confidence ..., saying" -> Bruce Boudreau.
    subjects = [
        m for m in _SPEAKER_ANYWHERE.finditer(clause)
        if _SUBJECT_VERB.match(clause[m.end() :]) and m.group(0).lower() not in _DETERMINERS  # "The utilities commission is"
    ]
    if not subjects:
        return attribution
    # A subject that itself says something is the one who goes on saying: in "Lee said that after
    # talks the city had agreed to ..., saying" the city is inside Lee's statement.
    speaking = [m for m in subjects if _SPEAKING_VERB.match(clause[m.end() :])]
    subject = speaking[0] if speaking else subjects[-1]
    start = sentence.start + subject.start() - attribution.offset
    end = sentence.start + subject.end() - attribution.offset
    return _Attribution(replace(frame, speaker=(start, end)), attribution.offset, attribution.paragraph, attribution.channel)


_DETERMINERS = frozenset("the a an this that these those".split())
# A verb after a subject: "Lee warned", "Lee has said", "Lee, however, decided", "Amery, 51, announced".
_SUBJECT_VERB = re.compile(
    r"(?:,\s+[a-z0-9]+(?:\s+[a-z]+)?,)?\s+(?:(?:has|have|had|was|were|is|also|then|later)\s+){0,2}(?:[a-z]+(?:ed|s)|" + _IRREGULAR_PAST + r")\b"
)


_SPEAKING_VERB = re.compile(r"(?:,\s+[a-z]+(?:\s+[a-z]+)?,)?\s+(?:has\s+|had\s+|also\s+|then\s+|later\s+)?(?:" + SPEECH_VERBS + r")\s+that\b")


def _sentence_subject(article: Article, register: SpeakerRegister, position: int) -> Resolution | None:
    """Who a sentence is about, when its quotation has no attribution: a name or description
    opening the sentence and followed by a verb. None for anything else ("This decision has been ...")."""
    sentence = article.sentence_at(position)
    if sentence is None:
        return None
    text = article.text[sentence.start : position]
    match = _SUBJECT.match(text)
    if not match or not _SUBJECT_VERB.match(text[match.end("speaker") :]):
        return None
    start, end = sentence.start + match.start("speaker"), sentence.start + match.end("speaker")
    expression = article.text[start:end]
    if expression.split()[0].lower() in ("this", "that", "these", "those", "it", "there", "what", "which") or expression.lower() in _DETERMINERS:
        return None
    resolution = register.resolve(start, end)
    return resolution if resolution.name else None


def _is_description(expression: str) -> bool:
    """'the company', 'another diplomat', "WeWork's parent company": a phrase that describes, not a name."""
    words = expression.split()
    if not words:
        return False
    return words[0].lower() in ("the", "a", "an", "his", "her", "their", "its", "another", "one") or (
        len(words) >= 2 and words[0].endswith(("’s", "'s")) and words[-1][:1].islower()
    )


def _is_document(name: str) -> bool:
    return bool(_DOCUMENTS.search(name))


def _merge_channels(article: Article, attributions: list[_Attribution]) -> list[_Attribution]:
    """'Okafor ... called it "...", according to a statement from her office': the statement is
    the channel of the sentence's own speaker, not a second attribution."""
    kept = []
    for attribution in attributions:
        frame = attribution.frame
        span = attribution.span(frame.speaker)
        if frame.verb.lower() == "according to" and span and _is_document(article.text[span[0] : span[1]]):
            earlier = _earlier_in_sentence(article, attribution, kept)
            if earlier:
                earlier[-1].channel = article.text[span[0] : span[1]]
                continue
        kept.append(attribution)
    return kept


def _earlier_in_sentence(article: Article, attribution: _Attribution, attributions: list[_Attribution]) -> list[_Attribution]:
    sentence = article.sentence_at(attribution.start)
    return [a for a in attributions if sentence and sentence.start <= a.start < attribution.start and a.frame.speaker]


def _merge_relays(article: Article, attributions: list[_Attribution], marks: list[_Marks]) -> list[_Attribution]:
    """Whoever relays a statement after it is attributed is its channel: "..., the health commission
    said, according to Reuters", "Lee said the plant would close, according to the Herald"."""
    text = article.text
    kept = []
    for attribution in attributions:
        earlier = _earlier_in_sentence(article, attribution, kept)
        if attribution.frame.verb.lower() == "according to" and earlier and text[max(0, attribution.start - 40) : attribution.start].rstrip().endswith(","):
            last = earlier[-1]
            content = last.content
            closing = (
                content is not None and content[1] <= last.start and not text[last.end : attribution.start].strip(" ,")  # "..., X said, according to Y"
                or content is not None and content[0] >= last.end and content[1] >= attribution.start - 2  # "X said CONTENT, according to Y"
                or content is None and last.frame.verb.lower() in _CONTENT_VERBS  # the same, its content left to the parser
            )
            if closing and last.frame.verb.lower() != "according to":
                last.channel = text[slice(*attribution.span(attribution.frame.speaker))]
                last.cut = attribution.start
                last.content = _reported_content(article, last, marks)
                continue
        kept.append(attribution)
    return kept


def _kind(text: str, mark: _Marks) -> str:
    """Direct when the quotation stands as a sentence or a clause of its own, partial when its
    words sit inside the reporter's sentence ('called it "the darkest night"')."""
    before = text[: mark.outer_start].rstrip()
    if not before or before[-1] in ".,:;!?”\"’'\n" or mark.continued:
        return "direct"
    return "partial"


_TITLE_SMALL_WORDS = frozenset("a an the and or nor but of to in on at for with by from as vs is it".split())


def _is_title(text: str, mark: _Marks) -> bool:
    """A quoted stretch in title case, of a few words and not introduced as words said ('with the
    caption: “Welcome Home”', 'chanted, “Red for Ed”'): the title of a work, a nickname, a slogan."""
    words = re.findall(r"[^\W\d_][\w’'-]*", text[mark.start : mark.end])
    if not 2 <= len(words) <= 8 or mark.continued or not words[0][:1].isupper():
        return False
    if not all(w[:1].isupper() or w.lower() in _TITLE_SMALL_WORDS for w in words):
        return False
    before = text[: mark.outer_start].rstrip()
    return not before.endswith((":", ",")) or before[-2:-1] in ("”", '"', "’", "'")


def _is_heading(text: str, mark: _Marks, paragraphs: list[tuple[int, int]]) -> bool:
    """A paragraph of a few quoted words without a closing stop: a subheading ('"We write with urgency"')."""
    start, end = paragraphs[mark.paragraph]
    words = text[mark.start : mark.end].split()
    return mark.outer_start == start and not text[mark.outer_end : end].strip() and len(words) <= 6 and words[-1][-1:].isalnum()


def _holds_partial(text: str, content: tuple[int, int], marks: list[_Marks]) -> bool:
    """Whether a reported statement holds a partial quotation, the rest in the reporter's words."""
    inside = [m for m in marks if content[0] <= m.outer_start and m.outer_end <= content[1] + 1]
    return any(_kind(text, m) == "partial" for m in inside) and _words(text[content[0] : inside[0].outer_start]) >= MIN_OUTSIDE_WORDS


def _whole_quotation_paragraph(text: str, mark: _Marks, paragraphs: list[tuple[int, int]]) -> bool:
    """A paragraph that is nothing but this quotation, closed in it (an open one waits for the
    attribution of its last paragraph)."""
    start, end = paragraphs[mark.paragraph]
    closed = mark.outer_end > mark.end
    return closed and mark.outer_start == start and not text[mark.outer_end : end].strip(" .,”\"’'")


def _opens_paragraph(text: str, mark: _Marks, paragraphs: list[tuple[int, int]]) -> bool:
    return any(mark.outer_start == start for start, _ in paragraphs)


def _link(text: str, mark: _Marks, attributions: list[_Attribution], article: Article) -> _Attribution | None:
    """The attribution a quotation belongs to: next to it in its paragraph, else in its sentence."""
    same = [a for a in attributions if a.paragraph == mark.paragraph]
    if not same:
        return None
    # Right after the closing mark: '...,” he said' / '...,” al-Mawazin quoted X as saying'; not an
    # attribution with a statement of its own after its verb ('... “not so crazy.” She noted that ...').
    later = [a for a in same if a.start >= mark.outer_end and not (a.content and a.content[0] >= a.end)]
    for a in later:
        if re.fullmatch(r"[\s,.;—–-]*", text[mark.outer_end : a.start]):
            return a
    # Right before the opening mark: 'He added, “...' / 'said: "...'.
    for a in reversed(same):
        if a.end <= mark.outer_start and re.fullmatch(r"[\s,:;—–-]*(?:that\s*)?", text[a.end : mark.outer_start]):
            return a
    # In the same sentence (a partial quotation inside reported speech).
    sentence = article.sentence_at(mark.outer_start)
    if sentence is not None:
        inside = [a for a in same if sentence.start <= a.start < sentence.end and not _inside(a.start, [mark])]
        if inside:
            return min(inside, key=lambda a: abs(a.start - mark.outer_start))
    # A quotation sentence followed by its attribution in the next sentence of the paragraph.
    after = [a for a in later if re.fullmatch(r"[^“”\"]*", text[mark.outer_end : a.start])]
    if after and _words(text[mark.outer_end : after[0].start]) <= 3:
        return after[0]
    return None


# "X has said he will not stand again, in an interview with the Pellmouth Herald published on Tuesday."
_TRAILING_CREDIT = re.compile(r",\s+in\s+(?P<via>" + DOCUMENT + r")(?:\s+(?:published|aired|broadcast)\b[^,.;]*)?\s*[.]?\s*$")


def _trailing_credit(text: str, content: tuple[int, int]) -> tuple[tuple[int, int], str | None]:
    """Reported speech whose credit comes after it: the statement without it, and the credit."""
    match = _TRAILING_CREDIT.search(text, content[0], content[1])
    if not match or match.start() <= content[0]:
        return content, None
    return (content[0], match.start()), match.group("via")


def _nest(text: str, attributions: list[_Attribution], marks: list[_Marks]) -> None:
    """Statements inside statements. Only the outermost is reported: "the office said a clerk
    recalled that ..." and "Lee said the plant would close, Ruiz testified" are the office's and
    Ruiz's. An attribution after a comma opens a statement of its own and ends the one before:
    "Lee said the plant would close, adding that ..." / "..., it has also acknowledged that ..."."""
    nested: set[int] = set()
    for outer in attributions:
        content = outer.content
        if content is None or id(outer) in nested:
            continue
        inner = sorted((a for a in attributions if a is not outer and content[0] <= a.start < content[1]), key=lambda a: a.start)
        for attribution in inner:
            if outer.frame.verb.lower() == "according to" and content[0] >= outer.end and attribution.content and attribution.frame.speaker:
                # "According to NPR, Li wrote in a blog post that ...": Li's statement, relayed by NPR
                attribution.channel = attribution.channel or text[slice(*outer.span(outer.frame.speaker))]
                outer.content = None
                break
            trailing = attribution.content is not None and attribution.content[1] <= attribution.start
            if content[0] >= outer.end and trailing:
                nested.add(id(outer))  # its statement is part of what the trailing attribution reports
                break
            comma = re.search(r",\s*(?:(?:and|but)\s+)?$", text[content[0] : attribution.start])
            if content[0] >= outer.end and (text[attribution.start] == "," or comma):
                start, end = _trim(text, content[0], content[0] + comma.start() if comma else attribution.start)
                enough = _words(text[start:end]) >= MIN_REPORTED_WORDS and _words_outside(text, start, end, marks) >= MIN_OUTSIDE_WORDS
                outer.content = (start, end) if enough else None
                break
            nested.add(id(attribution))
    for attribution in attributions:
        if id(attribution) in nested:
            attribution.content, attribution.nested = None, True


def _scene_only(text: str, content: tuple[int, int], frame_end: int) -> bool:
    """Whether words before 'X said, “...”' only set the scene: "Later, in remarks at the party headquarters"."""
    return bool(_SCENE.match(text, content[0]) and not _FINITE.search(text, content[0], content[1]) and re.match(r"\s*[,:]?\s*[“\"]", text[frame_end : frame_end + 4]))


# Verbs whose -ing clause is what they report ("denied taking the money"); `_clauses` keeps the parser's own set.
_GERUND_CONTENT_VERBS = frozenset("denied denies admitted admits reported accused accuses".split())
_SUBORDINATE = re.compile(r"\b(?:after|when|while|because|since|before|though|although|until|once|as)\s+")
# What a reporting verb takes as a plain object: "denied the allegations in a statement shared ...".
_SPEECH_OBJECT = re.compile(
    r"^\s*(?:(?:the|any|all|these|those|such|his|her|their|its)\s+)?(?:[\w-]+\s+)?"
    r"(?:allegations?|claims?|accusations?|charges?|reports?|rumou?rs?|wrongdoing|involvement|findings|news)\b"
)
# A second reporting verb of the same subject: "said ..., but added ...", "said ... and warned that ...".
_SECOND_VERB = re.compile(r",?\s+(?:and|but)\s+(?:also\s+|later\s+)?(?P<verb>" + SPEECH_VERBS + r")\b")
# Openings of a clause that sets the scene of a statement rather than stating anything.
_SCENE = re.compile(r"(?:later|earlier|then|afterwards|in|at|on|during|after|before|when|while|speaking|asked|last|this|since)\b", re.I)
# A frame after a preposition has no subject before it: "a glimpse of the future with a wagon called the ID".
_AFTER_A_PREPOSITION = re.compile(r"\b(?:with|of|for|by|from|into|about|like|where)\s+$")
# A frame after these words stands inside the statement of another ("..., saying he recalled it").
_INSIDE_A_STATEMENT = re.compile(r"\b(?:that|" + "|".join(sorted(PARTICIPLES)) + r")\s*$", re.I)
# After a reporting verb, only when and where it was said, then the end of the clause: the statement
# came before the verb. Time phrases are kept short, so "said on Tuesday the plant will close" is not one.
_ONLY_ADJUNCTS = re.compile(
    r"^(?:\s+(?:(?:on|last|this|late|early|earlier)\s+\w+(?:\s+\w+)?|(?:" + "|".join(d.title() for d in WEEKDAYS) + r"|today|yesterday|tonight)\b"
    r"|(?:in|at|during|via|to|from)\s+(?:an?|the|his|her|its|their|[A-Z][\w'’-]*)\b[^,.;:“”\"]{0,80}?"
    r"|(?:while|when|after|before)\s+[a-z]+ing\b[^,.;:“”\"]{0,80}?))*\s*(?:[,.;]|$)"
)


def _reported_content(article: Article, attribution: _Attribution, marks: list[_Marks]) -> tuple[int, int] | None:
    """What an attribution with no quotation reports, within its sentence:

    "X said (on Sunday) (that) CONTENT" / "According to X, CONTENT"        -> after the frame
    "CONTENT, X said." / "CONTENT, X said, and ..." / "CONTENT, according to X." -> before it
    "X defended the plan, saying CONTENT"                                 -> after the participle
    """
    text = article.text
    sentence = article.sentence_at(attribution.start)
    if sentence is None:
        return None
    verb = attribution.frame.verb.lower()
    after = text[attribution.end : sentence.end]
    lead = text[sentence.start : attribution.start]
    before_frame = (sentence.start, attribution.start)
    if _INSIDE_A_STATEMENT.search(lead) or _AFTER_A_PREPOSITION.search(lead):
        before_frame = (attribution.start, attribution.start)  # "..., saying he recalled it": a statement's own words
    lead_comma = lead.rstrip().rstrip("”\"’'").endswith(",")  # 'Apple was "pulled in," Cook said'
    speaker = attribution.span(attribution.frame.speaker)
    if _no_statement(text, sentence.start, _verb_start(text, attribution)):
        return None
    if verb in PARTICIPLES and attribution.frame.verb[:1].isupper() and speaker and speaker[0] > attribution.start:
        # "Noting that CONTENT, Malaska asked": between "that" and the comma before the speaker
        opening = re.match(r"\w+\s+that\s+", text[attribution.start : speaker[0]])
        start, end = (attribution.start + opening.end(), speaker[0]) if opening else (speaker[0], speaker[0])
    elif verb == "per" or text[attribution.start : attribution.start + 3].lower() == "as ":
        # "As Okafor reports for the Herald, CONTENT" / "The disease, as the agency explained, is rare": what follows
        comma = re.match(r"^[^,;“”\"]{0,40}?,\s+", after)
        if not comma:
            return None
        start, end = attribution.end + comma.end(), sentence.end
    elif verb == "according to":
        between = re.match(r"^[^,;“”\"]*,\s+(?=[a-z])", after)
        if lead.rstrip().endswith(",") and between and not _FINITE.search(lead):
            # "The ferry, according to Bellweather Lines, left an hour late": only the predicate
            start, end = attribution.end + between.end(), sentence.end
        elif _words(lead) >= MIN_REPORTED_WORDS:
            start, end = before_frame
        else:
            comma = after.find(",")
            if comma < 0:
                return None
            start, end = attribution.end + comma + 1, sentence.end
    elif re.match(r"^\s*,", after) and _words(lead) >= MIN_REPORTED_WORDS:
        start, end = before_frame  # "CONTENT, X said, and ...": a parenthetical attribution
    elif lead_comma and _words(lead) >= MIN_REPORTED_WORDS and _ONLY_ADJUNCTS.match(after):
        start, end = before_frame  # "CONTENT, X said on Tuesday, after years of ..." / "..., X announced Wednesday at the show."
    elif (
        verb in PARTICIPLES or verb in _SPEECH_NOUNS or _words(re.split(r",\s+(?:and|but)\s+", lead)[-1]) <= 6
        or (lead.rstrip().endswith(",") and _words(after) > 3) or re.search(r"\b(?:which|who)\s+$", lead)  # "..., which it said crashed in ..."
        or _words(_SUBORDINATE.split(lead)[-1]) <= 3  # "... came a month after Lee announced that ..."
    ):
        if verb not in _CONTENT_VERBS and verb not in PARTICIPLES and not _CONTENT_INTRO.match(after):
            return None
        # "told cheering teachers that ...": the audience is not the statement
        told_that = re.match(r"^\s*(?:[\w'’-]+\s+){1,4}?that\b\s*", after) if verb in ("told", "tells") else None
        # "accused the UK of meddling in ...": the accusation, not the accused
        told_that = told_that or (re.match(r"^\s*(?:[\w'’.-]+\s+){1,6}?of\s+(?=[a-z]+ing\b)", after) if verb in ("accused", "accuses") else None)
        if verb in _OBJECT_VERBS and not told_that and not _CONTENT_INTRO.match(after) and (
            not _clause_has_verb(after) or _SPEECH_OBJECT.match(after)
        ):
            return None  # "added 25 points, and ...", "revealed lofty plans to expand", "denied the allegations": an object
        if verb in _DIRECTIVE_VERBS and _DIRECTIVE.match(after):
            return None  # "told the man to remove the bedding": a request, not a statement
        start, end = attribution.end, sentence.end
        intro = told_that or re.match(r"^\s*(?:(?:(?:on|in|at|last|this|late|earlier|during)\b[^,.;“\"]{0,40}?\s+)?that\b|[:,])?\s*", after)
        start += intro.end()  # the pattern's parts are all optional: it always matches
        second = _SECOND_VERB.search(text, start, end)
        if second:
            end = second.start()  # "said CONTENT, but added that ...": the second verb's statement is its own
        gerund = r"(?:while|when|after|before|during|as)\s+[a-z]+ing\b" if "," not in intro.group(0) else r"(?:(?:while|when|after|before|during|as)\s+)?[a-z]+ing\b"
        if re.match(gerund, text[start:end]) and verb not in PARTICIPLES and verb not in _GERUND_CONTENT_VERBS:
            return None  # "Cook said while visiting the conference", "testified, describing her as": when or how, not what
        if re.match(r"(?:to|at|in|on|during|after|before|from|with|for|by)\s", text[start:end]) and _words(text[start:end]) <= 8 and verb not in _GERUND_CONTENT_VERBS and not _FINITE.search(text, start, end):
            return None  # "said to cheers from the crowd", "testified before the committee"
    elif re.match(r"^\s*[,.;]?\s*$", after) or _words(after) <= 3:
        if re.search(r"\b(?:which|whom|that)\s+(?:\S+\s+){0,6}$", lead):
            return None  # "..., which the company's founder Jeff Bezos announced earlier": no statement before it
        start, end = before_frame
    else:
        return None
    if attribution.cut is not None and start < attribution.cut:
        end = min(end, attribution.cut)
    # A quotation the sentence splitter cut ('that Brekke “ignored every warning. We told him.”') runs to its close.
    end = max([end] + [m.outer_end for m in marks if m.outer_start < end < m.outer_end and m.outer_start >= start])
    start, end = _trim(text, start, end)
    if end <= start or _words(text[start:end]) < MIN_REPORTED_WORDS:
        return None
    if _words_outside(text, start, end, marks) < MIN_OUTSIDE_WORDS:
        return None  # the attribution of a quotation, not reported speech
    return start, end


def _second_part(article: Article, attribution: _Attribution, content: tuple[int, int], marks: list[_Marks]) -> tuple[int, int] | None:
    """The rest of a statement an attribution splits ("CONTENT, X said, and CONTENT"), or the
    statement of a second verb of its speaker ("X said CONTENT, but added that CONTENT"), or None."""
    sentence = article.sentence_at(attribution.start)
    if sentence is None:
        return None
    if content[0] >= attribution.end:
        second = _SECOND_VERB.match(article.text, content[1])
        if not second or second.group("verb") not in _CONTENT_VERBS:
            return None
        intro = re.match(r"\s*(?:that\b|,)?\s*", article.text[second.end() : sentence.end])
        start, end = _trim(article.text, second.end() + intro.end(), sentence.end)
        rest = article.text[start:end]
        if _words(rest) < MIN_REPORTED_WORDS or _words_outside(article.text, start, end, marks) < MIN_OUTSIDE_WORDS:
            return None
        if not re.match(r"that\b", article.text[second.end() :].lstrip()) and not _clause_has_verb(rest):
            return None  # "and added 25 points": an object, no statement
        return start, end
    if content[1] > attribution.start:
        return None
    after = article.text[attribution.end : sentence.end]
    match = re.match(r"\s*,\s+(?:(?:and|but)\s+|(?=[a-z“\"]))", after)
    if not match:
        return None
    start, end = _trim(article.text, attribution.end + match.end(), sentence.end)
    rest = article.text[start:end]
    if _words(rest) < MIN_REPORTED_WORDS or _words_outside(article.text, start, end, marks) < MIN_OUTSIDE_WORDS:
        return None
    if not re.match(r"\s*,\s+(?:and|but)\s", after) and (
        _NOT_A_CONTINUATION.match(rest) or not _clause_has_verb(rest)
    ):
        return None  # "..., X said on Tuesday, after years of debate", "..., X said, adding that": no statement of its own
    return start, end


# After "CONTENT, X said,": words that open no continuation of the statement.
_NOT_A_CONTINUATION = re.compile(
    r"(?:who|whom|whose|which|where|a|an|the|according|citing|in|on|at|during|after|before|when|while|as|via|so|because|although|though|since|if|yet|unless|whereas|then|with|for|to|from|by|of|[a-z]+ing)\b"
)


def _clause_has_verb(text: str) -> bool:
    """Whether the first clause of `text` (up to a comma or semicolon) holds a finite verb."""
    return bool(_FINITE.search(re.split(r"[,;]", text, maxsplit=1)[0]))


def _verb_start(text: str, attribution: _Attribution) -> int:
    found = text.find(attribution.frame.verb, attribution.start, attribution.end)
    return found if found >= 0 else attribution.start


def _no_statement(text: str, sentence_start: int, verb_start: int) -> bool:
    """Whether the words before a reporting verb deny it a statement ("declined to say", "than McKinley said")."""
    return bool(_NO_STATEMENT_BEFORE.search(text[max(sentence_start, verb_start - 80) : verb_start]))


def _parsed_attributions(article: Article, attributions: list[_Attribution], marks: list[_Marks], linked: set[int]) -> list[_Attribution]:
    """Reported statements the parser finds (`_clauses.py`), in the sentences where a reporting verb
    stands outside quotation marks and outside every attribution the patterns completed (linked
    to a quotation, or with content of their own). A statement whose verb a pattern holds gives
    that attribution its content; the others become attributions of their own."""
    text = article.text
    done = [a for a in attributions if id(a) in linked or a.content is not None]
    sentences = [
        s for s in article.sentences
        if not s.heading and any(
            not _inside(v, marks) and not any(a.start <= v < a.end for a in done) for v in candidate_verbs(text, s.start, s.end)
        )
    ]
    added = []
    for clause in reported_clauses(article, sentences):
        if _inside(clause.verb[0], marks):
            continue
        owner = next((a for a in attributions if a.start <= clause.verb[0] < a.end), None)
        if owner is not None:
            owner.parsed = clause.content
            speaker = owner.span(owner.frame.speaker)
            if clause.speaker and speaker and not (clause.speaker[0] < speaker[1] and speaker[0] < clause.speaker[1]):
                # The pattern took a word next to the verb ("Esper on Wednesday accused"); the
                # parse knows the subject.
                owner.frame = replace(owner.frame, speaker=(clause.speaker[0] - owner.offset, clause.speaker[1] - owner.offset))
            continue
        sentence = article.sentence_at(clause.verb[0])
        if clause.speaker and not _speaker_like(article, clause.speaker):
            continue  # "Which is not to say that ...", "Blood tests revealed that ...": nobody speaks
        if _no_statement(text, sentence.start if sentence else 0, clause.verb[0]) or PASSIVE.search(text, max(0, clause.verb[0] - 12), clause.verb[0]):
            continue  # "... were accused of concealing": nobody is said to speak
        start = min(clause.verb[0], clause.speaker[0]) if clause.speaker else clause.verb[0]
        frame = Frame(start, clause.verb[1], text[clause.verb[0] : clause.verb[1]], clause.speaker, None, clause.apposition)
        attribution = _Attribution(frame, 0, sentence.paragraph if sentence else 0, parsed=clause.content)
        attribution.content = _reported_content(article, attribution, marks)
        added.append(attribution)
    return added


_SPEAKING_LABELS = frozenset("PERSON ORG GPE NORP".split())
_SPEAKING_WORDS = re.compile(
    r"\b(?:" + ROLE_NOUNS + "|" + GROUP_NOUNS + "|" + DOCUMENT_NOUNS + r"|study|survey|paper|data|governments|sides|[\w-]*year-old)s?\b", re.I  # "The authors argued"
)


def _speaker_like(article: Article, span: tuple[int, int]) -> bool:
    """Whether the parser's subject can be someone who speaks: a recognized person, body or place
    (a government), he/she/they/it, or a phrase headed by a role, group or document word."""
    start, end = span
    if any(f == "text" and label in _SPEAKING_LABELS and s < end and start < e for f, s, e, label in article.named_entities):
        return True
    expression = article.text[start:end]
    words = expression.split()
    sentence = article.sentence_at(start)
    named = any(w[:1].isupper() for w in words[1:]) or (words[0][:1].isupper() and sentence is not None and sentence.start < start)
    return words[0].lower() in ("he", "she", "they", "it") or named or bool(_SPEAKING_WORDS.search(expression))


def _parsed_content(attribution: _Attribution, marks: list[_Marks], quotes: list[Quote]) -> tuple[int, int] | None:
    """The parser's content for an attribution, unless it is mostly quotation (the quotation is
    reported as such) or repeats a statement already reported."""
    if attribution.parsed is None:
        return None
    start, end = attribution.parsed
    if _mostly_quoted(start, end, marks):
        return None
    if any(q.kind == "reported" and q.start < end and start < q.end for q in quotes):
        return None
    return start, end


def _words_outside(text: str, start: int, end: int, marks: list[_Marks]) -> int:
    """Words of text[start:end] outside quotation marks, bare conjunctions and "that" left out:
    'he was “just trying”' has two, '“We will stay,” and “we will win”' none."""
    pieces, position = [], start
    for mark in sorted((m for m in marks if m.outer_start < end and start < m.outer_end), key=lambda m: m.outer_start):
        pieces.append(text[position : max(position, mark.outer_start)])
        position = max(position, mark.outer_end)
    pieces.append(text[position:end])
    return sum(1 for w in " ".join(pieces).split() if w.strip(",.;:—–-").lower() not in _NOT_CONTENT_WORDS)


_NOT_CONTENT_WORDS = frozenset(["", "that", "and", "but", "or"])


def _touches_marks(span: tuple[int, int], marks: list[_Marks]) -> bool:
    return any(m.outer_start < span[1] and span[0] < m.outer_end for m in marks)


def _mostly_quoted(start: int, end: int, marks: list[_Marks]) -> bool:
    """Whether quotation marks cover more than half of text[start:end]."""
    return sum(max(0, min(end, m.outer_end) - max(start, m.outer_start)) for m in marks) > 0.5 * (end - start)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " ,;:—–-":
        start += 1
    while end > start and text[end - 1] in " ,;:.—–-":
        end -= 1
    return start, end


class QuoteFinder:
    """Pipeline component: fills `quotes` of every article."""

    name = "quotes"
    per_article = True

    def __call__(self, comparison: Comparison) -> None:
        for article in comparison.articles:
            article.quotes = extract_quotes(article)
