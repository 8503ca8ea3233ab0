"""Full-text search over statements that also finds two-character Chinese words.

SQLite 3.40's trigram tokenizer returns nothing for queries under three
characters, so it cannot find 数据 or 华为. Instead every CJK character is
indexed as a token of its own (a space is put between them before indexing),
and a query becomes a phrase of its characters: "特 斯 拉" matches exactly the
statements containing 特斯拉, whatever its length. Latin words are indexed by
the ordinary unicode61 tokenizer and match by prefix.
"""

from __future__ import annotations

import re

import sqlite_utils

from workbench.simplified import to_simplified

_CJK = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af])")
_TOKEN = re.compile(r"[\w\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+", re.UNICODE)


class _Spacing(dict):
    """``str.translate`` table filled as characters are met: a CJK character becomes " c ", others stay.

    One C-level pass over the text instead of a regex substitution with a
    template per match (which cost a third of the full-text insert time).
    """

    def __missing__(self, code: int):
        char = chr(code)
        self[code] = value = f" {char} " if _CJK.match(char) else code
        return value


_SPACING = _Spacing()


def index_text(text: str) -> str:
    """The form a statement is indexed in: simplified, CJK characters separated by spaces."""
    return to_simplified(text).translate(_SPACING)


def match_expression(query: str) -> str | None:
    """An FTS5 MATCH expression for a user's query, or None when it has no words.

    Every word must appear (AND); a CJK run must appear as written (a phrase of
    its characters); a Latin word matches as a prefix. The query is never
    passed to FTS5 as syntax, so quotes, stars or NEAR in it are just text.
    """
    parts = []
    for token in _TOKEN.findall(to_simplified(query)):  # 特斯拉 finds its traditional spelling too
        chars = [c for c in _CJK.split(token) if c]
        if len(chars) > 1 or _CJK.fullmatch(token):
            parts.append('"' + " ".join(c.replace('"', '""') for c in chars) + '"')
        else:
            parts.append('"' + token.replace('"', '""') + '"*')
    return " AND ".join(parts) if parts else None


def index_statements(db: sqlite_utils.Database, rows: list[tuple[int, str]]) -> None:
    """Add (statement id, text) pairs to the index."""
    db.conn.executemany(
        "INSERT INTO statement_search (rowid, body) VALUES (?, ?)", [(sid, index_text(text)) for sid, text in rows]
    )


def unindex_statements(db: sqlite_utils.Database, ids: list[int]) -> None:
    db.conn.executemany("DELETE FROM statement_search WHERE rowid = ?", [(i,) for i in ids])


def search_clause(query: str) -> tuple[str, list]:
    """A SQL condition on ``statements.id`` for a query (always false when it has no words)."""
    expression = match_expression(query)
    if expression is None:
        return "0", []
    return "statements.id IN (SELECT rowid FROM statement_search WHERE statement_search MATCH ?)", [expression]
