"""JSON-lines dumps of articles (news-please, CC-NEWS extracts, scraper output), plain or gzipped,
streamed line by line: a dump of any size is read in constant memory.

Each line is one JSON object, read with the field names of `records` (text, title, outlet,
published, ...) after an optional `FieldMapping` renames the dump's own fields to those.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from .._exceptions import InputError, InputTooLarge, InvalidArgument, UnsupportedInput
from ._decode import human_size
from .records import Record, _record

MAPPING_KEYS = ("text", "html", "title", "outlet", "published", "author", "url")


@dataclass(frozen=True)
class FieldMapping:
    """Which field of a dump's records holds each of storydiff's fields, for dumps whose names are
    not among the ones `records` knows:

        FieldMapping.parse(["text=maintext", "title=headline", "published=date_publish"])

    Keys: text, html, title, outlet, published, author, url. A field name may be a dotted path into
    nested objects ("outlet=source.name"). A mapped field that a record lacks (or leaves empty) falls
    back to the usual field names."""

    fields: tuple[tuple[str, str], ...] = ()  # (storydiff key, the dump's field path)

    @classmethod
    def parse(cls, specs: Iterable[str] | str) -> FieldMapping:
        """`KEY=FIELD` items (a list, or one string with items separated by commas); raises
        InvalidArgument for bad syntax, an unknown key, or a key given twice."""
        if isinstance(specs, str):
            specs = [part for part in specs.split(",") if part.strip()]
        fields: dict[str, str] = {}
        for spec in specs:
            if not isinstance(spec, str):
                raise InvalidArgument("field mapping", f"each item is KEY=FIELD text, not {type(spec).__name__}")
            key, sep, name = spec.partition("=")
            key, name = key.strip().lower(), name.strip()
            if not sep or not key or not name:
                raise InvalidArgument("field mapping", f"{spec!r} is not KEY=FIELD (for example text=maintext)")
            if key not in MAPPING_KEYS:
                raise InvalidArgument("field mapping", f"{spec!r}: unknown key {key!r}; the keys are {', '.join(MAPPING_KEYS)}")
            if key in fields:
                raise InvalidArgument("field mapping", f"{key!r} is mapped twice ({fields[key]!r} and {name!r})")
            if any(not part for part in name.split(".")):
                raise InvalidArgument("field mapping", f"{spec!r}: {name!r} is not a field name or a dotted path")
            fields[key] = name
        return cls(tuple(fields.items()))

    def apply(self, value: Any) -> Any:
        """The record with each mapped field copied under storydiff's key (the original kept)."""
        if not self.fields or not isinstance(value, dict):
            return value
        value = dict(value)
        for key, path in self.fields:
            found = _lookup(value, path)
            if found is not None and found != "" and found != []:
                value[key] = found
        return value

    def __bool__(self) -> bool:
        return bool(self.fields)


def _lookup(value: dict, path: str) -> Any:
    if path in value:
        return value[path]
    current: Any = value
    for part in path.split("."):
        if not isinstance(current, dict) or part not in current:
            return None
        current = current[part]
    return current


def is_gzip_file(path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(2) == b"\x1f\x8b"


def read_dump(
    path, source: str, *, max_line_bytes: int, mapping: FieldMapping | None = None, start: int = 0
) -> Iterator[tuple[int, Record | InputError | None]]:
    """`(position, record)` for each line of a dump, position = line number - 1.

    The record is None for a blank line or a line before `start` (resume: read through, not
    parsed); an InputError names a bad line ("FILE line N") with its reason. Raises InputError
    (OSError, a damaged gzip stream) for the file itself: the positions yielded before stay good."""
    mapping = mapping or None
    try:
        handle = gzip.open(path, "rb") if is_gzip_file(path) else open(path, "rb")  # noqa: SIM115
    except OSError as exc:
        raise InputError(source, f"cannot be read ({exc.strerror or exc})") from None
    number = 0
    try:
        with handle:
            while True:
                line = handle.readline(max_line_bytes + 1)
                if not line:
                    return
                here = number
                number += 1
                if len(line) > max_line_bytes and not line.endswith(b"\n"):
                    _skip_rest_of_line(handle)
                    if here >= start:
                        yield here, oversized_line(f"{source} line {number}", max_line_bytes)
                    else:
                        yield here, None
                    continue
                if here < start or not line.strip():
                    yield here, None
                    continue
                yield here, _parse_line(line, f"{source} line {number}", mapping)
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(source, f"the dump breaks off after line {number} ({type(exc).__name__}: {exc})") from None


def oversized_line(where: str, max_line_bytes: int) -> InputTooLarge:
    """Why a line over the cap is skipped (here, and by the Spark job's reader of the same dumps)."""
    return InputTooLarge(where, f"the line is over the size cap of {human_size(max_line_bytes)}")


def _skip_rest_of_line(handle) -> None:
    while True:
        chunk = handle.readline(1 << 20)
        if not chunk or chunk.endswith(b"\n"):
            return


def _parse_line(line: bytes, where: str, mapping: FieldMapping | None) -> Record | InputError:
    try:
        value = json.loads(line)
    except UnicodeDecodeError:
        return UnsupportedInput(where, "not UTF-8 text (JSON lines must be UTF-8)")
    except json.JSONDecodeError as exc:
        return UnsupportedInput(where, f"not valid JSON ({exc.msg} at column {exc.colno})")
    except RecursionError:
        return UnsupportedInput(where, "JSON nested too deeply to be an article")
    if mapping is not None:
        value = mapping.apply(value)
    return _record(value, where)
