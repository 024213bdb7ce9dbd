"""WARC files (plain or gzipped per record, as Common Crawl's CC-NEWS is), streamed with warcio.

Only `response` records are articles; each one takes a position, in file order, whether it is
read or not, so that positions stay stable between runs. A response that is not HTTP 200, not
HTML, or over the size cap is passed over and counted by reason (a crawl holds many redirects and
images: naming each one would bury the news). Nothing but the current record is held in memory.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from .._exceptions import InputError, UnsupportedInput
from ._decode import human_size
from ._fetch import _content_type
from ._sources import RawDocument

_WARC_START = re.compile(rb"^WARC/\d")
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_HTML_START = re.compile(rb"^\s*(?:\xef\xbb\xbf)?\s*<(?:!doctype html|html|head|body|!--)", re.IGNORECASE)


def looks_like_warc(head: bytes) -> bool:
    """Whether the first bytes of a (decompressed) file are those of a WARC record."""
    return bool(_WARC_START.match(head))


@dataclass
class WarcCounts:
    """What was passed over, by reason: {"HTTP 301": 12, "not HTML (image/jpeg)": 3, ...}."""

    passed_over: Counter = field(default_factory=Counter)


def read_warc(
    stream: BinaryIO, source: str, *, max_bytes: int, start: int = 0, counts: WarcCounts | None = None
) -> Iterator[tuple[int, RawDocument | None]]:
    """`(position, document)` for each response record of a WARC stream, in order.

    `document` is None for a record passed over (counted in `counts`) or before `start` (resume:
    read through, not decoded). Raises InputError when the file is no WARC or breaks off; the
    positions yielded before stay good."""
    from warcio.exceptions import ArchiveLoadFailed

    counts = counts if counts is not None else WarcCounts()
    position = 0
    records = _CheckedIterator(stream, arc2warc=False, ensure_http_headers=False)
    try:
        for record in records:
            if record.rec_type != "response":
                _drain(record, source, position)
                continue
            here = position
            position += 1
            if here < start:
                _drain(record, source, here)
                yield here, None
                continue
            document, reason = _document(record, source, here, max_bytes)
            _drain(record, source, here)  # before the document goes out: a cut record is no document
            if reason:
                counts.passed_over[reason] += 1
            yield here, document
        if records.truncated:
            raise InputError(source, f"the WARC file breaks off after {position} response record{'s' if position != 1 else ''} (a gzip member is cut short)")
    except ArchiveLoadFailed as exc:
        where = f" after {position} response record{'s' if position != 1 else ''}" if position else ""
        first = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
        raise UnsupportedInput(source, f"not a readable WARC file{where} ({first})") from None
    except (EOFError, OSError, ValueError, AttributeError) as exc:  # a damaged record or gzip member
        where = f" after {position} response record{'s' if position != 1 else ''}"
        raise InputError(source, f"the WARC file breaks off{where} ({type(exc).__name__}: {exc})") from None


def _checked_iterator_class():
    from warcio.archiveiterator import ArchiveIterator

    class Checked(ArchiveIterator):
        """warcio ends quietly on a file cut inside a gzip member; this notices."""

        truncated = False

        def close(self):
            reader = self.reader
            decompressor = getattr(reader, "decompressor", None) if reader is not None else None
            if decompressor is not None and not getattr(decompressor, "eof", True):
                self.truncated = True
            super().close()

    return Checked


def _CheckedIterator(*args, **kwargs):  # noqa: N802 (a class, made on first use: warcio loads lazily)
    global _CHECKED
    if _CHECKED is None:
        _CHECKED = _checked_iterator_class()
    return _CHECKED(*args, **kwargs)


_CHECKED = None


def _drain(record, source: str, complete: int) -> None:
    """Read the rest of a record; raise when the file ends before the length its header gives.
    `complete`: response records read whole before this one."""
    raw = record.raw_stream
    while raw.read(1 << 16):
        pass
    if getattr(raw, "limit", 0) > 0:
        raise InputError(source, f"the WARC file breaks off inside a record, after {complete} whole response record{'s' if complete != 1 else ''}")


def _document(record, source: str, position: int, max_bytes: int) -> tuple[RawDocument | None, str | None]:
    uri = (record.rec_headers.get_header("WARC-Target-URI") or "").strip() or None
    http = record.http_headers
    if http is None:
        return None, "no HTTP headers"
    status = http.get_statuscode()
    if status != "200":
        return None, f"HTTP {status or 'status missing'}"
    media_type, charset = _content_type(http.get_header("Content-Type"))
    if media_type and media_type not in _HTML_TYPES:
        return None, f"not HTML ({media_type})"
    if record.length is not None and record.length > max_bytes + 65_536:
        # the block (HTTP headers and payload as sent) is over already: not worth decoding
        return None, f"over the size cap of {human_size(max_bytes)}"
    data = record.content_stream().read(max_bytes + 1)  # content-encoding and chunking undone
    if len(data) > max_bytes:
        return None, f"over the size cap of {human_size(max_bytes)}"
    if not data.strip():
        return None, "empty payload"
    if media_type is None and not _HTML_START.match(data[:1024]):
        return None, "not HTML (no content type, and the payload is no HTML)"
    name = uri or f"{source} record {position + 1}"
    return RawDocument(name, data, "html", url=uri, charset=charset), None
