"""What every command shares: exit codes, consoles, one-line errors, writing a result."""

from __future__ import annotations

import os
import sys
from enum import IntEnum
from pathlib import Path

from rich.console import Console


class ExitCode(IntEnum):
    OK = 0  # everything read and compared
    ERROR = 1  # the model is missing or damaged, or an unexpected failure (a bug: please report it)
    USAGE = 2  # the command line is wrong (Click's convention)
    SKIPPED = 3  # compared, but some inputs were skipped (each named on stderr)
    NOTHING = 4  # fewer than two articles could be read: nothing to compare
    OUTPUT = 5  # the result could not be written where -o said


EXIT_CODES_HELP = (
    "Exit codes: 0 compared every input; 3 compared, but some inputs were skipped (each is named on "
    "stderr); 4 fewer than two articles could be read, nothing to compare; 5 the output file could not be "
    "written; 2 usage error; 1 missing model or unexpected error."
)

class _Console(Console):
    def on_broken_pipe(self) -> None:
        # Rich exits with 1 when the reader of stdout goes away; for `storydiff ... | head` that is
        # no error. Stop writing and let the command finish with its own exit code.
        self.quiet = True
        silence_stdout()
        raise BrokenPipeError


stdout = _Console(highlight=False, soft_wrap=False)
stderr = Console(stderr=True, highlight=False, soft_wrap=True)


def error(message: str) -> None:
    """One line on stderr, no traceback, markup-safe."""
    stderr.print(f"storydiff: {message}", markup=False)


def silence_stdout() -> None:
    """Send the rest of stdout nowhere: its reader has closed the pipe. Python would otherwise
    report the same broken pipe again when it flushes stdout at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


class OutputError(Exception):
    """The result could not be written; the message names the file and the reason."""


def write_text(text: str, output: str | None) -> None:
    """Write to stdout, or to a file through a temporary file renamed into place, so that a
    failure never leaves half a report (and the temporary file is removed on failure)."""
    if output in (None, "-"):
        if (sys.stdout.encoding or "").lower().replace("-", "") != "utf8":
            sys.stdout.reconfigure(errors="replace")  # a terminal that cannot show every character
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        sys.stdout.flush()
        return
    path = Path(output).expanduser()
    if not path.parent.is_dir():  # never create folders: a typo in a path should not go unnoticed
        raise OutputError(f"cannot write {output}: the folder {path.parent} does not exist")
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(path)
    except OSError as exc:
        temporary.unlink(missing_ok=True) if temporary.parent.is_dir() else None
        where = f" ({exc.filename})" if exc.filename and str(exc.filename) not in (str(path), str(temporary)) else ""
        raise OutputError(f"cannot write {output}: {exc.strerror or exc}{where}") from None
