"""A self-contained HTML report: articles side by side with facts highlighted, a coverage matrix,
and each outlet's unique facts. One file, no network, no external assets.

Article content is untrusted. Jinja2 escapes every value put into the page; the fact data the
script reads travels as JSON inside a `<script type="application/json">` block with `<`, `>` and `&`
escaped, and the script only ever sets `textContent`. A Content-Security-Policy pins the one script
by its hash, so nothing else could run even if markup slipped through.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup

from .._models import Article, Comparison
from .._version import __version__
from ._common import article_labels, count_possible, notices, story_title
from .json_report import comparison_to_dict

STATUS_LABELS = {"shared": "reported by all", "partial": "reported by some", "unique": "reported by one"}


@dataclass
class _Piece:
    text: str
    word: str | None = None  # css class of a word annotation: "swap", "term hedge", ...
    title: str | None = None


@dataclass
class _Segment:
    """A stretch of a paragraph inside one fact's mention (or outside any), in word pieces."""

    fact: str | None
    status: str | None
    pieces: list[_Piece]
    level: str = "certain"


def _paragraph_pieces(article: Article, spans: list[tuple[int, int, str, str, str]], words: list[tuple[int, int, str, str]]) -> list[list[_Segment]]:
    """The article as paragraphs of segments: each segment plain or inside one fact's mention,
    and within it, words marked as swapped or loaded. Mentions never overlap (each unit belongs
    to one fact); word marks that would cross a mention's edge are cut there."""
    cuts = {0, len(article.text)}
    for start, end, *_ in spans + words:
        cuts.update((start, end))
    paragraphs = []
    for paragraph in article.paragraphs or [_whole(article)]:
        points = sorted({paragraph.start, paragraph.end} | {c for c in cuts if paragraph.start < c < paragraph.end})
        segments: list[_Segment] = []
        for start, end in zip(points, points[1:]):
            fact = next(((f, st, lv) for s0, e0, f, st, lv in spans if s0 <= start and end <= e0), (None, None, "certain"))
            word = next(((cls, title) for s0, e0, cls, title in words if s0 <= start and end <= e0), (None, None))
            piece = _Piece(article.text[start:end], *word)
            if segments and segments[-1].fact == fact[0]:
                segments[-1].pieces.append(piece)
            else:
                segments.append(_Segment(fact[0], fact[1], [piece], fact[2]))
        if any(p.text.strip() for seg in segments for p in seg.pieces):
            paragraphs.append(segments)
    return paragraphs


def _whole(article: Article):
    from .._models import Span

    return Span(0, len(article.text))


def _word_marks(comparison: Comparison) -> dict[int, list[tuple[int, int, str, str]]]:
    """Per article: swapped words and loaded terms in the body, as (start, end, css class, title)."""
    marks: dict[int, list[tuple[int, int, str, str]]] = {a.id: [] for a in comparison.articles}
    labels = {a.id: a.label for a in comparison.articles}
    for item in comparison.wording:
        possible = " possible" if item.level == "possible" else ""
        if item.kind == "term" and item.a.field == "text":
            voice = " quoted" if item.voice == "quoted" else ""
            marks[item.a.article].append((item.a.start, item.a.end, f"term {item.category}{voice}{possible}", f"{item.category}: {item.note}"))
        elif item.kind == "swap" and item.b is not None:
            for here, there in ((item.a, item.b), (item.b, item.a)):
                marks[here.article].append((here.start, here.end, f"swap{possible}", f"{labels[there.article]} says: {there.text}"))
    return marks


def _json_for_script(data) -> Markup:
    """JSON that cannot close its <script> element or open markup, whatever the strings hold."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)  # safe: no character of it can start a tag or an entity


@lru_cache(maxsize=1)
def _environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=PackageLoader("storydiff", "render/templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def _script_hash(script: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")


def render_html(comparison: Comparison) -> str:
    """The report as one self-contained page (its style and script inline, pinned by the CSP)."""
    env = _environment()
    script = env.get_template("report.js").render()
    return env.get_template("report.html.j2").render(
        **report_context(comparison),
        standalone=True,
        script=Markup(script),
        script_hash=_script_hash(script),
        style=Markup(env.get_template("report.css").render()),
    )


def report_context(comparison: Comparison) -> dict:
    """What the report's body (`_report_body.html.j2`) shows: the standalone page and the web
    app's pages both render it, each with its own head and its own way of loading style and script."""
    articles = comparison.articles
    spans: dict[int, list[tuple[int, int, str, str, str]]] = {a.id: [] for a in articles}
    for fact in comparison.facts:
        for m in fact.mentions:
            spans[m.article].append((m.start, m.end, fact.id, fact.status, fact.level))
    words = _word_marks(comparison)
    data = comparison_to_dict(comparison)
    # The script needs only ids, statuses and spans; article bodies are already in the page.
    source_names = {source.id: source.name for source in comparison.sources}
    labels_for_script = article_labels(articles)
    fact_data = [
        {k: fact[k] for k in ("id", "status", "score", "articles", "mentions", "possible", "unnamed_only")}
        | {"sources": [source_names[s] for s in fact["sources"]]}
        | {"swaps": [[labels_for_script[w["a"]["article"]], w["a"]["text"], labels_for_script[w["b"]["article"]], w["b"]["text"]]
                     for w in data["wording"] if w["kind"] == "swap" and w.get("fact") == fact["id"]]}
        for fact in data["facts"]
    ]
    labels = article_labels(articles)
    return dict(
        comparison=comparison,
        notices=notices(comparison),
        labels=labels,
        columns=[(a, labels[a.id], _paragraph_pieces(a, spans[a.id], words[a.id])) for a in articles],
        facts=comparison.facts,
        unique_by_article=[(a, labels[a.id], comparison.unique_facts(a.id)) for a in articles],
        summary=data["summary"],
        status_labels=STATUS_LABELS,
        fact_json=_json_for_script({"facts": fact_data, "labels": labels}),
        version=__version__,
        title=story_title(articles),
        quotes=comparison.quotes,
        quote_rows=[(group, _quote_cells(group, articles)) for group in comparison.quotes],
        sources=comparison.sources,
        source_names=source_names,
        flag_labels=FLAG_LABELS,
        entity_rows=_entity_rows(comparison),
        swaps=[w for w in comparison.wording if w.kind == "swap"],
        terms_by_article=[(a, labels[a.id], [w for w in comparison.wording if w.kind == "term" and w.a.article == a.id]) for a in articles],
        biased=[w for w in comparison.wording if w.kind == "sentence"],
        conflicts=[(c, _in_context(comparison, c.a), _in_context(comparison, c.b)) for c in comparison.conflicts],
        highlights=_highlights(comparison),
        possible_count=count_possible(comparison),
        tensions=comparison.tensions,
        dated=[e for e in comparison.timeline if e.date],
        undated=[e for e in comparison.timeline if not e.date],
    )


def _highlights(comparison: Comparison) -> dict:
    """The ranked summary, as the objects the template shows."""
    by_id = {c.id: c for c in comparison.conflicts}
    groups = {g.id: g for g in comparison.quotes}
    facts = {f.id: f for f in comparison.facts}
    labels = article_labels(comparison.articles)
    return {
        "conflicts": [(c, _in_context(comparison, c.a), _in_context(comparison, c.b)) for c in (by_id[i] for i in comparison.highlights.conflicts)],
        "quotes": [groups[i] for i in comparison.highlights.quotes],
        "unique": [(labels[a], [facts[i] for i in ids]) for a, ids in sorted(comparison.highlights.unique.items()) if ids],
    }


def _in_context(comparison: Comparison, span, width: int = 110) -> tuple[str, str, str]:
    """(before, the span, after): a value with the words around it, cut at the sentence."""
    text = comparison.articles[span.article].field_text(span.field)
    stop = text.rfind(". ", 0, span.start)
    start = max(stop + 2 if stop >= 0 else 0, text.rfind("\n", 0, span.start) + 1, span.start - width)
    ends = [i for i in (text.find(". ", span.end), text.find("\n", span.end)) if i >= 0]
    end = min(ends + [len(text), span.end + width]) + (1 if ends and min(ends) < span.end + width and text[min(ends)] == "." else 0)
    return text[start : span.start], text[span.start : span.end], text[span.end : end]


def _entity_rows(comparison: Comparison) -> list[tuple]:
    """Entities for the names table: those several articles name, those named differently first."""
    rows = []
    for entity in comparison.entities:
        if len(entity.articles) < 2 and not any(m.kind == "description" for m in entity.mentions):
            continue
        cells = [entity.names_in(a.id) for a in comparison.articles]
        differs = len({tuple(sorted(c)) for c in cells if c}) > 1
        rows.append((not differs, -len(entity.articles), entity, cells, differs))
    rows.sort(key=lambda r: r[:2])
    return [(entity, cells, differs) for _, _, entity, cells, differs in rows]


FLAG_LABELS = {
    "one_outlet": "one outlet only",
    "direct_vs_reported": "quoted in one, paraphrased in another",
    "different_intermediaries": "credited through different intermediaries",
    "wording_differs": "quoted words differ in substance",
}


def _quote_cells(group, articles: list[Article]) -> list[list]:
    """Per article: the outlet's mentions, each as (mention, pieces) where pieces are (text, mark):
    mark is 'ins' for words this outlet has and the first does not, '' otherwise."""
    cells = []
    for article in articles:
        mentions = [m for m in group.mentions if m.article == article.id]
        rendered = []
        for m in mentions:
            ops = group.changes.get(m.article) if m is not group.mentions[0] and m.article != group.mentions[0].article else None
            if ops is None:
                rendered.append((m, [(m.text, "")]))
                continue
            pieces = []
            for op in ops:
                if op.op == "equal":
                    pieces.append((op.b, ""))
                elif op.op in ("replace", "insert"):
                    pieces.append((op.b, "ins"))
                if op.op in ("replace", "delete"):
                    pieces.append((op.a, "del"))
            rendered.append((m, pieces))
        cells.append(rendered)
    return cells
