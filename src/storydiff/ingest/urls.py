"""A text file of article URLs, one a line; blank lines and `#` comments (whole-line or after the
URL, following a space) are allowed. Read line by line: the list may be long."""

from __future__ import annotations

from collections.abc import Iterator

from .._exceptions import InputError, UnsupportedInput
from ._sources import is_url

# How much of a .txt file is looked at to tell a URL list from an article.
SNIFF_LINES = 10_000


def _strip(line: str) -> str:
    line = line.strip()
    if line.startswith("#"):
        return ""
    for mark in (" #", "\t#"):
        if mark in line:
            line = line.split(mark, 1)[0].strip()
    return line


def looks_like_url_list(path, *, max_lines: int = SNIFF_LINES) -> bool:
    """Whether a text file's non-blank, non-comment lines (the first `max_lines` of them) are all
    http(s) URLs, and there is at least one."""
    seen = 0
    try:
        with open(path, "rb") as handle:
            for raw in handle:
                try:
                    line = _strip(raw.decode("utf-8-sig" if seen == 0 else "utf-8"))
                except UnicodeDecodeError:
                    return False
                if not line:
                    continue
                if not is_url(line) or any(c.isspace() for c in line):
                    return False
                seen += 1
                if seen >= max_lines:
                    break
    except OSError:
        return False
    return seen > 0


def read_urls(path, source: str) -> Iterator[tuple[int, str | InputError]]:
    """`(position, url)` for each URL line, position counting URL lines only (0, 1, 2...); a line
    that is no URL takes a position too and comes as an InputError naming its line number.
    Raises InputError when the file cannot be read."""
    position = 0
    try:
        with open(path, "rb") as handle:
            for number, raw in enumerate(handle, start=1):
                try:
                    line = _strip(raw.decode("utf-8-sig" if number == 1 else "utf-8"))
                except UnicodeDecodeError:
                    yield position, UnsupportedInput(f"{source} line {number}", "not UTF-8 text")
                    position += 1
                    continue
                if not line:
                    continue
                if not is_url(line) or any(c.isspace() for c in line):
                    shown = line if len(line) <= 60 else line[:57] + "..."
                    yield position, UnsupportedInput(f"{source} line {number}", f"not an http(s) URL: {shown!r}")
                else:
                    yield position, line
                position += 1
    except OSError as exc:
        raise InputError(source, f"cannot be read ({exc.strerror or exc})") from None
