"""A short terminal summary with Rich: warnings first, then what is shared, what each outlet alone
reports, quotes, names, wording, conflicts, tensions and the timeline.

Every line fits the terminal (cut between words, never inside one); a section with nothing in it
is not printed; a heading's count is the whole count, and a cut list says how many it leaves out.
"""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from .._models import Comparison
from ._common import article_labels, count_possible, notices, shorten, shown, story_title
from .markdown_report import FLAG_TEXT

STATUS_STYLES = {"shared": "green", "partial": "yellow", "unique": "cyan"}


class _Printer:
    def __init__(self, console: Console, limit: int) -> None:
        self.console = console
        self.width = max(40, min(console.width, 140))
        self.limit = limit
        self.possible = False

    def pick(self, findings: list) -> tuple[list, int]:
        """The findings to show, and how many possible ones were left out."""
        chosen = shown(findings, self.possible)
        return chosen, len(findings) - len(chosen)

    @staticmethod
    def tag(finding) -> str:
        return "(possible) " if getattr(finding, "level", "certain") == "possible" else ""

    def counted(self, heading: str, total: int, hidden: int) -> str:
        return f"{heading} ({total}{f', +{hidden} possible' if hidden else ''})"

    def line(self, prefix: str, text: str, suffix: str = "", *, style: str = "", suffix_style: str = "dim") -> None:
        """`prefix` as given; `text`, then `suffix`, shortened so that the whole line fits (the
        text keeps at least half of the room)."""
        room = self.width - len(prefix) - 1
        if suffix and len(suffix) > room // 2:
            gap = suffix[: len(suffix) - len(suffix.lstrip())]
            suffix = gap + shorten(suffix, max(8, room // 2 - len(gap)))
        room = max(12, room - len(suffix))
        body = escape(shorten(text, room))
        body = f"[{style}]{body}[/{style}]" if style else body
        tail = f"[{suffix_style}]{escape(suffix)}[/{suffix_style}]" if suffix else ""
        self.console.print(f"{escape(prefix)}{body}{tail}")

    def heading(self, text: str, style: str = "bold") -> None:
        self.console.print(f"\n[{style}]{escape(text)}[/{style}]")

    def wrapped(self, prefix: str, text: str) -> None:
        """A finding shown whole: wrapped between words, later lines indented under the first."""
        import textwrap

        lines = textwrap.wrap(text, width=max(20, self.width - 1), initial_indent=prefix, subsequent_indent=" " * len(prefix))
        for line in lines:
            self.console.print(escape(line))

    def more(self, total: int, shown: int, indent: str = "  ") -> None:
        if total > shown:
            self.console.print(f"{indent}… and {total - shown} more")


def print_summary(comparison: Comparison, console: Console, *, per_outlet: int = 5, possible: bool = False) -> None:
    """What matters most first, then each kind of finding. Certain findings only, unless
    `possible`: then possible ones too, each marked so."""
    articles = comparison.articles
    labels = article_labels(articles)
    out = _Printer(console, per_outlet)
    out.possible = possible
    out.line("", story_title(articles), style="bold")
    _warnings(comparison, labels, out)
    _table(comparison, labels, console)
    _summary(comparison, labels, out)
    _facts(comparison, labels, out)
    _quotes(comparison, labels, out)
    _names_and_wording(comparison, labels, out)
    _conflicts(comparison, labels, out)
    hidden = count_possible(comparison)
    if hidden and not possible:
        out.console.print(f"\n[dim]{hidden} possible finding{'s' if hidden != 1 else ''} not shown (less sure); --possible shows them.[/dim]")


def _summary(comparison: Comparison, labels: list[str], out: _Printer) -> None:
    """The ranked summary: sure conflicts with both sentences, quotations told differently, and
    what each outlet alone reports that matters most."""
    from .html_report import _in_context

    h = comparison.highlights
    if not (h.conflicts or h.quotes or any(h.unique.values())):
        return
    out.heading("What matters most", "bold magenta")
    conflicts = {c.id: c for c in comparison.conflicts}
    for cid in h.conflicts:
        c = conflicts[cid]
        out.wrapped("  conflict: ", c.statement)
        for side in (c.a, c.b):
            before, value, after = _in_context(comparison, side)
            out.line(f"     {labels[side.article]}: ", f"{before}{value}{after}")
    groups = {g.id: g for g in comparison.quotes}
    for gid in h.quotes[: out.limit]:
        g = groups[gid]
        out.line("  quoted differently: ", f"{g.speaker or 'speaker not found'} ({', '.join(FLAG_TEXT[f] for f in g.flags)})")
    facts = {f.id: f for f in comparison.facts}
    for article, ids in sorted(h.unique.items()):
        for fid in ids:
            out.line(f"  only {labels[article]}: ", facts[fid].mentions[0].text)


def _warnings(comparison: Comparison, labels: list[str], out: _Printer) -> None:
    for note in notices(comparison):
        out.console.print(f"[bold yellow]warning:[/bold yellow] {escape(note)}")


def _table(comparison: Comparison, labels: list[str], console: Console) -> None:
    from rich.table import Table

    table = Table(show_header=True, header_style="bold", box=None, padding=(0, 1))
    table.add_column("#", justify="right")
    table.add_column("outlet", no_wrap=True, overflow="ellipsis", max_width=32)
    for column in ("published", "words", "shared", "partial", "unique"):
        table.add_column(column, justify="left" if column == "published" else "right", no_wrap=True)
    for a, label in zip(comparison.articles, labels):
        counts = {s: sum(1 for f in comparison.facts if f.status == s and a.id in f.articles) for s in STATUS_STYLES}
        table.add_row(
            str(a.id), escape(label), escape(a.published or ""), str(len(a.text.split())),
            f"[green]{counts['shared']}[/green]", f"[yellow]{counts['partial']}[/yellow]", f"[cyan]{counts['unique']}[/cyan]",
        )
    console.print(table)
    n = len(comparison.articles)
    if n == 2:
        console.print(f"Similarity: {comparison.similarity[0][1]:.2f}")
    else:
        low = min((comparison.similarity[i][j], i, j) for i in range(n) for j in range(i + 1, n))
        console.print(f"Similarity: lowest {low[0]:.2f} ({escape(labels[low[1]])} / {escape(labels[low[2]])})")


def _facts(comparison: Comparison, labels: list[str], out: _Printer) -> None:
    sections = [("shared", "green", "Reported by all")]
    if len(comparison.articles) > 2:
        sections.append(("partial", "yellow", "Reported by some"))
    for status, style, heading in sections:
        chosen, hidden = out.pick(comparison.facts_with_status(status))
        if not chosen:
            continue
        out.heading(out.counted(heading, len(chosen), hidden), f"bold {style}")
        for fact in chosen[: out.limit]:
            who = "" if status == "shared" else f" ({', '.join(labels[i] for i in fact.articles)})"
            out.line(f"  {fact.id}  {out.tag(fact)}", fact.mentions[0].text, who)
        out.more(len(chosen), out.limit)
    for a, label in zip(comparison.articles, labels):
        unique, hidden = out.pick(comparison.unique_facts(a.id))
        if not unique:
            continue
        out.heading(out.counted(f"Only in {label}", len(unique), hidden), "bold cyan")
        for fact in unique[: out.limit]:
            out.line(f"  {fact.id}  {out.tag(fact)}", fact.mentions[0].text)
        out.more(len(unique), out.limit)


def _quotes(comparison: Comparison, labels: list[str], out: _Printer) -> None:
    flagged, hidden = out.pick([g for g in comparison.quotes if len(g.articles) > 1])
    if flagged:
        out.heading(out.counted("Quotations in several outlets", len(flagged), hidden))
        for group in flagged[: out.limit]:
            who = group.speaker or "speaker not found"
            out.line(f"  {group.id}  {out.tag(group)}{who}: ", group.mentions[0].text)
            for m in group.mentions:
                via = f" via {m.via}" if m.via and (out.possible or m.via_level == "certain") else ""
                channel = f", {m.channel}" if m.channel else ""
                out.line("       ", f"{labels[m.article]} ({m.kind}{via}{channel})", style="dim")
            if group.flags:
                out.line("       ", ", ".join(FLAG_TEXT[f] for f in group.flags), style="yellow")
        out.more(len(flagged), out.limit)
    unnamed = [f.id for f in comparison.facts if f.unnamed_only]
    if unnamed:
        out.line("  ", f"Facts resting only on unnamed sources: {', '.join(unnamed)}")


def _names_and_wording(comparison: Comparison, labels: list[str], out: _Printer) -> None:
    differing, hidden = out.pick([
        e for e in comparison.entities
        if len(e.articles) > 1 and len({frozenset(e.names_in(a)) for a in e.articles}) > 1
    ])
    if differing:
        out.heading(out.counted("Named differently", len(differing), hidden))
        for entity in differing[: out.limit]:
            variants = " / ".join(f"{labels[a]}: {'; '.join(entity.names_in(a)[:3])}" for a in entity.articles)
            out.line(f"  {out.tag(entity)}{entity.name}: ", variants)
        out.more(len(differing), out.limit)
    swaps, hidden_swaps = out.pick([w for w in comparison.wording if w.kind == "swap"])
    terms, hidden_terms = out.pick([w for w in comparison.wording if w.kind == "term" and w.voice == "outlet"])
    if swaps:
        out.heading(out.counted("Word swaps in shared facts", len(swaps), hidden_swaps))
        for w in swaps[: out.limit]:
            out.line(f"  {w.fact}  {out.tag(w)}", f"{labels[w.a.article]} “{w.a.text}” / {labels[w.b.article]} “{w.b.text}”")
        out.more(len(swaps), out.limit)
    if terms:
        per_outlet = [(label, list(dict.fromkeys(out.tag(w) + w.a.text for w in terms if w.a.article == a.id))) for a, label in zip(comparison.articles, labels)]
        total = sum(len(words) for _, words in per_outlet)
        out.heading(out.counted("Loaded or hedging words in the outlet's own voice", total, hidden_terms))
        for label, words in per_outlet:
            if words:
                out.line(f"  {label}: ", ", ".join(words))


def _conflicts(comparison: Comparison, labels: list[str], out: _Printer) -> None:
    conflicts, hidden = out.pick(comparison.conflicts)
    if conflicts:
        out.heading(out.counted("Conflicts", len(conflicts), hidden), "bold red")
        for c in conflicts:
            learned = f" (learned model, {c.score:.2f})" if c.found_by == "model" else ""
            out.wrapped(f"  {c.kind:<12} ", out.tag(c) + c.statement + learned)  # never cut: the finding itself
    tensions, hidden = out.pick(comparison.tensions)
    if tensions:
        out.heading(out.counted("Tensions", len(tensions), hidden) + ": statements pulling against each other, by cue words")
        for t in tensions[: out.limit]:
            out.line(f"  {out.tag(t)}{t.score:.2f} {t.topic}: ", t.cue, style="dim")
            for side in (t.a, t.b):
                out.line(f"       {labels[side.article]}: ", side.text)
        out.more(len(tensions), out.limit)
    dated = [e for e in comparison.timeline if e.date]
    if dated:
        out.heading(f"Timeline ({len(dated)} dated events)")
        for e in dated[: 2 * out.limit]:
            outlets = ", ".join(dict.fromkeys(labels[m.article] for m in e.mentions))
            out.line(f"  {e.label:<16} ", e.mentions[0].text, f"  {outlets}")
        out.more(len(dated), 2 * out.limit)
