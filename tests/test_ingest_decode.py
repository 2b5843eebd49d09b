"""Encoding detection: strict decoding in a fixed order, on short texts."""

import codecs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode.errors import ImportError_
from qualcode.ingest import decode_bytes, looks_japanese, normalise_text, read_source

CP1252_TWO_LINES = "Café au lait\r\nShe was naïve — “quite” so…\r\n"
JAPANESE = "インタビュアー：病院ではどうでしたか。\n私は病院で働いています。"
GREEK = "Αυτή είναι μια δοκιμή.\nΔεύτερη γραμμή."


@pytest.mark.parametrize(
    "text, encoding, expected_name",
    [
        ("Plain ASCII line", "utf-8", "utf-8"),
        ("Café naïve Straße “quotes” … 東京", "utf-8", "utf-8"),
        ("Café naïve Straße", "utf-8-sig", "utf-8-sig"),
        (CP1252_TWO_LINES, "cp1252", "cp1252"),
        ("Señor Peña", "cp1252", "cp1252"),
        ("Ça va", "cp1252", "cp1252"),
        (JAPANESE, "cp932", "cp932"),
        ("こんにちは", "cp932", "cp932"),
        (JAPANESE, "utf-8", "utf-8"),
        ("Interviewer: Café\nR7: ok", "utf-16", "utf-16-le"),  # Python writes a LE BOM
        ("Interviewer: Café\nR7: ok", "utf-16-le", "utf-16-le"),
        ("Interviewer: Café\nR7: ok", "utf-16-be", "utf-16-be"),
        (JAPANESE, "utf-16-le", "utf-16-le"),
        (GREEK, "utf-16-be", "utf-16-be"),
        ("Interviewer: Café", "utf-32", "utf-32-le"),
    ],
)
def test_short_text_in_each_encoding_decodes_exactly(text, encoding, expected_name):
    decoded, name = decode_bytes(text.encode(encoding), "short.txt")
    assert decoded == text.replace("\r\n", "\n")
    assert name == expected_name


@pytest.mark.parametrize(
    "bom, codec", [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")]
)
def test_utf16_bom_is_removed_and_named(bom, codec):
    decoded, name = decode_bytes(bom + "Q: Hi\nA: Hello".encode(codec), "x.txt")
    assert decoded == "Q: Hi\nA: Hello"
    assert name == codec


def test_cp1252_that_cp932_also_decodes_stays_cp1252():
    raw = "crème brûlée, Renée".encode("cp1252")
    assert raw.decode("cp932")  # the ambiguity is real: cp932 reads it as stray kanji
    assert decode_bytes(raw, "menu.txt") == ("crème brûlée, Renée", "cp1252")


def test_shift_jis_that_cp1252_also_decodes_is_read_as_japanese():
    raw = "ありがとうございます".encode("cp932")
    assert raw.decode("cp1252")  # cp1252 would give mojibake without complaint
    assert decode_bytes(raw, "ja.txt") == ("ありがとうございます", "cp932")


def test_utf8_wins_over_cp1252_when_both_decode():
    raw = "Café".encode()
    assert raw.decode("cp1252") == "CafÃ©"
    assert decode_bytes(raw, "x.txt") == ("Café", "utf-8")


def test_the_charset_normalizer_pitfall_file_is_cp1252(tmp_path):
    path = tmp_path / "windows.txt"
    path.write_bytes("Café\r\nnaïve\r\n".encode("cp1252"))
    source = read_source(path)
    assert source.text == "Café\nnaïve\n"
    assert source.encoding == "cp1252"


def test_undecodable_bytes_are_refused_with_the_offset():
    # 0x81 is undefined in cp1252, and 0x81 0x20 is not valid cp932 or UTF-8.
    with pytest.raises(ImportError_, match=r"^bad\.txt: cannot decode .*byte 0x81 at offset 3"):
        decode_bytes(b"abc\x81 def", "bad.txt")


@pytest.mark.parametrize(
    "raw",
    [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", bytes(range(256)) * 4, b"abc\x00defgh"],
)
def test_binary_is_refused(raw):
    with pytest.raises(ImportError_, match=r"^blob\.txt: binary file"):
        decode_bytes(raw, "blob.txt")


def test_control_characters_mark_binary_without_nul():
    with pytest.raises(ImportError_, match="binary file"):
        decode_bytes(bytes([1, 2, 3, 4, 5, 6, 7, 8]) * 10, "ctl.txt")


@pytest.mark.parametrize("raw", [b"", b"  \n\r\n\t ", codecs.BOM_UTF8, codecs.BOM_UTF8 + b"\n\n"])
def test_empty_or_whitespace_is_refused(raw):
    with pytest.raises(ImportError_, match=r"^e\.txt: the file is empty"):
        decode_bytes(raw, "e.txt")


def test_normalise_text_nfc_newlines_bom():
    assert normalise_text("\ufeffCafe\u0301\r\nx\ry\u2028z") == "Café\nx\ny\nz"


def test_looks_japanese_needs_kana_and_a_majority():
    assert looks_japanese("私は病院で働いています")
    assert not looks_japanese("cr鑪e br璉馥")  # kanji without kana: cp1252 misread
    assert not looks_japanese("ﾇa va")  # half-width katakana only
    assert not looks_japanese("plain ascii")


_text = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff\u2028\u2029"
    ),
    min_size=1,
    max_size=200,
).filter(lambda t: t.strip())


@settings(max_examples=200, deadline=None)
@given(_text, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32"]))
def test_any_text_round_trips_through_utf_encodings(text, encoding):
    decoded, _ = decode_bytes(text.encode(encoding), "h.txt")
    assert decoded == normalise_text(text)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.text(
            st.characters(
                min_codepoint=0x21, max_codepoint=0x17F, blacklist_categories=("Cc", "Zs")
            ),
            min_size=1,
            max_size=12,
        ),
        min_size=2,
        max_size=10,
    ).map(" ".join)
)
def test_latin_text_round_trips_through_utf16_without_bom(text):
    for codec in ("utf-16-le", "utf-16-be"):
        decoded, name = decode_bytes(text.encode(codec), "h.txt")
        assert (decoded, name) == (normalise_text(text), codec)


def test_utf8_with_a_stray_cp1252_byte_is_refused_not_mojibaked():
    raw = "Café, naïve, Zürich, résumé: ".encode() + "œuvre".encode("cp1252")
    with pytest.raises(
        ImportError_,
        match=r"^mixed\.txt: mixed encodings: UTF-8 text with invalid bytes \(0x9c at offset 34\)",
    ):
        decode_bytes(raw, "mixed.txt")


def test_cp1252_with_a_chance_utf8_pair_is_still_cp1252():
    text = "CAFÉ’s menu: crème brûlée, déjà vu, naïve"  # É’ is C9 92, a valid UTF-8 pair
    assert decode_bytes(text.encode("cp1252"), "menu.txt") == (text, "cp1252")
