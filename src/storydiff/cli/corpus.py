"""`storydiff ingest`, `stories`, `story` and `export`: a corpus in a store; flags mirror `storydiff.Corpus`."""

from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.markup import escape

from . import app
from ..ingest import DEFAULT_MAX_WORDS
from ._output import ExitCode, error, silence_stdout, stderr, stdout, write_text
from .compare import Format, _write, output_format

DbOption = Annotated[str, typer.Option("--db", help="The store: one SQLite file (created by ingest on first use).", show_default=False)]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress and no summary; errors only.")]

_STEP_LABELS = {"read": "reading", "copies": "finding copies", "vectors": "article vectors", "stories": "grouping into stories"}


@contextmanager
def _progress(quiet: bool):
    """A Rich progress bar per step (count, rate, time), or nothing when quiet or not a terminal."""
    if quiet or not stderr.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TaskProgressColumn, TextColumn, TimeElapsedColumn

    columns = (
        SpinnerColumn(), TextColumn("{task.description:<22}"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
        TextColumn("{task.fields[rate]}"), TimeElapsedColumn(),
    )
    with Progress(*columns, console=stderr, transient=False) as bars:
        tasks: dict[str, int] = {}

        def report(step: str, done: int, total: int | None, unit: str) -> None:
            if step not in tasks:
                tasks[step] = bars.add_task(_STEP_LABELS.get(step, step), total=total, rate="")
            task = bars.tasks[tasks[step]]
            elapsed = task.elapsed or 0.0
            rate = f"{done / elapsed:,.0f} {unit}/s" if elapsed > 0.5 else ""
            bars.update(tasks[step], completed=done, total=total, rate=rate)

        yield report


def _open(db: str, *, create: bool = False, readonly: bool = False):
    import storydiff

    try:
        return storydiff.Corpus(db, create=create, readonly=readonly)
    except storydiff.StorydiffError as exc:
        error(str(exc))
        raise typer.Exit(ExitCode.USAGE) from None  # a path that is no store: the command line is wrong


@app.command()
def ingest(
    sources: Annotated[Optional[list[str]], typer.Argument(help="Feeds (RSS/Atom, files or URLs), sitemaps, WARC files (.warc, .warc.gz), JSON-lines dumps (.jsonl, .jsonl.gz), files of URLs, and anything compare takes (files, folders, article URLs, -). None: only find copies and stories for what is stored.", show_default=False)] = None,
    db: DbOption = ...,
    field: Annotated[Optional[list[str]], typer.Option("--field", help="For dumps whose field names differ: NAME=FIELD, e.g. --field text=maintext --field published=date_publish (names: text, html, title, outlet, published, author, url).")] = None,
    reread: Annotated[bool, typer.Option("--reread", help="Read again dumps, WARC and URL files that an earlier run read to their end.")] = False,
    no_stories: Annotated[bool, typer.Option("--no-stories", help="Only read and store; find copies and stories later (storydiff ingest --db FILE with no new source, or Corpus.update()).")] = False,
    workers: Annotated[int, typer.Option("--workers", help="Processes that clean articles (default: the number of cores, up to 4).", min=0)] = 0,
    per_host: Annotated[int, typer.Option("--per-host", help="Requests at a time to one web site.", min=1)] = 2,
    delay: Annotated[float, typer.Option("--delay", help="Seconds between two requests to one web site.", min=0.0)] = 0.5,
    max_size: Annotated[float, typer.Option("--max-size", help="Size cap per page or article, in MB.", min=0.001)] = 20.0,
    max_words: Annotated[int, typer.Option("--max-words", help="Longest article stored, in words.", min=100)] = DEFAULT_MAX_WORDS,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds allowed to fetch each URL.", min=0.1)] = 15.0,
    quiet: QuietOption = False,
) -> None:
    """Read sources into a store, then find copies (wire stories republished) and stories. A run that
    was stopped or killed goes on where it stopped when started again."""
    import storydiff
    from storydiff import IngestOptions
    from storydiff.ingest._fetch import FetchPolicy
    from storydiff.ingest.stream import FieldMapping, PolitePolicy

    max_bytes = int(max_size * 1024 * 1024)
    options = IngestOptions(
        max_bytes=max_bytes, max_words=max_words, fetch=FetchPolicy(timeout=timeout, max_bytes=max_bytes, allow_private=True),
        exclude=frozenset({str(Path(db).expanduser().resolve())}),
    )
    try:
        mapping = FieldMapping.parse(field or [])
    except storydiff.InvalidArgument as exc:
        error(f"--field: {exc.reason if hasattr(exc, 'reason') else exc}")
        raise typer.Exit(ExitCode.USAGE) from None
    policy = PolitePolicy(per_host=per_host, delay=delay)
    corpus = _open(db, create=True)
    with corpus, _progress(quiet) as progress:
        report = corpus.ingest(
            sources or [], options=options, mapping=mapping if field else None, policy=policy, workers=workers or None,
            reread=reread, cluster=not no_stories, progress=progress,
        )
        summary = corpus.summary()
    for note in report.notes:
        if not quiet:
            stderr.print(f"storydiff: {note}", markup=False)
    shown = 0
    for source, reason in report.skipped:
        if shown < 20:
            error(f"skipped {source}: {reason}")
        shown += 1
    hidden = max(report.skipped_count, len(report.skipped)) - min(shown, 20)
    if hidden > 0:
        error(f"and {hidden} more skipped (storydiff export lists what was stored; the store's 'skipped' table names each)")
    if not quiet:
        stdout.print(
            f"Read {_n(report.read, 'item')}: {_n(report.stored, 'new article')}, {report.already:,} already stored, "
            f"{report.skipped_count:,} skipped; {_n(report.copies, 'copy', 'copies')} of other articles; "
            f"{_n(report.clustered, 'article')} grouped, {_n(report.new_stories, 'new story', 'new stories')}."
        )
        stdout.print(
            f"The store {db} holds {_n(summary['articles'], 'article')} ({_n(summary['copies'], 'copy', 'copies')}) from "
            f"{_n(summary['outlets'], 'outlet')} in {_n(summary['stories'], 'story', 'stories')}, "
            f"{summary['multi_outlet_stories']:,} told by two outlets or more."
        )
    if report.skipped_count:
        raise typer.Exit(ExitCode.SKIPPED)


def _n(count: int, one: str, many: str | None = None) -> str:
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


@app.command()
def stories(
    db: DbOption,
    since: Annotated[Optional[str], typer.Option("--since", help="Stories reported on or after this day (YYYY-MM-DD).")] = None,
    until: Annotated[Optional[str], typer.Option("--until", help="Stories reported on or before this day.")] = None,
    outlet: Annotated[Optional[list[str]], typer.Option("--outlet", help="Stories this outlet reported (repeat: all of them).")] = None,
    min_outlets: Annotated[int, typer.Option("--min-outlets", help="Stories told by at least this many outlets.", min=1)] = 2,
    search: Annotated[Optional[str], typer.Option("--search", "-s", help="Words found in the title or lead of one of the story's articles.")] = None,
    latest: Annotated[bool, typer.Option("--latest", help="Latest first (default: the most widely reported first).")] = False,
    limit: Annotated[int, typer.Option("--limit", "-n", help="At most this many stories (0: all).", min=0)] = 30,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per story, per line.")] = False,
) -> None:
    """List the stories of a store: outlets, article count, first and last date, a title."""
    import storydiff

    corpus = _open(db, readonly=True)
    with corpus:
        try:
            rows = corpus.stories(
                since=since, until=until, outlets=outlet or (), min_outlets=min_outlets, search=search,
                limit=limit or None, order="latest" if latest else "outlets",
            )
        except storydiff.InvalidArgument as exc:
            error(f"--{exc.source}: {exc.reason}")
            raise typer.Exit(ExitCode.USAGE) from None
    try:
        if as_json:
            from storydiff.corpus._corpus import story_json

            write_text("\n".join(json.dumps(story_json(r), ensure_ascii=False) for r in rows) or "", None) if rows else None
            return
        if not rows:
            stdout.print("No story matches." if (since or until or outlet or search) else "No story told by that many outlets yet.")
            raise typer.Exit(ExitCode.NOTHING)
        from rich.table import Table

        table = Table(show_edge=False, pad_edge=False, box=None, expand=False)
        table.add_column("story", justify="right", no_wrap=True)
        table.add_column("outlets", justify="right", no_wrap=True)
        table.add_column("articles", justify="right", no_wrap=True)
        table.add_column("dates", no_wrap=True)
        table.add_column("title", min_width=30, overflow="fold")
        wide = stdout.width >= 130
        if wide:
            table.add_column("who", max_width=40, overflow="ellipsis", no_wrap=True)
        for r in rows:
            copies = f"+{r.articles - r.voices}c" if r.articles > r.voices else ""
            first, last = (r.first_published or "")[:10], (r.last_published or "")[:10]
            dates = first if first == last else f"{first}..{last[5:] if last[:4] == first[:4] else last}"
            cells = [str(r.id), str(r.outlets), f"{r.voices}{copies}", dates, escape(r.title or "(no title)")]
            if wide:
                who = ", ".join(r.outlet_names[:3]) + (f" +{len(r.outlet_names) - 3}" if len(r.outlet_names) > 3 else "")
                cells.append(escape(who))
            table.add_row(*cells)
        stdout.print(table)
        if any(r.articles > r.voices for r in rows):
            stdout.print("[dim]articles: +Nc counts copies of other articles (wire stories republished).[/dim]")
    except BrokenPipeError:
        silence_stdout()


@app.command()
def story(
    story_id: Annotated[int, typer.Argument(metavar="ID", help="A story id, from storydiff stories.", show_default=False)],
    db: DbOption,
    format: Annotated[Optional[Format], typer.Option("--format", "-f", help="Write the full comparison as json, html or md (default: a terminal summary; with -o, taken from the file name).")] = None,
    output: Annotated[Optional[str], typer.Option("--output", "-o", help="Write the result to this file (- for stdout).")] = None,
    max_articles: Annotated[int, typer.Option("--max-articles", help="Compare at most this many of its articles (one per outlet first, earliest first).", min=2)] = 8,
    keep_copies: Annotated[bool, typer.Option("--keep-copies", help="Compare copies fact by fact too.")] = False,
    possible: Annotated[bool, typer.Option("--possible", help="Also show possible findings, each marked so.")] = False,
    quiet: QuietOption = False,
) -> None:
    """Compare the articles of a stored story, in every format compare has."""
    import storydiff

    format = output_format(format, output)
    corpus = _open(db)
    with corpus:
        try:
            row = corpus.story(story_id)
            order = corpus.reporting(story_id)
            status = stderr.status("comparing…") if not quiet and stderr.is_terminal else None
            if status is not None:
                status.start()
            try:
                result = corpus.compare(
                    story_id, max_articles=max_articles, keep_copies=keep_copies,
                    progress=(lambda m: status.update(escape(f"{m}…"))) if status is not None else None,
                )
            finally:
                if status is not None:
                    status.stop()
        except storydiff.NotFound as exc:
            error(str(exc))
            raise typer.Exit(ExitCode.NOTHING) from None
        except storydiff.NotEnoughArticles as exc:
            error(str(exc))
            raise typer.Exit(ExitCode.NOTHING) from None
    if row.voices > max_articles and not quiet:
        error(f"story {story_id} has {row.voices} articles that are no copies; compared {max_articles} (--max-articles)")
    try:
        _write(result, format, output, quiet, possible)
        if format is None and not quiet:
            _print_trail(order, result)
    except BrokenPipeError:
        silence_stdout()


def _print_trail(order, comparison) -> None:
    """Who reported the story first and who followed; where its quotations went next."""
    from storydiff.corpus.insights import quote_trail

    stdout.print("\n[bold]Who reported it first[/bold]")
    for item in order.first:
        stdout.print(f"  {escape(item.outlet or '?')}  {escape((item.published or '')[:16])}  {escape(item.title or '')}"
                     + ("  (a copy)" if item.copy_of else ""), overflow="ellipsis", no_wrap=True)
    for item in order.followers:
        stdout.print(f"  then {escape(item.outlet or '?')}, {item.after} later" + ("  (a copy)" if item.copy_of else ""))
    if order.undated:
        stdout.print(f"  and {len(order.undated)} without a date: " + escape(", ".join(i.outlet or "?" for i in order.undated)))
    trails = [t for t in quote_trail(comparison) if t.repeats]
    if not trails:
        return
    stdout.print("\n[bold]Where its quotations went[/bold]")
    for trail in trails[:8]:
        words = trail.text if len(trail.text) <= 90 else trail.text[:87] + "..."
        stdout.print(f"  {escape(trail.speaker or 'someone')}: \u201c{escape(words)}\u201d first in {escape(trail.first_outlet or '?')}")
        for repeat in trail.repeats:
            first = trail.first_outlet or "the first"
            credit = f"credits {repeat.via}" if repeat.via else (f"credits {first}" if repeat.credited else f"no credit to {first}")
            stdout.print(f"    repeated by {escape(repeat.outlet or '?')} ({escape(credit)})")


@app.command()
def outlets(
    db: DbOption,
    stories_count: Annotated[int, typer.Option("--stories", help="Compare this many of the most widely reported stories.", min=1)] = 30,
    min_outlets: Annotated[int, typer.Option("--min-outlets", help="Stories told by at least this many outlets.", min=3)] = 3,
    examples: Annotated[bool, typer.Option("--examples", help="Show an example of each kind an outlet leaves out.")] = False,
    quiet: QuietOption = False,
) -> None:
    """For each outlet: the kinds of facts it leaves out that most other outlets on a story report."""
    from storydiff.corpus.insights import FACT_KINDS

    corpus = _open(db)
    with corpus, _progress(quiet) as progress:
        found = corpus.omissions(
            min_outlets=min_outlets, stories=stories_count,
            progress=(lambda done, total: progress("compare stories", done, total, "stories")) if progress else None,
        )
    if not found:
        stdout.print(f"No story told by {min_outlets} outlets or more yet.")
        raise typer.Exit(ExitCode.NOTHING)
    from rich.table import Table

    table = Table(show_edge=False, pad_edge=False, box=None)
    table.add_column("outlet", overflow="fold")
    table.add_column("stories", justify="right")
    short = {"people and organisations": "actors", "other statements": "other"}
    for kind in FACT_KINDS:
        table.add_column(short.get(kind, kind), justify="right", no_wrap=True)
    for record in found:
        cells = []
        for kind in FACT_KINDS:
            total = record.missed[kind] + record.reported[kind]
            cells.append(f"{record.missed[kind]}/{total}" if total else "")
        table.add_row(escape(record.outlet), str(record.stories), *cells)
    stdout.print(table)
    stdout.print("[dim]Facts left out, by kind: n/m = of m facts that most other outlets on its stories reported, it left out n (actors: people and organisations).[/dim]")
    if examples:
        for record in found:
            for kind, items in record.examples.items():
                for story, text in items[:1]:
                    shown = text if len(text) <= 110 else text[:107] + "..."
                    stdout.print(f"{escape(record.outlet)} left out ({kind}, story {story}): {escape(shown)}")


@app.command()
def export(
    db: DbOption,
    output: Annotated[str, typer.Option("--output", "-o", help="The file to write: .jsonl, or .parquet (needs pyarrow).", show_default=False)],
    format: Annotated[Optional[str], typer.Option("--format", "-f", help="jsonl or parquet (default: from the file name).")] = None,
    story_id: Annotated[Optional[int], typer.Option("--story", help="Only this story's articles.")] = None,
    no_text: Annotated[bool, typer.Option("--no-text", help="Metadata, story and copy only; no article text.")] = False,
    quiet: QuietOption = False,
) -> None:
    """Write the stored articles, with their story and copy, as JSON lines or Parquet."""
    import storydiff

    corpus = _open(db, readonly=True)
    with corpus:
        try:
            count = corpus.export(output, format=format, text=not no_text, story=story_id)
        except storydiff.InvalidArgument as exc:
            error(f"--format: {exc.reason}")
            raise typer.Exit(ExitCode.USAGE) from None
        except storydiff.StoreError as exc:
            error(str(exc))
            raise typer.Exit(ExitCode.OUTPUT) from None
    if not quiet:
        stdout.print(f"Wrote {count:,} articles to {output}")
