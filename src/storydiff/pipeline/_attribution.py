"""Where a sentence says who says something: "Khalaf told Kuwait's al-Sabah newspaper",
"al-Mawazin news agency quoted Major General Abdul Karim Khalaf as saying", "according to officials".

Alignment compares what is said, not who says it: two outlets quoting one spokesman on two
different matters share his name and title, and that must not make the statements look alike.
These spans (the speaker, any intermediary, and the reporting verb) are found by pattern, which
is enough to discount their words; quote extraction builds its own, fuller analysis.
"""

from __future__ import annotations

import re

SPEECH_VERBS = (
    "said|says|say|told|tells|added|adds|noted|notes|stated|states|warned|warns|explained|explains|"
    "concluded|announced|announces|declared|declares|insisted|insists|argued|argues|claimed|claims|"
    "wrote|writes|tweeted|replied|confirmed|confirms|denied|denies|acknowledged|acknowledges|"
    "reported|reports|quoted|quotes|cited|cites|emphasized|emphasised|stressed|stresses|urged|urges"
)
# A name or description: capitalised words, with the particles and joiners names carry
# ("Abdul-Karim Khalaf", "al-Mawazin", "Kuwait's al-Sabah newspaper", "the senior Iraqi military official").
_NAME_WORD = r"(?:[A-Z][\w'’.-]*|al-[\w'’-]+|el-[\w'’-]+|bin|ibn|de|van|von)"
_NAME = _NAME_WORD + r"(?:\s+(?:" + _NAME_WORD + r"|of|the|for|and))*"
_DESCRIPTION = r"(?:the|an?|his|her|their)\s+(?:[\w'’-]+\s+){0,5}?(?:spokesman|spokeswoman|spokesperson|official|officials|source|sources|minister|ministry|president|leader|agency|newspaper|paper|channel|statement|release|politician|commander|general|analyst|expert|lawmaker|diplomat)"
_SPEAKER = r"(?:" + _NAME + r"(?:\s+(?:news agency|newspaper|agency|said))?|" + _DESCRIPTION + r"|he|she|they|it|officials|sources)"
_OUTLET = r"(?:(?:the\s+)?(?:[A-Z][\w'’.-]*\s+){0,4}(?:[\w-]+\s+)?(?:news agency|newspaper|agency|channel|broadcaster|radio|television|TV|magazine|website)|" + _NAME + r")"

_PATTERNS = [
    # "the spokesman said", "Khalaf noted", "al-Mawazin news agency quoted"
    re.compile(r"\b" + _SPEAKER + r"\s+(?:(?:also|later|further|then)\s+)?(?:" + SPEECH_VERBS + r")\b"),
    # "Khalaf told Kuwait's al-Sabah newspaper": the object of "told" is an intermediary
    re.compile(r"\b" + _SPEAKER + r"\s+(?:told|tells)\s+" + _OUTLET),
    # "quoted Major General Abdul Karim Khalaf as saying", "according to the coalition"
    re.compile(r"\b(?:quoted|quoting|according to|cited|citing)\s+" + _SPEAKER + r"(?:\s+as\s+saying)?"),
    # inverted, closing a quote: "..., said the spokesman."
    re.compile(r"\b(?:" + SPEECH_VERBS + r")\s+" + _SPEAKER + r"(?=\s*(?:[.,;:”\"]|$))"),
    re.compile(r"\bin an? (?:exclusive )?(?:interview|statement|news release|press release|briefing) (?:with|to)\s+" + _OUTLET),
]


def attribution_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of attributions in `text`, merged and in order."""
    spans = sorted((m.start(), m.end()) for pattern in _PATTERNS for m in pattern.finditer(text))
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]
