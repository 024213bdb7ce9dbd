"""Inputs as people give them (paths, directories, URLs, `-`), turned into raw documents.

Each input yields raw documents or one-line errors; an error never stops the other inputs.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .._exceptions import InputError, InputNotFound, InputTooLarge, UnsupportedInput
from ._decode import human_size, maybe_gunzip
from ._fetch import MEDIA_KINDS, Fetcher

# The kind of document each file suffix holds. Anything else is sniffed from its first bytes.
SUFFIX_KINDS = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
@dataclass(frozen=True)
class Text:
    """An article given as a string rather than a file: text as copied from a browser (furniture
    and all), a page's HTML, or a JSON record. It is read and cleaned exactly as a file holding the
    same characters would be; `outlet`, `title` and `published` override what is detected.

        storydiff.compare([storydiff.Text(copied, outlet="Press TV"), "other.html"])
    """

    text: str
    outlet: str | None = None
    title: str | None = None
    published: str | None = None
    url: str | None = None
    source: str | None = None  # how messages name it; "text 1", "text 2"... by position when not given

    def __post_init__(self) -> None:
        if not isinstance(self.text, str):
            raise TypeError(f"Text() takes the article as a str, not {type(self.text).__name__}")
        if self.published is not None:
            from .._exceptions import InvalidArgument
            from ._dates import strict_date

            day = strict_date(self.published)
            if day is None:
                raise InvalidArgument("published", f"{self.published!r} is not a date: give the day as YYYY-MM-DD")
            object.__setattr__(self, "published", day)

    def __repr__(self) -> str:
        shown = self.text if len(self.text) <= 60 else self.text[:57] + "..."
        return f"Text({shown!r}, source={self.source!r})"


@dataclass
class RawDocument:
    source: str  # what the user gave, or the file inside a directory they gave
    data: bytes
    kind: str  # html | text | markdown | json | jsonl | auto
    url: str | None = None
    charset: str | None = None  # as declared by a server
    listed: bool = False  # found in a directory the user gave, rather than named by them
    given: Text | None = None  # the Text it came from, whose metadata overrides detection


def is_url(spec: str) -> bool:
    return spec.lower().startswith(("http://", "https://"))


def kind_of(path: Path) -> str | None:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return SUFFIX_KINDS.get(suffixes[-1]) if suffixes else None


def describe(spec: str | os.PathLike | Text) -> str:
    """How messages name an input."""
    return spec.source if isinstance(spec, Text) else str(spec)


def expand(
    spec: str | os.PathLike | Text,
    *,
    max_bytes: int,
    fetcher: Fetcher,
    stdin: BinaryIO | None = None,
    exclude: frozenset[str] = frozenset(),
) -> Iterator[RawDocument | InputError]:
    """The raw documents one input stands for. `exclude`: resolved paths that are never inputs
    (the file the running command writes its result to)."""
    if isinstance(spec, Text):
        yield RawDocument(spec.source, spec.text.encode("utf-8"), "auto", url=spec.url, given=spec)
        return
    spec = os.fspath(spec)
    if spec == "-":
        stream = stdin or sys.stdin.buffer
        data = stream.read(max_bytes + 1)
        if len(data) > max_bytes:
            yield InputTooLarge("stdin", f"more than the size cap of {human_size(max_bytes)}")
            return
        yield RawDocument("stdin", data, "auto")
        return
    if is_url(spec):
        try:
            page = fetcher.fetch(spec)
        except InputError as error:
            yield error
            return
        kind = MEDIA_KINDS.get(page.media_type or "", "auto")
        yield RawDocument(spec, page.data, kind, url=page.url, charset=page.charset)
        return

    path = Path(spec).expanduser()
    problem, info = _stat(path, spec, named=True)
    if problem is not None:
        yield problem
        return
    if stat.S_ISDIR(info.st_mode):
        yield from _walk(path, spec, max_bytes, exclude)
        return
    if _excluded(path, exclude):
        yield UnsupportedInput(spec, "this is the file this command writes its result to, not an input")
        return
    yield _read_file(path, spec, max_bytes)


# Pseudo-file systems: what lives there is the system's, never an article (and some of it blocks
# forever when read, such as /proc/kmsg). A pipe the shell hands over by name (`/dev/stdin`,
# `<(cat a.txt)`, which resolve to /proc/self/fd/N) is an input like stdin.
_SYSTEM_ROOTS = ("/proc", "/sys")


def _stat(path: Path, spec: str, *, named: bool) -> tuple[InputError | None, os.stat_result | None]:
    """Why a path cannot be an input (or None), and its stat. `named`: the user gave this path
    itself (a pipe is then read like stdin); else it was found in a directory."""
    try:
        info = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            return InputNotFound(spec, f"a broken symbolic link (to {os.readlink(path)}, which does not exist)"), None
        return InputNotFound(spec, "no such file or directory"), None
    except NotADirectoryError:
        return InputNotFound(spec, "no such file or directory (a part of the path is a file)"), None
    except PermissionError:
        return InputError(spec, "permission denied (cannot look into a folder on its path)"), None
    except OSError as exc:
        return InputError(spec, f"cannot be read ({exc.strerror or exc})"), None
    if named and stat.S_ISFIFO(info.st_mode):
        return None, info  # a pipe given by name: read up to the size cap, as stdin is
    resolved = str(path.resolve())
    if any(resolved == root or resolved.startswith(root + "/") for root in _SYSTEM_ROOTS):
        return UnsupportedInput(spec, f"a special file of the system ({resolved}), not an article"), None
    if not (stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode)):
        return UnsupportedInput(spec, f"not a regular file ({_file_kind(info.st_mode)})"), None
    return None, info


def _file_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def _excluded(path: Path, exclude: frozenset[str]) -> bool:
    return bool(exclude) and str(path.resolve()) in exclude


# A directory walk names at most this many files it cannot read, one line each, then counts the rest.
NAMED_FAILURES = 10


def _walk(root: Path, spec: str, max_bytes: int, exclude: frozenset[str]) -> Iterator[RawDocument | InputError]:
    """Every article file under a directory, in name order. What cannot be read is named (a file
    or a folder, with its reason: the first NAMED_FAILURES of them, then how many more), never fatal.

    Hidden files and folders are left out, and so is the file this command writes to. Files of
    other kinds (images, scripts) are not inputs and are not counted.
    """
    failures: list[InputError] = []
    files: list[Path] = []

    def unreadable(error: OSError) -> None:
        where = error.filename or spec
        failures.append(InputError(str(where), f"folder cannot be read ({error.strerror or error})"))

    for folder, dirs, names in os.walk(root, onerror=unreadable):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            file = Path(folder) / name
            if name.startswith(".") or not kind_of(file) or _excluded(file, exclude):
                continue
            problem, _ = _stat(file, str(file), named=False)
            if problem is None and not os.access(file, os.R_OK):
                problem = InputError(str(file), "permission denied")
            if problem is not None:
                failures.append(problem)
                continue
            files.append(file)
    files.sort()
    if not files and not failures:
        known = ", ".join(sorted(set(SUFFIX_KINDS)))
        yield UnsupportedInput(spec, f"the directory holds no article files ({known})")
        return
    for file in files:
        document = _read_file(file, str(file), max_bytes)
        if isinstance(document, RawDocument):
            document.listed = True
        yield document
    yield from failures[:NAMED_FAILURES]
    if len(failures) > NAMED_FAILURES:
        yield InputError(spec, f"and {len(failures) - NAMED_FAILURES} more files or folders in it that cannot be read")


def _read_file(path: Path, source: str, max_bytes: int) -> RawDocument | InputError:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return InputTooLarge(source, f"{human_size(size)} is over the size cap of {human_size(max_bytes)}")
        if not os.access(path, os.R_OK):
            return InputError(source, "permission denied")
        with path.open("rb") as handle:  # bounded: devices and pipes report no size
            data = handle.read(max_bytes + 1)
        if len(data) > max_bytes:
            return InputTooLarge(source, f"more than the size cap of {human_size(max_bytes)}")
    except IsADirectoryError:
        return UnsupportedInput(source, "is a directory")
    except OSError as exc:
        return InputError(source, f"cannot be read ({exc.strerror or exc})")
    try:
        data = maybe_gunzip(data, source, max_bytes)
    except InputError as error:
        return error
    return RawDocument(source, data, kind_of(path) or "auto")
