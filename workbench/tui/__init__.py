"""The Textual review screen. ``make_app(db_path, reviewer)`` is the one entry point (CLI, demo, tests)."""

from workbench.tui.app import ReviewApp, make_app

__all__ = ["ReviewApp", "make_app"]
