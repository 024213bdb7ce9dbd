"""The `storydiff` command: a thin layer over the Python API, one command per module."""

from __future__ import annotations

import typer

from .._version import __version__

app = typer.Typer(
    name="storydiff",
    help="See how different outlets tell the same news story.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"storydiff {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version and exit."),
) -> None:
    """See how different outlets tell the same news story."""


from . import compare as _compare  # noqa: E402,F401  (registers the command)


def main() -> None:
    app()
