"""Inputs as people give them (paths, directories, URLs, `-`), turned into raw documents.

Each input yields raw documents or one-line errors; an error never stops the other inputs.
"""

from __future__ import annotations

import os
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
@dataclass
class RawDocument:
    source: str  # what the user gave, or the file inside a directory they gave
    data: bytes
    kind: str  # html | text | markdown | json | jsonl | auto
    url: str | None = None
    charset: str | None = None  # as declared by a server


def is_url(spec: str) -> bool:
    return spec.lower().startswith(("http://", "https://"))


def kind_of(path: Path) -> str | None:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return SUFFIX_KINDS.get(suffixes[-1]) if suffixes else None


def expand(
    spec: str,
    *,
    max_bytes: int,
    fetcher: Fetcher,
    stdin: BinaryIO | None = None,
) -> Iterator[RawDocument | InputError]:
    """The raw documents one input stands for."""
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
    if not path.exists():
        yield InputNotFound(spec, "no such file or directory")
        return
    if path.is_dir():
        files = sorted(
            p
            for p in path.rglob("*")
            if p.is_file() and kind_of(p) and not any(part.startswith(".") for part in p.relative_to(path).parts)
        )
        if not files:
            known = ", ".join(sorted(set(SUFFIX_KINDS)))
            yield UnsupportedInput(spec, f"the directory holds no article files ({known})")
            return
        for file in files:
            yield _read_file(file, str(file), max_bytes)
        return
    yield _read_file(path, spec, max_bytes)


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
