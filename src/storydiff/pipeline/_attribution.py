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

SPEECH_VERBS = (
    "said|says|say|told|tells|added|adds|noted|notes|stated|states|warned|warns|explained|explains|"
    "concluded|concludes|announced|announces|declared|declares|insisted|insists|argued|argues|claimed|claims|"
    "wrote|writes|tweeted|tweets|replied|replies|confirmed|confirms|denied|denies|acknowledged|acknowledges|"
    "reported|reports|emphasized|emphasised|emphasizes|stressed|stresses|urged|urges|asked|asks|"
    "admitted|admits|predicted|predicts|recalled|recalls|suggested|suggests|told|maintained|maintains|"
    "disclosed|revealed|reveals|estimated|estimates|cautioned|cautions|vowed|vows|pledged|pledges|"
    "promised|promises|complained|complains|observed|commented|comments|continued|went on|called|calls|"
    "will say|would say|has said|have said|had said|is quoted as saying|was quoted as saying"
)
# Nouns that head a description standing for a speaker ("the spokesman", "an Iraqi security
# source", "the 78-year-old politician", "the city's fire and rescue service").
ROLE_NOUNS = (
    "spokesman|spokeswoman|spokesperson|official|officials|source|sources|minister|president|leader|"
    "politician|commander|general|analyst|analysts|expert|experts|lawmaker|lawmakers|diplomat|diplomats|"
    "mayor|governor|senator|congressman|congresswoman|ambassador|envoy|chief|director|head|chairman|"
    "chairwoman|chair|secretary|adviser|advisor|aide|aides|officer|officers|witness|witnesses|resident|"
    "residents|survivor|survivors|fisherman|man|woman|person|people|member|members|representative|"
    "company|firm|operator|group|ministry|department|agency|office|police|army|military|coalition|"
    "government|administration|service|authority|authorities|council|court|prosecutor|prosecutors|"
    "investigators|statement|report|release|spokespeople|campaign|team|union|party|board|panel"
)
MEDIA_NOUNS = "news agency|newspaper|agency|channel|broadcaster|radio(?: station)?|television|TV|magazine|website|daily|outlet|network|station"
DOCUMENT_NOUNS = "statement|news release|press release|release|report|interview|briefing|post|tweet|letter|filing|memo"

# One word of a name: initials ("A.", "U.S."), a capitalised word ("Abdul-Karim", "Kuwait's"),
# or a lower-case particle inside a name ("al-Sabah", "bin", "van").
NAME_WORD = r"(?:(?:[A-Z]\.)+|[A-Z][\w'’-]*[\w’']|[A-Z]|(?:al|el|ad|as)-[\w'’-]+)"
_PARTICLE = r"(?:bin|ibn|de|van|von|da|di|le|del|der|al|el)\b"
NAME = r"\b" + NAME_WORD + r"(?:\s+(?:" + NAME_WORD + r"|" + _PARTICLE + r"))*"
_NAME_WORD = NAME_WORD
_NAME = NAME_WORD + r"(?:\s+(?:" + NAME_WORD + r"|" + _PARTICLE + r"|of\b|the\b|for\b|and\b|&))*"
# "Kuwait's al-Sabah newspaper", "Arabic-language al-Mawazin news agency", "local radio station WKPT"
_MEDIA = (
    r"(?:(?:the|a|an|local|state|state-run|semi-official)\s+)*(?:[\w'’-]+\s+){0,4}?(?:" + MEDIA_NOUNS + r")(?:\s+" + _NAME + r")?"
    r"|(?:the\s+)?" + _NAME + r"(?:\s+(?:" + MEDIA_NOUNS + r"))?"
)
_DESCRIPTION = (
    r"(?:[Tt]he|[Aa]n?|[Hh]is|[Hh]er|[Tt]heir|[Ii]ts|" + _NAME_WORD + r"[’']s)\s+(?:[\w'’-]+\s+){0,6}?(?:" + ROLE_NOUNS + r")\b"
    r"(?:\s+(?:for|of|at|in)\s+(?:the\s+)?" + _NAME + r")?"
)
_BARE_GROUP = r"(?:(?:[A-Z][\w-]*|[a-z]+)\s+)?(?:officials|sources|analysts|experts|witnesses|residents|police|authorities|forces|investigators|prosecutors|aides|diplomats|lawmakers)\b"
_PRONOUN = r"(?:[Hh]e|[Ss]he|[Tt]hey|[Ii]t)\b"
SPEAKER = r"(?:" + _PRONOUN + r"|" + _DESCRIPTION + r"|" + _BARE_GROUP + r"|" + _NAME + r")"

_VERB = r"(?P<verb>(?:" + SPEECH_VERBS + r"))\b"
_ADVERB = r"(?:(?:also|later|further|then|previously|earlier|separately|again|once)\s+)?"
_TOLD_VIA = r"(?:\s+(?P<via>" + _MEDIA + r"))?"
_DOCUMENT_VIA = r"(?:\s+in\s+(?P<via2>an?\s+(?:[\w-]+\s+){0,2}?(?:" + DOCUMENT_NOUNS + r")(?:\s+(?:with|to)\s+" + _MEDIA + r")?))?"

_FRAMES = (
    # "al-Mawazin news agency quoted Major General Abdul Karim Khalaf as saying"
    re.compile(r"(?P<via>" + _MEDIA + r")\s+(?P<verb>quoted)\s+(?P<speaker>" + SPEAKER + r")\s+as\s+saying"),
    # "the unnamed source told Arabic-language al-Maalomah news agency in an exclusive interview"
    re.compile(r"(?P<speaker>" + SPEAKER + r")\s+" + _ADVERB + r"(?P<verb>told|tells)\s+(?P<via>" + _MEDIA + r")" + _DOCUMENT_VIA),
    # "the spokesman said", "Khalaf noted", "the US coalition said in a news release",
    # "Mayor Lena Okafor, who declared a state of emergency overnight, called it"
    re.compile(r"(?P<speaker>" + SPEAKER + r")(?:,\s+(?:who|which)\s+[^,;“\"]{1,80},)?\s+" + _ADVERB + _VERB + _DOCUMENT_VIA),
    # inverted, after a quote: "..., said the spokesman." / "..., said Khalaf, who ..."
    re.compile(r"(?<=[,”\"’]\s)" + _VERB + r"\s+(?P<speaker>" + SPEAKER + r")"),
    # "according to the city's fire and rescue service", "according to a statement from her office"
    re.compile(r"(?P<verb>[Aa]ccording to)\s+(?P<speaker>" + SPEAKER + r"(?:\s+from\s+(?:his|her|their|its|the)\s+\w+)?)"),
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


@lru_cache(maxsize=4096)
def find_frames(text: str) -> tuple[Frame, ...]:
    """Attribution frames of one sentence or paragraph, in order, without overlaps."""
    found: list[Frame] = []
    for pattern in _FRAMES:
        for match in pattern.finditer(text):
            groups = match.groupdict()
            speaker = match.span("speaker") if groups.get("speaker") else None
            if speaker and text[speaker[0] : speaker[1]].lower() in _NOT_SPEAKERS:
                continue
            via_group = "via" if groups.get("via") else "via2" if groups.get("via2") else None
            via = _trim_period(text, match.span(via_group)) if via_group else None
            speaker = _trim_period(text, speaker) if speaker else None
            end = max(span[1] for span in (match.span("verb"), speaker, via) if span)
            frame = Frame(match.start(), end, groups["verb"], speaker, via)
            if not any(f.start < frame.end and frame.start < f.end for f in found):
                found.append(frame)
    return tuple(sorted(found, key=lambda f: f.start))


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
