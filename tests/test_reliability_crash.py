"""Issue 7, case 4: SIGKILL at a random moment leaves a consistent database that the next run completes.

Fifty trials in all (about two and a half minutes on two cores):

* 25 imports of a folder of 60 generated articles (``workbench import``,
  committing every 0.05 s), each killed at a random moment of the import
  phase, the delays drawn from the measured duration of an uninterrupted run;
* 25 kills of a process recording verdicts in a loop
  (``tests/helpers/verdict_loop.py``), the delays drawn from the measured
  time of 200 uninterrupted saves, on one database that accumulates them.

After each kill: ``PRAGMA integrity_check`` is ok, every verdict row has its
events (per claim and reviewer), the audit chain verifies, every article has
its raw bytes, statements and import event and nothing is orphaned; after each
killed import, running the import again completes (every article, exit 0).
"""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers.invariants import all_problems, connect_readonly
from workbench.bench import corpus
from workbench.cli import cli
from workbench.pipeline import Pipeline
from workbench.store.db import open_db

ROOT = Path(__file__).resolve().parents[1]
HELPERS = Path(__file__).resolve().parent / "helpers"
ARTICLES = 60
IMPORT_TRIALS = 25
VERDICT_TRIALS = 25
ENV = {"PYTHONPATH": str(ROOT), "XDG_CONFIG_HOME": os.environ["XDG_CONFIG_HOME"]}  # reviewers' keys (conftest)


def _kill_after(proc: subprocess.Popen, delay: float) -> bool:
    """SIGKILL ``proc`` after ``delay`` seconds unless it ended first; True if it was killed."""
    try:
        proc.wait(timeout=delay)  # a bounded wait on the child, not a sleep: it may finish first
        return False
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        return True


def _settle(path: Path) -> None:
    """What the next run does first: open (recovering the WAL, finishing migrations) and close."""
    open_db(path).close()


@pytest.fixture(scope="module")
def articles(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("crash") / "articles"
    corpus.write(corpus.generate(ARTICLES, seed=11), folder)
    return folder


# The real CLI, with batches of 5 files committed instead of 200: the import then crosses a dozen
# commit boundaries, so a random kill lands between commits as often as inside one, on a fast machine too.
_SMALL_BATCHES = ("import sys; import workbench.pipeline as p; p.BATCH_FILES = 5; "
                  "from workbench.cli import main; sys.argv[0] = 'workbench'; main()")


def _import_command(folder: Path, db: Path) -> list[str]:
    return [sys.executable, "-c", _SMALL_BATCHES, "import", str(folder), "--db", str(db), "--reviewer", "importer"]


@pytest.mark.slow
def test_sigkill_during_import_leaves_whole_articles_and_a_resumable_import(articles, tmp_path):
    rng = random.Random(20261122)
    # calibrate: the whole run, and the import phase it reports ("... in 2.57 s")
    started = time.perf_counter()
    calibration = subprocess.run(_import_command(articles, tmp_path / "calibrate.db"), cwd=ROOT, env=ENV,
                                 capture_output=True, text=True, timeout=300)
    total = time.perf_counter() - started
    assert calibration.returncode == 0, calibration.stderr
    import_phase = float(re.search(r" in ([\d.]+) s", calibration.stdout).group(1))
    startup = max(0.0, total - import_phase)
    conn = connect_readonly(tmp_path / "calibrate.db")
    expected = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]  # the generator adds near-copies
    conn.close()
    assert expected >= ARTICLES

    present_at_kill = []
    for trial in range(IMPORT_TRIALS):
        db = tmp_path / f"trial{trial}.db"
        proc = subprocess.Popen(_import_command(articles, db), cwd=ROOT, env=ENV,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        killed = _kill_after(proc, rng.uniform(startup * 0.8, total))
        if not killed:
            assert proc.returncode == 0, proc.stderr.read()
        proc.stderr.close()
        if not db.exists():
            present_at_kill.append(0)
            continue
        _settle(db)
        problems = all_problems(db)
        assert problems == [], f"trial {trial}: {problems}"
        conn = connect_readonly(db)
        present_at_kill.append(conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
        conn.close()
        again = CliRunner().invoke(cli, ["import", str(articles), "--db", str(db), "--reviewer", "importer"])
        assert again.exit_code == 0, (trial, again.output)
        conn = connect_readonly(db)
        assert conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == expected
        assert conn.execute("SELECT COUNT(*) FROM articles WHERE linked = 0").fetchone()[0] == 0
        conn.close()
        assert all_problems(db) == [], f"trial {trial} after the re-run"
    print(f"import: {total:.1f} s uninterrupted ({import_phase:.1f} s import phase); "
          f"articles present at each kill: {present_at_kill}")
    assert any(0 < n < expected for n in present_at_kill), present_at_kill  # some kills landed mid-import


@pytest.fixture(scope="module")
def verdict_db(articles, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("verdicts") / "v.db"
    db = open_db(path)
    Pipeline(db, actor="importer").import_paths([articles], link=False)
    # The killed writer judges statements in id order, and only claims take verdicts: make them all claims.
    with db.conn:
        db.execute("UPDATE statements SET checkworthy = 1")
    db.close()
    return path


def _start_loop(db: Path, reviewer: str, first: int, count: int) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, str(HELPERS / "verdict_loop.py"), str(db), reviewer, str(first),
                             str(count)], cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready", proc.stderr.read()  # blocks until the child says so
    return proc


@pytest.mark.slow
def test_sigkill_during_verdict_recording_never_loses_an_event(verdict_db, tmp_path):
    rng = random.Random(7)
    work = tmp_path / "v.db"
    shutil.copyfile(verdict_db, work)
    started = time.perf_counter()
    calibration = _start_loop(work, "calibrator", 0, 200)
    out, err = calibration.communicate(timeout=120)
    duration = time.perf_counter() - started
    assert calibration.returncode == 0 and out.split()[:2] == ["done", "200"], err

    killed = 0
    for trial in range(VERDICT_TRIALS):
        reviewer = rng.choice(["ana", "ben", "chen"])
        proc = _start_loop(work, reviewer, rng.randrange(0, 300), 0)  # forever: only a kill stops it
        killed += _kill_after(proc, rng.uniform(0, duration))
        proc.stdout.close()
        stderr = proc.stderr.read()
        proc.stderr.close()
        assert "Traceback" not in stderr, stderr
        _settle(work)
        problems = all_problems(work)
        assert problems == [], f"trial {trial}: {problems}"
    conn = connect_readonly(work)
    verdicts = conn.execute("SELECT COUNT(*), SUM(version) FROM verdicts").fetchone()
    conn.close()
    print(f"verdicts: 200 saves in {duration:.2f} s; {killed} kills; {verdicts[0]} verdicts, {verdicts[1]} versions")
    assert killed == VERDICT_TRIALS
