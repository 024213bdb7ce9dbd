"""`storydiff compare INPUT INPUT [...]`: flags mirror `storydiff.compare()`'s arguments."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.markup import escape

from . import app
from ..ingest import DEFAULT_MAX_WORDS
from ._output import EXIT_CODES_HELP, ExitCode, OutputError, error, silence_stdout, stderr, stdout, write_text


class Format(str, Enum):
    json = "json"
    html = "html"
    md = "md"


_SUFFIX_FORMATS = {".json": Format.json, ".html": Format.html, ".htm": Format.html, ".md": Format.md, ".markdown": Format.md}


@app.command(epilog=EXIT_CODES_HELP)
def compare(
    inputs: Annotated[list[str], typer.Argument(help="Articles: files (.html .txt .md .json .jsonl), directories, http(s) URLs, or - for stdin.", show_default=False)],
    format: Annotated[Optional[Format], typer.Option("--format", "-f", help="Write the full result as json, html or md (default: a terminal summary; with -o, taken from the file name).")] = None,
    output: Annotated[Optional[str], typer.Option("--output", "-o", help="Write the result to this file (- for stdout).")] = None,
    outlet: Annotated[Optional[list[str]], typer.Option("--outlet", help="Outlet name for each input, in order (repeat the flag; an empty value keeps the detected one).")] = None,
    title: Annotated[Optional[list[str]], typer.Option("--title", help="Title for each input, in order.")] = None,
    date: Annotated[Optional[list[str]], typer.Option("--date", help="Publication date (YYYY-MM-DD) for each input, in order.")] = None,
    max_size: Annotated[float, typer.Option("--max-size", help="Size cap per input, in MB.", min=0.001)] = 20.0,
    max_words: Annotated[int, typer.Option("--max-words", help="Longest article compared, in words. Longer inputs are skipped: comparison time grows with the square of the length (a book or a log is not an article). Raise it for long reads, at that cost in time and memory.", min=100)] = DEFAULT_MAX_WORDS,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds allowed to fetch each URL.", min=0.1)] = 15.0,
    keep_copies: Annotated[bool, typer.Option("--keep-copies", help="Compare copies of one article fact by fact (by default a copy is named once, with the words that differ).")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary and no progress; errors only.")] = False,
) -> None:
    """Compare articles on one story: shared facts, facts only one outlet reports, and where each is said."""
    import storydiff
    from storydiff import IngestOptions, NotEnoughArticles
    from storydiff.ingest._dates import strict_date
    from storydiff.ingest._fetch import FetchPolicy

    for name, values in (("--outlet", outlet), ("--title", title), ("--date", date)):
        if values and len(values) > len(inputs):
            error(f"{name} was given {len(values)} times for {len(inputs)} inputs")
            raise typer.Exit(ExitCode.USAGE)
    for value in date or ():
        if value.strip() and strict_date(value) is None:
            error(f"--date {value!r} is not a date: give the day as YYYY-MM-DD (or 'March 30, 2020')")
            raise typer.Exit(ExitCode.USAGE)
    if format is None and output not in (None, "-"):
        format = _SUFFIX_FORMATS.get(Path(output).suffix.lower())
        if format is None:
            error(f"cannot tell the format from the name {output!r}: add --format json, html or md")
            raise typer.Exit(ExitCode.USAGE)
    if format is None and output == "-":
        format = Format.json
    if output not in (None, "-"):
        folder = Path(output).expanduser().parent
        if not folder.is_dir():
            error(f"cannot write {output}: the folder {folder} does not exist")
            raise typer.Exit(ExitCode.OUTPUT)

    max_bytes = int(max_size * 1024 * 1024)
    # The command line fetches on its user's behalf, so local and private addresses are allowed.
    options = IngestOptions(
        max_bytes=max_bytes,
        max_words=max_words,
        fetch=FetchPolicy(timeout=timeout, max_bytes=max_bytes, allow_private=True),
        exclude=frozenset({output}) if output not in (None, "-") else frozenset(),  # never read what we write
    )
    show_progress = not quiet and stderr.is_terminal
    status = stderr.status("reading inputs…") if show_progress else None

    def progress(message: str) -> None:
        if status is not None:
            status.update(escape(f"{message}…"))

    try:
        if status is not None:
            status.start()
        try:
            result = storydiff.compare(
                inputs, outlets=outlet or (), titles=title or (), dates=date or (), options=options, progress=progress,
                keep_copies=keep_copies,
            )
        finally:
            if status is not None:
                status.stop()
    except NotEnoughArticles as exc:
        for skipped in exc.comparison.skipped if exc.comparison else []:
            error(f"skipped {skipped}")
        for copy in exc.comparison.duplicates if exc.comparison else []:
            error(f"{copy.source} is a copy of {exc.comparison.articles[copy.article].source} ({copy.similarity:.0%} the same wording)")
        error(exc.summary)
        raise typer.Exit(ExitCode.NOTHING) from None

    for skipped in result.skipped:
        error(f"skipped {skipped}")
    try:
        _write(result, format, output, quiet)
    except BrokenPipeError:
        # The reader went away (`storydiff compare ... | head`): what it read was all it wanted.
        silence_stdout()
    if result.skipped:
        raise typer.Exit(ExitCode.SKIPPED)


def _write(result, format: Format | None, output: str | None, quiet: bool) -> None:
    from storydiff.render.terminal import print_summary

    if format is None:
        if not quiet:
            print_summary(result, stdout)
        return
    text = {Format.json: result.to_json, Format.html: result.to_html, Format.md: result.to_markdown}[format]()
    try:
        write_text(text, output)
    except OutputError as exc:
        error(str(exc))
        raise typer.Exit(ExitCode.OUTPUT) from None
    if output not in (None, "-") and not quiet:
        print_summary(result, stdout)
        stdout.print(f"\nWrote {format.value} to {output}")
