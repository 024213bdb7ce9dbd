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
    possible: Annotated[bool, typer.Option("--possible", help="Also show possible findings (less sure: checked as right less often on real news), each marked so. JSON always holds them, with their level; the HTML report has a switch.")] = False,
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
    format = output_format(format, output)
    if output not in (None, "-"):
        problem = _output_problem(Path(output).expanduser(), inputs)
        if problem:
            error(f"cannot write {output}: {problem[1]}")
            raise typer.Exit(problem[0])

    max_bytes = int(max_size * 1024 * 1024)
    # The command line fetches on its user's behalf, so local and private addresses are allowed.
    options = IngestOptions(
        max_bytes=max_bytes,
        max_words=max_words,
        fetch=FetchPolicy(timeout=timeout, max_bytes=max_bytes, allow_private=True),
        exclude=_being_written(output),  # never read what this command writes
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
        _write(result, format, output, quiet, possible)
    except BrokenPipeError:
        # The reader went away (`storydiff compare ... | head`): what it read was all it wanted.
        silence_stdout()
    if result.skipped:
        raise typer.Exit(ExitCode.SKIPPED)


def output_format(format: Format | None, output: str | None) -> Format | None:
    """The format to write: as given, else from the -o file name (JSON for stdout); None: the
    terminal summary. A name that says no format is a usage error (exit 2)."""
    if format is not None or output is None:
        return format
    if output == "-":
        return Format.json
    found = _SUFFIX_FORMATS.get(Path(output).suffix.lower())
    if found is None:
        error(f"cannot tell the format from the name {output!r}: add --format json, html or md")
        raise typer.Exit(ExitCode.USAGE)
    return found


def _output_problem(target: Path, inputs: list[str]) -> tuple[ExitCode, str] | None:
    """Why the result cannot go to `target`, checked before anything is read: a missing folder
    (never created: a typo should not go unnoticed), a folder, or an input it would overwrite."""
    from storydiff.ingest import is_own_report

    if not target.parent.is_dir():
        what = "is not a folder" if target.parent.exists() else "does not exist"
        return ExitCode.OUTPUT, f"the folder {target.parent} {what}"
    if target.is_dir():
        return ExitCode.OUTPUT, "it is a folder; give a file name"
    if not target.exists():
        return None
    resolved = target.resolve()
    for spec in inputs:
        given = Path(spec).expanduser()
        if "://" in spec or spec == "-" or not given.exists():
            continue
        inside = given.is_dir() and given.resolve() in resolved.parents
        if resolved == given.resolve() or inside:
            try:
                ours = is_own_report(target.read_text(encoding="utf-8", errors="replace"))
            except OSError:
                ours = False
            if not ours:  # an earlier report may be replaced; an article may not
                return ExitCode.USAGE, f"it is one of the inputs ({spec}); write the result to another file"
    return None


def _being_written(output: str | None) -> frozenset[str]:
    """The files this command writes: the -o file, and whatever stdout is redirected to
    (`storydiff compare story -f json > story/out.json`)."""
    paths = set()
    if output not in (None, "-"):
        paths.add(str(Path(output).expanduser().resolve()))
    try:
        import os
        import stat

        if stat.S_ISREG(os.fstat(1).st_mode) and os.path.exists("/proc/self/fd/1"):
            paths.add(os.path.realpath("/proc/self/fd/1"))
    except OSError:
        pass
    return frozenset(paths)


def _write(result, format: Format | None, output: str | None, quiet: bool, possible: bool) -> None:
    from storydiff.render.terminal import print_summary

    if format is None:
        if not quiet:
            print_summary(result, stdout, possible=possible)
        return
    render = {Format.json: result.to_json, Format.html: result.to_html, Format.md: lambda: result.to_markdown(possible=possible)}
    text = render[format]()
    try:
        write_text(text, output)
    except OutputError as exc:
        error(str(exc))
        raise typer.Exit(ExitCode.OUTPUT) from None
    if output not in (None, "-") and not quiet:
        print_summary(result, stdout, possible=possible)
        stdout.print(f"\nWrote {format.value} to {output}")
