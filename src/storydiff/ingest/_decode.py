"""Bytes to text: refuse binaries, honour BOMs and declared charsets, detect the rest.

charset-normalizer does the detection; this module decides the order of trust (BOM, then what the
document or server declares, then strict UTF-8, then detection) and turns failures into one-line errors.
"""

from __future__ import annotations

import codecs
import re
import zlib

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
    return _known_codec(match.group(1).decode("ascii", "ignore"))


def _known_codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None


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

    candidates = [c for c in (_known_codec(declared), "utf-8") if c]
    for codec in dict.fromkeys(candidates):
        try:
            return _finish(data.decode(codec), source), codec
        except UnicodeDecodeError:
            continue

    from charset_normalizer import from_bytes  # imported late: most inputs are UTF-8

    sample = data[:200_000]
    ranked = [match.encoding for match in from_bytes(sample)]
    if not ranked:
        raise BinaryInput(source, "not text in any encoding storydiff can detect")
    codec = _most_plausible(sample, ranked)
    return _finish(data.decode(codec, errors="replace"), source), codec


# Characters an English news text plausibly holds beyond ASCII: Western European letters (names such
# as "Hélène Peña", loanwords such as "fête") and typographic punctuation.
_WESTERN = frozenset(
    [chr(c) for c in range(0xC0, 0x100) if chr(c) not in "×÷"]
    + list("\u00a0“”‘’„–—…•€£¢¥©®°±½¼¾·«»¿¡§¶™")
)
_ENGLISH_SHARE = 0.25  # of the words: English text has far more function words than this


def _most_plausible(sample: bytes, ranked: list[str]) -> str:
    """The detector's choice, unless the text is English and another candidate reads more plausibly.

    charset-normalizer ranks single-byte encodings by how chaotic the decoded text looks, and for
    an English text with a few accented names every Latin code page looks equally clean: it may
    pick Windows-1250 ("Hélčne Peńa") or even a CJK encoding. When the ASCII words show English,
    the accented letters are far likelier Western European ones, so each candidate (and
    Windows-1252, always) is scored by how many of its non-ASCII characters are of that kind.
    """
    words = re.findall(rb"[A-Za-z']+", sample[:20_000])
    english = _english_words()
    if not words or sum(w.lower().decode() in english for w in words) < _ENGLISH_SHARE * len(words):
        return ranked[0]
    best, best_score = ranked[0], None
    for codec in dict.fromkeys(["cp1252", *ranked[:8]]):
        try:
            text = sample.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        foreign = [c for c in text if ord(c) > 127]
        score = sum(1 if c in _WESTERN else -1 for c in foreign)
        if best_score is None or score > best_score:
            best, best_score = codec, score
    return best


def _english_words() -> frozenset[str]:
    from ..resources import resource_path

    return frozenset(resource_path("stopwords-en.txt").read_text(encoding="utf-8").split())


_CODEC_NAMES = {
    "cp1252": "Windows-1252 (Western European)",
    "latin_1": "ISO-8859-1 (Latin-1)",
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
