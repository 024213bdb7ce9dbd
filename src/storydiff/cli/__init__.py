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


from . import build_bias_model as _build_bias_model  # noqa: E402,F401  (registers the command)
from . import compare as _compare  # noqa: E402,F401  (registers the command)
from . import corpus as _corpus  # noqa: E402,F401  (registers ingest, stories, story, export)
from . import serve as _serve  # noqa: E402,F401  (registers the command)
from . import spark as _spark  # noqa: E402,F401  (registers the command)


def main() -> None:
    """Run the command line; user errors end in one line on stderr, never a traceback.

    Typer handles usage errors (exit 2) and explicit exits itself; what escapes it is either a
    storydiff error (a missing model: one line, exit 1) or a bug (one line, exit 1; the traceback
    with STORYDIFF_DEBUG=1).
    """
    import os
    import sys

    from .._exceptions import StorydiffError
    from ._output import ExitCode, error

    import logging

    logging.basicConfig(level=logging.WARNING, format="storydiff: %(message)s")
    try:
        app()
    except KeyboardInterrupt:
        error("interrupted")
        sys.exit(130)
    except StorydiffError as exc:
        error(str(exc))
        sys.exit(ExitCode.ERROR)
    except Exception as exc:
        if os.environ.get("STORYDIFF_DEBUG"):
            raise
        error(f"unexpected error: {type(exc).__name__}: {exc} (run with STORYDIFF_DEBUG=1 for the traceback)")
        sys.exit(ExitCode.ERROR)
