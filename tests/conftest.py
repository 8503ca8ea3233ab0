"""Shared test fixtures: real SQLite files in tmp_path, built from the bundled fixtures."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
SHARED = ROOT.parent / "shared"

# Reviewers' signing keys are created on first use in the user's config directory: the tests
# (and the subprocesses they start, which inherit it) use a private one, never the real ~/.config.
# Imported a second time under another name (``tests.conftest``), this module must not move the folder:
# subprocesses started by modules collected earlier already carry the first one.
KEYS_HOME = os.environ.get("WORKBENCH_TEST_CONFIG_HOME") or tempfile.mkdtemp(prefix="workbench-test-config-")
os.environ["WORKBENCH_TEST_CONFIG_HOME"] = KEYS_HOME
os.environ["XDG_CONFIG_HOME"] = KEYS_HOME
os.environ.pop("WORKBENCH_KEYS_DIR", None)


# CI (CI=true) replays one fixed sequence of Hypothesis examples, so a red run can be reproduced exactly;
# a developer's run explores new examples every time.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


def fixture_files() -> list[Path]:
    """The good bundled fixtures (``fixtures/bad`` holds inputs that must be refused)."""
    return sorted(p for p in FIXTURES.iterdir() if p.is_file() and p.name != "README.md")


@pytest.fixture(scope="session")
def fixtures_db_template(tmp_path_factory) -> Path:
    """The fixtures imported once per test session; tests get copies (see ``fixtures_db``)."""
    from workbench.pipeline import Pipeline
    from workbench.store.db import open_db

    path = tmp_path_factory.mktemp("template") / "fixtures.db"
    db = open_db(path)
    report = Pipeline(db, actor="tester").import_paths(fixture_files())
    assert not report.refused, report.refused
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


@pytest.fixture
def fixtures_db(fixtures_db_template, tmp_path) -> Path:
    """A private copy of the fixtures database for one test."""
    path = tmp_path / "workbench.db"
    shutil.copyfile(fixtures_db_template, path)
    return path


@pytest.fixture
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"{SHARED} is missing: corpus tests need ../shared beside the checkout")
    return SHARED
