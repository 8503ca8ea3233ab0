"""Page chrome: the parts of a saved page that are not the article.

Every rule here works on whole lines and is deliberately conservative: a
line is removed only when all of it is chrome (a comment prompt, an "End"
marker, a tag list, a run of forum reply references, a credit or
republication line, ...), and a "related
articles" tail is cut only when its heading stands alone in the second half
of the text.  Whatever is removed is returned as :class:`Removed` so nothing
is lost and a reviewer can see what was taken out.

All patterns are anchored and applied to lines of bounded length, so a
50 MB single-line file costs one length check, not a regex scan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from workbench.model import Removed

MAX_CHROME_LINE = 300  # chrome lines are short; longer lines are never touched

_DECORATION = " \t\u00a0\u3000•·‧・*-–—－=_~#>»›【】[]()（）<>《》:：.。!！?？|｜"

COMMENT_PROMPTS = frozenset(
    {
        "我要评论", "发表评论", "评论", "网友评论", "查看评论", "参与评论", "写评论", "我来说两句",
        "发表我的评论", "点击评论", "leave a comment", "leave a reply", "post a comment",
        "add a comment", "add comment", "join the discussion", "comment", "comments",
        # traditional Chinese
        "我要評論", "發表評論", "評論", "網友評論", "查看評論", "參與評論", "寫評論",
    }
)
RELATED_HEADINGS = frozenset(
    {
        "相关文章", "相关阅读", "相关推荐", "相关新闻", "相关报道", "延伸阅读", "推荐阅读", "猜你喜欢",
        "热门推荐", "热门文章", "更多精彩", "为你推荐", "related articles", "related posts",
        "related stories", "related news", "related content", "related reading", "related",
        "you may also like", "you might also like", "recommended for you", "more stories",
        "read more", "read next", "more from this author",
        "相關文章", "相關閱讀", "相關推薦", "相關新聞", "相關報導", "延伸閱讀", "推薦閱讀", "猜你喜歡", "熱門推薦",
    }
)
COMMENT_HEADINGS = frozenset(
    {
        "最新评论", "热门评论", "全部评论", "精彩评论", "最新評論", "熱門評論", "全部評論", "精彩評論",
        "latest comments", "recent comments", "top comments",
    }
)

_COMMENT_COUNT = re.compile(
    r"^(?:\d{1,7}\s*(?:条评论|條評論|comments?)|(?:comments?|评论|評論)\s*[(（]\d{1,7}[)）])$", re.IGNORECASE
)
_TAG_LINE = re.compile(r"^[\s•·‧・*\-]*(?:tags?|标签|標籤|关键词|關鍵詞|关键字)\s*[:：]", re.IGNORECASE)
# A one-line list of other stories: "Related: A | B", "相关阅读：...".
_RELATED_LINE = re.compile(
    r"^(?:related(?:\s+(?:articles|stories|posts))?|see also|read more|more|相关阅读|相关文章|延伸阅读|推荐阅读"
    r"|相關閱讀|相關文章|延伸閱讀|推薦閱讀)\s*[:：]\s*\S",
    re.IGNORECASE,
)
_END_MARKER = re.compile(r"^[\W_]{0,10}(?:the\s+end|end|全文完|完)[\W_]{0,10}$", re.IGNORECASE)
_REPLY_REFS_LINE = re.compile(r"^(?:>>\d{1,12}[ \t\u00a0]*)+$")
_REPLY_REFS_PREFIX = re.compile(r"^(?:>>\d{1,12}[ \t\u00a0]*)+(?=\S)")
_APP_ADVERT = re.compile(r"^.{0,30}(?:尽在|下载|打开|关注).{0,20}(?:APP|App|app|客户端)[。！!]?$")
# A labelled advert or promo: "Advertisement: ...", "Sponsored — ...", "广告：...".
_AD_LABEL = re.compile(r"^(?:advertisement|advertising|sponsored|promoted|广告|推广)(?:\s*[:：·—–|\-]|$)", re.IGNORECASE)
# A row of share buttons: "ShareTweetEmail", "Share | Facebook | Twitter", "分享到 微信 微博".
_SHARE_ROW = re.compile(
    r"^(?:(?:share|tweet|email|facebook|twitter|whatsapp|linkedin|reddit|print|copy link|分享到|分享|微信|微博|qq空间)"
    r"[\s|·,/:：]*){2,}$",
    re.IGNORECASE,
)
_LABELLED = re.compile(
    "|".join(
        f"(?P<{name}>{pattern.pattern})"
        for name, pattern in (("tags", _TAG_LINE), ("related", _RELATED_LINE), ("ad", _AD_LABEL), ("share", _SHARE_ROW))
    ),
    re.IGNORECASE,
)
_LABELLED_KINDS = {"tags": "tags", "related": "related articles", "ad": "advert", "share": "share links"}
_LABELLED_LIMITS = {"tags": MAX_CHROME_LINE, "related": MAX_CHROME_LINE, "ad": 160, "share": 80}
_SOURCE_URL = re.compile(
    r"^(?:(?:source|via|原文链接|原文地址|来源|链接|本文链接)\s*[:：]?\s*)?(https?://[^\s<>\"']{4,2000})$",
    re.IGNORECASE,
)
# Credit and republication lines: who the article came from, not what it says.
# Anchored at the line start and only whole short lines, so a claim that cites
# a source ("据路透社报道，...", "According to Reuters, ...") is never touched.
_CREDIT = re.compile(
    r"^(?:"
    # 本文来自微信公众号“…”，作者：…，36氪经授权发布。 / 编者按：本文来自… / 本文来源：智车科技
    r"(?:编者按\s*[:：]\s*)?本文(?:来自|來自|来源|來源|转载自|轉載自|转自|轉自|首发于|首發於|原载于|原載於)"
    # 信息来源:环球网-… / 来源：百度官方 / 消息来源：…
    r"|(?:信息|消息|新闻|新聞|文章|内容|內容)?(?:来源|來源|出处|出處)\s*[:：]"
    r"|转载(?:自|于|请|請)|轉載(?:自|於|请|請)"
    r"|(?:source|sources|via|credit|courtesy)\s*:"
    r"|(?:this\s+(?:article|story|post|piece)\s+(?:was|is|has\s+been)\s+)?"
    r"(?:originally|first)\s+(?:published|appeared|posted)\s+(?:on|in|at|by)\b"
    r"|(?:republished|reprinted|reposted|cross-posted)\s+(?:with\s+permission\s+)?(?:from|by|courtesy|with)\b"
    r")"
    r"|经授权发布[。.]?$|經授權發布[。.]?$",
    re.IGNORECASE,
)
_CREDIT_MAX = 240
_COPYRIGHT = re.compile(r"^[＊*]?(?:版权声明|版權聲明|版权所有|版權所有|copyright\s*(?:notice)?\s*[:：©]|©)", re.IGNORECASE)
# Editor and image credits: a label and a name, nothing else.
_EDITOR_LINE = re.compile(r"^(?:责任编辑|責任編輯|责编|責編|审校|審校|校对|校對|编辑|編輯)\s*[:：]\s*[^，。,.;；!！?？]{1,24}$")
_IMAGE_CREDIT = re.compile(
    r"^(?:图片来源|圖片來源|图源|圖源|截图来源|截圖來源|封面图片来源|封面來源|image\s+(?:source|credit)|photo\s+credit)"
    r"\s*[:：]\s*[^。!！?？]{1,40}$",
    re.IGNORECASE,
)
_KEYWORD_SPLIT = re.compile(r"[-|｜_/、]")
_SENTENCE_PUNCT = re.compile(r"[，,；;：:！!？?“”\"'（）()\s]")


@dataclass
class ChromeResult:
    text: str
    removed: list[Removed] = field(default_factory=list)
    source_url: str | None = None


def line_key(line: str) -> str:
    """A line reduced to its words: decoration and case removed."""
    return line.strip(_DECORATION).strip().lower()


def is_keyword_line(line: str) -> bool:
    """SEO keyword lines: ``成都嫩茶-成都品茶大全-成都品茶外卖。``.

    Three or more short, punctuation-free parts joined by dashes or bars, at
    least two of which share their first two characters (the repeated
    keyword stem is what separates this from "北京-上海-广州").
    """
    stripped = line.strip().rstrip("。.")
    if not stripped or len(stripped) > 80:
        return False
    parts = _KEYWORD_SPLIT.split(stripped)
    if len(parts) < 3 or any(not 2 <= len(p) <= 14 or _SENTENCE_PUNCT.search(p) for p in parts):
        return False
    stems = [p[:2] for p in parts]
    return len(set(stems)) < len(stems)


def strip_chrome(text: str) -> ChromeResult:
    """Remove page chrome from clean text (lines separated by ``\\n``)."""
    lines = text.split("\n")
    result = ChromeResult(text="")

    # 1. A trailing source URL line ("https://..." alone as the last line).
    last = _last_nonempty(lines)
    if last is not None and len(lines[last]) <= 2100:
        match = _SOURCE_URL.match(lines[last].strip())
        if match:
            result.source_url = match.group(1)
            result.removed.append(Removed("source url", lines[last].strip()))
            del lines[last:]

    # 2. "Related articles" / "Latest comments" tail, cut to the end.
    lines = _cut_tail(lines, result.removed)

    # 3. Whole-line chrome anywhere in the text.
    kept: list[str] = []
    for line in lines:
        kind = _line_kind(line)
        if kind is None:
            kept.append(line)
            continue
        if kind == "reply prefix":
            match = _REPLY_REFS_PREFIX.match(line)
            assert match is not None
            result.removed.append(Removed("reply references", match.group().strip()))
            kept.append(line[match.end():])
            continue
        result.removed.append(Removed(kind, line.strip()))
    result.text = "\n".join(kept)
    return result


def _line_kind(line: str) -> str | None:
    # This runs on every line of every article: one combined match for the
    # labelled kinds, and the short-line checks only for short lines.
    if len(line) > MAX_CHROME_LINE:
        return None
    stripped = line.strip()
    if not stripped:
        return None
    if stripped.startswith(">>"):
        if _REPLY_REFS_LINE.match(stripped):
            return "reply references"
        if _REPLY_REFS_PREFIX.match(stripped):
            return "reply prefix"
    size = len(stripped)
    if size <= 40:
        if line_key(stripped) in COMMENT_PROMPTS or _COMMENT_COUNT.match(stripped):
            return "comment prompt"
        if size <= 30 and _END_MARKER.match(stripped):
            return "end marker"
    match = _LABELLED.match(stripped)
    if match is not None:
        kind = match.lastgroup
        if size <= _LABELLED_LIMITS[kind]:
            return _LABELLED_KINDS[kind]
    kind = _credit_kind(stripped, size)
    if kind is not None:
        return kind
    if size <= 60 and ("app" in stripped or "APP" in stripped or "App" in stripped or "客户端" in stripped):
        if _APP_ADVERT.match(stripped):
            return "advert"
    return None


def _credit_kind(stripped: str, size: int) -> str | None:
    """The kind of a whole credit line ("credit line", "editor line", "image credit", "copyright notice")."""
    if size <= 60:
        if _EDITOR_LINE.match(stripped):
            return "editor line"
        if _IMAGE_CREDIT.match(stripped):
            return "image credit"
    if size <= _CREDIT_MAX:
        if _CREDIT.search(stripped):
            return "credit line"
        if _COPYRIGHT.match(stripped):
            return "copyright notice"
    return None


def _cut_tail(lines: list[str], removed: list[Removed]) -> list[str]:
    total = sum(len(line) for line in lines) or 1
    seen = 0
    for index, line in enumerate(lines):
        if seen >= 0.4 * total and len(line) <= 60 and _tail_kind(line):
            _record_tail(lines[index:], removed)
            return lines[:index]
        seen += len(line)
    return lines


def _tail_kind(line: str) -> str | None:
    key = line_key(line)
    if key in RELATED_HEADINGS:
        return "related articles"
    if key in COMMENT_HEADINGS:
        return "latest comments"
    return None


def _record_tail(tail: list[str], removed: list[Removed]) -> None:
    """Record a cut tail, one :class:`Removed` per section heading."""
    kind, section = None, []
    for line in tail:
        new_kind = _tail_kind(line) if len(line) <= 60 else None
        if new_kind:
            if kind:
                removed.append(Removed(kind, _join(section)))
            kind, section = new_kind, [line]
        else:
            section.append(line)
    if kind:
        removed.append(Removed(kind, _join(section)))


def _join(lines: list[str]) -> str:
    return "\n".join(line.strip() for line in lines if line.strip())


def _last_nonempty(lines: list[str]) -> int | None:
    for index in range(len(lines) - 1, -1, -1):
        if lines[index].strip():
            return index
    return None
