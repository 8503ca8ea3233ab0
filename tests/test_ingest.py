"""Tests for workbench.ingest: formats, encodings, refusals, dates, chrome, hostile input.

Inline inputs are written to ``tmp_path`` and read back through the public
API, exactly as the pipeline does.  Tests marked ``corpus`` read the real
posts in ``../shared`` (excluded from the default run).
"""

from __future__ import annotations

import re

import json
import time
from pathlib import Path

import pytest

from workbench.ingest import DEFAULT_MAX_BYTES, iter_input_files, read_document
from workbench.ingest.dates import parse_date
from workbench.ingest.decoding import decode_bytes
from workbench.model import SOURCES, ParsedArticle, Refusal

SHARED = Path(__file__).resolve().parents[1].parent / "shared"

ZH_BODY = "特斯拉今天宣布在上海建成数据中心，所有在中国销售的汽车产生的数据都将存储在境内。公司表示将继续扩大投资。"
EN_BODY = "Tesla said on Tuesday that it has set up a data centre in Shanghai to store data from cars sold in China."


def read(tmp_path: Path, name: str, data: bytes | str) -> list[ParsedArticle]:
    """Write ``data`` to ``tmp_path/name`` and read it like the pipeline does."""
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return read_document(str(path), path.read_bytes())


def read_one(tmp_path: Path, name: str, data: bytes | str) -> ParsedArticle:
    articles = read(tmp_path, name, data)
    assert len(articles) == 1
    return articles[0]


def assert_provenance_is_complete(article: ParsedArticle) -> None:
    for name in ("title", "published", "author", "site", "url", "language"):
        if getattr(article, name) is not None:
            assert article.provenance[name] in SOURCES, name
        else:
            assert name not in article.provenance


# -- formats --------------------------------------------------------------------

SEED_LIKE_TEXT = (
    "布林肯前脚刚走,马斯克随即访华\n"
    "\n"
    "\u00a0 发布时间:2024-05-21 09:19:20 \u00a0 作者:玩站小弟 \u00a0 我要评论\n"
    "成都嫩茶-成都品茶大全-成都品茶外卖。\n"
    "\n"
    f"前言:\n\n{ZH_BODY}\n\n\n\n信息来源:环球网-马斯克推迟访印数日后突然来华,印媒关注(2024.4.29)\n\n"
    f"{ZH_BODY}\n\n{ZH_BODY}\n\n"
    "  • Tag:\n\n"
    "相关文章\n\n"
    "  • 吴淞大桥近S20外环一轿车起火烧成空壳\n\n    图说:起火现场\n    2024-05-21\n"
    "  • 80亿,顶尖院士夫妇即将拿下一个IPO\n\n    2024-05-21\n\n"
    "最新评论\n"
)


def test_plain_text_with_header_line(tmp_path: Path) -> None:
    article = read_one(tmp_path, "a.txt", SEED_LIKE_TEXT)
    assert article.format == "text"
    assert article.encoding == "utf-8"
    assert article.title == "布林肯前脚刚走,马斯克随即访华"
    assert article.published == "2024-05-21T09:19:20"
    assert article.author == "玩站小弟"
    assert article.language == "zh"
    assert article.provenance["published"] == "header line"
    assert article.provenance["author"] == "header line"
    assert article.provenance["language"] == "inferred"
    kinds = {removed.kind: removed.text for removed in article.removed}
    assert kinds["header line"].startswith("发布时间:2024-05-21")
    assert kinds["advert"] == "成都嫩茶-成都品茶大全-成都品茶外卖。"
    assert kinds["related articles"].startswith("相关文章")
    assert "吴淞大桥" in kinds["related articles"]
    assert kinds["latest comments"] == "最新评论"
    assert kinds["tags"] == "• Tag:"
    text = article.clean_text
    for chrome in ("发布时间", "我要评论", "成都嫩茶", "相关文章", "吴淞大桥", "最新评论", "Tag:"):
        assert chrome not in text
    # The republication credit is page chrome (issue 11), kept aside with its kind.
    assert kinds["credit line"] == "信息来源:环球网-马斯克推迟访印数日后突然来华,印媒关注(2024.4.29)"
    assert "信息来源" not in text
    # Real sentences stay, and punctuation is untouched.
    assert ZH_BODY in text
    assert "\n\n\n" not in text
    assert_provenance_is_complete(article)


def test_markdown_front_matter_with_html_body(tmp_path: Path) -> None:
    document = (
        "\n---\n"
        "title: '百度、华为筑底云计算，能否帮助车企_大象转身_？'\n"
        "categories: \n - 新媒体\n - 36kr\n - 资讯\n"
        "headimg: 'https://img.example/x.jpg'\n"
        "author: 36kr\n"
        "comments: false\n"
        "date: Thu, 06 Jan 2022 05:26:25 GMT\n"
        "thumbnail: 'https://img.example/x.jpg'\n"
        "---\n\n"
        "<div>   \n"
        f"<p>{ZH_BODY}<a class=\"project-link\" data-id=\"1\" href=\"https://36kr.com/p/1\">华为</a>云。</p> \n"
        "<p class=\"image-wrapper\"><img src=\"https://img.example/in-body.jpg\"></p>\n"
        "<h2 label=\"一级标题\" style><strong>研发生产端</strong></h2>\n"
        f"<p style=\"text-indent: 2em;\">{ZH_BODY}</p><p>－ End －</p>\n"
        "</div>\n            "
    )
    article = read_one(tmp_path, "post.md", document)
    assert article.format == "markdown"
    assert article.title == "百度、华为筑底云计算，能否帮助车企_大象转身_？"
    assert article.published == "2022-01-06T05:26:25+00:00"
    assert article.author == "36kr"
    assert article.site == "36kr"
    assert article.provenance["title"] == "front matter"
    assert article.provenance["site"] == "front matter"
    assert article.clean_text == f"{ZH_BODY}华为云。\n\n研发生产端\n\n{ZH_BODY}"
    assert [r.kind for r in article.removed] == ["end marker"]
    assert "img.example" not in article.clean_text


def test_markdown_without_front_matter_takes_heading_as_title(tmp_path: Path) -> None:
    article = read_one(tmp_path, "notes.md", f"# A heading\n\n{EN_BODY}\n")
    assert article.format == "markdown"
    assert article.title == "A heading"
    assert article.provenance["title"] == "body"


def test_html_page_metadata_and_text(tmp_path: Path) -> None:
    page = (
        "<!DOCTYPE html>\n<html lang=\"en-US\"><head>"
        "<title>Tesla data centre | The Review</title>"
        "<meta property=\"og:title\" content=\"Tesla opens Shanghai data centre\">"
        "<meta property=\"article:published_time\" content=\"2021-05-27T08:30:00Z\">"
        "<meta name=\"author\" content=\"Priya Natarajan\">"
        "<meta property=\"og:site_name\" content=\"The Dashboard Review\">"
        "<link rel=\"canonical\" href=\"https://review.example/tesla\">"
        "<script>var headline = '<p>decoy</p>';</script><style>p { color: red }</style>"
        "</head><body><nav><ul><li>Home</li></ul></nav>"
        f"<article><h1>Tesla opens Shanghai data centre</h1><p>{EN_BODY}</p>"
        "<p>Profits rose &amp;lt;5% &mdash; said the company.<br>Second line</p>"
        "<!-- a comment that must vanish --></article>"
        "<section><h3>Related articles</h3><ol><li>Another story</li><li>And one more</li></ol></section>"
        "</body></html>"
    )
    article = read_one(tmp_path, "page.html", page)
    assert article.format == "html"
    assert article.title == "Tesla opens Shanghai data centre"
    assert article.published == "2021-05-27T08:30:00+00:00"
    assert article.author == "Priya Natarajan"
    assert article.site == "The Dashboard Review"
    assert article.url == "https://review.example/tesla"
    assert article.language == "en"
    assert all(article.provenance[f] == "html meta" for f in ("title", "published", "author", "site", "url", "language"))
    text = article.clean_text
    assert "decoy" not in text and "color" not in text and "comment that must vanish" not in text
    # Entities decoded exactly once; <br> and block elements become blank lines.
    assert "Profits rose &lt;5% \u2014 said the company.\n\nSecond line" in text
    assert "Another story" not in text
    assert any(r.kind == "related articles" and "Another story" in r.text for r in article.removed)


def test_html_detected_by_content_not_extension(tmp_path: Path) -> None:
    article = read_one(tmp_path, "saved.txt", f"<html><head><title>T</title></head><body><p>{EN_BODY}</p></body></html>")
    assert article.format == "html"
    assert article.title == "T"


def test_forum_repost(tmp_path: Path) -> None:
    document = (
        "Anonymous ID:\u00a0 329d3a June 2, 2021, 8:43 p.m. No.13818355 \u00a0 \U0001f5c4\ufe0f.is \u00a0 >>8397 >>8405 >>8412\n\n"
        "Tesla Establishes Data Center In China\n\n\u00a0\n\n"
        f"{EN_BODY}\n\n\u00a0\n\n"
        ">>8405 I agree with this post.\n\n"
        "https://www.zerohedge.com/technology/tesla-establishes-data-center-china-all-data-be-kept-china"
    )
    article = read_one(tmp_path, "repost.txt", document)
    assert article.format == "forum"
    assert article.title == "Tesla Establishes Data Center In China"
    assert article.published == "2021-06-02T20:43:00"
    assert article.author == "Anonymous"
    assert article.url == "https://www.zerohedge.com/technology/tesla-establishes-data-center-china-all-data-be-kept-china"
    assert article.language == "en"
    assert article.provenance == {
        "author": "poster line", "published": "poster line", "title": "body", "url": "body url", "language": "inferred",
    }
    assert ">>" not in article.clean_text
    assert "I agree with this post." in article.clean_text
    assert "zerohedge" not in article.clean_text
    kinds = [r.kind for r in article.removed]
    assert kinds.count("reply references") == 2
    assert "poster line" in kinds and "source url" in kinds
    assert article.clean_text.startswith("Tesla Establishes Data Center In China\n\n" + EN_BODY)


def test_json_object(tmp_path: Path) -> None:
    record = {
        "title": "中国汽车工业协会:特斯拉符合要求",
        "published_at": "2024-04-29T08:05:00+08:00",
        "author": {"name": "林晓"},
        "source": "掌上车讯",
        "link": "https://news.example/1",
        "lang": "zh-CN",
        "content": ZH_BODY,
        "tags": ["a", "b"],
    }
    data = json.dumps(record, ensure_ascii=False, indent=2).encode()
    article = read_one(tmp_path, "one.json", data)
    assert article.format == "json"
    assert article.record == 1
    assert article.raw == data
    assert (article.title, article.published, article.author, article.site, article.url, article.language) == (
        "中国汽车工业协会:特斯拉符合要求", "2024-04-29T08:05:00+08:00", "林晓", "掌上车讯", "https://news.example/1", "zh",
    )
    assert set(article.provenance.values()) == {"json field"}
    assert article.clean_text == ZH_BODY


def test_json_list_keeps_each_records_bytes(tmp_path: Path) -> None:
    first = '{"title": "One", "text": "First article text here."}'
    second = '{"title": "Two", "body": "<p>Second &amp; last.</p>", "date": "2024-05-07"}'
    data = f"[\n  {first},\n  {second}\n]\n".encode()
    articles = read(tmp_path, "many.json", data)
    assert [a.record for a in articles] == [1, 2]
    assert [a.raw for a in articles] == [first.encode(), second.encode()]
    assert articles[1].clean_text == "Second & last."
    assert articles[1].published == "2024-05-07"


def test_jsonl_records(tmp_path: Path) -> None:
    lines = [
        {"title": "Musk lands in Beijing", "published": "2024-04-29T03:20:00Z", "author": "Staff", "text": EN_BODY},
        {"title": "BYD sales", "published": "2024-05-02 08:05", "author": None, "text": EN_BODY},
        {"title": "华为鸿蒙座舱", "date": "2024-05-07", "language": "zh", "article": ZH_BODY},
    ]
    raw_lines = [json.dumps(line, ensure_ascii=False) for line in lines]
    data = ("\n".join(raw_lines[:2]) + "\n\n" + raw_lines[2] + "\n").encode()
    articles = read(tmp_path, "feed.jsonl", data)
    assert [a.format for a in articles] == ["jsonl"] * 3
    assert [a.record for a in articles] == [1, 2, 3]
    assert [a.raw for a in articles] == [line.encode() for line in raw_lines]
    assert [a.published for a in articles] == ["2024-04-29T03:20:00+00:00", "2024-05-02T08:05:00", "2024-05-07"]
    assert articles[1].author is None and "author" not in articles[1].provenance
    assert articles[2].language == "zh"


def test_jsonl_detected_by_content(tmp_path: Path) -> None:
    data = '{"text": "one record"}\n{"text": "another record"}\n'
    assert [a.format for a in read(tmp_path, "feed.txt", data)] == ["jsonl", "jsonl"]


def test_jsonl_bad_record_is_refused_alone(tmp_path: Path) -> None:
    data = '{"text": "fine"}\n{"text": broken}\n{"title": "no text"}\n{"text": "fine too"}\n'
    items = read(tmp_path, "feed.jsonl", data)
    assert [type(i).__name__ for i in items] == ["ParsedArticle", "Refusal", "Refusal", "ParsedArticle"]
    assert re.search(r"record 2 \(line 2\) is not valid JSON", str(items[1]))
    assert "record 3" in str(items[2]) and "no text field" in str(items[2])
    assert [i.clean_text for i in items if not isinstance(i, Refusal)] == ["fine", "fine too"]


def test_json_file_with_no_good_record_is_refused_whole(tmp_path: Path) -> None:
    with pytest.raises(Refusal, match="no text field"):
        read(tmp_path, "feed.jsonl", '{"title": "a"}\n{"title": "b"}\n')


def test_title_falls_back_to_file_name(tmp_path: Path) -> None:
    article = read_one(tmp_path, "no-title.json", json.dumps({"text": EN_BODY}))
    assert article.title == "no-title #1"
    assert article.provenance["title"] == "file name"


def test_plain_text_title_is_first_line(tmp_path: Path) -> None:
    first_line = ZH_BODY * 3
    article = read_one(tmp_path, "undated.txt", f"{first_line}\n{ZH_BODY}\n")
    assert article.title == first_line[:119] + "…"
    assert article.provenance["title"] == "body"
    assert article.published is None
    assert "published" not in article.provenance


@pytest.mark.parametrize(
    ("byline", "author"),
    [("作者 赵宇奇", "赵宇奇"), ("文｜杜晨   编辑｜VickyXiao", "杜晨"), ("By Jane Doe", "Jane Doe")],
)
def test_byline_gives_the_author(tmp_path: Path, byline: str, author: str) -> None:
    article = read_one(tmp_path, "by.txt", f"Title\n\n{byline}\n\n{ZH_BODY}\n")
    assert article.author == author
    assert article.provenance["author"] == "byline"
    assert byline in article.clean_text  # a byline is kept: it is part of what the page says


@pytest.mark.parametrize("line", ["作者认为这是错的。", "文化部今天发布通知", "By the way, this is text"])
def test_sentences_are_not_bylines(tmp_path: Path, line: str) -> None:
    article = read_one(tmp_path, "nb.txt", f"Title\n\n{line}\n\n{ZH_BODY}\n")
    assert article.author is None


# -- encodings ----------------------------------------------------------------------

ZH_TEXT = f"特斯拉在上海建成数据中心\n\n{ZH_BODY}\n"
TW_TEXT = "特斯拉在上海設資料中心\n\n美國電動車大廠特斯拉宣布，已在中國上海建立資料中心，在中國大陸銷售的車輛所產生的資料，將全部存放在中國境內。\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (ZH_TEXT.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + ZH_TEXT.encode("utf-8"), "utf-8-sig"),
        (b"\xff\xfe" + ZH_TEXT.encode("utf-16-le"), "utf-16-le"),
        (b"\xfe\xff" + ZH_TEXT.encode("utf-16-be"), "utf-16-be"),
        (ZH_TEXT.encode("gb18030"), "gb18030"),
        (ZH_TEXT.encode("gbk"), "gb18030"),
        (TW_TEXT.encode("big5"), "big5"),
    ],
)
def test_encodings_are_detected_and_recorded(tmp_path: Path, data: bytes, encoding: str) -> None:
    article = read_one(tmp_path, "doc.txt", data)
    assert article.encoding == encoding
    assert article.raw == data
    assert "\ufffd" not in article.clean_text and "\ufeff" not in article.clean_text
    expected = TW_TEXT if encoding == "big5" else ZH_TEXT
    assert article.title == expected.split("\n")[0]
    assert article.clean_text == expected.strip()


@pytest.mark.parametrize(("codec", "name"), [("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be")])
def test_utf16_without_bom_by_nul_pattern(tmp_path: Path, codec: str, name: str) -> None:
    text = f"Title line\n\n{EN_BODY}\n"
    assert read_one(tmp_path, "doc.txt", text.encode(codec)).encoding == name


def test_big5_bytes_that_also_decode_as_gb18030_are_read_as_big5() -> None:
    data = TW_TEXT.encode("big5")
    data.decode("gb18030")  # the trap: GB18030 accepts these bytes too
    decoded = decode_bytes(data)
    assert decoded.encoding == "big5"
    assert decoded.text == TW_TEXT


def test_mojibake_gets_a_warning(tmp_path: Path) -> None:
    garbled = "特斯拉".encode("utf-8").decode("latin-1")  # "ç\x89¹æ\x96¯æ\x8b\x89"
    article = read_one(tmp_path, "m.txt", f"Title\n\nCafÃ© owners said {garbled} and å¤§ things.\n")
    assert article.encoding == "utf-8"
    assert any("mojibake" in warning for warning in article.warnings)
    assert "Ã©" in article.clean_text  # the text itself is not rewritten


def test_clean_text_has_no_mojibake_warning(tmp_path: Path) -> None:
    article = read_one(tmp_path, "ok.txt", "Café Müller\n\nNaïve façade, 特斯拉。\n")
    assert article.warnings == []


# -- refusals ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b" \n\t\r\n  \n", "empty"),
        ("blank16.txt", b"\xff\xfe" + " \n ".encode("utf-16-le"), "empty"),
        ("image.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "PNG"),
        ("prog.txt", b"\x7fELF\x02\x01\x01" + bytes(64), "ELF"),
        ("doc.txt", b"PK\x03\x04" + bytes(30), "ZIP"),
        ("paper.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        ("nul.txt", b"Some text\x00 with many\x00 NULs\x00\x00 in \x00the\x00 middle\x00 of\x00 it\x00", "NUL"),
        ("controls.txt", bytes([1, 2, 3, 4, 5, 6, 7, 8]) * 20 + b"text", "control"),
        ("high.txt", bytes([0x80, 0xFF, 0x81, 0xFE, 0xFF, 0x80, 0xFF]) * 9, "undecodable"),
        ("bad16.txt", b"\xff\xfe" + b"\x00\xd8\x41\x00", "undecodable"),
        ("open.md", "---\ntitle: x\n\nbody without a closing fence\n", "never closed"),
        ("bad.md", "---\ntitle: [unclosed\n---\nbody\n", "not valid YAML"),
        ("notext.json", json.dumps({"title": "x", "summary": "no text field"}), "no text field"),
        ("broken.json", '{"text": "x",', "invalid JSON"),
        ("scalar.json", "[1, 2]", "not an object"),
        ("markup-only.html", "<html><head><title>x</title><script>var a;</script></head><body></body></html>", "no text"),
    ],
)
def test_refusals(tmp_path: Path, name: str, data: bytes | str, reason: str) -> None:
    with pytest.raises(Refusal, match=reason) as caught:
        read(tmp_path, name, data)
    assert "\n" not in str(caught.value)


def test_default_max_bytes() -> None:
    assert DEFAULT_MAX_BYTES == 20 * 1024 * 1024


# -- hostile front matter ---------------------------------------------------------------


def _front(yaml_text: str) -> str:
    return f"---\n{yaml_text}---\n\n<p>{ZH_BODY}</p>\n"


@pytest.mark.parametrize(
    ("yaml_text", "reason"),
    [
        ('a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
         "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n", "anchor"),
        ("title: *undefined_alias\n", "alias"),
        ("title: !!python/object/apply:os.system ['echo pwned']\n", "tag"),
        ("title: !!python/name:os.system\n", "tag"),
        ("title: !!binary aGVsbG8=\n", "binary"),
        ("title: !custom value\n", "tag"),
        ("title: " + "[" * 1000 + "]" * 1000 + "\n", "brackets|nested"),
        ("title: " + "[" * 20 + "]" * 20 + "\n", "nested"),
        ("".join(" " * depth + "k:\n" for depth in range(300)), "nested"),
        ("- just\n- a list\n", "mapping"),
    ],
    ids=["alias-bomb", "alias", "python-apply", "python-name", "binary", "custom-tag", "flow-1000-deep",
         "flow-20-deep", "block-300-deep", "not-a-mapping"],
)
def test_hostile_front_matter_is_refused_quickly(tmp_path: Path, yaml_text: str, reason: str) -> None:
    started = time.perf_counter()
    with pytest.raises(Refusal, match=reason):
        read(tmp_path, "hostile.md", _front(yaml_text))
    assert time.perf_counter() - started < 2.0


def test_front_matter_values_stay_strings(tmp_path: Path) -> None:
    article = read_one(tmp_path, "p.md", _front("title: 2024-05-21\ndate: 2024-05-21 09:19:20\nauthor: 123\n"))
    assert article.title == "2024-05-21"
    assert article.author == "123"
    assert article.published == "2024-05-21T09:19:20"


# -- dates --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Thu, 06 Jan 2022 05:26:25 GMT", "2022-01-06T05:26:25+00:00"),
        ("2024-05-21 09:19:20", "2024-05-21T09:19:20"),
        ("June 2, 2021, 8:43 p.m.", "2021-06-02T20:43:00"),
        ("June 1, 2021, 9:15 a.m.", "2021-06-01T09:15:00"),
        ("2024-04-29T08:05:00+08:00", "2024-04-29T08:05:00+08:00"),
        ("2024-04-29T03:20:00Z", "2024-04-29T03:20:00+00:00"),
        ("2024年5月6日", "2024-05-06"),
        ("2024-05-07", "2024-05-07"),
    ],
)
def test_parse_date(value: str, expected: str) -> None:
    assert parse_date(value) == (expected, None)


@pytest.mark.parametrize(
    "value", ["Invalid Date", "99999999999999999999", "2024-02-30", "May 2021", "yesterday", "9" * 5000]
)
def test_bad_dates_are_missing_with_a_warning(value: str) -> None:
    iso, warning = parse_date(value)
    assert iso is None
    assert warning


@pytest.mark.parametrize("value", ["99999999999999999999", "2024-02-30", "Invalid Date"])
def test_bad_front_matter_date_is_missing_not_import_time(tmp_path: Path, value: str) -> None:
    article = read_one(tmp_path, "p.md", _front(f"title: x\ndate: {value}\n"))
    assert article.published is None
    assert "published" not in article.provenance
    assert any(value in warning for warning in article.warnings)


def test_invalid_front_matter_date_falls_back_to_time_in_body(tmp_path: Path) -> None:
    body = (
        '<div class="g-article-top"><h1><!-- <a href="#">old headline</a> -->订车、开锁、社群</h1>'
        '<p class="u-time"><span class="source">每日经济新闻</span>'
        '<span class="time">\n            2021-07-13 13:03:59\n          </span></p></div>'
        f"<p>{ZH_BODY}</p>"
    )
    article = read_one(tmp_path, "p.md", f"---\ntitle: 汽车APP\ndate: Invalid Date\n---\n{body}")
    assert article.published == "2021-07-13T13:03:59"
    assert article.provenance["published"] == "body"
    assert "old headline" not in article.clean_text


# -- chrome -----------------------------------------------------------------------------------


def test_chrome_lines_are_removed_and_kept_aside(tmp_path: Path) -> None:
    document = "\n\n".join(
        [
            "Headline of the story",
            EN_BODY,
            "- END -",
            "Leave a comment",
            "Tags: tesla, china",
            "Comments (34)",
            EN_BODY.replace("Tesla", "The company"),
            "You may also like",
            "Some other story",
            "Yet another story",
        ]
    )
    article = read_one(tmp_path, "chrome.txt", document)
    assert article.clean_text == f"Headline of the story\n\n{EN_BODY}\n\n{EN_BODY.replace('Tesla', 'The company')}"
    assert [(r.kind, r.text) for r in article.removed] == [
        ("related articles", "You may also like\nSome other story\nYet another story"),
        ("end marker", "- END -"),
        ("comment prompt", "Leave a comment"),
        ("tags", "Tags: tesla, china"),
        ("comment prompt", "Comments (34)"),
    ]


def test_related_heading_early_in_text_is_not_a_tail(tmp_path: Path) -> None:
    document = f"Title\n\n相关阅读\n\n{ZH_BODY}\n\n{ZH_BODY}\n\n{ZH_BODY}\n"
    article = read_one(tmp_path, "early.txt", document)
    assert article.clean_text.count(ZH_BODY) == 3


def test_sentences_mentioning_chrome_words_are_kept(tmp_path: Path) -> None:
    document = (
        "Title\n\n网友在评论区表示，相关文章已经被删除。\n\n"
        "The end of the combustion engine is near, he said.\n\n我要评论一下这件事的意义。\n"
    )
    article = read_one(tmp_path, "keep.txt", document)
    assert article.removed == []
    assert article.clean_text == document.strip()


def test_entities_are_decoded_exactly_once(tmp_path: Path) -> None:
    article = read_one(
        tmp_path, "e.html", "<html><body><p>&amp;lt;b&amp;gt; &lt;i&gt; &amp;amp; &#123;x&#125; &nbsp;y</p></body></html>"
    )
    assert article.clean_text == "&lt;b&gt; <i> &amp; {x} \u00a0y"


def test_plain_text_entities_are_not_decoded(tmp_path: Path) -> None:
    article = read_one(tmp_path, "t.txt", "Title\n\nAT&amp;T &lt;b&gt; stays as written.\n")
    assert "AT&amp;T &lt;b&gt; stays as written." in article.clean_text


def test_newlines_are_normalised(tmp_path: Path) -> None:
    article = read_one(tmp_path, "crlf.txt", "Title  \r\n\r\n\r\n\r\nLine one.   \rLine two.\t\r\n\r\n")
    assert article.clean_text == "Title\n\nLine one.\nLine two."


# -- hostile text -------------------------------------------------------------------------------


def test_markup_escapes_and_bidi_stay_verbatim(tmp_path: Path) -> None:
    hostile = "[/] [@click=app.quit]x[/] \x1b[31mred\x1b[0m \u202eevil\u202c \u2066iso\u2069 [link=file:///etc/passwd]x[/]"
    article = read_one(tmp_path, "h.txt", f"{hostile}\n\n{EN_BODY}\n")
    assert article.title == hostile
    assert article.clean_text.startswith(hostile)
    page = read_one(tmp_path, "h.html", f"<html><body><p>{hostile}</p></body></html>")
    assert page.clean_text == hostile


def test_hostile_front_matter_values_are_data(tmp_path: Path) -> None:
    title = "'[@click=app.quit]x[/] 特\u200b斯拉 \u2066北京\u2069 [/]'"
    article = read_one(tmp_path, "[b]name[@click=app.quit]x.md", _front(f"title: {title}\nauthor: '[i]匿名[/i]'\n"))
    assert article.title == "[@click=app.quit]x[/] 特\u200b斯拉 \u2066北京\u2069 [/]"
    assert article.author == "[i]匿名[/i]"


@pytest.mark.parametrize(
    "data",
    [
        b"a" * (5 * 1024 * 1024),
        ("特斯拉" * (1024 * 1024)).encode(),
        b"<html><body><p>" + b"x" * (5 * 1024 * 1024) + b"<!--",
        b">>1 " * (1024 * 1024),
        b"-".join([b"ab"] * (1024 * 1024)),
        b"Published: " + b"1" * (1024 * 1024),
        b"Anonymous ID: " + b"a " * (1024 * 1024),
    ],
    ids=["ascii-line", "han-line", "unclosed-comment", "reply-refs", "dashes", "header-like", "poster-like"],
)
def test_huge_single_lines_are_linear(tmp_path: Path, data: bytes) -> None:
    started = time.perf_counter()
    read(tmp_path, "huge.txt", data)
    assert time.perf_counter() - started < 10.0


def test_deep_json_is_refused(tmp_path: Path) -> None:
    with pytest.raises(Refusal, match="nested too deeply"):
        read(tmp_path, "deep.json", "[" * 100_000 + "]" * 100_000)


# -- input files ------------------------------------------------------------------------------------


def test_iter_input_files(tmp_path: Path) -> None:
    for name in ("b/2.txt", "b/1.md", "a.txt", ".hidden.txt", ".git/config", "b/.DS_Store", "c/d/e.json"):
        target = tmp_path / "in" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("x")
    single = tmp_path / ".explicit.txt"
    single.write_text("x")
    found = list(iter_input_files([tmp_path / "in", str(single), tmp_path / "in" / "a.txt"]))
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "in/a.txt", "in/b/1.md", "in/b/2.txt", "in/c/d/e.json", ".explicit.txt",
    ]
    with pytest.raises(FileNotFoundError):
        list(iter_input_files([tmp_path / "missing"]))


# -- the real corpus (../shared) ---------------------------------------------------------------------


def _corpus_files() -> list[Path]:
    return list(iter_input_files([SHARED / "seeds", SHARED / "corpus" / "hexo", SHARED / "corpus" / "en"]))


def _seed(prefix: str) -> ParsedArticle:
    (path,) = (SHARED / "seeds").glob(f"{prefix}_*")
    (article,) = read_document(str(path), path.read_bytes())
    return article


@pytest.mark.corpus
def test_corpus_reads_without_refusal() -> None:
    files = _corpus_files()
    assert len(files) == 49
    for path in files:
        (article,) = read_document(str(path), path.read_bytes())
        assert article.title, path
        assert article.clean_text, path
        assert article.language in ("zh", "en", "mixed"), path
        assert "\ufffd" not in article.clean_text, path
        assert "<p" not in article.clean_text and "</div>" not in article.clean_text, path
        assert_provenance_is_complete(article)
        if path.parent.name in ("hexo", "en"):
            assert article.format == "markdown", path
            assert article.published and article.published.startswith("20"), path
            assert article.site, path


@pytest.mark.corpus
def test_seed_000_header_advert_and_tail() -> None:
    article = _seed("000")
    assert article.format == "text"
    assert article.title == "布林肯前脚刚走,马斯克随即访华,请求中方允许向美转移汽车数据"
    assert article.published == "2024-05-21T09:19:20"
    assert article.author == "玩站小弟"
    assert article.language == "zh"
    kinds = [r.kind for r in article.removed]
    assert {"header line", "advert", "related articles", "latest comments", "tags"} <= set(kinds)
    assert "成都嫩茶" not in article.clean_text
    assert "相关文章" not in article.clean_text and "吴淞大桥" not in article.clean_text
    # the credit lines are chrome since 11B's rule (kept, with their text, as removed)
    assert ("credit line", "信息来源:环球网-马斯克推迟访印数日后突然来华,印媒关注(2024.4.29)") in [
        (r.kind, r.text) for r in article.removed]
    assert "信息来源" not in article.clean_text
    assert article.clean_text.rstrip().endswith("我们也非常期待那天的到来。")
    # the title's fragments pushed into the first paragraphs are SEO spam, removed with their offsets
    fragments = [r for r in article.removed if r.kind == "seo fragment"]
    assert len(fragments) == 14 and all(r.offset is not None for r in fragments)
    assert "2024年4月26日,布林肯二次访华结束,此次访华并没有达到他想要的目的," in article.clean_text


@pytest.mark.corpus
def test_seed_001_forum() -> None:
    article = _seed("001")
    assert article.format == "forum"
    assert article.language == "en"
    assert article.published == "2021-06-02T20:43:00"
    assert article.url == "https://www.zerohedge.com/technology/tesla-establishes-data-center-china-all-data-be-kept-china"
    assert article.provenance["url"] == "body url"
    assert ">>" not in article.clean_text
    assert article.title == "Tesla Establishes Data Center In China, With All Data To Be Kept In China"


@pytest.mark.corpus
def test_seed_002_undated() -> None:
    article = _seed("002")
    assert article.language == "zh"
    assert article.published is None
    assert article.title.startswith("马斯克在近期某档播客节目中")


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("prefix", "published"), [("003", "2022-01-06T05:26:25+00:00"), ("004", "2022-02-15T03:48:00+00:00")]
)
def test_seed_markdown(prefix: str, published: str) -> None:
    article = _seed(prefix)
    assert article.format == "markdown"
    assert article.published == published
    assert article.provenance["published"] == "front matter"
    if prefix == "004":
        assert "－ End －" not in article.clean_text
        assert ("end marker", "－ End －") in [(r.kind, r.text) for r in article.removed]
        assert article.clean_text.endswith("原文标题\u00a0:\u00a0全面上云，助力汽车行业带来深刻变革")  # NBSPs kept verbatim


@pytest.mark.corpus
def test_corpus_invalid_date_uses_the_body_time() -> None:
    path = SHARED / "corpus" / "hexo" / "汽车APP功能愈发丰富，但这一隐患不容忽视.md"
    (article,) = read_document(str(path), path.read_bytes())
    assert article.published == "2021-07-13T13:03:59"
    assert article.provenance["published"] == "body"


# -- the bundled fixtures (fixtures/, in the repository) -------------------------------------------

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

# file -> (format, encoding, title start, published, author, language), as fixtures/README.md states.
FIXTURE_EXPECTATIONS = {
    "a1_forum_tesla_data_centre.txt": ("forum", "utf-8", "Tesla Says Chinese Car Data Now Stays In Shanghai", "2021-06-01T09:15:00", "Anonymous", "en"),
    "a2_chetan_tesla_shanghai_data_centre.md": ("markdown", "utf-8", "特斯拉在上海建成数据中心", "2021-05-26T03:15:00+00:00", "车坛快讯", "zh"),
    "a2_dup_zhijia_tesla_shanghai_data_centre.md": ("markdown", "utf-8", "特斯拉上海数据中心建成", "2021-05-26T06:40:00+00:00", "智驾前沿编辑部", "zh"),
    "a3_tw_repost_tesla_data_centre.big5.txt": ("text", "big5", "特斯拉在上海設資料中心", "2021-05-29T14:02:11", "國際中心 綜合報導", "zh"),
    "a4_en_tesla_shanghai_data_centre.html": ("html", "utf-8", "Tesla opens Shanghai data centre to keep Chinese car data in China", "2021-05-27T08:30:00+00:00", "Priya Natarajan", "en"),
    "b1_musk_beijing_header.txt": ("text", "utf-8", "马斯克闪电访华", "2024-04-30T10:12:05", "老周看车", "zh"),
    "b2_en_musk_beijing_caam.html": ("html", "utf-8", "Musk's surprise Beijing trip: Tesla clears China data-security check", "2024-04-29T06:10:00+00:00", "Daniel Okafor", "en"),
    "b3_musk_beijing_fleet.gbk.txt": ("text", "gb18030", "特斯拉过检背后", "2024-04-29T21:40:33", "数智汽车观察", "zh"),
    "b5_app_caam_check.json": ("json", "utf-8", "中国汽车工业协会:特斯拉等车型符合汽车数据安全要求", "2024-04-29T08:05:00+08:00", "快讯编辑 林晓", "zh"),
    "b6_en_byline_musk_beijing.txt": ("text", "utf-8", "Musk's Sunday trip to Beijing clears a hurdle", "2024-04-29T07:45:00+00:00", "Martin Hale", "en"),
    "b7_fsd_price_flash.utf16le.txt": ("text", "utf-16-le", "快讯|特斯拉下调FSD美国售价", "2024-04-23T08:30:00", None, "zh"),
    "c1_byd_april_sales.utf8bom.txt": ("text", "utf-8-sig", "比亚迪4月新能源汽车销量30万辆", "2024-05-01T18:20:00", "陈静", "zh"),
    "c2_huawei_harmony_cockpit_invalid_date.md": ("markdown", "utf-8", "华为鸿蒙座舱上车新款SUV，车机体验能否成为卖点？", None, "数智汽车观察", "zh"),
    "d1_opinion_undated.txt": ("text", "utf-8", "我们真的需要担心汽车数据出境吗?", None, None, "zh"),
    "hostile [b]name[@click=app.quit]x.md": ("markdown", "utf-8", "[@click=app.quit]x[/]", "2024-04-29T12:00:00+00:00", "[i]匿名[/i] \u202e者作\u202c", "zh"),
    "hostile_escapes_byline.txt": ("text", "utf-8", "Tesla \x1b[31mpasses", "2024-04-30T09:00:00+00:00", "\u2066Ann\u2069 [@click=app.quit]Lee[/]", "en"),
}


@pytest.mark.parametrize("name", sorted(FIXTURE_EXPECTATIONS))
def test_bundled_fixture_metadata(name: str) -> None:
    path = FIXTURES / name
    (article,) = read_document(str(path), path.read_bytes())
    fmt, encoding, title, published, author, language = FIXTURE_EXPECTATIONS[name]
    assert (article.format, article.encoding) == (fmt, encoding)
    assert article.title.startswith(title)
    assert (article.published, article.author, article.language) == (published, author, language)
    assert_provenance_is_complete(article)


def test_bundled_jsonl_fixture() -> None:
    path = FIXTURES / "b4_wire_feed.jsonl"
    articles = read_document(str(path), path.read_bytes())
    assert [(a.record, a.published, a.author, a.language) for a in articles] == [
        (1, "2024-04-29T03:20:00+00:00", "Harbor Line staff", "en"),
        (2, "2024-05-02T08:05:00", None, "en"),
        (3, "2024-05-07", "哈伯线中文", "zh"),
    ]


@pytest.mark.parametrize(
    ("name", "chrome"),
    [
        ("b1_musk_beijing_header.txt", "比亚迪4月销量30万辆 海外市场继续放量"),
        ("b1_musk_beijing_header.txt", "昆明旅游攻略"),
        ("b2_en_musk_beijing_caam.html", "BYD's April deliveries top 300,000"),
        ("b2_en_musk_beijing_caam.html", "Compare EV insurance quotes"),
        ("b2_en_musk_beijing_caam.html", "ShareTweetEmail"),
        ("b2_en_musk_beijing_caam.html", "Newsletter"),
        ("a4_en_tesla_shanghai_data_centre.html", "China drafts rules on car data collection"),
        ("a4_en_tesla_shanghai_data_centre.html", "Lease a new EV"),
        ("a3_tw_repost_tesla_data_centre.big5.txt", "電動車補助新制上路"),
        ("b6_en_byline_musk_beijing.txt", "Comments (34)"),
    ],
)
def test_bundled_fixture_chrome_is_removed(name: str, chrome: str) -> None:
    path = FIXTURES / name
    (article,) = read_document(str(path), path.read_bytes())
    assert chrome not in article.clean_text
    assert any(chrome in removed.text for removed in article.removed)


@pytest.mark.parametrize("path", sorted((FIXTURES / "bad").iterdir()), ids=lambda p: p.name)
def test_bundled_bad_fixtures_are_refused(path: Path) -> None:
    with pytest.raises(Refusal):
        read_document(str(path), path.read_bytes())


def test_ingest_does_not_import_the_terminal_stack() -> None:
    import subprocess
    import sys

    code = "import sys, workbench.ingest; print('textual' in sys.modules or 'rich' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            cwd=Path(__file__).resolve().parents[1])
    assert result.stdout.strip() == "False"


def test_lone_surrogate_escape_in_json_is_replaced_with_a_warning(tmp_path: Path) -> None:
    # Valid JSON syntax, but not encodable text: kept visible (U+FFFD) and flagged, never silent.
    article = read_one(tmp_path, "s.json", '{"title": "a \\ud800 b", "text": "Body \\udfff here."}')
    assert article.title == "a \ufffd b"
    assert article.clean_text == "Body \ufffd here."
    assert any("lone surrogate" in warning for warning in article.warnings)


def test_a_number_in_the_text_field_is_imported_as_text_with_a_warning(tmp_path: Path) -> None:
    article = read_one(tmp_path, "n.json", json.dumps({"text": 123456}))
    assert article.clean_text == "123456"
    assert any("holds a number" in w for w in article.warnings)


def test_a_record_that_is_only_a_url_is_kept(tmp_path: Path) -> None:
    article = read_one(tmp_path, "u.json", json.dumps({"text": "http://testurl.Awesome.com"}))
    assert article.clean_text == "http://testurl.Awesome.com"
    assert any("page chrome" in w for w in article.warnings)


def test_an_isolated_nul_byte_becomes_u_fffd_with_a_warning(tmp_path: Path) -> None:
    article = read_one(tmp_path, "nul.txt", b"Some text\x00 with a NUL in the middle of it, and more text after it.")
    assert "\x00" not in article.clean_text and "text\ufffd with" in article.clean_text
    assert "1 NUL byte(s) in the text replaced with U+FFFD" in article.warnings


def test_latin1_and_cp1252_are_decoded_not_refused(tmp_path: Path) -> None:
    article = read_one(tmp_path, "latin1.txt", "Voil\u00e0 le caf\u00e9 ferm\u00e9 \u00e0 Paris.".encode("latin-1"))
    assert article.clean_text == "Voil\u00e0 le caf\u00e9 ferm\u00e9 \u00e0 Paris."
    assert article.encoding == "cp1252" and article.encoding_source.startswith("charset-normalizer: cp1252")
