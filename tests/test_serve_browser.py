"""``workbench serve`` in a real browser: headless Chromium, driven by Selenium, opens the page,
sees a claim's text, and a digit key records a verdict in the database.

xterm.js draws the terminal on a canvas, so the text is read through its screen-reader mode
(an accessibility tree of the rows, in the DOM), switched on from the page: an init script
catches the terminal's public options object as xterm.js defines it.
"""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from conftest import ROOT

INSTALL = "apt-get update && apt-get install -y chromium chromium-driver"
CHROME_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1400,900"]
CATCH_OPTIONS = """
(() => {
  const define = Object.defineProperty;
  Object.defineProperty = function (target, key, descriptor) {
    if (key === 'screenReaderMode' && descriptor && descriptor.set && !window.__xtermOptions) {
      window.__xtermOptions = target;
    }
    return define.call(this, target, key, descriptor);
  };
})();
"""
TIMEOUT = 60


def _browser_binaries() -> tuple[str, str]:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not chromium or not driver:
        pytest.fail(f"the browser test needs Chromium and its driver: {INSTALL}")
    return chromium, driver


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"workbench serve exited: {process.stderr.read().decode(errors='replace')}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            try:  # wait on the server itself: wakes at once if it dies
                process.wait(timeout=0.2)
            except subprocess.TimeoutExpired:
                pass
    pytest.fail("workbench serve did not listen")


def _screen_text(driver) -> str:
    return driver.execute_script(
        "const tree = document.querySelector('.xterm-accessibility-tree');"
        "return tree ? tree.innerText : '';")


def _verdicts(db_path: Path) -> list[tuple]:
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as db:
        return db.execute("SELECT claim_id, reviewer, label FROM verdicts").fetchall()


@pytest.fixture
def served(fixtures_db):
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "workbench", "serve", "--port", str(port), "--reviewer", "webby",
         "--db", str(fixtures_db)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait_for_port(port, process)
        yield f"http://127.0.0.1:{port}/", fixtures_db
    finally:
        process.terminate()
        process.wait(timeout=TIMEOUT)


@pytest.fixture
def browser():
    chromium, driver_path = _browser_binaries()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROME_FLAGS:
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="workbench-chromium-")
    options.add_argument(f"--user-data-dir={profile}")
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CATCH_OPTIONS})
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.mark.slow
def test_a_reviewer_reviews_from_a_browser(served, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    url, db_path = served
    browser.get(url)
    wait = WebDriverWait(browser, TIMEOUT)
    wait.until(lambda d: d.execute_script("return !!window.__xtermOptions"))
    browser.execute_script("window.__xtermOptions.screenReaderMode = true")
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as db:
        claims = dict(db.execute("SELECT id, text FROM statements WHERE checkworthy AND NOT retired"))
    starts = {claim_id: " ".join(text.split())[:15] for claim_id, text in claims.items()}

    def claims_on_screen(d) -> set[int]:
        screen = " ".join(_screen_text(d).split())
        return {claim_id for claim_id, start in starts.items() if start in screen}

    on_screen = wait.until(claims_on_screen, message="no claim's text on the page")
    if os.environ.get("WORKBENCH_SCREENSHOT"):  # the README's picture: WORKBENCH_SCREENSHOT=docs/review-browser.png
        browser.execute_script("window.__xtermOptions.screenReaderMode = false")  # its tree adds scroll bars
        browser.save_screenshot(os.environ["WORKBENCH_SCREENSHOT"])
        browser.execute_script("window.__xtermOptions.screenReaderMode = true")

    assert _verdicts(db_path) == []
    browser.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea").send_keys("1")
    wait.until(lambda _d: _verdicts(db_path), message="the key recorded no verdict")
    [(claim_id, reviewer, label)] = _verdicts(db_path)
    assert (reviewer, label) == ("webby", "true")  # key 1 on the default scale, as the served reviewer
    assert claim_id in on_screen  # the claim judged is one the page showed
