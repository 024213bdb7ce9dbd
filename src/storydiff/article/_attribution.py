"""Attribution frames: where a sentence says who says something, and through whom.

    "Khalaf told Kuwait's al-Sabah newspaper on Sunday that ..."      speaker, verb, via
    "... al-Mawazin news agency quoted Major General ... as saying"   via, verb, speaker
    "..., the senior Iraqi military official concluded."              speaker, verb
    "..., according to a statement from her office."                  via (a document)

Two stages read these frames: alignment discounts their words (two outlets quoting one spokesman
on two matters share his name and title, which must not make the statements look alike), and
quote extraction takes speakers and intermediaries from them.

Found by pattern, not by a parser: spaCy's parser would cost more than the whole comparison's time
budget, and reporting clauses in news are formulaic enough for patterns to find them. The patterns
cover English news usage; what they miss, quote extraction reports without a speaker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# Reporting verbs. Present-tense forms that are also common plural nouns ("neighbouring states",
# "his notes", "the reports") are left out: after a noun phrase they would be read as verbs.
SPEECH_VERBS = (
    "said|says|say|told|tells|added|adds|noted|stated|warned|warns|explained|explains|"
    "concluded|concludes|announced|announces|declared|declares|insisted|insists|argued|argues|claimed|"
    "wrote|writes|tweeted|tweets|replied|confirmed|confirms|denied|denies|acknowledged|acknowledges|"
    "reported|emphasized|emphasised|emphasizes|stressed|stresses|urged|urges|asked|asks|"
    "admitted|admits|predicted|predicts|recalled|suggested|suggests|maintained|maintains|"
    "disclosed|revealed|reveals|estimated|cautioned|vowed|vows|pledged|"
    "promised|complained|complains|observed|commented|continued|went on|called|pointed out|points out|"
    "quipped|joked|ordered|shouted|shouts|yelled|wondered|recounted|boasted|conceded|countered|responded|answered|"
    "accused|accuses|indicated|indicates|recognized|recognizes|chanted|chant|"
    "exclaimed|lamented|mused|posted|remarked|reiterated|testified|hinted|alleged|alleges|described|describes|"
    "mentioned|ruled|weighed in|"
    "is quoted as saying|was quoted as saying"
)
# Role words: what a description standing for a speaker ends in ("the spokesman", "an Iraqi security
# source", "the 78-year-old politician", "the city's fire and rescue service"), for a person or for a body.
PERSON_ROLES = frozenset(
    """actor actress adviser advisor aide ambassador analyst attorney author chair chairman chairwoman chief
    co-author coach commander congressman congresswoman diplomat director doctor driver economist employee
    envoy executive expert father fellow fisherman founder friend general governor head insider inspector
    judge lawmaker lawyer leader man manager mayor member minister mother neighbor neighbour nurse officer
    official ombudsman owner person pilot player politician president professor prosecutor representative
    researcher resident scientist secretary senator sheriff singer spokesman spokesperson spokeswoman star
    strategist student survivor teacher trader user victim witness woman worker""".split()
)
ORGANIZATION_ROLES = frozenset(
    """administration agency airline army association authorities authority automaker bank board brand brokerage business
    campaign carmaker carrier chain charity club coalition commission committee company council court department
    developer district firm foundation government group hospital institute insurer lab label laboratory lender
    league maker manufacturer military ministry network office operator organisation organization panel party
    police publisher regulator retailer school service studio team union university utility""".split()
)
# Plurals and documents that also head speaker descriptions ("officials", "the statement").
_OTHER_ROLES = frozenset(
    """aides analysts diplomats experts investigators lawmakers members officers officials people prosecutors
    release rep report residents source sources spokespeople statement survivors witnesses""".split()
)
ROLE_NOUNS = "|".join(sorted(PERSON_ROLES | ORGANIZATION_ROLES | _OTHER_ROLES, key=lambda w: (-len(w), w)))
MEDIA_NOUNS = "news agency|newspaper|agency|channel|broadcaster|radio(?: station)?|television|TV|magazine|website|daily|outlet|network|station"
# What a speaker issues (credited to whoever issued it), and every channel words come through.
ISSUED_NOUNS = "statement|news release|press release|release|letter|post|tweet|email|e-mail|memo"
DOCUMENT_NOUNS = (
    ISSUED_NOUNS + "|report|interview|briefing|filing|remarks|comments|speech|address|podcast|press conference|news conference"
)

# One word of a name: initials ("A.", "U.S."), a capitalised word ("Abdul-Karim", "Kuwait's"),
# a brand's exclamation mark ("E! News", "Yahoo! Finance"), or a lower-case particle inside a name
# ("al-Sabah", "bin", "van").
NAME_WORD = r"(?:(?:Lt|Gov|Sen|Rep|Dr|Mr|Mrs|Ms|Sgt|Capt|Col|Gen|Maj|Cpl|Adm|Supt|Det|Insp|Prof|Rev|Hon)\.|(?:[A-Z]\.)+|[A-Z][\w-]*\.(?:com|org|net)\b|[A-Z][\w'’-]*!(?=[^\S\n]+[A-Z])|[A-Z][\w'’-]*[\w’']|[A-Z]|(?:al|el|ad|as)-[\w'’-]+)"
_PARTICLE = r"(?:bin|ibn|de|van|von|da|di|le|del|der|al|el)\b"
_GAP = r"[^\S\n]+"  # spaces within a line: a name never runs across a line break
NAME = r"\b" + NAME_WORD + r"(?:" + _GAP + r"(?:" + NAME_WORD + r"|" + _PARTICLE + r"))*"
_NAME_WORD = NAME_WORD
# Joiners only inside a name: "Businesses and residents" is no name "Businesses and".
_NAME = NAME_WORD + r"(?:" + _GAP + r"(?:" + NAME_WORD + r"|" + _PARTICLE + r"|(?:of|the|for|and)\b(?=" + _GAP + r"(?:[A-Z]|the\b|&))|&))*"
# "Kuwait's al-Sabah newspaper", "Arabic-language al-Mawazin news agency", "local radio station WKPT"
_MEDIA = (  # one group: it is spliced into longer patterns
    r"(?:(?:(?:the|a|an|local|state|state-run|semi-official)\s+)*(?:[\w'’-]+\s+){0,4}?(?:" + MEDIA_NOUNS + r")(?:\s+" + _NAME + r")?"
    r"|(?:the\s+)?" + _NAME + r"(?:\s+(?:" + MEDIA_NOUNS + r"))?)"
)
_DESCRIPTION = (
    r"(?:[Tt]he|[Aa]n?|[Hh]is|[Hh]er|[Tt]heir|[Ii]ts|" + _NAME_WORD + r"[’']s)\s+(?:[\w'’-]+\s+){0,6}?(?:" + ROLE_NOUNS + r")\b"
    r"(?:\s+(?:for|of|at|in|to)\s+(?:the\s+)?(?:" + _NAME + r"|(?:[a-z][\w-]+\s+){0,2}[a-z][\w-]+))?"  # "deputy director of public prosecutions"
)
# People spoken of as a group, unnamed: "officials", "US officials", "health bosses", "some deportees".
GROUP_NOUNS = (
    "officials|sources|analysts|experts|witnesses|residents|police|authorities|forces|investigators|prosecutors|"
    "aides|diplomats|lawmakers|critics|observers|people|insiders|groups|activists|protesters|organizers|organisers|"
    "scientists|researchers|doctors|consumers|users|fans|teachers|workers|officers|troops|soldiers|agents|"
    "firefighters|rescuers|paramedics|bosses|leaders|members|students|companies|deportees|unions|parents|voters|"
    "advisers|advisors|executives|economists|chiefs|spokespeople|representatives|negotiators|regulators|traders"
)
_BARE_GROUP = (  # a lower-case modifier is no conjunction: "when authorities announced" is "authorities"
    r"(?:(?:[A-Z][\w-]*|(?!(?:when|though|although|while|as|and|but|or|if|because|that|which|after|before|since|where|until)\b)[a-z]+)\s+)?"
    r"(?:" + GROUP_NOUNS + r")\b"
    r"(?:\s+(?:familiar with|close to|briefed on|with knowledge of|involved in|who)\s+(?:[\w'’-]+\s+){0,3}[\w'’-]+"
    r"|\s+(?:in|at|from)\s+(?:the\s+)?" + _NAME + r")?"  # "officials in Kabul"
)
_PRONOUN = r"(?:[Hh]e|[Ss]he|[Tt]hey|[Ii]t|[Ss]ome|[Mm]any|[Oo]thers|[Ss]everal|[Mm]ost)\b"
# Any noun phrase opened by a determiner, when a reporting verb follows it at once: "an officer
# said", "one user quipped", "the insider added".
_ANY_DESCRIPTION = r"\b(?:[Tt]he|[Aa]n?|[Oo]ne|[Aa]nother|[Hh]is|[Hh]er|[Tt]heir|[Ii]ts|[Bb]oth|[Tt]hose)\s+(?:[“\"]?[\w'’-]+[”\"]?\s+){0,4}?(?!(?:and|or|but|then|that|who|which)\b)(?:[a-z][\w'’-]+|\d+-year-old\b)"
# A role written before a name in lower case: "White House press secretary Stephanie Grisham".
_ROLE_NAME = r"(?:" + _NAME + r"\s+)?(?:[a-z][\w-]*\s+){0,3}?(?:" + ROLE_NOUNS + r"|secretary|coach|manager|attorney|lawyer|executive|founder|CEO)\s+" + _NAME
# A name with the body it belongs to: "Lt. Col. Mara Quist of the harbour police", "Ivo Lenz of the Westport Observatory".
_NAME_OF = (
    r"(?:" + _ROLE_NAME + r"|" + NAME + r")\s+(?:of|at|from|with)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,3}?"
    r"(?:" + "|".join(sorted(ORGANIZATION_ROLES)) + r"|" + _NAME + r")\b"
)
# \b: a determiner never starts inside a word ("Afghan President ..." is not "an President ...").
SPEAKER = r"(?<!['’-])\b(?:" + NAME + r"\s+and\s+(?:his|her|their)\s+(?:team|colleagues|co-authors|co-workers)\b|" + NAME + r"\s+and\s+" + NAME + r"(?=\s+(?:[a-z]+\s+){0,2}(?:" + SPEECH_VERBS + r")\b)|" + _NAME_OF + r"|" + _PRONOUN + r"|" + _DESCRIPTION + r"|" + _BARE_GROUP + r"|" + _ROLE_NAME + r"|" + _NAME + r")"
# Between a speaker and the verb: an apposition ("Mayer, Disney's chairman of ..., said").
# One that opens with an article may hold commas: "Dylan Nelson, a fellow at the institute in Munich, Germany, said".
# Two may follow each other: "Jeff Sanborn, president of Chapter & Verse, a Spokane design agency, said".
_APPOSITION = r"(?:,\s+(?!(?:but|and|or|so|yet|while|because|although|though|if|when|as)\b)(?P<appos>[a-z][^,;“”\"]{0,150},\s+(?:an?|the)\s[^,;“”\"\n]{1,150}|[^,;“”\"]{1,150}|(?:an?|the)\s[^;“”\"\n]{1,200}?),)?"

_VERB = r"(?P<verb>(?:" + SPEECH_VERBS + r"))\b"
# After an inverted verb, lower-case words before a name are a title of any trade: "said planetary
# geologist Rosaly Lopes", "says study co-author Anezina Solomonidou" (never "said on Tuesday").
_INVERTED_TITLE = (
    r"(?:(?:(?!(?:on|in|at|the|a|an|of|to|for|by|with|from|that|this|last|early|late|earlier|and|or|but|as|after|before|when|while)\b)"
    r"[a-z0-9][\w-]*\s+){1,4}(?=" + NAME_WORD + r"))?"
)
# Auxiliaries and adverbs between a speaker and the verb: "have twice denied", "has also said".
_ADVERB = (
    r"(?:(?:has|have|had|will|would|also|later|further|then|previously|earlier|separately|again|once|twice|"
    r"repeatedly|publicly|reportedly|privately|recently|since|already|never|initially|first|last\s+\w+|flat-out|today|now|very|only|just|[a-z]+ly)\s+){0,3}"
)
_TOLD_VIA = r"(?:\s+(?P<via>" + _MEDIA + r"))?"
# "in an interview with X", "in a statement", "in remarks to X", "in his speech to X"
# Where posts are written: "on social media", "on X", "on Instagram".
PLATFORMS = (  # one group: it is spliced into longer patterns
    r"(?:(?:social\s+media|Twitter|X|Facebook|Instagram|TikTok|YouTube|Weibo|WeChat|Telegram|Threads|LinkedIn|Bluesky|Truth\s+Social|Reddit)\b"
    # any other by what it is: "the social network Chirper", "the messaging app Korra"
    r"|(?:the\s+)?(?:social\s+(?:network|media\s+(?:site|platform|app))|messaging\s+(?:app|service)|video(?:-sharing)?\s+(?:site|platform)|microblogging\s+(?:site|platform))\s+" + NAME + r")"
)
DOCUMENT = (
    r"(?:(?:an?|his|her|their|its)\s+)?(?:[\w-]+\.?\s+){0,2}?(?:" + DOCUMENT_NOUNS + r")"
    r"(?:\s+(?:with|to)\s+" + _MEDIA + r"|\s+on\s+" + PLATFORMS + r"|\s+to\s+(?:[\w'’-]+\s+){0,2}[\w'’-]+(?=\s+that\b))?"  # "a post on X", "a letter to ferry companies that"
)
# Where words were said, when the frame does not say through whom: "said at a news conference",
# "told a press briefing in Westport", "wrote on social media"; before the speaker: "Speaking to
# Solmark Radio, the coach said", "In a post on X, Reid said", "At a news conference, Reid said".
_VENUE_NOUNS = r"(?:news|press|media)\s+(?:conference|briefing)|briefing"
_VENUE = r"(?:an?|the|his|her|their|its)\s+(?:[\w-]+\s+){0,2}?(?:" + _VENUE_NOUNS + r")\b"
_VENUE_AFTER = re.compile(
    r"(?:\s+(?:on|early|late|last|this)\s+[A-Z]?[a-z]+)?\s+(?:(?:at|during|to)\s+(?P<venue>" + _VENUE + r")|on\s+(?P<platform>" + PLATFORMS + r"))"
)
_VENUE_TOLD = re.compile(r"\s+(?P<venue>" + _VENUE + r")")
_VENUE_BEFORE = re.compile(
    r"(?:^|(?<=[.!?]\s)|(?<=[.!?][”\"]\s))(?:(?:Speaking|Talking|Writing)\s+(?:to|with|on|in)\s+(?P<media>" + PLATFORMS + r"|" + _MEDIA + r")"
    r"|(?:In|At|During)\s+(?P<document>" + _VENUE + r"|" + DOCUMENT + r"))(?:\s+(?:on|in|at|last|this|late|early)\s+[\w'’-]+(?:\s+[A-Z][\w'’-]*)*)?"
    r"(?:\s+(?:shortly\s+|soon\s+|just\s+|hours\s+|minutes\s+)?(?:after|before)\s+[^,.;:“”\"]{1,60}?)?,\s+(?:(?:the|an?)\s+(?:[\w-]+\s+){0,3})?$"  # "..., the 52-year-old coach Tom Reid"
)
_DOCUMENT_VIA = r"(?:\s+in\s+(?P<via2>" + DOCUMENT + r"))?"
_CHANNEL_APPOSITION = re.compile(
    r"(?:in\s+(?P<document>" + DOCUMENT + r")|(?:speaking|talking)\s+(?:to|with)\s+(?P<media>" + _MEDIA + r"))(?:\s+(?:on|last|this)\s+[\w'’-]+)?"
)
# The channel after the verb's object, where a colon opens the words: "announced the walkout in a
# post on the social network Chirper: ..."
_OBJECT_THEN_DOCUMENT = re.compile(  # an issued channel ("a post", "her statement"), not "errors in the report:"
    r"\s+(?:[\w'’-]+\s+){1,5}?in\s+(?P<venue>(?:an?|his|her|their|its)\s+(?:[\w-]+\s+){0,2}?(?:" + ISSUED_NOUNS + r"|interview)"
    r"(?:\s+(?:with|to)\s+" + _MEDIA + r"|\s+on\s+" + PLATFORMS + r")?)(?=\s*:)"
)

# Nouns that report speech when a content clause follows them ("his vow that Britain would leave").
SPEECH_NOUNS = "announcement|vow|declaration|claim|claims|assertion|warning|pledge|promise|insistence|admission|acknowledgment|acknowledgement"
# Participles that attach speech to a sentence's subject: "Raab defended the party, saying ...".
PARTICIPLES = frozenset("saying adding arguing noting warning insisting claiming explaining stressing".split())

_FRAMES = (
    # A parenthetical credit: "As Lena Okafor reports for the Herald, CONTENT", "The disease, as the
    # agency explained, is rare", "Yersinia pestis, per the WHO, is found ..."
    re.compile(r"(?:(?<=^)|(?<=[\s(]))(?:[Aa]s\s+(?P<speaker>" + SPEAKER + r")\s+" + _ADVERB + r"(?P<verb>" + SPEECH_VERBS + r"|reports|notes|states|writes|explains)\b"
               r"(?:\s+(?:for|in|on|to)\s+(?P<via>" + _MEDIA + r"))?(?:\s+at\s+the\s+time)?"
               r"|(?<=,\s)(?P<verb2>per)\s+(?P<speaker2>(?:the\s+)?" + SPEAKER + r"))(?=\s*,\s)"),
    # "Noting that on Earth ..., Malaska asked": an opening participle, its subject after the statement
    # (the statement and the speaker are looked ahead to: the frame itself is the participle)
    re.compile(r"(?:^|(?<=[.!?]\s)|(?<=[.!?][”\"]\s))(?P<verb>" + "|".join(sorted(p.title() for p in PARTICIPLES)) + r")(?=\s+that\s+"
               r"[^;“”\"]{3,300}?,\s+(?P<speaker>" + SPEAKER + r")\s+" + _ADVERB + r"[a-z]+\b)"),
    # "al-Mawazin news agency quoted Major General Abdul Karim Khalaf as saying"
    re.compile(r"(?P<via>" + _MEDIA + r")\s+(?P<verb>quoted)\s+(?P<speaker>" + SPEAKER + r")\s+as\s+saying"),
    # "the unnamed source told Arabic-language al-Maalomah news agency in an exclusive interview"
    # "Ana Duarte, who heads the clinic, told the Coastline Daily"
    re.compile(r"(?P<speaker>" + SPEAKER + r")" + _APPOSITION + r"\s+" + _ADVERB + r"(?P<verb>told|tells)\s+(?P<via>" + _MEDIA + r")" + _DOCUMENT_VIA),
    # "the Electoral Commission, which regulates ..., issued a statement warning that ..."
    re.compile(r"(?P<speaker>" + SPEAKER + r")" + _APPOSITION + r"\s+" + _ADVERB + r"(?:issued|released|put\s+out|sent|published)\s+"
               r"(?P<via>(?:an?|its|their|his|her)\s+(?:[\w-]+\s+){0,2}?(?:" + ISSUED_NOUNS + r"))\s+"
               r"(?P<verb>saying|stating|warning|noting|arguing|insisting|claiming|adding)\b"),
    # "the news agency said, citing the regional health commission": the cited source speaks, the agency relays
    re.compile(r"(?P<via>" + SPEAKER + r")" + _APPOSITION + r"\s+" + _ADVERB + _VERB + r",\s+citing\s+(?P<speaker>(?:the\s+(?=[A-Z]))?" + SPEAKER + r")"),
    # "the spokesman said", "Khalaf noted", "the US coalition said in a news release",
    # "Mayor Lena Okafor, who declared a state of emergency overnight, called it",
    # "Lynn said, via the Los Angeles Times"
    re.compile(r"(?P<speaker>" + SPEAKER + r")" + _APPOSITION + r"\s+" + _ADVERB + _VERB + _DOCUMENT_VIA + r"(?:,?\s+via\s+(?P<via3>" + _MEDIA + r"))?"),
    # Present tenses that are also plural nouns, as verbs only before "that": "Deadline reports that ..."
    re.compile(r"(?P<speaker>" + SPEAKER + r")\s+" + _ADVERB + r"(?P<verb>reports|notes|states|advises|mentions|concludes|finds)(?=\s+that\b)"),
    # ... or before a clause of their own, by a name or a document: "CBS News reports the man was sentenced",
    # "The study found the mass could be reduced", "The CDC advises the earlier people seek treatment, the better"
    re.compile(r"(?P<speaker>" + NAME + r"|(?:[Tt]he|[Aa]|[Tt]hat|[Tt]his|[Ii]ts)\s+(?:new\s+|latest\s+)?(?:study|report|survey|analysis|paper|review|audit|research))"
               r"\s+(?P<verb>reports|claims|advises|found|finds|shows|showed)(?=\s+(?:the|a|an|its|their|his|her|it|he|she|they|there|[A-Z][\w'’-]*|[a-z]+s)\s"
               r"[^.;:“”\"]{0,80}?\b(?:is|are|was|were|will|would|had|has|have|can|could|should|may|might|must|did|does|do|didn[’']t|don[’']t|doesn[’']t|isn[’']t|aren[’']t|wasn[’']t|weren[’']t|won[’']t|seek|need)\b)"),
    # "the statement read": a document's words
    re.compile(r"(?P<speaker>(?:[Tt]he|[Aa]n?|[Ii]ts|[Hh]is|[Hh]er|[Tt]heir)\s+(?:[\w-]+\s+){0,2}?(?:" + ISSUED_NOUNS + r"))\s+(?P<verb>read|reads)\b"),
    # "an officer said", "one user quipped"
    re.compile(r"(?P<speaker>" + _ANY_DESCRIPTION + r")\s+" + _ADVERB + _VERB),
    # "the country's chief epidemiologist, Dr. Sunniva Roos, said in an interview with Northgate TV":
    # a description of any trade, then the name, who speaks
    re.compile(r"(?:" + _ANY_DESCRIPTION + r"),\s+(?P<speaker>" + NAME + r"),\s+" + _ADVERB + _VERB + _DOCUMENT_VIA),
    # inverted, after a quote: "...,” said the spokesman." / "...,” said Khalaf, who ..." / '"...", says WHO.'
    re.compile(r"(?:(?<=[”\"’']\s)|(?<=[”\"’'],\s))(?P<verb>" + SPEECH_VERBS + r"|comments|notes|states|recalls|continues|reports)\b"
               r"\s+(?P<speaker>(?:the\s+(?=[A-Z]))?" + _INVERTED_TITLE + SPEAKER + r")"),
    # inverted, after reported speech: "..., said Juan Perez, a trader at ..." / "..., say officials."
    re.compile(r"(?<=,\s)(?P<verb>said|says|say|added|adds|wrote|writes|noted|notes|explained|warned|reported|reports|announced|told)"
               r"\s+(?P<speaker>(?:the\s+(?=[A-Z]))?" + _INVERTED_TITLE + SPEAKER + r")(?=\s*(?:[,.;]|$)|\s+(?:in|on|at|during|via|last|this|earlier|late|who)\b)"),
    # "according to the city's fire and rescue service", "according to a statement from her office",
    # "according to data from MarketAxess"
    re.compile(r"(?P<verb>[Aa]ccording to)\s+(?:(?:the\s+|an?\s+)?(?:new\s+|official\s+|latest\s+)?(?:data|figures|statistics|numbers|estimates|reports?|study|survey|analysis|poll)\s+(?:from|by)\s+"
               r"|(?P<via>(?:an?|the)\s+(?:[\w-]+\s+)?(?:" + ISSUED_NOUNS + r"))\s+(?:from|by|issued by)\s+(?=[A-Z]|the\s+[A-Z]))?"
               r"(?P<speaker>(?:the\s+(?=[A-Z]))?" + SPEAKER + r"(?:\s+from\s+(?:his|her|their|its|the)\s+\w+)?)"),
    # Whatever else "according to" credits, up to the end of its phrase: "according to the state-run
    # Xinhua News Agency", "according to evidence presented at trial" (tried after the patterns above).
    re.compile(r"(?P<verb>[Aa]ccording to)\s+(?P<speaker>[^,.;:“”\"\n]{2,80}?)(?=\s*(?:[,;:]|\.(?:\s|$)|$))"),
    # A speech noun with its content clause: "Van Der Beek's announcement that ...", "his vow that ...",
    # "a declaration by China's health chiefs that ..."
    re.compile(r"(?P<speaker>(?:[Hh]is|[Hh]er|[Tt]heir|[Ii]ts)(?=\s)|" + NAME + r"(?=['’]s\s))(?:['’]s)?\s+(?:[\w-]+\s+){0,2}?"
               r"(?P<verb>" + SPEECH_NOUNS + r")(?=\s+that\b)"),
    re.compile(r"(?P<verb>" + SPEECH_NOUNS + r")\s+by\s+(?P<speaker>(?:the\s+(?=[A-Z]))?" + SPEAKER + r")(?=\s+that\b)"),
    # "with Foreign Minister Ayman Safadi warning of ...": the participle's own subject
    re.compile(r"\bwith\s+(?P<speaker>" + SPEAKER + r")\s+(?P<verb>" + "|".join(sorted(PARTICIPLES)) + r")\b"),
    # ", telling the Kestrel Gazette: ...": the sentence's subject speaks, through the outlet named
    re.compile(r",\s+(?P<verb>telling)\s+(?P<via>" + _MEDIA + r")(?=\s*[:,]|\s+(?:that|in|on)\b)"),
    # ", saying the Twitter account was ...": the speaker is the sentence's subject
    re.compile(r",\s+(?P<verb>" + "|".join(sorted(PARTICIPLES)) + r")\b"),
    # "... accused the UK of meddling and warned that ...": a second verb of the sentence's subject
    re.compile(r"(?:(?<=\band )|(?<=\bbut ))(?P<verb>" + SPEECH_VERBS + r")\b(?=\s+(?:that\b|[“\"]))"),
)
# What a speaker group must not be: words that open sentences and clauses, not people.
_NOT_SPEAKERS = frozenset(
    "the a an in on at but and or for to from with by as if when while after before this that these those "
    "separately currently instead later meanwhile however also there here it's what who which".split()
)


@dataclass(frozen=True)
class Frame:
    """One attribution in a text: character spans (relative to the text given) of its parts."""

    start: int
    end: int
    verb: str
    speaker: tuple[int, int] | None
    via: tuple[int, int] | None
    apposition: tuple[int, int] | None = None  # "Dick Clark Productions" in "The company ..., Dick Clark Productions, said"


# Before a name: where something was published, never who speaks.
_PUBLISHED_IN = re.compile(r"(?:\b(?:published|printed|appeared)\s+in\s+(?:the\s+)?|\b(?:in|by)\s+the\s+(?:journal|magazine)\s+)$")
PASSIVE = re.compile(r"\b(?:be|been|being|is|are|was|were)\s+$")


@lru_cache(maxsize=4096)
def find_frames(text: str) -> tuple[Frame, ...]:
    """Attribution frames of one sentence or paragraph, in order, without overlaps."""
    found: list[Frame] = []
    for pattern in _FRAMES:
        for match in pattern.finditer(text):
            groups = match.groupdict()
            speaker_group, verb_group = ("speaker2", "verb2") if groups.get("verb2") else ("speaker", "verb")
            speaker = match.span(speaker_group) if groups.get(speaker_group) else None
            written = text[speaker[0] : speaker[1]] if speaker else ""
            if written.lower() in _NOT_SPEAKERS and not (len(written) > 1 and written.isupper()):  # "WHO" speaks
                continue
            if PASSIVE.search(text, max(0, match.start(verb_group) - 12), match.start(verb_group)):
                continue  # "a third case has been reported": nobody is said to speak
            if speaker and speaker[1] <= match.start(verb_group) and _PUBLISHED_IN.search(text, 0, speaker[0]):
                continue  # "The authors of the research published in the journal Coastal Medicine argued": not the journal
            via_group = next((g for g in ("via", "via2", "via3") if groups.get(g)), None)
            via = _trim_period(text, match.span(via_group)) if via_group else None
            speaker = _trim_period(text, speaker) if speaker else None
            end = max(span[1] for span in (match.span(verb_group), speaker, via) if span)
            if speaker and speaker[0] >= match.end():
                end = match.end()  # a speaker looked ahead to is not part of the frame ("Noting that ..., Malaska asked")
            if via is None:
                via = _venue(text, match.start(), end, groups[verb_group], speaker)
            apposition = match.span("appos") if groups.get("appos") else None
            if apposition and via is None and (channel := _CHANNEL_APPOSITION.fullmatch(text, *apposition)):
                # "Birgit Solvang, in an interview with the Meridian Business Daily, said": a channel, not who she is
                via, apposition = channel.span("document" if channel.group("document") else "media"), None
            frame = Frame(match.start(), end, groups[verb_group], speaker, via, apposition)
            if not any(f.start < frame.end and frame.start < f.end for f in found):
                found.append(frame)
    return tuple(sorted(found, key=lambda f: f.start))


def _venue(text: str, start: int, end: int, verb: str, speaker: tuple[int, int] | None) -> tuple[int, int] | None:
    """The news conference, briefing or platform a frame's words were given at (`_VENUE_AFTER`), or None."""
    found = (_VENUE_TOLD if verb.lower() in ("told", "tells") else _VENUE_AFTER).match(text, end)
    if found:
        return found.span("venue") if found.group("venue") else found.span("platform")
    found = _OBJECT_THEN_DOCUMENT.match(text, end)
    if found:
        return found.span("venue")
    if speaker and speaker[0] == start:  # "Speaking to Solmark Radio, the coach said": before the speaker
        found = _VENUE_BEFORE.search(text[max(0, start - 160) : start])
        if found:
            offset = max(0, start - 160)
            group = "media" if found.group("media") else "document"
            return _trim_period(text, (offset + found.start(group), offset + found.end(group)))
    return None


_KEEP_PERIOD = re.compile(r"(?:\b(?:[A-Z]\.)+|\b(?:Jr|Sr|Inc|Ltd|Co|Corp|St)\.)$")


def _trim_period(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """Drop a sentence's full stop caught by a name ("station WKPT."); keep initials ("U.S.")."""
    start, end = span
    if end > start and text[end - 1] == "." and not _KEEP_PERIOD.search(text[start:end]):
        end -= 1
    return start, end


def attribution_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the attributions in `text`, in order."""
    return [(f.start, f.end) for f in find_frames(text)]
