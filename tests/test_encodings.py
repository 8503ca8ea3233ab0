"""Encodings: a declared charset when it decodes cleanly, our Chinese path, charset-normalizer for the rest."""

from __future__ import annotations

import pytest

from workbench.ingest.decoding import decode_bytes
from workbench.ingest.reader import read_document
from workbench.model import Refusal

KO = "테슬라는 월요일 서울에서 새로운 전기차를 공개했다. 회사는 내년부터 판매할 예정이라고 밝혔다."
JA = "テスラは月曜日、東京で新しい電気自動車を発表した。会社によると、来年から販売する予定だという。"
ZH = "特斯拉周一在北京发布了新款电动汽车。公司表示，明年开始销售，预计销量将增长百分之二十。"
EN = "Tesla’s café in Berlin opened on Monday — “a first”, the company said."


@pytest.mark.parametrize("text, codec, expected", [
    (EN, "cp1252", "cp1252"),
    ("Ça coûte très cher à Genève, dit-il au journal.", "latin-1", "cp1252"),
    (KO, "euc-kr", "cp949"),
    (JA, "shift_jis", "cp932"),
])
def test_legacy_encodings_are_detected_with_their_confidence(text, codec, expected):
    decoded = decode_bytes(text.encode(codec))
    assert decoded.text == text and decoded.encoding == expected
    assert decoded.source.startswith(f"charset-normalizer: {expected}, confidence ")


def test_euc_kr_is_not_read_as_gb18030_nonsense():
    decoded = decode_bytes(KO.encode("euc-kr"))
    assert decoded.text == KO  # was decoded as GB18030: 救崇窍技夸...


@pytest.mark.parametrize("codec", ["gbk", "gb18030", "big5"])
def test_chinese_keeps_our_own_path(codec):
    text = ZH if codec != "big5" else "特斯拉週一在北京發佈了新款電動汽車。公司表示，明年開始銷售。"
    decoded = decode_bytes(text.encode(codec))
    assert decoded.text == text and decoded.source.startswith("Chinese path:")


@pytest.mark.parametrize("document, where", [
    (b'<html><head><meta charset="windows-1252"><title>x</title></head><body><p>caf\xe9 \x93quoted\x94</p>',
     "<meta charset>"),
    (b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252"></head>'
     b"<body><p>caf\xe9 \x93quoted\x94</p>", "<meta charset>"),
    (b'<?xml version="1.0" encoding="windows-1252"?><html><body><p>caf\xe9 \x93quoted\x94</p></body></html>',
     "the XML declaration"),
    (b"---\ntitle: caf\xe9\nencoding: windows-1252\n---\ncaf\xe9 \x93quoted\x94\n", "the front matter's encoding"),
])
def test_a_declared_charset_is_honoured(document, where):
    decoded = decode_bytes(document)
    assert "café “quoted”" in decoded.text
    assert decoded.source == f"declared in {where} (windows-1252)"


def test_a_declared_charset_that_does_not_decode_is_overruled_with_a_warning():
    decoded = decode_bytes(f'<html><head><meta charset="utf-8"></head><body><p>{ZH}</p>'.encode("gbk"))
    assert ZH in decoded.text and decoded.encoding == "gb18030"
    assert any("declared charset utf-8" in w and "does not decode" in w for w in decoded.warnings)


def test_utf8_bytes_declared_as_latin1_are_read_as_utf8():
    text = "Tesla’s café opened on Monday."  # its UTF-8 bytes also decode as windows-1252 (as mojibake)
    decoded = decode_bytes(f'<meta charset="iso-8859-1"><p>{text}'.encode())
    assert text in decoded.text and decoded.encoding == "utf-8"
    assert any("valid UTF-8" in w for w in decoded.warnings)


def test_the_encoding_decision_reaches_the_article():
    (article,) = read_document("cafe.txt", (EN + "\n").encode("cp1252"))
    assert article.encoding == "cp1252" and "confidence" in article.encoding_source
    assert "Tesla’s café" in article.clean_text


def test_random_high_bytes_are_still_refused():
    with pytest.raises(Refusal, match="undecodable"):
        decode_bytes(bytes([0x80, 0xFF, 0x81, 0xFE, 0xFF, 0x80, 0xFF]) * 9)


@pytest.mark.parametrize("name", ["undefined", "base64", "rot13", "zlib", "no-such-charset"])
def test_a_declared_codec_that_is_not_a_character_set_counts_as_unknown(name):
    # found by the fuzz test: `encoding: UNDEFINED` in front matter raised from Python's 'undefined' codec
    decoded = decode_bytes(f"---\ntitle: x\nencoding: {name}\n---\n{EN}\n".encode("utf-8"))
    assert EN in decoded.text and decoded.encoding == "utf-8"
    assert any("is unknown" in w for w in decoded.warnings)
