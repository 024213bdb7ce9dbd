"""Stage: the same speaker saying the same thing, across outlets.

Quotations are cut at sentence ends into pieces. Pieces of two articles are candidates when they
have the same speaker (the `sources` stage decides who is who); their similarity is the best
alignment link between the units they cover (`align` left those scores). Pairs are taken
strongest first: a translated or paraphrased quotation matches at a lower score than two
unrelated statements would need, because the shared speaker is strong evidence already.
Adjacent pieces of one quotation in a group are one mention; unmatched pieces stay as groups of
one outlet. Each group then gets a word-level comparison and its flags.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from .._models import Article, Comparison, QuoteGroup, QuoteMention, WordChange
from ..article._attribution import DOCUMENT_NOUNS
from ._pairscore import stemmer, stopwords, token_window
from ..article._speakers import name_key, names_nest, spells_out

SAME_SPEAKER = 0.45  # link probability enough to pair two pieces of one speaker (the alignment threshold)
ANY_SPEAKER = 0.6  # when one side's speaker is unknown
EXTEND = 0.45  # a further piece of a quotation joins its group only with a link this strong
# A wording differs in substance when it has a run of CLAUSE_WORDS content words in a row that
# the other lacks (an added or dropped clause), or SCATTERED_WORDS such words in all.
CLAUSE_WORDS = 3
SCATTERED_WORDS = 6
TOKEN_MATCH = 0.7  # token similarity at which a word counts as rendered by the other wording


@dataclass
class _Piece:
    article: int
    quote: int  # index in article.quotes
    start: int
    end: int
    units: list[int]


def _pieces(article: Article) -> list[_Piece]:
    pieces = []
    for index, quote in enumerate(article.quotes):
        for sentence in article.sentences:
            start, end = max(quote.start, sentence.start), min(quote.end, sentence.end)
            if end - start < 3 or not article.text[start:end].strip(" .,;:“”\"'’‘"):
                continue
            units = [k for k, u in enumerate(article.units) if u.start < end and start < u.end]
            pieces.append(_Piece(article.id, index, start, end, units))
    return pieces


def _score(comparison: Comparison, a: _Piece, b: _Piece) -> float:
    if not a.units or not b.units or not comparison.unit_scores:
        return 0.0
    return max(comparison.unit_score(a.article, u, b.article, v) for u in a.units for v in b.units)


def _fact_of_units(comparison: Comparison) -> dict[tuple[int, int], str]:
    """(article, unit) -> id of the fact, reported by several articles, that the unit states."""
    owner: dict[tuple[int, int], str] = {}
    for fact in comparison.facts:
        if fact.status == "unique":
            continue
        for m in fact.mentions:
            for k, unit in enumerate(comparison.articles[m.article].units):
                if unit.start < m.end and m.start < unit.end:
                    owner[m.article, k] = fact.id
    return owner


def group_quotes(comparison: Comparison) -> list[QuoteGroup]:
    articles = comparison.articles
    pieces = [p for a in articles for p in _pieces(a)]
    fact_of = _fact_of_units(comparison)
    candidates = []
    for i, a in enumerate(pieces):
        qa = articles[a.article].quotes[a.quote]
        for j in range(i + 1, len(pieces)):
            b = pieces[j]
            if b.article == a.article:
                continue
            qb = articles[b.article].quotes[b.quote]
            same = qa.source is not None and qa.source == qb.source
            unknown = qa.source is None or qb.source is None
            if not same and not unknown:
                continue
            score = _score(comparison, a, b)
            # Pieces that fact alignment already put in one fact come first.
            shared_fact = {fact_of.get((a.article, u)) for u in a.units} & {fact_of.get((b.article, u)) for u in b.units} - {None}
            if shared_fact:
                score = max(score, 0.9)
            if score >= (SAME_SPEAKER if same else ANY_SPEAKER):
                candidates.append((-score, i, j, same))
    candidates.sort()

    group_of: dict[int, int] = {}
    members: dict[int, list[int]] = {}
    for negative, i, j, same in candidates:
        gi, gj = group_of.get(i), group_of.get(j)
        if gi is None and gj is None:
            gid = len(members)
            members[gid] = [i, j]
            group_of[i] = group_of[j] = gid
        elif (gi is None) != (gj is None):
            gid, new = (gi, j) if gi is not None else (gj, i)
            held = [pieces[k] for k in members[gid] if pieces[k].article == pieces[new].article]
            # One passage per article: the new piece must continue the same quotation, and say
            # the same as the other outlet's words, not merely come from the same speaker.
            if all(h.quote == pieces[new].quote for h in held) and (-negative >= EXTEND or not held):
                members[gid].append(new)
                group_of[new] = gid
    # Unmatched pieces: one group per quotation part run.
    for k, piece in enumerate(pieces):
        if k in group_of:
            continue
        previous = next((m for m in reversed(range(k)) if pieces[m].article == piece.article), None)
        if previous is not None and pieces[previous].quote == piece.quote and group_of.get(previous) is not None and len(
            {pieces[x].article for x in members[group_of[previous]]}
        ) == 1:
            gid = group_of[previous]
        else:
            gid = len(members)
            members[gid] = []
        members[gid].append(k)
        group_of[k] = gid

    groups = [_group(comparison, [pieces[k] for k in sorted(ks)]) for ks in members.values() if ks]
    groups.sort(key=lambda g: (-len(g.articles), g.mentions[0].article, g.mentions[0].start))
    for number, group in enumerate(groups, start=1):
        group.id = f"q{number}"
    return groups


def _group(comparison: Comparison, pieces: list[_Piece]) -> QuoteGroup:
    articles = comparison.articles
    mentions: list[QuoteMention] = []
    for piece in sorted(pieces, key=lambda p: (p.article, p.start)):
        article = articles[piece.article]
        quote = article.quotes[piece.quote]
        last = mentions[-1] if mentions else None
        if last and last.article == piece.article and not article.text[last.end : piece.start].strip():
            last.end = piece.end
            last.text = article.text[last.start : last.end]
            continue
        mentions.append(QuoteMention(
            piece.article, piece.start, piece.end, article.text[piece.start : piece.end], quote.kind, quote.via, quote.cue,
            channel=quote.channel, via_level="certain" if quote.via_certain else "possible",
        ))
    first_quote = articles[pieces[0].article].quotes[pieces[0].quote]
    speaker_quote = next((articles[p.article].quotes[p.quote] for p in pieces if articles[p.article].quotes[p.quote].speaker), first_quote)
    group = QuoteGroup(
        id="", speaker=speaker_quote.speaker, named=speaker_quote.named, source=speaker_quote.source, mentions=mentions
    )
    group.changes = {m.article: word_changes(mentions[0].text, m.text) for m in mentions[1:] if m.article != mentions[0].article}
    group.flags = _flags(comparison, group)
    return group


def _flags(comparison: Comparison, group: QuoteGroup) -> list[str]:
    flags = []
    by_article = group.by_article()
    if len(by_article) == 1:
        return ["one_outlet"]
    kinds = {a: {m.kind for m in ms} for a, ms in by_article.items()}
    quoted = [a for a, k in kinds.items() if k & {"direct", "partial"}]
    reported = [a for a, k in kinds.items() if k == {"reported"}]
    if quoted and reported:
        flags.append("direct_vs_reported")
    credits = [[m.via for m in ms if m.via and m.via.strip()] for ms in by_article.values()]
    credits = [c for c in credits if c]
    # different only when no credit of one outlet is one of the other's
    if any(not any(same_credit(x, y) for x in a for y in b) for a, b in combinations(credits, 2)):
        flags.append("different_intermediaries")
    if len(quoted) >= 2 and _differs_in_substance(comparison, [by_article[a][0] for a in quoted]):
        flags.append("wording_differs")
    return flags


# Words of a credit that name no one: determiners, the channel ("an interview with"), generic media words.
_CHANNEL_WORDS = frozenset(
    "the a an his her their its in with to news agency newspaper arabic language exclusive".split()
) | frozenset(re.split(r"[\s|-]+", DOCUMENT_NOUNS))


def via_key(via: str) -> str:
    """What identifies an intermediary: "told the Herald" and "in an interview with the Herald" are
    one credit; "Arabic-language al-Mawazin news agency" is "al-mawazin"."""
    return " ".join(w for w in name_key(via) if w not in _CHANNEL_WORDS)


def same_credit(a: str, b: str) -> bool:
    """Whether two credits name one intermediary: "the Merrowgate Herald" / "an interview with the
    Herald"; a credit that names no one ("a statement") is its channel word. An outlet described,
    not named ("the national news agency", "this station"), may be any named outlet."""
    key_a, key_b = via_key(a), via_key(b)
    if (key_a and _describes_outlet(b)) or (key_b and _describes_outlet(a)) or (_describes_outlet(a) and _describes_outlet(b)):
        return True
    bare_a, bare_b = _without_determiner(a), _without_determiner(b)
    if spells_out(bare_a, bare_b) or spells_out(bare_b, bare_a):
        return True  # "the SBC" / "the Stavrin Broadcasting Corporation"
    return names_nest(key_a or a.lower().split()[-1], key_b or b.lower().split()[-1])


def _without_determiner(credit: str) -> str:
    words = credit.split()
    return " ".join(words[1:] if len(words) > 1 and words[0].lower() in _DETERMINERS else words)


# Kinds of outlet a credit may describe instead of naming ("the national news agency", "this station").
_OUTLET_WORDS = frozenset(
    "agency newspaper daily weekly radio station broadcaster television tv channel network website programme program magazine outlet".split()
)
_DETERMINERS = frozenset("the a an this that our".split())


def _describes_outlet(credit: str) -> bool:
    """"the national news agency", "a local radio station", "this newspaper": lower-case words (after
    a determiner, which may open a sentence) ending in a kind of outlet; "Channel" alone is a name,
    "the fire service" no outlet."""
    words = credit.split()
    if not words or words[-1].lower() not in _OUTLET_WORDS:
        return False
    rest = words[1:] if words[0].lower() in _DETERMINERS else words
    return not any(w[:1].isupper() for w in rest)


_TOKEN = re.compile(r"\w+(?:['’]\w+)*")
_NEGATION = frozenset("not no never none nobody nothing neither nor without n't".split())


def word_changes(a: str, b: str) -> list[WordChange]:
    """Word-level differences between two wordings (case and punctuation ignored for matching)."""
    ta, tb = _TOKEN.findall(a), _TOKEN.findall(b)
    matcher = difflib.SequenceMatcher(None, [t.lower() for t in ta], [t.lower() for t in tb], autojunk=False)
    return [WordChange(op, " ".join(ta[i1:i2]), " ".join(tb[j1:j2])) for op, i1, i2, j1, j2 in matcher.get_opcodes()]


def _content_tokens(article: Article, start: int, end: int) -> tuple[list[str], np.ndarray]:
    """Stems and token states of the content words of article.text[start:end]."""
    stop, stem = stopwords(), stemmer().stemWord
    first, last = token_window(article, start, end)
    keep = [
        k for k, (s, e) in enumerate(article.token_spans[first:last].tolist(), start=first)
        if s >= start and e <= end and article.text[s:e].isalnum() and article.text[s:e].lower() not in stop
    ]
    words = [stem(article.text[s:e].lower()) for s, e in article.token_spans[keep].tolist()]
    return words, article.token_vectors[keep]


def _differs_in_substance(comparison: Comparison, mentions: list[QuoteMention]) -> bool:
    """Translation style swaps words for near-synonyms; a difference in substance adds or drops
    a clause, a number or a negation."""
    first = mentions[0]
    a = comparison.articles[first.article]
    words_a, vectors_a = _content_tokens(a, first.start, first.end)
    for other in mentions[1:]:
        b = comparison.articles[other.article]
        words_b, vectors_b = _content_tokens(b, other.start, other.end)
        if not len(vectors_a) or not len(vectors_b):
            continue
        sims = vectors_a @ vectors_b.T
        stems_a, stems_b = set(words_a), set(words_b)
        missing_in_b = [w not in stems_b and sims[k].max() < TOKEN_MATCH for k, w in enumerate(words_a)]
        missing_in_a = [w not in stems_a and sims[:, k].max() < TOKEN_MATCH for k, w in enumerate(words_b)]
        numbers_a = {w for w in words_a if w[0].isdigit()}
        numbers_b = {w for w in words_b if w[0].isdigit()}
        negated_a = bool(_NEGATION & set(_TOKEN.findall(first.text.lower())))
        negated_b = bool(_NEGATION & set(_TOKEN.findall(other.text.lower())))
        if "partial" in (first.kind, other.kind):
            # A fragment quotes less by nature: only its own words must be found in the other.
            if first.kind == "partial":
                fragment_missing, numbers, negation = missing_in_b, numbers_a - numbers_b, negated_a and not negated_b
            else:
                fragment_missing, numbers, negation = missing_in_a, numbers_b - numbers_a, negated_b and not negated_a
            if sum(fragment_missing) >= CLAUSE_WORDS or numbers or negation:
                return True
            continue
        # Quoting more than the other outlet is not a difference in wording; each saying
        # something the other does not, with a whole clause or many words of it, is.
        one_way = [
            _longest_run(missing) >= CLAUSE_WORDS or sum(missing) >= SCATTERED_WORDS
            for missing in (missing_in_a, missing_in_b)
        ]
        both_ways = any(missing_in_a) and any(missing_in_b)
        if (any(one_way) and both_ways) or numbers_a != numbers_b or negated_a != negated_b:
            return True
    return False


def _longest_run(flags: list[bool]) -> int:
    best = run = 0
    for flag in flags:
        run = run + 1 if flag else 0
        best = max(best, run)
    return best


class QuoteAligner:
    """Pipeline component: fills `comparison.quotes`."""

    name = "quote_groups"

    def __call__(self, comparison: Comparison) -> None:
        comparison.quotes = group_quotes(comparison)
        # Each source's citations list the quotation groups that cite it, per article.
        sources = {s.id: s for s in comparison.sources}
        for group in comparison.quotes:
            source = sources.get(group.source)
            if source is None:
                continue
            for article in group.articles:
                for citation in source.citations:
                    if citation.article == article and group.id not in citation.quotes:
                        citation.quotes.append(group.id)
