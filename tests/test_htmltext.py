"""HTML through the real HTML5 parser (selectolax/Lexbor): chrome removed as elements and recorded, metadata, linear cost."""

from __future__ import annotations

import pytest

from workbench.ingest.htmltext import MAX_BLOCK_DEPTH, html_to_text
from workbench.ingest.reader import read_document
from workbench.model import Refusal

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Tesla in Beijing</title>
<meta property="article:published_time" content="2024-04-28T10:00:00+08:00">
<body>
<header><a href="/">Daily Car Watch</a><nav><a>Home</a> <a>EV</a> <a>Markets</a></nav></header>
<main><article>
<h1>Musk visits Beijing</h1>
<p>Elon Musk arrived in Beijing on Sunday, the company said.
<p>Tesla sold 1,000 cars in April. <b>Shares</b> rose 15%.
<div class="ad-slot"><p>Buy a car now!</p></div>
<aside><h3>Most read</h3><ul><li>BYD sales rise 20%</li></ul></aside>
</article></main>
<form><input name=q><button>Search</button></form>
<footer>Copyright 2024 Daily Car Watch</footer>
<script>window.track("x < y")</script><style>p { color: red }</style><noscript>Enable JS</noscript>
</body></html>"""


def test_chrome_is_removed_as_elements_and_recorded_with_its_text():
    doc = html_to_text(PAGE)
    assert doc.text == ("Musk visits Beijing\n\nElon Musk arrived in Beijing on Sunday, the company said.\n\n"
                        "Tesla sold 1,000 cars in April. Shares rose 15%.")
    assert doc.removed == [
        ("page header", "Daily Car Watch Home EV Markets"),
        ("advert", "Buy a car now!"),
        ("aside", "Most read BYD sales rise 20%"),
        ("form", "Search"),
        ("page footer", "Copyright 2024 Daily Car Watch"),
        ("script", 'window.track("x < y")'),
        ("style", "p { color: red }"),
        ("noscript", "Enable JS"),
    ]


def test_most_read_in_an_aside_is_not_a_claim_of_the_article():
    (article,) = read_document("page.html", PAGE.encode())
    assert "BYD" not in article.clean_text
    assert ("aside", "Most read BYD sales rise 20%") in [(r.kind, r.text) for r in article.removed]
    assert article.title == "Tesla in Beijing" and article.published == "2024-04-28T10:00:00+08:00"


def test_a_valid_html5_page_without_head_or_body_end_tags_is_read():
    page = ("<!DOCTYPE html><html><head><title>No closing head</title><meta name=author content='Li Wei'>"
            "<p>Geely said on Monday that its new chip is ready.<p>It will ship in 2025.")
    (article,) = read_document("x.html", page.encode())
    assert article.clean_text == "Geely said on Monday that its new chip is ready.\n\nIt will ship in 2025."
    assert article.author == "Li Wei"


def test_an_unclosed_nav_does_not_swallow_the_article():
    page = ("<html><body><nav><a>Home</a> <a>News</a>"
            "<article><h1>Title</h1><p>The body of the article, which must survive.</p></article></body></html>")
    doc = html_to_text(page)
    assert "The body of the article, which must survive." in doc.text


def test_ad_containers_are_found_by_class_or_id_tokens_not_substrings():
    doc = html_to_text('<p>Keep <span class="header-title">this</span>.</p><div id="sidebar-ads">Ad text</div>'
                       '<ins class="adsbygoogle">x</ins><div class="shadow read">Also kept.</div>')
    assert doc.text == "Keep this.\n\nAlso kept."
    assert [kind for kind, _ in doc.removed] == ["advert", "advert"]


def test_entities_are_decoded_once_and_pre_keeps_its_lines():
    doc = html_to_text("<p>&amp;lt;b&amp;gt; is &lt;b&gt;</p><pre>a\n  b</pre>")
    assert doc.text == "&lt;b&gt; is <b>\n\na\n  b"


def test_the_240_kb_nested_time_page_is_read():
    doc = html_to_text("<html><body>" + "<time>a " * 30000 + "</body></html>")
    assert doc.text.count("a") == 30000 and len(doc.time_texts) <= 100


def test_block_nesting_beyond_the_limit_is_refused_before_parsing():
    with pytest.raises(Refusal, match="more than 2,000 deep"):
        html_to_text("<div>a " * (MAX_BLOCK_DEPTH + 1))
    assert html_to_text("<div>a </div>" * 50_000).text.count("a") == 50_000  # many, not deep: fine


def test_the_declared_charset_is_reported():
    assert html_to_text('<meta charset="windows-1252"><p>x').charset == "windows-1252"
    assert html_to_text('<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS"><p>x').charset == "Shift_JIS"
