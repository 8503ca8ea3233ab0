"""``workbench serve``: where it listens and what it says (the browser itself: test_serve_browser.py, slow)."""

from __future__ import annotations

import os
import shlex
import socket
import subprocess
import sys

from conftest import ROOT
from workbench.cli.serve import is_loopback, review_command_line


def test_only_loopback_addresses_count_as_local():
    assert all(is_loopback(h) for h in ("127.0.0.1", "localhost", "::1", "127.0.0.2"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "192.168.1.5", "::", "example.org"))


def test_each_page_runs_the_review_screen_on_this_database_as_this_reviewer():
    line = review_command_line("/tmp/a b/x.db", "ana; rm -rf /")
    assert shlex.split(line) == [sys.executable, "-m", "workbench", "review", "--db", "/tmp/a b/x.db",
                                 "--reviewer", "ana; rm -rf /"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _first_stderr_lines(tmp_path, *args, count=2):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-m", "workbench", "serve", *map(str, args), "--db", str(tmp_path / "w.db")],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        return [process.stderr.readline() for _ in range(count)]
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_serving_beyond_this_machine_warns_who_can_review(tmp_path):
    port = _free_port()
    lines = _first_stderr_lines(tmp_path, "--host", "0.0.0.0", "--port", port, "--reviewer", "ana")
    assert lines[0].startswith(f"warning: listening on 0.0.0.0:{port}")
    assert "anyone who can reach the port can review as 'ana'" in lines[0]
    assert lines[1].startswith("serving the review screen")


def test_serving_on_localhost_does_not_warn(tmp_path):
    [line] = _first_stderr_lines(tmp_path, "--port", _free_port(), "--reviewer", "ana", count=1)
    assert line.startswith("serving the review screen") and "127.0.0.1" in line
