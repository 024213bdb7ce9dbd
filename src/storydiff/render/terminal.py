"""A short terminal summary with Rich: what is shared, what each outlet alone reports."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .._models import Comparison
from ._common import article_labels, shorten, story_title
from .markdown_report import FLAG_TEXT

STATUS_STYLES = {"shared": "green", "partial": "yellow", "unique": "cyan"}


def print_summary(comparison: Comparison, console: Console, *, per_outlet: int = 5) -> None:
    articles = comparison.articles
    labels = article_labels(articles)
    width = max(40, min(console.width, 140) - 12)
    console.print(f"[bold]{escape(story_title(articles))}[/bold]")

    table = Table(show_header=True, header_style="bold", box=None, padding=(0, 1))
    table.add_column("#", justify="right")
    table.add_column("outlet", no_wrap=True, overflow="ellipsis", max_width=32)
    for column in ("published", "words", "shared", "partial", "unique"):
        table.add_column(column, justify="left" if column == "published" else "right", no_wrap=True)
    for a, label in zip(articles, labels):
        counts = {s: sum(1 for f in comparison.facts if f.status == s and a.id in f.articles) for s in STATUS_STYLES}
        table.add_row(
            str(a.id),
            escape(label),
            escape(a.published or ""),
            str(len(a.text.split())),
            f"[green]{counts['shared']}[/green]",
            f"[yellow]{counts['partial']}[/yellow]",
            f"[cyan]{counts['unique']}[/cyan]",
        )
    console.print(table)

    if len(articles) == 2:
        console.print(f"Similarity: {comparison.similarity[0][1]:.2f}")
    else:
        pairs = [(comparison.similarity[i][j], i, j) for i in range(len(articles)) for j in range(i + 1, len(articles))]
        low = min(pairs)
        console.print(f"Similarity: lowest {low[0]:.2f} ({escape(labels[low[1]])} / {escape(labels[low[2]])})")

    sections = [("shared", "green", "Reported by all")]
    if len(articles) > 2:
        sections.append(("partial", "yellow", "Reported by some"))
    for status, style, heading in sections:
        chosen = comparison.facts_with_status(status)
        console.print(f"\n[bold {style}]{heading} ({len(chosen)})[/bold {style}]")
        for fact in chosen[:per_outlet]:
            who = "" if status == "shared" else f" ({', '.join(labels[i] for i in fact.articles)})"
            text = shorten(fact.mentions[0].text, max(20, width - len(who)))
            console.print(f"  {fact.id}  {escape(text)}[dim]{escape(who)}[/dim]")
        if len(chosen) > per_outlet:
            console.print(f"  … and {len(chosen) - per_outlet} more")

    for a, label in zip(articles, labels):
        unique = comparison.unique_facts(a.id)
        console.print(f"\n[bold cyan]Only in {escape(label)} ({len(unique)})[/bold cyan]")
        for fact in unique[:per_outlet]:
            console.print(f"  {fact.id}  {escape(shorten(fact.mentions[0].text, width))}")
        if len(unique) > per_outlet:
            console.print(f"  … and {len(unique) - per_outlet} more")

    flagged = [g for g in comparison.quotes if len(g.articles) > 1]
    if comparison.quotes:
        console.print(f"\n[bold]Quotations ({len(comparison.quotes)}, {len(flagged)} in several outlets)[/bold]")
        for group in flagged[:per_outlet]:
            who = escape(group.speaker or "speaker not found")
            flags = ", ".join(FLAG_TEXT[f] for f in group.flags)
            console.print(f"  {group.id}  {who}: {escape(shorten(group.mentions[0].text, width - len(who) - 2))}")
            for m in group.mentions:
                via = f" via {m.via}" if m.via else ""
                console.print(f"       [dim]{escape(labels[m.article])} ({m.kind}{escape(via)})[/dim]")
            if flags:
                console.print(f"       [yellow]{escape(flags)}[/yellow]")
        unnamed = [f.id for f in comparison.facts if f.unnamed_only]
        if unnamed:
            console.print(f"  Facts resting only on unnamed sources: {', '.join(unnamed)}")

    differing = [e for e in comparison.entities if len(e.articles) > 1 and len({frozenset(e.names_in(a)) for a in e.articles}) > 1]
    if differing:
        console.print(f"\n[bold]Named differently ({len(differing)})[/bold]")
        for entity in differing[:per_outlet]:
            variants = " / ".join(f"{labels[a]}: {'; '.join(entity.names_in(a)[:3])}" for a in entity.articles)
            console.print(f"  {escape(entity.name)}: [dim]{escape(shorten(variants, width))}[/dim]")
    swaps = [w for w in comparison.wording if w.kind == "swap"]
    terms = [w for w in comparison.wording if w.kind == "term"]
    if swaps or terms:
        console.print(f"\n[bold]Word choice[/bold] ({len(swaps)} swaps in shared facts, {len(terms)} loaded or hedging words)")
        for w in swaps[:per_outlet]:
            console.print(f"  {w.fact}  {escape(labels[w.a.article])} “{escape(w.a.text)}” / {escape(labels[w.b.article])} “{escape(w.b.text)}”")
        for a, label in zip(articles, labels):
            mine = [w.a.text for w in terms if w.a.article == a.id]
            if mine:
                console.print(f"  {escape(label)}: {escape(', '.join(dict.fromkeys(mine)))}")

    if comparison.conflicts:
        console.print(f"\n[bold red]Conflicts ({len(comparison.conflicts)})[/bold red]")
        for c in comparison.conflicts:
            learned = f" [dim](learned model, {c.score:.2f})[/dim]" if c.found_by == "model" else ""
            console.print(f"  {c.kind:<12} {escape(c.statement)}{learned}")  # never cut: the finding itself
    if comparison.tensions:
        console.print(f"\n[bold]Tensions ({len(comparison.tensions)})[/bold] [dim]statements pulling against each other, by cue words[/dim]")
        for t in comparison.tensions[:per_outlet]:
            console.print(f"  {t.score:.2f} {escape(t.topic)}: [dim]{escape(t.cue)}[/dim]")
            for side in (t.a, t.b):
                label = labels[side.article]
                console.print(f"       {escape(label)}: {escape(shorten(side.text, max(20, width - 12 - len(label))))}")
    dated = [e for e in comparison.timeline if e.date]
    if dated:
        console.print(f"\n[bold]Timeline ({len(dated)} dated events)[/bold]")
        for e in dated:
            outlets = ", ".join(dict.fromkeys(labels[m.article] for m in e.mentions))
            console.print(f"  {escape(e.label):<16} {escape(shorten(e.mentions[0].text, max(20, width - 40)))} [dim]{escape(outlets)}[/dim]")

    for warning in comparison.warnings:
        console.print(f"\n[bold yellow]warning:[/bold yellow] {escape(warning)}")
