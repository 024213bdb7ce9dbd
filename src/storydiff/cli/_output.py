"""What every command shares: exit codes, consoles, one-line errors, writing a result."""

from __future__ import annotations

import sys
from enum import IntEnum
from pathlib import Path

from rich.console import Console


class ExitCode(IntEnum):
    OK = 0  # everything read and compared
    ERROR = 1  # an unexpected failure (a bug): please report it
    USAGE = 2  # the command line is wrong (Click's convention)
    SKIPPED = 3  # compared, but some inputs were skipped (each named on stderr)
    NOTHING = 4  # fewer than two articles could be read: nothing to compare


EXIT_CODES_HELP = (
    "Exit codes: 0 compared every input; 3 compared, but some inputs were skipped (each is named on "
    "stderr); 4 fewer than two articles could be read, nothing to compare; 2 usage error; 1 unexpected error."
)

stdout = Console(highlight=False, soft_wrap=False)
stderr = Console(stderr=True, highlight=False, soft_wrap=True)


def error(message: str) -> None:
    """One line on stderr, no traceback, markup-safe."""
    stderr.print(f"storydiff: {message}", markup=False)


def write_text(text: str, output: str | None) -> None:
    if output in (None, "-"):
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        sys.stdout.flush()
        return
    path = Path(output)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)  # never leave a half-written report behind
