"""The comparison as Markdown: the same findings as the HTML report, as readable text."""

from __future__ import annotations

from .._models import Comparison, Fact
from .._version import __version__
from ._common import article_labels, count_possible, notices, shown, story_title


def _escape(text: str) -> str:
    """Article text as inert Markdown: no markup, links or HTML of its own."""
    text = " ".join(text.split())
    for ch in "\\`*_{}[]<>()#+!|~":
        text = text.replace(ch, "\\" + ch)
    return text


def _quote(fact: Fact, labels: list[str]) -> list[str]:
    lines = []
    for m in fact.mentions:
        lines.append(f"  - **{_escape(labels[m.article])}** ({m.start}–{m.end}): “{_escape(m.text)}”")
    for m in fact.possible:
        lines.append(f"  - possible in **{_escape(labels[m.article])}** (score {m.score:.2f}): “{_escape(m.text)}”")
    return lines


def render_markdown(comparison: Comparison, *, possible: bool = False) -> str:
    """The comparison as Markdown: what matters most first, then each kind of finding. Certain
    findings only, unless `possible`: then possible ones too, each marked *possible*."""
    articles = comparison.articles
    labels = article_labels(articles)
    facts = comparison.facts
    out = [f"# {_escape(story_title(articles))}", ""]
    counts = {s: len(comparison.facts_with_status(s)) for s in ("shared", "partial", "unique")}
    out.append(
        f"{len(articles)} articles, {len(facts)} facts: {counts['shared']} shared by all, "
        f"{counts['partial']} shared by some, {counts['unique']} in one outlet only."
    )
    out.append("")
    for warning in notices(comparison):
        out.append(f"> **Warning:** {_escape(warning)}")
        out.append("")
    if comparison.skipped:
        out += ["## Skipped inputs", ""]
        out += [f"- {_escape(s.source)}: {_escape(s.reason)}" for s in comparison.skipped]
        out.append("")

    out += _summary_section(comparison, labels)
    out += ["## Articles", "", "| # | outlet | title | published | source |", "|---|---|---|---|---|"]
    for a, label in zip(articles, labels):
        cells = [str(a.id), label, a.title or "", a.published or "", a.source]
        out.append("| " + " | ".join(_escape(c) for c in cells) + " |")
    out.append("")

    sections = [
        ("shared", "Reported by all"),
        ("partial", "Reported by some"),
    ]
    for status, heading in sections:
        chosen, hidden = _pick(comparison.facts_with_status(status), possible)
        if not chosen:
            continue
        out += [f"## {heading} ({len(chosen)}{_more(hidden)})", ""]
        for fact in chosen:
            who = ", ".join(labels[i] for i in fact.articles)
            score = f", score {fact.score:.2f}" if fact.score is not None else ""
            out.append(f"- {_tag(fact)}**{fact.id}** ({_escape(who)}{score})")
            out += _quote(fact, labels)
        out.append("")

    out += ["## Only in one outlet", ""]
    for a, label in zip(articles, labels):
        unique, hidden = _pick(comparison.unique_facts(a.id), possible)
        out += [f"### {_escape(label)} ({len(unique)}{_more(hidden)})", ""]
        if not unique:
            out.append("Nothing this outlet alone reports" + (" for sure." if hidden else "."))
        for fact in unique:
            out.append(f"- {_tag(fact)}**{fact.id}**: “{_escape(fact.mentions[0].text)}”")
            for m in fact.possible:
                out.append(f"  - possible in **{_escape(labels[m.article])}** (score {m.score:.2f}): “{_escape(m.text)}”")
        out.append("")

    out += _names_section(comparison, labels, possible)
    out += _wording_section(comparison, labels, possible)
    out += _conflicts_section(comparison, labels, possible)
    out += _timeline_section(comparison, labels)
    out += _quotes_section(comparison, labels, possible)
    out += _sources_section(comparison, labels)
    hidden = count_possible(comparison)
    if hidden and not possible:
        out += [f"*{hidden} possible finding{'s' if hidden != 1 else ''} (less sure) are not shown; `--possible` shows them.*", ""]

    out += ["## Coverage", "", "| fact | " + " | ".join(_escape(l) for l in labels) + " |", "|---|" + "---|" * len(labels)]
    for fact in facts:
        cells = ["✔" if a.id in fact.articles else "" for a in articles]
        out.append(f"| {fact.id} ({fact.status}) | " + " | ".join(cells) + " |")
    out.append("")

    out += ["## Similarity", "", "| | " + " | ".join(_escape(l) for l in labels) + " |", "|---|" + "---|" * len(labels)]
    for label, row in zip(labels, comparison.similarity):
        out.append(f"| {_escape(label)} | " + " | ".join(f"{v:.2f}" for v in row) + " |")
    out.append("")
    # An invisible last line that lets storydiff know its own output if it is ever given back as input.
    out += ["", f"[//]: # (storydiff {__version__} report)"]
    return "\n".join(out)


FLAG_TEXT = {
    "one_outlet": "one outlet only",
    "direct_vs_reported": "quoted in one, paraphrased in another",
    "different_intermediaries": "credited through different intermediaries",
    "wording_differs": "quoted words differ in substance",
}


def _pick(findings: list, possible: bool) -> tuple[list, int]:
    chosen = shown(findings, possible)
    return chosen, len(findings) - len(chosen)


def _more(hidden: int) -> str:
    return f", +{hidden} possible" if hidden else ""


def _tag(finding) -> str:
    return "*possible* " if finding.level == "possible" else ""


def _sentence(comparison: Comparison, span) -> str:
    """A value in its sentence, the value in bold."""
    from .html_report import _in_context

    before, value, after = _in_context(comparison, span)
    return f"{_escape(before)}**{_escape(value)}**{_escape(after)}"


def _summary_section(comparison: Comparison, labels: list[str]) -> list[str]:
    """What matters most: sure conflicts with both sentences, quotations told differently, and
    what each outlet alone reports that matters most."""
    h = comparison.highlights
    out = ["## What matters most", ""]
    conflicts = {c.id: c for c in comparison.conflicts}
    for cid in h.conflicts:
        c = conflicts[cid]
        out.append(f"- **Conflict** ({c.kind}): {_escape(c.statement)}")
        out.append(f"  - {_escape(labels[c.a.article])}: “{_sentence(comparison, c.a)}”")
        out.append(f"  - {_escape(labels[c.b.article])}: “{_sentence(comparison, c.b)}”")
    groups = {g.id: g for g in comparison.quotes}
    for gid in h.quotes:
        g = groups[gid]
        flags = "; ".join(FLAG_TEXT[f] for f in g.flags)
        out.append(f"- **Quoted differently**: {_escape(g.speaker or 'speaker not found')} ({flags})")
        for m in g.mentions:
            via = f", via {_escape(m.via)}" if m.via else ""
            out.append(f"  - {_escape(labels[m.article])}{via}: “{_escape(m.text)}”")
    facts = {f.id: f for f in comparison.facts}
    for article, ids in sorted(h.unique.items()):
        for fid in ids:
            out.append(f"- **Only {_escape(labels[article])}** ({fid}): “{_escape(facts[fid].mentions[0].text)}”")
    if len(out) == 2:
        out.append("Nothing the tool is sure of stands out: no conflict, no quotation told differently.")
    out.append("")
    return out


def _quotes_section(comparison: Comparison, labels: list[str], possible: bool = False) -> list[str]:
    groups, hidden = _pick(comparison.quotes, possible)
    out = [f"## Quotations ({len(groups)}{_more(hidden)})", ""]
    if not groups:
        return out + ["No quotations found.", ""]
    for group in groups:
        speaker = _escape(group.speaker) if group.speaker else "speaker not found"
        unnamed = " (unnamed)" if group.speaker and not group.named else ""
        flags = "; ".join(FLAG_TEXT[f] for f in group.flags)
        out.append(f"- {_tag(group)}**{group.id}** {speaker}{unnamed}" + (f": *{flags}*" if flags else ""))
        for m in group.mentions:
            via = f", via {_escape(m.via)}" + (" (possible)" if m.via_level == "possible" else "") if m.via else ""
            channel = f", {_escape(m.channel)}" if m.channel else ""
            out.append(f"  - **{_escape(labels[m.article])}** ({m.kind}{via}{channel}): “{_escape(m.text)}”")
        for article, ops in sorted(group.changes.items()):
            lacks = " ".join(op.a for op in ops if op.op in ("replace", "delete") and op.a)
            adds = " ".join(op.b for op in ops if op.op in ("replace", "insert") and op.b)
            if lacks or adds:
                out.append(
                    f"  - {_escape(labels[article])} against {_escape(labels[group.mentions[0].article])}: "
                    f"adds “{_escape(adds)}”; lacks “{_escape(lacks)}”"
                )
    out.append("")
    return out


def _sources_section(comparison: Comparison, labels: list[str]) -> list[str]:
    out = [f"## Sources ({len(comparison.sources)})", ""]
    names = {s.id: s.name for s in comparison.sources}
    for source in comparison.sources:
        cited = []
        for c in source.citations:
            via = f" via {_escape(names[c.via])}" if c.via else ""
            cited.append(f"{_escape(labels[c.article])}{via}")
        unnamed = ", unnamed" if not source.named else ""
        out.append(f"- **{_escape(source.name)}** ({source.kind}{unnamed}; {', '.join(source.roles)}): {'; '.join(cited)}")
    unnamed_facts = [f.id for f in comparison.facts if f.unnamed_only]
    if unnamed_facts:
        out += ["", f"Facts resting only on unnamed sources: {', '.join(unnamed_facts)}."]
    out.append("")
    return out


def _names_section(comparison: Comparison, labels: list[str], possible: bool = False) -> list[str]:
    rows, hidden = _pick([e for e in comparison.entities if len(e.articles) > 1 or any(m.kind == "description" for m in e.mentions)], possible)
    out = [f"## Names and descriptions ({len(rows)}{_more(hidden)})", ""]
    if not rows:
        return out + ["No names found in several outlets.", ""]
    out += ["| entity | " + " | ".join(_escape(l) for l in labels) + " |", "|---|" + "---|" * len(labels)]
    for entity in rows:
        cells = ["; ".join(_escape(n) for n in entity.names_in(a.id)) for a in comparison.articles]
        out.append(f"| {_tag(entity)}{_escape(entity.name)} ({entity.type}) | " + " | ".join(cells) + " |")
    out.append("")
    return out


def _wording_section(comparison: Comparison, labels: list[str], possible: bool = False) -> list[str]:
    swaps, hidden = _pick([w for w in comparison.wording if w.kind == "swap"], possible)
    out = ["## Word choice", "", f"Swaps inside shared facts ({len(swaps)}{_more(hidden)}):", ""]
    for w in swaps:
        note = f" ({_escape(w.note)})" if w.note else ""
        out.append(f"- {_tag(w)}{w.fact}: {_escape(labels[w.a.article])} “{_escape(w.a.text)}” / {_escape(labels[w.b.article])} “{_escape(w.b.text)}”{note}")
    if not swaps:
        out.append("- none" + (" the tool is sure of" if hidden else ""))
    terms_all = [w for w in comparison.wording if w.kind == "term"]
    terms, hidden = _pick(terms_all, possible)
    out += ["", f"Loaded, hedging and attribution words ({len(terms)}{_more(hidden)}); words inside quotations are the speaker's, marked *quoted*:", ""]
    for article, label in zip(comparison.articles, labels):
        mine = [w for w in terms if w.a.article == article.id]
        listed = ", ".join(
            f"{_tag(w)}“{_escape(w.a.text)}” ({w.category}{', quoted' if w.voice == 'quoted' else ''}"
            f"{'' if w.a.field == 'text' else ', ' + w.a.field.split('.')[0].rstrip('s')})" for w in mine
        )
        out.append(f"- **{_escape(label)}**: {listed or 'none found'}")
    out.append("")
    return out


def _conflicts_section(comparison: Comparison, labels: list[str], possible: bool = False) -> list[str]:
    conflicts, hidden = _pick(comparison.conflicts, possible)
    out = [f"## Conflicts ({len(conflicts)}{_more(hidden)})", ""]
    for c in conflicts:
        where = f" in {c.fact}" if c.fact else ""
        learned = f" (learned model, {c.score:.2f})" if c.found_by == "model" else ""
        out.append(f"- {_tag(c)}{c.kind}{where}{learned}: {_escape(c.statement)}")
        out.append(f"  - {_escape(labels[c.a.article])}: “{_sentence(comparison, c.a)}”")
        out.append(f"  - {_escape(labels[c.b.article])}: “{_sentence(comparison, c.b)}”")
    if not conflicts:
        out.append("- none found in the facts the outlets share" + (" that the tool is sure of" if hidden else ""))
    tensions, hidden = _pick(comparison.tensions, possible)
    out += ["", f"Tensions ({len(tensions)}{_more(hidden)}), statements on one topic pulling against each other (cue words, not proof):", ""]
    for t in tensions:
        out.append(
            f"- {_tag(t)}{t.score:.2f} {_escape(t.topic)} ({_escape(t.cue)}): {_escape(labels[t.a.article])} “{_escape(t.a.text)}” / "
            f"{_escape(labels[t.b.article])} “{_escape(t.b.text)}”"
        )
    if not tensions:
        out.append("- none found" + (" that the tool is sure of" if hidden else ""))
    out.append("")
    return out


def _timeline_section(comparison: Comparison, labels: list[str]) -> list[str]:
    dated = [e for e in comparison.timeline if e.date]
    undated = [e for e in comparison.timeline if not e.date]
    out = [f"## Timeline ({len(dated)} dated events)", ""]
    for e in dated:
        outlets = ", ".join(dict.fromkeys(_escape(labels[m.article]) for m in e.mentions))
        out.append(f"- **{_escape(e.label)}** ({outlets}): {_escape(e.mentions[0].text)}")
    if undated:
        out += ["", "Not placed in time:", ""]
        for e in undated:
            out.append(f"- {_escape(e.label)} ({_escape(labels[e.mentions[0].article])}): {_escape(e.mentions[0].text)}")
    out.append("")
    return out
