"""The Textual review screen. ``make_app(db_path, reviewer)`` is the one entry point (CLI, demo, tests)."""

import gc as _gc

# Importing the screen (Textual, sqlite-utils, the store) makes ~200,000 objects that live as long as the process;
# the collector's passes over them while they are made (~100 of them, ~16 ms of the first screen) find nothing to
# free. So it waits until the import is done, and what the import made is then frozen out of its view (gc.freeze:
# otherwise the first collection after would walk all of it, ~20 ms).
_collecting = _gc.isenabled()
_gc.disable()
try:
    from workbench.tui.app import ReviewApp, make_app
finally:
    _gc.freeze()
    if _collecting:
        _gc.enable()

__all__ = ["ReviewApp", "make_app"]
