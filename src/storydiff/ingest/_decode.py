"""Bytes to text: refuse binaries, honour BOMs and declared charsets, detect the rest.

charset-normalizer does the detection; this module decides the order of trust (BOM, then what the
document or server declares, then strict UTF-8, then detection) and turns failures into one-line errors.
"""

from __future__ import annotations

import codecs
import re
import zlib
from functools import lru_cache

from .._exceptions import BinaryInput, EmptyInput, InputTooLarge

# Leading bytes of common binary formats people drop into a folder of articles by mistake.
_MAGIC = {
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (or an Office document)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"RIFF": "a RIFF media file",
    b"\x7fELF": "an executable",
    b"MZ": "a Windows executable",
    b"SQLite format 3": "an SQLite database",
    b"\xd0\xcf\x11\xe0": "an old Office document",
}
_GZIP_MAGIC = b"\x1f\x8b"

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def maybe_gunzip(data: bytes, source: str, max_bytes: int) -> bytes:
    """Decompress gzip data (saved pages are often `.html.gz`), refusing decompression bombs."""
    if not data.startswith(_GZIP_MAGIC):
        return data
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = decompressor.decompress(data, max_bytes + 1)
    except zlib.error as exc:
        raise BinaryInput(source, f"damaged gzip data ({exc})") from None
    if len(out) > max_bytes:
        raise InputTooLarge(source, f"decompresses to more than the size cap of {human_size(max_bytes)}")
    return out


def html_declared_charset(data: bytes) -> str | None:
    """The charset a page declares in a <meta> tag near its top, if any and if Python knows it."""
    match = _META_CHARSET.search(data[:4096])
    if not match:
        return None
    return known_codec(match.group(1).decode("ascii", "ignore"))


def known_codec(name: str | None) -> str | None:
    """The codec a declared charset names; as browsers do (the WHATWG encoding standard), the
    ISO-8859-1 and ASCII labels mean Windows-1252, whose quotation marks pages written in it use."""
    if not name:
        return None
    try:
        codec = codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None
    return "cp1252" if codec in ("iso8859-1", "latin-1", "latin_1", "ascii") else codec


def decode(data: bytes, source: str, *, declared: str | None = None) -> tuple[str, str]:
    """Return (text, encoding) for the bytes of one input, or raise a one-line InputError."""
    if not data:
        raise EmptyInput(source, "the input is empty")
    if not data.strip():
        raise EmptyInput(source, "the input holds only white space")
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise BinaryInput(source, f"this is {what}, not an article")
    if data.startswith(_GZIP_MAGIC):
        raise BinaryInput(source, "this is gzip-compressed data, not text")

    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _finish(data.decode(codec, errors="replace"), source), codec.replace("-sig", "")

    # A NUL byte never occurs in 8-bit or UTF-8 text; without a BOM, it means binary data.
    if b"\x00" in data[:65536]:
        raise BinaryInput(source, "the input contains binary data (NUL bytes), not text")
    if data.isascii():
        return _finish(data.decode("ascii"), source), "utf-8"  # what it declares does not matter

    candidates = [c for c in (known_codec(declared), "utf-8") if c]
    for codec in dict.fromkeys(candidates):
        try:
            return _finish(data.decode(codec), source), codec
        except UnicodeDecodeError:
            continue

    if (text := _mostly_utf8(data)) is not None:
        return _finish(text, source), "utf-8"

    from charset_normalizer import from_bytes  # imported late: most inputs are UTF-8

    sample = data[:200_000]
    ranked = [match.encoding for match in from_bytes(sample)]
    if not ranked:
        raise BinaryInput(source, "not text in any encoding storydiff can detect")
    codec = _most_plausible(sample, ranked)
    return _finish(data.decode(codec, errors="replace"), source), codec


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 text with a stray byte or two (a bad paste, a truncated character) is UTF-8: read in
    any 8-bit code page, its accents would all turn to "Ã©" and "â€™"."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    multibyte = len(data) - len(text) + bad
    return text if bad <= max(1, len(text) // 1000) and multibyte > 4 * bad else None


# Single-byte code pages in common use; others (hp_roman8, cp775, mac_*) only when the detector
# has nothing else to offer.
_COMMON = frozenset(
    """cp1252 latin_1 iso8859_15 cp1250 iso8859_2 cp1251 koi8_r iso8859_5 cp1253 iso8859_7 cp1254
    iso8859_9 cp1255 iso8859_8 cp1256 iso8859_6 cp1257 iso8859_13 iso8859_4 iso8859_10 iso8859_16""".split()
)
_ENGLISH_SHARE = 0.25  # of the words: English text has far more function words than this


def _most_plausible(sample: bytes, ranked: list[str]) -> str:
    """The detector's choice, unless the text is English and another code page reads more plausibly.

    charset-normalizer ranks single-byte encodings by how chaotic the decoded text looks, and for
    an English text with a few accented names every Latin code page looks equally clean: it may
    pick Windows-1250 ("Hélčne Peńa") or even a CJK encoding. When the ASCII words show English,
    each common code page's reading is scored by how often English news holds the characters it
    gives (`resources/lang/en/letters.json`: "é" is common, "ŕ" rare, "³" inside a word never).
    """
    words = re.findall(rb"[A-Za-z']+", sample[:20_000])
    english = _english_words()
    if not words or sum(w.lower().decode() in english for w in words) < _ENGLISH_SHARE * len(words):
        return ranked[0]
    best, best_score = ranked[0], None
    for codec in dict.fromkeys(["cp1252", *(c for c in ranked if codecs.lookup(c).name.replace("-", "_") in _COMMON)]):
        try:
            text = sample.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        score = _plausibility(text)
        if best_score is None or score > best_score + 1e-9:
            best, best_score = codec, score
    return best


def _plausibility(text: str) -> float:
    import math

    table = _letters()
    score = 0.0
    for i, c in enumerate(text):
        if ord(c) < 128:
            continue
        p = table["letters"].get(c) or (table["letters"].get(c.lower(), 0) / 2) or table["punctuation"].get(c)
        if not p:
            inside = 0 < i < len(text) - 1 and text[i - 1].isalpha() and text[i + 1].isalpha() and not c.isalpha()
            p = table["inside_word_symbol"] if inside else table["other"]
        score += math.log(p)
    return score


@lru_cache(maxsize=1)
def _letters() -> dict:
    import json

    from ..resources import resource_path

    return json.loads(resource_path("lang/en/letters.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _english_words() -> frozenset[str]:
    from ..resources import resource_path

    return frozenset(resource_path("stopwords-en.txt").read_text(encoding="utf-8").split())


_CODEC_NAMES = {
    "cp1252": "Windows-1252 (Western European)",
    "latin_1": "ISO-8859-1 (Latin-1)",
    "iso8859-1": "ISO-8859-1 (Latin-1)",
    "iso8859-15": "ISO-8859-15 (Latin-9)",
    "iso8859-2": "ISO-8859-2 (Central European)",
    "iso8859_15": "ISO-8859-15 (Latin-9)",
    "cp1250": "Windows-1250 (Central European)",
    "cp1251": "Windows-1251 (Cyrillic)",
    "cp1256": "Windows-1256 (Arabic)",
    "utf_16": "UTF-16",
    "utf-16": "UTF-16",
    "utf-32": "UTF-32",
}


def describe_codec(codec: str) -> str:
    """A reader's name for a codec ("Windows-1252 (Western European)")."""
    try:
        name = codecs.lookup(codec).name
    except LookupError:
        name = codec
    return _CODEC_NAMES.get(name, _CODEC_NAMES.get(codec, name))


def is_utf8(codec: str | None) -> bool:
    return codec is None or codec.lower().replace("_", "-") in ("utf-8", "utf8", "utf-8-sig", "ascii")


# C0 and C1 control characters other than white space: they carry no text, and in a terminal they
# are escape sequences an article must not be able to send.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _finish(text: str, source: str) -> str:
    if not text.strip():
        raise EmptyInput(source, "the input holds only white space")
    # Many control characters mean binary data decoded as text.
    controls = len(_CONTROLS.findall(text[:20000]))
    if controls > max(8, len(text[:20000]) // 100):
        raise BinaryInput(source, "the input looks like binary data, not text")
    return _CONTROLS.sub("", text)


def clean_field(value: str) -> str:
    """A metadata value (title, outlet, date) as one clean line."""
    return " ".join(_CONTROLS.sub("", value).split())


def human_size(n: float) -> str:
    if n < 1024:
        return f"{n:.0f} bytes"
    for unit in ("KB", "MB", "GB"):
        n /= 1024
        if n < 1024 or unit == "GB":
            break
    return f"{n:.1f} {unit}"
