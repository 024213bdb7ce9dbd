"""The data that carries a story through the pipeline.

`Article` is the central document (like spaCy's `Doc`): ingestion creates it with clean text and
metadata, and every per-article stage enriches it (paragraphs, sentences, alignment units, vectors).
`Comparison` holds the articles of one story and what the cross-article stages find (facts,
similarities, warnings). All offsets are character offsets into `Article.text`.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # numpy is only needed once the pipeline runs
    import numpy as np

    from .article._values import DateExpression, Quantity

SCHEMA_VERSION = "1.6"

FactStatus = Literal["shared", "partial", "unique"]
# Every finding is `certain` (shown by default) or `possible` (shown on request): its `confidence`
# is the share of findings like it that were right on real news (story/confidence.py).
Level = Literal["certain", "possible"]
QuoteKind = Literal["direct", "partial", "reported"]


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character range [start, end) of an article's text."""

    start: int
    end: int


@dataclass(slots=True)
class Sentence:
    start: int
    end: int
    paragraph: int
    heading: bool = False  # a paragraph of its own without sentence-final punctuation: a subheading


@dataclass(slots=True)
class Unit:
    """The smallest stretch of text that alignment matches: a sentence or a clause of a long one.

    `sentence` is the index of the sentence it belongs to; clauses of one sentence share it.
    """

    start: int
    end: int
    sentence: int


@dataclass(slots=True)
class Quote:
    """One quotation or reported statement in one article.

    `start`/`end` cover the quoted words (inside the quotation marks) or, for reported speech,
    the reported content. A quotation broken by its attribution ("X," he said, "Y") gives one
    Quote per part, sharing `group`. `speaker` is the most complete name the article gives for
    whoever speaks (or the description of an unnamed source; None when no speaker is found);
    `speaker_start`/`speaker_end` mark the words of this attribution that refer to the speaker.
    """

    start: int
    end: int
    kind: QuoteKind
    cue: str | None = None
    speaker: str | None = None
    named: bool = False
    speaker_kind: str = "unknown"  # person | organization | unnamed | unknown
    speaker_start: int | None = None
    speaker_end: int | None = None
    via: str | None = None  # the intermediary: a named outlet, agency, broadcast or platform
    group: int = 0
    source: str | None = None  # id in Comparison.sources, filled by the `sources` stage
    channel: str | None = None  # the form the words took: "a statement", "an interview", "remarks"
    via_certain: bool = True  # False when `via` may be a person spoken to rather than an outlet


@dataclass
class Article:
    """One news article: clean body text, metadata, and what the pipeline stages add to it.

    Build one by hand from clean text (`Article(text=..., outlet=...)`), or from text as copied
    from a browser, furniture and all, with `Article.from_text(...)`, which cleans it as a file is.
    """

    source: str | None = None  # how messages name it: the path, URL or "text"; defaults to outlet or url
    text: str = ""
    id: int = -1
    title: str | None = None
    outlet: str | None = None
    published: str | None = None  # ISO 8601 date (YYYY-MM-DD) or date-time, as found
    author: str | None = None
    url: str | None = None
    input_format: str = "text"  # html | text | json
    encoding: str | None = None
    captions: list[str] = field(default_factory=list)
    furniture: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # what a reader should know about how it was read
    # Filled by the `segment` stage.
    paragraphs: list[Span] = field(default_factory=list, repr=False)
    sentences: list[Sentence] = field(default_factory=list, repr=False)
    units: list[Unit] = field(default_factory=list, repr=False)
    # Filled by the `embed` stage: L2-normalised token states with their character spans, the token
    # range [first, last) of each unit, one vector per unit, and one for the whole article.
    token_vectors: np.ndarray | None = field(default=None, repr=False)
    token_spans: np.ndarray | None = field(default=None, repr=False)
    unit_tokens: list[tuple[int, int]] = field(default_factory=list, repr=False)
    unit_vectors: np.ndarray | None = field(default=None, repr=False)
    vector: np.ndarray | None = field(default=None, repr=False)
    # Filled by the `quotes` stage.
    quotes: list[Quote] = field(default_factory=list, repr=False)
    # Filled by the `entities` stage: names found by the NER model, as (field, start, end, label).
    named_entities: list[tuple[str, int, int, str]] = field(default_factory=list, repr=False)
    # Filled by the `values` stage: every date and quantity in the body, title and captions, with
    # the field it is in ("text", "title", "captions.N").
    dates: list[tuple[str, DateExpression]] = field(default_factory=list, repr=False)
    quantities: list[tuple[str, Quantity]] = field(default_factory=list, repr=False)
    # Filled by the `slots` stage: the values above and the places, actors and intermediaries
    # this story's entities and quotes give, as slots.
    slots: list[Slot] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.text, str):
            raise TypeError(f"Article text must be a str, not {type(self.text).__name__}")
        if self.source is None:
            self.source = self.url or self.outlet or self.title or "text"
        if self.published is not None:
            from ._exceptions import InvalidArgument
            from .ingest._dates import strict_date

            day = strict_date(self.published)
            if day is None:
                raise InvalidArgument("published", f"{self.published!r} is not a date: give the day as YYYY-MM-DD")
            self.published = day

    @classmethod
    def from_text(
        cls,
        text: str,
        *,
        outlet: str | None = None,
        title: str | None = None,
        published: str | None = None,
        url: str | None = None,
        source: str = "text",
    ) -> Article:
        """An article from text as a person has it (copied from a browser, a page's HTML, a JSON
        record), cleaned exactly as a file with the same characters would be. Raises an
        `InputError` saying why when no article can be found in it."""
        from ._exceptions import InputError
        from .ingest import Text, read_inputs

        read, skipped = read_inputs([Text(text, outlet=outlet, title=title, published=published, url=url, source=source)])
        if not read:
            raise InputError(skipped[0][1].source, skipped[0][1].reason)
        return read[0][1]

    @property
    def uid(self) -> str:
        """A stable id, the same in every list and every run: from the canonical URL where the
        article has one, else from its title and text (`ingest/_identity.py`). `id` is only its
        position in one comparison."""
        from .ingest._identity import article_id

        return article_id(self.url, self.title, self.text)

    @property
    def canonical_url(self) -> str | None:
        from .ingest._identity import canonical_url

        return canonical_url(self.url)

    @property
    def published_date(self) -> datetime.date | None:
        """The publication day, if known: what "on Sunday" and "yesterday" count from."""
        try:
            return datetime.date.fromisoformat((self.published or "")[:10])
        except ValueError:
            return None

    @property
    def label(self) -> str:
        """A short human name: the outlet if known, else the source as given."""
        return self.outlet or self.source

    def sentence_at(self, position: int) -> Sentence | None:
        """The sentence holding a character offset of `text`, if any."""
        index = bisect.bisect_right(self.sentences, position, key=lambda s: s.start) - 1
        if index >= 0 and position < self.sentences[index].end:
            return self.sentences[index]
        return None

    def field_text(self, field: str) -> str:
        """The string a mention's offsets point into: "text", "title" or "captions.N"."""
        if field == "text":
            return self.text
        if field == "title":
            return self.title or ""
        return self.captions[int(field.split(".", 1)[1])]

    def fields(self) -> list[tuple[str, str]]:
        """Every string of the article that analysis reads: body, title, captions."""
        out = [("text", self.text)]
        if self.title:
            out.append(("title", self.title))
        out += [(f"captions.{i}", caption) for i, caption in enumerate(self.captions)]
        return out

    def fresh(self) -> Article:
        """A copy with the text and metadata only: what ingestion made, before any analysis."""
        return Article(
            source=self.source, text=self.text, title=self.title, outlet=self.outlet, published=self.published,
            author=self.author, url=self.url, input_format=self.input_format, encoding=self.encoding,
            captions=list(self.captions), furniture=list(self.furniture), warnings=list(self.warnings),
        )


@dataclass(slots=True)
class Mention:
    """Where one article states a fact. `text == articles[article].text[start:end]`."""

    article: int
    start: int
    end: int
    text: str
    score: float = 1.0  # how strongly this mention matches the fact's mentions in other articles
    field: str = "text"  # where the offsets point: "text", "title", or "captions.N"
    slots: list[Slot] = dataclasses.field(default_factory=list)  # values the mention states, filled by the `slots` stage


@dataclass(slots=True)
class Slot:
    """A value a fact mention states, in the article's own words and in a comparable form.

    `kind` is quantity ("at least four military bases"), date ("two days earlier"), place or actor
    (a resolved entity) or intermediary (the outlet or agency a quotation is credited through).
    `value` is the normal form: a number, an ISO date ("2020-01-03"; "--01-05" when no year is
    stated), an entity id or the intermediary's name. Offsets point into `field` of the article."""

    kind: str
    article: int
    start: int
    end: int
    text: str
    value: str | None = None
    field: str = "text"
    unit: str | None = None  # quantities: "%", a currency code, a unit, "years old"
    counted: str | None = None  # quantities: what is counted, as written ("foreign troops")
    low: float | None = None  # quantities: the interval the wording allows ("at least four": 4 to inf)
    high: float | None = None
    resolved: bool = True  # dates: False when the text does not say which day ("days earlier")
    how: str | None = None  # dates: how the date was placed ("two days earlier than January 5")
    parsed: object = dataclasses.field(default=None, repr=False, compare=False)  # the parsed value comparisons use


@dataclass(slots=True)
class Fact:
    """One statement, with every place an article makes it.

    `status` is `shared` (every article), `partial` (more than one, not all) or `unique` (one).
    `possible` lists, for facts that are not shared, the closest statements in the articles that
    do not report the fact when they come near the threshold: candidates a reader may want to
    check, never counted as agreement.
    """

    id: str
    status: FactStatus
    mentions: list[Mention]
    score: float | None = None  # mean similarity of the cross-article links; None for unique facts
    possible: list[Mention] = field(default_factory=list)
    # Filled by the `sources` stage: ids of the sources the fact rests on (speakers quoted or
    # reported in its mentions), and whether all of them are unnamed.
    sources: list[str] = field(default_factory=list)
    unnamed_only: bool = False
    # Filled by the `confidence` stage (see Finding levels in the module docstring).
    confidence: float | None = None
    level: Level = "certain"
    basis: str | None = None

    @property
    def articles(self) -> list[int]:
        return sorted({m.article for m in self.mentions})

    def by_article(self) -> dict[int, list[Mention]]:
        """The mentions of each article, in order of first appearance."""
        return _group_by_article(self.mentions)


@dataclass(slots=True)
class QuoteMention:
    """One outlet's wording of a quotation. `text == articles[article].text[start:end]`."""

    article: int
    start: int
    end: int
    text: str
    kind: QuoteKind
    via: str | None = None  # the intermediary this outlet credits, as written
    cue: str | None = None
    channel: str | None = None  # the form the words took: "a statement", "an interview"
    via_level: str = "certain"  # "possible" when the intermediary may be a person spoken to


@dataclass(slots=True)
class WordChange:
    """One step of a word-level comparison of two wordings: `equal`, `replace`, `delete` or `insert`."""

    op: str
    a: str
    b: str


@dataclass
class QuoteGroup:
    """What one speaker said, as each outlet words it.

    `flags` name what a fact-checker looks at first: `one_outlet` (quoted by one outlet only),
    `direct_vs_reported` (quoted in one, paraphrased in another), `different_intermediaries`
    (credited through different channels), `wording_differs` (the quoted words differ in substance,
    not only in translation style). `changes` compares each later wording with the first.
    """

    id: str
    speaker: str | None
    named: bool
    source: str | None  # id in Comparison.sources
    mentions: list[QuoteMention]
    flags: list[str] = field(default_factory=list)
    changes: dict[int, list[WordChange]] = field(default_factory=dict)  # article -> changes against the first mention
    confidence: float | None = None  # that the speaker is right
    level: Level = "certain"
    basis: str | None = None

    @property
    def articles(self) -> list[int]:
        return sorted({m.article for m in self.mentions})

    def by_article(self) -> dict[int, list[QuoteMention]]:
        """The mentions of each article, in order of first appearance."""
        return _group_by_article(self.mentions)


@dataclass(slots=True)
class Citation:
    """An article citing a source: through which intermediary, in which quotations."""

    article: int
    via: str | None = None  # id of the intermediary source, if the article credits one
    quotes: list[str] = field(default_factory=list)


@dataclass
class Source:
    """Someone or something the articles cite: a speaker, an intermediary (agency, newspaper,
    statement) or a photo agency. Unnamed sources keep their description as `name`."""

    id: str
    name: str
    kind: str  # person | organization | media | document | unnamed | unknown
    named: bool
    roles: list[str] = field(default_factory=list)  # speaker | intermediary | photo
    citations: list[Citation] = field(default_factory=list)

    @property
    def articles(self) -> list[int]:
        return sorted({c.article for c in self.citations})


@dataclass(slots=True)
class EntityMention:
    """One way an article refers to an entity: a `name` ("Abdul-Karim Khalaf"), an `acronym`
    ("PMF") or a `description` standing for it ("the 78-year-old politician")."""

    article: int
    start: int
    end: int
    text: str
    kind: str = "name"  # name | acronym | description
    field: str = "text"  # where the offsets point: "text", "title", or "captions.N"


@dataclass
class Entity:
    """One real-world person, organisation, place or group, across all articles."""

    id: str
    type: str  # PERSON | ORG | GPE | NORP | LOC | FAC | EVENT | ...
    name: str  # the most complete name found
    mentions: list[EntityMention] = field(default_factory=list)
    confidence: float | None = None  # that its different names are one thing
    level: Level = "certain"
    basis: str | None = None

    @property
    def articles(self) -> list[int]:
        return sorted({m.article for m in self.mentions})

    def names_in(self, article: int) -> list[str]:
        """The distinct names and descriptions one article uses, in order of first use."""
        return list(dict.fromkeys(m.text for m in self.mentions if m.article == article))


@dataclass(slots=True)
class WordingItem:
    """A finding about word choice, with spans.

    `swap`: inside fact `fact`, one outlet says `a` where another says `b`.
    `term`: a loaded, hedging or attribution-shading term (`a` only), of lexicon `category`.
    """

    kind: str  # swap | term
    a: Mention
    b: Mention | None = None
    fact: str | None = None
    category: str | None = None
    note: str | None = None
    voice: str = "outlet"  # terms: "outlet" (the writer's own words) or "quoted" (inside a quotation: the speaker's)
    confidence: float | None = None
    level: Level = "certain"
    basis: str | None = None


@dataclass(slots=True)
class Conflict:
    """Two outlets giving different values for the same slot of one fact: `a` and `b` are the
    value spans, `statement` says it plainly ("Press TV: al-Mawazin; Middle East Eye: al-Sabah")."""

    id: str
    kind: str  # quantity | date | place | actor | intermediary
    fact: str | None  # the fact's id, or the quote group's for an intermediary
    a: Slot
    b: Slot
    statement: str
    found_by: str = "rules"  # rules | model (the learned second opinion, `story/_conflict_model.py`)
    score: float | None = None  # the model's probability that the two are one contradiction, where it weighed them
    confidence: float | None = None
    level: Level = "certain"
    basis: str | None = None


@dataclass(slots=True)
class Tension:
    """Statements on one topic that pull against each other ("reduced its forces" / "an increase
    in the number of American forces"), with how sure the finding is and the cue behind it."""

    id: str
    a: Mention
    b: Mention
    score: float
    cue: str  # why: "reduced vs increase", "unlikely vs serious about"
    topic: str
    facts: tuple[str | None, str | None] = (None, None)
    confidence: float | None = None
    level: Level = "certain"
    basis: str | None = None


@dataclass(slots=True)
class TimelineEvent:
    """One event of the story: what happened (each mention is the clause that says it) and when
    (`dates`: the date expressions, one per mention). `date` is None for an event whose date the
    texts do not fix ("on Sunday" with no publication date, "days earlier")."""

    id: str
    date: str | None  # ISO form, "--MM-DD" when no year is stated
    label: str  # "January 3", "June", or the expression as written when undated
    mentions: list[Mention] = field(default_factory=list)
    dates: list[Slot] = field(default_factory=list)
    fact: str | None = None


@dataclass
class Highlights:
    """What matters most, ranked: the ids of the strongest certain conflicts, of quotations told
    differently, and for each article (by id) its most salient unique facts."""

    conflicts: list[str] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)
    unique: dict[int, list[str]] = field(default_factory=dict)


@dataclass(slots=True)
class Duplicate:
    """An input left out because it is a copy of another: `article` is the one kept (its id),
    `similarity` how much of the wording they share (Jaccard of word trigrams)."""

    article: int
    source: str
    outlet: str | None
    similarity: float
    changes: list[tuple[str, str]] = field(default_factory=list)  # (words of the kept text, words of the copy), the first 20
    changed: int = 0  # how many places differ in all


@dataclass(slots=True)
class Skipped:
    """An input that was left out, and why."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


@dataclass
class Comparison:
    """The result of comparing the articles of one story."""

    articles: list[Article]
    facts: list[Fact] = field(default_factory=list)
    similarity: list[list[float]] = field(default_factory=list)  # pairwise, article x article
    warnings: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)  # copies of a kept article, left out
    quotes: list[QuoteGroup] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    off_story: list[int] = field(default_factory=list)  # articles that do not seem to report this story
    entities: list[Entity] = field(default_factory=list)
    wording: list[WordingItem] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    tensions: list[Tension] = field(default_factory=list)
    timeline: list[TimelineEvent] = field(default_factory=list)  # dated events in order, then undated ones
    highlights: Highlights = field(default_factory=lambda: Highlights())  # filled by the `highlights` stage
    # Left by `align` for later stages: for each article pair (a < b), the best link probability
    # between every unit of a and every unit of b.
    unit_scores: dict[tuple[int, int], np.ndarray] = field(default_factory=dict, repr=False)

    def unit_score(self, a: int, unit_a: int, b: int, unit_b: int) -> float:
        if a < b:
            return float(self.unit_scores[a, b][unit_a, unit_b])
        return float(self.unit_scores[b, a][unit_b, unit_a])

    def facts_with_status(self, status: FactStatus) -> list[Fact]:
        return [f for f in self.facts if f.status == status]

    def unique_facts(self, article: int) -> list[Fact]:
        return [f for f in self.facts if f.status == "unique" and f.mentions[0].article == article]

    @classmethod
    def from_json(cls, text: str) -> Comparison:
        """A comparison read back from its own JSON (`to_json`): writing it again gives the same
        JSON, and it renders in every format. Raises `SchemaError` (a `ValueError`) for anything else."""
        from .render.json_report import read_json

        return read_json(text)

    @classmethod
    def from_dict(cls, data: dict) -> Comparison:
        from .render.json_report import comparison_from_dict

        return comparison_from_dict(data)

    def to_dict(self) -> dict:
        from .render.json_report import comparison_to_dict

        return comparison_to_dict(self)

    def to_json(self, *, indent: int | None = 2) -> str:
        from .render.json_report import render_json

        return render_json(self, indent=indent)

    def to_html(self) -> str:
        from .render.html_report import render_html

        return render_html(self)

    def to_markdown(self, *, possible: bool = False) -> str:
        """Markdown: certain findings, and possible ones too (marked) with `possible`."""
        from .render.markdown_report import render_markdown

        return render_markdown(self, possible=possible)


def article_labels(articles: list[Article]) -> list[str]:
    """One name per article (its outlet, else its source), numbered when two would be the same."""
    labels = [a.label for a in articles]
    totals = {label: labels.count(label) for label in labels}
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        if totals[label] > 1:
            seen[label] = seen.get(label, 0) + 1
            label = f"{label} ({seen[label]})"
        out.append(label)
    return out


def _group_by_article(mentions: list) -> dict:
    out: dict = {}
    for mention in mentions:
        out.setdefault(mention.article, []).append(mention)
    return out
