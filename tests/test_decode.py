"""Bytes to text: encodings, binaries, empties."""

import codecs

import pytest

from storydiff import BinaryInput, EmptyInput
from storydiff.ingest._decode import decode, html_declared_charset

ARABIC = "قال المتحدث باسم القوات المسلحة العراقية إن الحكومة جادة في تنفيذ قرار البرلمان بشأن انسحاب القوات."


def test_utf8_and_bom_utf16():
    assert decode("Café au lait".encode("utf-8"), "a")[0] == "Café au lait"
    text, encoding = decode(codecs.BOM_UTF16_LE + "Zürich news".encode("utf-16-le"), "b")
    assert text == "Zürich news" and encoding == "utf-16"


def test_windows_1256_arabic_is_detected():
    text, encoding = decode(((ARABIC + "\n") * 3).encode("cp1256"), "arabic.txt")
    assert ARABIC in text
    assert encoding.replace("_", "").lower() in ("cp1256", "windows1256")


def test_latin1_is_detected():
    raw = "Le ministre a déclaré que l'accord était « très positif » pour la région.".encode("latin-1")
    text, _ = decode(raw, "fr.txt")
    assert "déclaré" in text and "très" in text


def test_declared_charset_wins():
    raw = '<html><head><meta charset="windows-1252"></head><body><p>It costs 5 € – really</p></body></html>'.encode("cp1252")
    assert html_declared_charset(raw) == "cp1252"
    assert "5 € – really" in decode(raw, "p.html", declared="cp1252")[0]


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "PNG"),
        (b"%PDF-1.7\n%\xe2\xe3", "PDF"),
        (b"abc\x00\x01\x02def" * 20, "binary"),
    ],
)
def test_binaries_are_refused(data, reason):
    with pytest.raises(BinaryInput, match=reason):
        decode(data, "x")


@pytest.mark.parametrize("data", [b"", b"   \n\t  "])
def test_empty_inputs_are_refused(data):
    with pytest.raises(EmptyInput):
        decode(data, "empty.txt")


@pytest.mark.parametrize("text", [
    "The festival opened on Friday in the old harbour town. Hélène Peña, who has run the fête for ten years, "
    "said the crowds were the largest she had seen, and visitors came à pied from the station.",
    "Hélène Peña said the fête would go on.",  # too little for the detector's statistics
])
def test_english_with_accented_names_reads_as_western_european(text):
    decoded, encoding = decode(text.encode("latin-1"), "names.txt")
    assert decoded == text
    assert codecs.lookup(encoding).name in ("cp1252", "latin_1", "iso8859-1")


def test_central_european_text_keeps_its_encoding():
    text = "Příliš žluťoučký kůň úpěl ďábelské ódy. Vláda v pondělí oznámila, že zákon projedná sněmovna."
    decoded, encoding = decode(text.encode("cp1250"), "cs.txt")
    assert decoded == text and codecs.lookup(encoding).name == "cp1250"


def test_the_article_says_which_encoding_it_was_read_in(tmp_path):
    from storydiff import read_articles

    text = ("The festival opened on Friday in the old harbour town. Hélène Peña, who has run the fête for ten "
            "years, said the crowds were the largest she had seen, and visitors came à pied from the station.")
    (tmp_path / "latin1.txt").write_bytes(text.encode("latin-1"))
    (tmp_path / "utf8.txt").write_bytes(text.replace("Friday", "Monday").encode("utf-8"))
    (latin1, utf8), _ = read_articles([str(tmp_path / "latin1.txt"), str(tmp_path / "utf8.txt")])
    assert "Hélène Peña" in latin1.text
    assert latin1.warnings == ["read as Windows-1252 (Western European): detected, since it is not UTF-8 and declares no encoding"]
    assert utf8.warnings == []


@pytest.mark.parametrize("text", [
    "The former president Lech Wałęsa spoke in Łódź on Monday, and the crowd cheered for the old leader of the union.",
    "The mayor of Prague, Zdeněk Hřib, said on Monday that the city would not change its plans for the old bridge.",
])
def test_english_with_central_european_names_keeps_windows_1250(text):
    decoded, encoding = decode(text.encode("cp1250"), "names.txt")
    assert decoded == text and codecs.lookup(encoding).name == "cp1250"


def test_utf8_with_a_stray_byte_is_still_utf8():
    data = "Tomás said the plan was “fine” and left the room. ".encode() * 5 + b"\xff" + " José agreed.".encode()
    decoded, encoding = decode(data, "stray.txt")
    assert encoding == "utf-8" and "Tomás" in decoded and "José" in decoded and "Ã" not in decoded


def test_a_page_declaring_latin1_keeps_its_windows_quotation_marks():
    page = b'<html><head><meta charset="iso-8859-1"></head><body><p>\x93We will rebuild,\x94 she said.</p></body></html>'
    decoded, encoding = decode(page, "page.html", declared=html_declared_charset(page))
    assert "“We will rebuild,” she said." in decoded and encoding == "cp1252"
