"""The README's Quickstart as a newcomer meets it, and the CI script that runs it."""

from __future__ import annotations

import subprocess

from conftest import ROOT


def _quickstart_block() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Quickstart", 1)[1]
    return section.split("```", 2)[1].strip("\n").splitlines()


def test_the_quickstart_makes_the_venv_first_then_two_commands():
    lines = _quickstart_block()
    assert lines[0].startswith("python3 -m venv .venv") and "activate" in lines[0]
    assert lines[1] == "pip install -e . && workbench demo"
    assert lines[2].startswith("pip install -e '.[test]'") and "pytest" in lines[2]


def test_ci_runs_the_quickstarts_test_line_and_parses():
    script = ROOT / ".ci" / "run"
    assert subprocess.run(["bash", "-n", str(script)], capture_output=True).returncode == 0
    extract = subprocess.run(
        ["bash", "-c", "awk '/^## Quickstart/{q=1} q && /^```/{n++; next} q && n==1 {print}' README.md"
                       " | grep -m1 pytest"], cwd=ROOT, capture_output=True, text=True, check=True)
    assert extract.stdout.strip() == _quickstart_block()[2]
