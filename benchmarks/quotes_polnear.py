"""Quotation and speaker extraction against PolNeAR's gold attributions (real US election news).

PolNeAR v1.0 (Newell, Margolin & Ruths, LREC 2018; ../shared/data/polnear) marks every
attribution in 1,008 news articles of 2015-16 from 7 outlets: a Source span (who), a Cue span
(the reporting words) and a Content span (what is attributed), tied by an Attribution event in
brat standoff files. storydiff's quote stage runs on each article's text exactly as the corpus has
it, as benchmarks/quotes.py runs it (segment, named entities, extract_quotes); the same baseline
runs in the same pass: quotation marks paired plainly, speaker = the nearest capitalised two-word name.

What counts. PolNeAR has no label separating speech from thought: an Attribution is any
propositional attitude (statements, beliefs, intentions, decrees, evidence a report shows, what a
witness saw; guidelines pp. 2-6), and `Attribution-no-source` is one with no explicit source
("It is said that ..."). Both kinds count; Discuss (spans flagged for discussion) is no
attribution and is ignored. Figures are given over all attributions and over two subsets derived
from the data: "speech cue", attributions whose cue holds a verb or noun of saying from a fixed list
(said, told, according to, wrote, added, a colon ...; an approximation of "speech only", since the
corpus itself does not mark it) and "quoted", content pieces holding a quotation mark (defined by
the very marks the baseline pairs, so it favours the baseline).

Mapping PolNeAR to storydiff's frame (that of tests/data/quotes_gold.json):
- gold quote: each Content (and Content2) span, cut into pieces the way storydiff reports quotes:
  one piece per line (paragraph), and one per part of a content broken by its attribution ("X," he
  said, "Y"); fragments separated only by spaces are joined. Every piece keeps its attribution's
  source. The header gives attributions and pieces.
- found quotes: storydiff nests a partial quotation inside the reported statement holding it;
  PolNeAR is univocal (each word in at most one attribution), so a found quote lying wholly inside
  another found quote is set aside, and so is one lying mostly inside text the annotators discarded
  (`Discard`: "Follow X on Twitter", tweet markup). Both are counted in the output.
- one annotator: the few articles annotated by several annotators (agreement checks) are scored
  against the file of the first annotator code.

Matching (as quotes.py): a found quote matches a gold piece when they overlap by at least half
the shorter span (PolNeAR's content includes the quotation marks, storydiff's does not), one to one,
largest overlap first. Spans: precision = matched / found, recall = matched / gold pieces. Over a
subset, gold outside it is set aside together with the found quotes matched to it. Where PolNeAR
has one content and storydiff several quotations (two scare-quoted phrases in one paraphrase), the
extra ones are false positives; the closing lines count them and give the precision without them.

Speaker: judged on matched quotes where storydiff gives a speaker. It is right when it shares a
name token with the gold Source (or `same_speaker` says they are one, e.g. an acronym spelled out):
the gold's name tokens are its capitalised words that the article never writes in lower case
("Trump", "Clinton"; "Post" only if the article never says "post"), less titles (Mr., Sen., Gov.),
read before any relative clause ("Parker Eaton, a Republican who voted for Bill Clinton"); a source
with none of those ("the campaign", "officials") is compared on its content words, and a definite
one ("the judge") also on the names of the nearest earlier gold source holding its last word
("Judge Berman"). Tokens are compared in lower case, without possessive "'s" or a plural "s".
A pronoun source stands for the nearest preceding gold Source of the same article that holds a
name token (the gold's own earlier sources, never storydiff's): "he"/"she"/"his"/"her" skip
sources opening with "the" ("the FBI"); a relative pronoun ("Trump, who said") stands first for
the capitalised name right before it; "I", "we", "you" are the writer or the reader, whom the gold
does not name. Matched quotes whose gold has no source, or a pronoun the gold does not resolve,
cannot be judged and are only counted ("unjdg"). Speaker accuracy = right / judged; "no spk" =
matched quotes storydiff leaves without a speaker / all matched. The name-token rule is lenient
("a woman in Worcester, Massachusetts" against "Massachusetts" counts as right).

    python benchmarks/quotes_polnear.py [--split test|dev|train] [--limit N]

Use train and dev to study; test is for the end (the corpus's own advice).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from datasets import DATA, require  # noqa: E402
from quotes import baseline_quotes, storydiff_quotes  # noqa: E402  (the same systems quotes.py scores)

from storydiff.story.sources import same_speaker  # noqa: E402

POLNEAR = DATA / "polnear" / "data"

_T_LINE = re.compile(r"^(T\d+)\t(\S+) ([\d ;]+)\t")
_E_LINE = re.compile(r"^(E\d+)\t(.+)$")
_ANNOTATOR = re.compile(r"_[0-9a-f]{4}\.ann$")
_QUOTE_MARKS = re.compile(r"[\"“”]")
# Cues of saying (the cue's words are tried as prefixes): "said", "told", "according to", "wrote",
# "tweeted", "in a statement", a colon ... Thought, intention and evidence cues ("thinks",
# "wants", "plans", "polls show") are left out. Drawn from the commonest cues of the train split.
_SPEECH_CUE = re.compile(
    r"^(?:say|said|tell|told|according|add|ask|wr[io]te|writ|tweet|post|note|noting|report|announc|suggest|argu|call|"
    r"declar|explain|acknowledg|accus|claim|stat|insist|repl|respon|warn|promis|vow|pledg|den[iy]|admit|conced|"
    r"predict|recall|recount|comment|mention|testif|stress|urg|prais|critici|denounc|decr[iy]|charg|quot|continu|"
    r"describ|defend|dismiss|reject|blam|attack|question|speak|spoke|talk|interview|remark|assert|contend|confirm|"
    r"disclos|reveal|retort|joke|quip|boast|brag|complain|lament|apologi|thank|condemn|slam|blast|mock|tout|hail|"
    r"cite|citing|proclaim|pronounc|assur|caution|emphasi|reiterat|object|protest|plead|demand|statement|letter|"
    r"speech|email|memo|:|—)"
)
_PRONOUNS = frozenset(
    "i me my mine we us our ours you your yours he him his she her hers it its they them their theirs "
    "who whom whose which that".split()
)
_RELATIVE = frozenset("who whom whose which that".split())
_FIRST_SECOND = frozenset("i me my mine we us our ours you your yours".split())
_PERSONAL = frozenset("he him his she her hers".split())
_DEFINITE = re.compile(r"^(?:the|this|that|these|those)\s", re.I)
_RELATIVE_CLAUSE = re.compile(r",?\s+(?:who|whom|whose|which|that)\s")
_STOP = _PRONOUNS | frozenset(
    "the a an and or of for in on at to by from with as this these those some many most other others all both "
    "several another each any no one mr mrs ms dr sen gov rep st jr sr gen lt col rev prof".split()
)
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
_NAME_BEFORE = re.compile(r"((?:[A-Z][\w'’.-]*\s+){0,3}[A-Z][\w'’.-]*)\s*,?\s*$")


@dataclass
class Gold:
    """One piece of a gold attribution's content, with what its speaker is judged against."""

    span: tuple[int, int]
    source: str | None  # the Source span's text, None for an attribution without one
    key: frozenset[str]  # tokens a right speaker shares; empty when the speaker cannot be judged
    name: str | None  # the source's text or, for a pronoun, its antecedent's (for `same_speaker`)
    speech: bool  # the cue is one of saying
    quoted: bool  # the piece holds a quotation mark


def _norm(word: str) -> str:
    word = re.sub(r"['’]s?$", "", word.lower()).strip(".-")
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _tokens(text: str) -> set[str]:
    return {w for w in (_norm(m) for m in _WORD.findall(text)) if len(w) > 1 and w not in _STOP}


def _name_tokens(text: str, lower_words: set[str]) -> set[str]:
    """Tokens of the capitalised words of `text` that the article never writes in lower case."""
    return {
        _norm(m) for m in _WORD.findall(text)
        if m[0].isupper() and m.lower().strip(".") not in lower_words and len(_norm(m)) > 1 and _norm(m) not in _STOP
    }


def _is_pronoun(text: str) -> bool:
    words = [w.lower() for w in _WORD.findall(text)]
    return bool(words) and all(w in _PRONOUNS for w in words)


def _pieces(text: str, fragments: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A content's fragments as storydiff would report them: cut at line breaks, joined across spaces."""
    runs = []
    for start, end in sorted(fragments):
        for match in re.finditer(r"[^\n]+", text[start:end]):
            runs.append((start + match.start(), start + match.end()))
    pieces: list[tuple[int, int]] = []
    for start, end in runs:
        if pieces and text[pieces[-1][1] : start].strip(" \t") == "":
            pieces[-1] = (pieces[-1][0], end)
        else:
            pieces.append((start, end))
    out = []
    for start, end in pieces:
        words = re.search(r"\S(?:.*\S)?", text[start:end])  # without the spaces around it
        if words and re.search(r"\w", words[0]):
            out.append((start + words.start(), start + words.end()))
    return out


def _read_ann(path: Path) -> tuple[dict[str, tuple[str, list[tuple[int, int]]]], list[dict[str, str]]]:
    spans, events = {}, []
    for line in path.read_text(encoding="utf-8").splitlines():  # a span's text may run over lines: only T/E lines count
        if match := _T_LINE.match(line):
            fragments = [tuple(int(x) for x in part.split()) for part in match[3].split(";")]
            spans[match[1]] = (match[2], fragments)
        elif match := _E_LINE.match(line):
            roles = dict(part.split(":", 1) for part in match[2].split())
            events.append(roles)
    return spans, events


@dataclass
class PolnearArticle:
    name: str
    text: str
    gold: list[Gold]
    discarded: list[tuple[int, int]]  # stretches the annotators marked Discard
    attributions: int
    annotators: int  # annotation files for this article (one is scored)


def _resolve(text: str, start: int, source: str, named_sources: list[tuple[int, str]], lower_words: set[str]) -> str | None:
    """What a pronoun source stands for, from the gold alone (None: nothing to judge against)."""
    pronoun = source.lower()
    if pronoun in _FIRST_SECOND:
        return None  # the writer or the reader: the gold never names them
    if pronoun in _RELATIVE and (before := _NAME_BEFORE.search(text[max(0, start - 80) : start])):
        if _name_tokens(before[1], lower_words):
            return before[1]  # "Bay Financial, which said"
    earlier = [s for position, s in named_sources if position < start]
    if pronoun in _PERSONAL:
        earlier = [s for s in earlier if not _DEFINITE.match(s)]  # "he" is no "the FBI"
    return earlier[-1] if earlier else None


def _gold(text: str, ann: Path) -> tuple[list[Gold], list[tuple[int, int]], int]:
    """The gold pieces of one article, the discarded stretches, and its number of attributions."""
    spans, events = _read_ann(ann)
    lower_words = {w.strip(".") for w in _WORD.findall(text) if w.islower()}

    def joined(tid: str) -> str:
        return " ".join(text[a:b] for a, b in spans[tid][1])

    # Sources holding a name, in text order: what a pronoun or a definite description points back to.
    sources = sorted((spans[e["Source"]][1][0][0], _RELATIVE_CLAUSE.split(joined(e["Source"]))[0]) for e in events if "Source" in e)
    named_sources = [(start, s) for start, s in sources if _name_tokens(s, lower_words)]

    gold: list[Gold] = []
    attributions = 0
    for event in events:
        contents = [role for role in event if role.startswith("Content")]
        if not contents or not any(role.startswith("Attribution") for role in event):
            continue
        attributions += 1
        source = joined(event["Source"]) if "Source" in event else None
        name, key = None, frozenset()
        if source is not None:
            start = spans[event["Source"]][1][0][0]
            if _is_pronoun(source):
                name = _resolve(text, start, source, named_sources, lower_words)
                key = frozenset(_name_tokens(name, lower_words)) if name else frozenset()
            else:
                name = _RELATIVE_CLAUSE.split(source)[0]  # "Parker Eaton, a Republican who voted for Bill Clinton"
                key = frozenset(_name_tokens(name, lower_words) or _tokens(name))
                if _DEFINITE.match(name) and not _name_tokens(name, lower_words) and key:
                    # "the judge": also the nearest earlier named source with that word ("Judge Berman").
                    head = _norm(_WORD.findall(name)[-1])
                    earlier = [s for position, s in named_sources if position < start and head in _tokens(s)]
                    if earlier:
                        key |= _name_tokens(earlier[-1], lower_words)
        cue = joined(event["Cue"]).lower() if "Cue" in event else ""
        speech = any(_SPEECH_CUE.match(w) for w in re.findall(r"[a-z]+|[:—]", cue))
        for role in contents:
            for piece in _pieces(text, spans[event[role]][1]):
                quoted = bool(_QUOTE_MARKS.search(text[piece[0] : piece[1]]))
                gold.append(Gold(piece, source, key, name, speech, quoted))
    discarded = [f for label, fragments in spans.values() if label == "Discard" for f in fragments]
    return gold, discarded, attributions


def load(split: str, limit: int | None = None) -> list[PolnearArticle]:
    """The articles of a split with their gold, in order of file name."""
    root = require(POLNEAR / split)
    by_article: dict[str, list[Path]] = {}
    for ann in sorted((root / "attributions").glob("*.ann")):
        by_article.setdefault(_ANNOTATOR.sub("", ann.name), []).append(ann)
    articles = []
    for name in sorted(by_article)[:limit]:
        text = (root / "text" / f"{name}.txt").read_text(encoding="utf-8")
        files = by_article[name]  # several annotators (agreement checks): the first code's file
        articles.append(PolnearArticle(name, text, *_gold(text, files[0]), len(files)))
    return articles


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _frame(found: list[dict], discarded: list[tuple[int, int]]) -> tuple[list[dict], int, int]:
    """Found quotes in PolNeAR's frame: none inside another, none mostly in discarded text."""
    spans = [tuple(f["span"]) for f in found]
    nested = {
        i for i, a in enumerate(spans)
        if any(j != i and b[0] <= a[0] and a[1] <= b[1] and (b != a or j < i) for j, b in enumerate(spans))
    }
    in_discard = {
        i for i, a in enumerate(spans)
        if i not in nested and sum(_overlap(a, d) for d in discarded) >= 0.5 * max(1, a[1] - a[0])
    }
    kept = [f for i, f in enumerate(found) if i not in nested and i not in in_discard]
    return kept, len(nested), len(in_discard)


def match(found: list[dict], gold: list[Gold]) -> list[tuple[int, int]]:
    """(found index, gold index) pairs: overlap at least half the shorter span, one to one, largest first."""
    pairs = sorted(
        ((_overlap(tuple(f["span"]), g.span), i, j) for i, f in enumerate(found) for j, g in enumerate(gold)),
        key=lambda p: (-p[0], p[1], p[2]),
    )
    used_f, used_g, matched = set(), set(), []
    for overlap, i, j in pairs:
        if overlap <= 0:
            break
        shorter = min(found[i]["span"][1] - found[i]["span"][0], gold[j].span[1] - gold[j].span[0])
        if overlap < 0.5 * shorter or i in used_f or j in used_g:
            continue
        used_f.add(i)
        used_g.add(j)
        matched.append((i, j))
    return matched


def speaker_verdict(speaker: str | None, gold: Gold) -> str:
    """none (storydiff gives no speaker), unjudged (no gold source, or an unresolved pronoun), right or wrong."""
    if not speaker:
        return "none"
    if not gold.key:
        return "unjudged"
    if gold.key & _tokens(speaker) or (gold.name and same_speaker(speaker, gold.name)):
        return "right"
    return "wrong"


SUBSETS = {"all": lambda g: True, "speech cue": lambda g: g.speech, "quoted": lambda g: g.quoted}


def score(articles: list[PolnearArticle], system) -> Counter:
    counts: Counter = Counter()
    started = time.perf_counter()
    for article in articles:
        gold = article.gold
        found, nested, in_discard = _frame(system(article.text), article.discarded)
        counts["nested"] += nested
        counts["in_discard"] += in_discard
        counts["found"] += len(found)
        pairs = match(found, gold)
        taken = [gold[j].span for _, j in pairs]
        matched_found = {i for i, _ in pairs}
        counts["inside_taken"] += sum(
            1 for i, f in enumerate(found)
            if i not in matched_found and any(_overlap(tuple(f["span"]), t) >= 0.5 * min(f["span"][1] - f["span"][0], t[1] - t[0]) for t in taken)
        )
        for subset, keep in SUBSETS.items():
            counts[subset, "gold"] += sum(1 for g in gold if keep(g))
            counts[subset, "outside"] += sum(1 for _, j in pairs if not keep(gold[j]))
            for i, j in pairs:
                if keep(gold[j]):
                    counts[subset, "matched"] += 1
                    counts[subset, speaker_verdict(found[i]["speaker"], gold[j])] += 1
    counts["seconds"] = time.perf_counter() - started
    return counts


def _row(counts: Counter, subset: str) -> str:
    found = counts["found"] - counts[subset, "outside"]
    matched, gold = counts[subset, "matched"], counts[subset, "gold"]
    p, r = (matched / found if found else 0.0), (matched / gold if gold else 0.0)
    f = 2 * p * r / (p + r) if p + r else 0.0
    judged = counts[subset, "right"] + counts[subset, "wrong"]
    accuracy = counts[subset, "right"] / judged if judged else 0.0
    none = counts[subset, "none"] / matched if matched else 0.0
    return (
        f"{found:7d}{gold:7d}{matched:7d}{p:7.3f}{r:7.3f}{f:7.3f}"
        f"{accuracy:9.3f}{counts[subset, 'right']:7d}{judged:7d}{counts[subset, 'unjudged']:7d}{none:8.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("train", "dev", "test"), default="test", help="PolNeAR split (default test)")
    parser.add_argument("--limit", type=int, default=None, help="score only the first N articles (by file name)")
    args = parser.parse_args()
    started = time.perf_counter()
    articles = load(args.split, args.limit)
    gold = [g for article in articles for g in article.gold]
    print(
        f"PolNeAR {args.split}: {len(articles)} articles, {sum(a.attributions for a in articles)} attributions -> {len(gold)} gold "
        f"content pieces ({sum(g.speech for g in gold)} with a speech cue, {sum(g.quoted for g in gold)} quoted, "
        f"{sum(g.source is None for g in gold)} without a source); "
        f"{sum(a.annotators > 1 for a in articles)} articles with several annotators, the first one's file scored"
    )
    results = {name: score(articles, system) for name, system in (("baseline", baseline_quotes), ("storydiff", storydiff_quotes))}
    print(f"{'':22}{'found':>7}{'gold':>7}{'match':>7}{'P':>7}{'R':>7}{'F1':>7}{'spk acc':>9}{'right':>7}{'judged':>7}{'unjdg':>7}{'no spk':>8}")
    for subset in SUBSETS:
        for name, counts in results.items():
            print(f"{name + ' ' + subset:22}" + _row(counts, subset))
    for name, counts in results.items():
        loose = counts["all", "matched"] / max(1, counts["found"] - counts["inside_taken"])
        print(
            f"{name}: {counts['seconds']:.1f} s ({counts['seconds'] / max(1, len(articles)) * 1000:.0f} ms per article); "
            f"set aside {counts['nested']} found quotes inside another, {counts['in_discard']} in discarded text; "
            f"{counts['inside_taken']} unmatched ones lie in a gold content already matched (P {loose:.3f} without them)"
        )
    print(f"total {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
