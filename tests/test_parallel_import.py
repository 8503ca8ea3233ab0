"""The import's write path: relinking beside another process, and the executor seam (``--jobs``)."""

from __future__ import annotations

import subprocess
import sys

from conftest import FIXTURES, ROOT
from workbench.pipeline import Pipeline
from workbench.store import links as store_links
from workbench.store.db import open_db

MUSK_BEIJING = ["b1_musk_beijing_header.txt", "b3_musk_beijing_fleet.gbk.txt"]
NEWCOMER = "b6_en_byline_musk_beijing.txt"


def _links_touching(db, path_suffix: str) -> set[tuple[str, str, str]]:
    """(claim text, statement text, relation) of the links with one side in the article at ``path_suffix``."""
    return set(db.execute(
        """SELECT c.text, s.text, l.relation FROM links l
             JOIN statements c ON c.id = l.claim_id JOIN statements s ON s.id = l.statement_id
             JOIN articles ca ON ca.id = c.article_id JOIN articles sa ON sa.id = s.article_id
            WHERE ca.path LIKE ? OR sa.path LIKE ?""", [f"%{path_suffix}", f"%{path_suffix}"]).fetchall())


def test_relink_all_does_not_mark_an_article_another_process_stored_meanwhile(tmp_path, monkeypatch):
    db_path = tmp_path / "w.db"
    db = open_db(db_path)
    pipeline = Pipeline(db, actor="tester")
    pipeline.import_paths([FIXTURES / name for name in MUSK_BEIJING], link=False)
    read_statements = store_links.link_items

    def read_then_another_process_imports(db_, **kwargs):
        items = read_statements(db_, **kwargs)
        if not kwargs:  # relink_all's read of every statement: another import (and its linking) lands now
            subprocess.run([sys.executable, "-m", "workbench", "import", str(FIXTURES / NEWCOMER), "--db",
                            str(db_path), "--reviewer", "other"], cwd=ROOT, check=True, capture_output=True)
        return items

    monkeypatch.setattr(store_links, "link_items", read_then_another_process_imports)
    pipeline.relink_all()
    monkeypatch.undo()
    newcomer = db.execute("SELECT id, linked FROM articles WHERE path LIKE ?", [f"%{NEWCOMER}"]).fetchone()
    # relink_all replaced every suggested link without having read it: it must stay pending
    assert newcomer[1] == 0
    pipeline.link_pending()
    fresh = open_db(tmp_path / "fresh.db")
    Pipeline(fresh, actor="tester").import_paths([FIXTURES / name for name in [*MUSK_BEIJING, NEWCOMER]])
    expected = _links_touching(fresh, NEWCOMER)
    assert expected  # the newcomer reports the same visit: it links to the others
    assert _links_touching(db, NEWCOMER) == expected
    assert db.execute("SELECT COUNT(*) FROM articles WHERE linked = 0").fetchone()[0] == 0
