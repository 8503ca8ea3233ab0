"""Text normalisation and tokens for comparing statements.

Two statements of the same claim differ in superficial ways: full-width versus
half-width characters, case, traditional versus simplified Chinese, spacing.
:func:`normalise` folds those away; :func:`tokens` then cuts the text into the
units that are compared: character bigrams for runs of CJK characters (Chinese
has no spaces, and bigrams are the usual robust unit for it) and words for
Latin text, with a few English function words left out so that two unrelated
English sentences do not look alike just because both say "the" and "of".
"""

from __future__ import annotations

import re
import unicodedata

# Traditional -> simplified for the common characters that differ. A full
# conversion table (OpenCC) is thousands of entries; news statements use a
# small core, and a miss only lowers a similarity a little, never breaks it.
_TRAD_SIMP_PAIRS = """
國国 車车 華华 為为 馬马 據据 說说 萬万 億亿 電电 這这 個个 們们 來来 時时 會会 對对
發发 經经 過过 還还 與与 後后 產产 開开 關关 將将 業业 際际 長长 問问 題题 進进 實实
現现 動动 點点 當当 種种 應应 數数 統统 總总 區区 輛辆 價价 報报 務务 義义 變变 從从
讓让 門门 東东 資资 傳传 聲声 頭头 無无 體体 氣气 機机 構构 條条 場场 認认 議议 論论
銷销 費费 營营 險险 節节 計计 則则 導导 駛驶 駕驾 廠厂 級级 線线 網网 絡络 裝装 買买
賣卖 貨货 幣币 銀银 錢钱 員员 稱称 聯联 證证 監监 紀纪 記记 錄录 顯显 歲岁 專专 戰战
爭争 軍军 選选 舉举 黨党 權权 財财 鐵铁 廣广 灣湾 陸陆 臺台 鄉乡 縣县 組组 織织 處处
醫医 療疗 藥药 衛卫 學学 師师 書书 輸输 運运 額额 漲涨 約约 極极 領领 黃黄 週周 蘋苹
較较 隨随 雲云 驗验 測测 試试 調调 顧顾 強强 續续 佈布 麼么 嗎吗 樣样 並并 於于 裡里
裏里 歷历 紅红 綠绿 藍蓝 圖图 標标 準准 環环 護护 韓韩 輕轻 歐欧 亞亚 衝冲 擊击 壓压
剛刚 辦办 紙纸 筆笔 詞词 語语 譯译 讀读 寫写 聽听 覺觉 親亲 愛爱 錯错 誤误 確确 謠谣
闢辟 訊讯 聞闻 號号 碼码 億亿 宣宣 佈布 輛辆 萬万 續续 銷销 於于 據据 示示 稅税 損损
虧亏 勢势 態态 減减 億亿 樓楼 廈厦 鏈链 軟软 硬硬 罰罚 訴诉 訟讼 將将 獲获 億亿 標标
""".split()

_TRAD_TO_SIMP: dict[int, str] = {}
for _pair in _TRAD_SIMP_PAIRS:
    if _pair[0] != _pair[1]:
        _TRAD_TO_SIMP[ord(_pair[0])] = _pair[1]
del _pair

# Function words that carry no claim; kept short on purpose: content words
# such as "not" or "million" change what a statement says and stay in.
_EN_STOPWORDS = frozenset(
    "a an the of to in on at by for from and or is are was were be been has have had "
    "it its this that with as which who their there".split()
)

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# CJK runs, or runs of other letters/digits (with decimal/thousands marks).
_TOKEN_RE = re.compile(rf"[{_CJK}]+|[^\W_{_CJK}]+(?:[.,][0-9]+)*")
_DIGIT_RE = re.compile(r"[0-9]")


def fold_chinese(text: str) -> str:
    """Map common traditional characters to their simplified forms."""
    return text.translate(_TRAD_TO_SIMP)


def normalise(text: str) -> str:
    """Fold width (NFKC), case and script variants; collapse whitespace."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(fold_chinese(text).split())


def tokens(text: str) -> list[str]:
    """Comparable units of *text*: CJK character bigrams and Latin words.

    The text is normalised first. A CJK run of one character is kept as a
    unigram. Digits are never part of a CJK run (``170万辆`` gives ``170``,
    ``万辆``), so numbers compare alike in both scripts.
    """
    out: list[str] = []
    for run in _TOKEN_RE.findall(normalise(text)):
        if run[0] in _CJK_CHARS:
            if len(run) == 1:
                out.append(run)
            else:
                out.extend([run[i : i + 2] for i in range(len(run) - 1)])
        elif run not in _EN_STOPWORDS:
            out.append(run)
    return out


class _CharRange:
    """Membership test for the CJK ranges (faster than a regex per token)."""

    def __contains__(self, ch: str) -> bool:
        return (
            "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff"
        )


_CJK_CHARS = _CharRange()


def has_digit(token: str) -> bool:
    """True for tokens that carry a number (``170``, ``1.7``, ``2024``).

    Statements that differ only in such tokens say the same thing about a
    different figure or date: the other tokens are their context.
    """
    return _DIGIT_RE.search(token) is not None
