"""docs/cli.md is generated from the click commands; it must say what the commands say."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import ROOT
from workbench.cli import _COMMANDS, cli
from workbench.cli.reference import REGENERATE, reference


def test_the_reference_matches_the_commands():
    # In a fresh process, exactly as the regenerating command runs (click caches each command's help
    # option from the first context it sees, so other tests' invocations could change it in this one).
    generated = subprocess.run([sys.executable, "-m", "workbench.cli.reference"], capture_output=True, check=True,
                               env={**os.environ, "PYTHONPATH": str(ROOT)}).stdout.decode("utf-8")
    written = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert written == generated, f"docs/cli.md is out of date: regenerate it with `{REGENERATE}`"


def test_the_reference_covers_every_command_and_option():
    text = reference()
    for name in _COMMANDS:
        command = cli.get_command(None, name)
        assert f"## workbench {name}\n" in text
        for sub in getattr(command, "commands", {}):
            assert f"## workbench {name} {sub}\n" in text
        for param in command.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("-"):
                    assert opt in text, (name, opt)
    assert "-h, --help" in text and "Exit status" in text
