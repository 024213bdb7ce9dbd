"""Stage: paragraphs, sentences and alignment units of each article.

Sentences come from blingfire (fast, handles news abbreviations such as "Maj. Gen." and "U.S.").
A long sentence often packs two facts ("lawmakers approved a bill on January 5, demanding the
withdrawal ... following the assassination of ..."), and another outlet may tell them in two
sentences; so long sentences are cut into clauses at punctuation followed by a word that opens a
new clause. No parser is used: spaCy's would cost more than the whole comparison's time budget,
and the cut points only need to be good enough for alignment, which merges clauses back whenever
both halves match the same statement.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .._models import Article, Comparison, Sentence, Span, Unit

# Sentences shorter than this (in words) are never cut; clauses shorter than MIN_CLAUSE are not made.
LONG_SENTENCE = 24
MIN_CLAUSE = 7

# Words that open a clause carrying a statement of its own. Attribution ("according to",
# "saying", "adding") is not among them: it belongs to the statement it attributes.
_CLAUSE_OPENERS = (
    "demanding|following|which|who|whose|while|whereas|after|before|although|though|but|"
    "stipulating|including|amid|despite|when|where|because|since|"
    "as well as|in response to|prompting|leaving|killing|forcing|calling|urging|as part of"
)
# A cut goes before the opener word: after ", " / "; " / " — ", or (for a few strong openers)
# with no punctuation at all ("... from the country following the assassination of ...").
_CUT = re.compile(
    r"(?:[;,]\s+|\s+[—–]\s+|:\s+)(?=(?:" + _CLAUSE_OPENERS + r")\b)|;\s+|\s+[—–]\s+"
    r"|\s+(?=(?:following|in response to|amid|despite|after)\s+(?:the|a|an|his|her|their|its)\b)",
    re.IGNORECASE,
)
# Every line break ends a paragraph: clean texts put a blank line between paragraphs, and texts
# given directly (JSON records, the API) mostly use one newline per paragraph.
_PARAGRAPH_BREAK = re.compile(r"\s*\n\s*")


def paragraphs(text: str) -> list[Span]:
    spans, start = [], 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        if text[start : match.start()].strip():
            spans.append(_trim(text, start, match.start()))
        start = match.end()
    if text[start:].strip():
        spans.append(_trim(text, start, len(text)))
    return spans


def sentences(text: str, paragraph_spans: list[Span]) -> list[Sentence]:
    import blingfire

    out = []
    for index, para in enumerate(paragraph_spans):
        chunk = text[para.start : para.end]
        _, offsets = blingfire.text_to_sentences_and_offsets(chunk)
        offsets = _mend(chunk, offsets)
        heading = len(offsets) == 1 and not _ENDS_SENTENCE.search(chunk)
        for start, end in offsets:
            if chunk[start:end].strip():
                span = _trim(text, para.start + start, para.start + end)
                out.append(Sentence(span.start, span.end, index, heading))
    return out


_ENDS_SENTENCE = re.compile(r"[.!?…。！？][\"'”’)\]]*\s*$")
_LAST_WORD = re.compile(r"[(\[“\"‘']?([\w.-]+\.)$")


def _mend(chunk: str, offsets: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join the splitter's cuts after a title, month or "No." that a name or number follows
    ("Sen." | "Mitch McConnell ...", "(Ms." | "Clinton declined ..."): one sentence, not two."""
    out: list[tuple[int, int]] = []
    for start, end in offsets:
        if out:
            last = _LAST_WORD.search(chunk[out[-1][0] : out[-1][1]].rstrip())
            following = chunk[start:end].lstrip()[:1]
            titles, before_numbers = _abbreviations()
            word = last.group(1) if last else ""
            if (word in titles and following.isupper()) or (word in before_numbers and following.isdigit()):
                out[-1] = (out[-1][0], end)
                continue
        out.append((start, end))
    return out


@lru_cache(maxsize=1)
def _abbreviations() -> tuple[frozenset[str], frozenset[str]]:
    """(titles a name follows, abbreviations a number follows)."""
    from ..resources import resource_path, word_list

    return (
        word_list(resource_path("lang/en/title-abbreviations.txt")),
        word_list(resource_path("lang/en/number-abbreviations.txt")),
    )


def clauses(text: str, sentence: Sentence) -> list[Span]:
    """The clauses of one sentence (the whole sentence when it is short or has no cut point)."""
    body = text[sentence.start : sentence.end]
    if len(body.split()) < LONG_SENTENCE:
        return [Span(sentence.start, sentence.end)]
    cuts = [0]
    for match in _CUT.finditer(body):
        left = body[cuts[-1] : match.start()]
        right = body[match.end() :]
        if len(left.split()) >= MIN_CLAUSE and len(right.split()) >= MIN_CLAUSE:
            cuts.append(match.end())
    spans = []
    for i, cut in enumerate(cuts):
        end = cuts[i + 1] if i + 1 < len(cuts) else len(body)
        span = _trim(text, sentence.start + cut, sentence.start + end)
        spans.append(_strip_punctuation(text, span))
    return spans


def _trim(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end)


def _strip_punctuation(text: str, span: Span) -> Span:
    """Drop the comma or semicolon a clause was cut at; keep sentence-final punctuation."""
    end = span.end
    while end > span.start and text[end - 1] in ",;:—– ":
        end -= 1
    return Span(span.start, end)


def segment_article(article: Article) -> None:
    article.paragraphs = paragraphs(article.text)
    article.sentences = sentences(article.text, article.paragraphs)
    article.units = [
        Unit(span.start, span.end, index) for index, sentence in enumerate(article.sentences) for span in clauses(article.text, sentence)
    ]


class Segmenter:
    """Pipeline component: fills `paragraphs`, `sentences` and `units` of every article."""

    name = "segment"
    per_article = True

    def __call__(self, comparison: Comparison) -> None:
        for article in comparison.articles:
            segment_article(article)
