"""The import's write path: relinking beside another process, and the executor seam (``--jobs``)."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

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


# -- the executor seam: any --jobs stores the same database ---------------------------------------------------

# Every table the import writes, without what differs between two runs by design: when and in which
# session an event was written (so its id and hash chain), and when an article was imported.
_COMPARED = {
    "articles": "SELECT * FROM articles ORDER BY id",
    "statements": "SELECT * FROM statements ORDER BY id",
    "mentions": "SELECT statement_id, entity_id, surface, span_start, span_end, fuzzy FROM mentions"
                " ORDER BY statement_id, span_start, entity_id",
    "dates": "SELECT * FROM statement_dates ORDER BY statement_id, span_start",
    "numbers": "SELECT * FROM statement_numbers ORDER BY statement_id, span_start",
    "links": "SELECT claim_id, statement_id, score, relation, reasons, status, duplicate FROM links"
             " ORDER BY claim_id, statement_id",
    "entities": "SELECT * FROM entities ORDER BY id",
    "aliases": "SELECT * FROM entity_aliases ORDER BY id",
    "fingerprints": "SELECT * FROM article_fingerprints ORDER BY article_id, hash",
    "search": "SELECT rowid, body FROM statement_search ORDER BY rowid",
    "events": "SELECT seq, actor, action, object_type, object_id, before, after, reason FROM audit_events"
              " ORDER BY seq",
}


def _contents(path) -> dict[str, list]:
    db = open_db(path)
    out = {}
    for name, sql in _COMPARED.items():
        cursor = db.execute(sql)
        columns = [c[0] for c in cursor.description]
        out[name] = [tuple(v for c, v in zip(columns, row) if c not in ("imported_at",)) for row in cursor]
    db.close()
    return out


def test_jobs_1_and_jobs_2_store_identical_databases(tmp_path, monkeypatch):
    import workbench.pipeline as pipeline_module
    from workbench.bench import corpus
    from workbench.executors import executor_for

    folder = tmp_path / "in"
    corpus.write(corpus.generate(40, seed=3), folder / "generated")
    shutil.copytree(FIXTURES, folder / "fixtures")  # with its bad/ files: refusals are stored too
    # Small batches, tasks and shards so that 50 files cross every boundary: several batches analysed
    # while the one before is stored, candidate entities found mid-import, a full relink in shards.
    monkeypatch.setattr(pipeline_module, "BATCH_FILES", 9)
    monkeypatch.setattr(pipeline_module, "TASK_FILES", 2)
    monkeypatch.setattr(pipeline_module, "LINK_ALL_ARTICLES", 10)
    monkeypatch.setattr(pipeline_module, "LINK_SHARD_MIN_CLAIMS", 20)
    reports = {}
    for jobs in (1, 2):
        db = open_db(tmp_path / f"jobs{jobs}.db")
        with executor_for(jobs) as executor:
            reports[jobs] = Pipeline(db, actor="tester").import_paths([folder], executor=executor)
        db.close()
    assert len(reports[1].imported) > 40 and reports[1].links > 0 and reports[1].refused
    assert (reports[1].imported, reports[1].refused, reports[1].near_duplicates, reports[1].links) == (
        reports[2].imported, reports[2].refused, reports[2].near_duplicates, reports[2].links)
    one, two = _contents(tmp_path / "jobs1.db"), _contents(tmp_path / "jobs2.db")
    gazetteer = open_db(tmp_path / "empty.db").execute("SELECT COUNT(*) FROM entity_aliases").fetchone()[0]
    assert len(one["aliases"]) > gazetteer  # candidate entities were found during the import
    for table in _COMPARED:
        assert one[table] == two[table], table


def _import_cli(args: list[str]) -> None:
    from click.testing import CliRunner

    from workbench.cli import cli

    result = CliRunner().invoke(cli, ["import", *args, "--reviewer", "tester", "--quiet"])
    assert result.exit_code in (0, 1), result.output  # 1: the bad fixtures are refused
    assert "imported" in result.output


def test_the_cli_with_jobs_2_stores_what_jobs_1_stores(tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(FIXTURES, folder / "fixtures")
    for _copy in range(2):  # over 2 x TASK_FILES files, so --jobs 2 really starts workers
        shutil.copytree(FIXTURES, folder / f"copy{_copy}", ignore=shutil.ignore_patterns("bad"))
    _import_cli([str(folder), "--db", str(tmp_path / "one.db"), "--jobs", "1"])
    _import_cli([str(folder), "--db", str(tmp_path / "two.db"), "--jobs", "2"])
    assert _contents(tmp_path / "one.db") == _contents(tmp_path / "two.db")


@pytest.mark.slow
def test_a_dask_local_cluster_stores_what_jobs_1_stores(tmp_path):
    import distributed  # workbench[cluster]; .ci/run installs it before the slow tests

    from workbench.bench import corpus

    folder = tmp_path / "in"
    corpus.write(corpus.generate(60, seed=5), folder / "generated")
    shutil.copytree(FIXTURES, folder / "fixtures")
    _import_cli([str(folder), "--db", str(tmp_path / "one.db"), "--jobs", "1"])
    # two worker processes on the loopback interface only
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        _import_cli([str(folder), "--db", str(tmp_path / "dask.db"), "--scheduler", cluster.scheduler_address])
        with distributed.Client(cluster.scheduler_address) as client:
            ran = client.run(lambda: __import__("workbench.prepare").prepare._matcher is not None)
    assert any(ran.values()), ran  # the cluster's workers analysed the articles, not this process
    assert _contents(tmp_path / "one.db") == _contents(tmp_path / "dask.db")


# -- progress: a bar on a terminal, nothing extra in a pipe ---------------------------------------------------

def _import_stderr(tmp_path, name: str, *, terminal: bool, extra: tuple[str, ...] = ()) -> str:
    """stderr of a real ``workbench import`` of the fixtures, as a pipe or as a pseudo-terminal."""
    import os
    import pty

    folder = tmp_path / "three"
    if not folder.exists():
        folder.mkdir()
        for file in [*MUSK_BEIJING, NEWCOMER]:
            shutil.copy(FIXTURES / file, folder)
    command = [sys.executable, "-m", "workbench", "import", str(folder), "--db", str(tmp_path / f"{name}.db"),
               "--reviewer", "tester", "--jobs", "1", *extra]
    if not terminal:
        return subprocess.run(command, cwd=ROOT, capture_output=True, text=True).stderr
    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": "120", "TERM": "xterm-256color"}
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=follower, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the child closed its end
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait()
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


def test_the_import_shows_a_progress_bar_on_a_terminal_only(tmp_path):
    piped = _import_stderr(tmp_path, "piped", terminal=False)
    assert piped == ""
    shown = _import_stderr(tmp_path, "terminal", terminal=True)
    assert "importing" in shown and "files" in shown and "articles" in shown
    quiet = _import_stderr(tmp_path, "quiet", terminal=True, extra=("--quiet",))
    assert "importing" not in quiet


def _processes_tagged(tag: str) -> set[int]:
    """Pids of live processes whose environment carries ``tag`` (the import and what it started)."""
    import os

    found = set()
    needle = f"WORKBENCH_TEST_TAG={tag}".encode()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as environ:
                if needle in environ.read().split(b"\0"):
                    with open(f"/proc/{entry}/stat", "rb") as stat:
                        if stat.read().split(b") ", 1)[1][:1] != b"Z":  # a zombie is gone, only not reaped
                            found.add(int(entry))
        except OSError:
            continue
    return found


@pytest.mark.slow
def test_a_killed_import_leaves_no_worker_processes_behind(tmp_path):
    # SIGKILL sends no stop signal to the pool, and forkserver workers hold the server's lifeline: before
    # the workers watched their importer, every killed import left a forkserver and two workers forever.
    import os
    import time
    import uuid

    from workbench.bench import corpus

    folder = tmp_path / "in"
    corpus.write(corpus.generate(150, seed=7), folder)
    tag = uuid.uuid4().hex
    proc = subprocess.Popen([sys.executable, "-m", "workbench", "import", str(folder), "--db", str(tmp_path / "w.db"),
                             "--jobs", "2", "--quiet"], cwd=ROOT, env={**os.environ, "WORKBENCH_TEST_TAG": tag},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while len(_processes_tagged(tag) - {proc.pid}) < 3:  # the forkserver and its two workers
        assert proc.poll() is None, "the import ended before its workers were seen"
        assert time.monotonic() < deadline, "no workers started"
        time.sleep(0.05)
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 30
    while (left := _processes_tagged(tag)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not left, f"processes left behind by the killed import: {sorted(left)}"
