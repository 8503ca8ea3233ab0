"""The child of the review bench's first-screen figure: start one app, print when its first screen is painted.

    python first_screen.py {review,bare} DB_PATH WIDTHxHEIGHT

Run as a script (not ``-m workbench...``), so the bare peer imports Textual
only; the review app imports what it needs, exactly as ``workbench review``
would.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time


async def _first_screen(app, size: tuple[int, int]) -> float:
    async with app.run_test(headless=True, size=size):
        await app.workers.wait_for_complete()
        painted = asyncio.get_running_loop().create_future()
        app.call_after_refresh(lambda: painted.done() or painted.set_result(time.time()))
        return await painted


def main(argv: list[str]) -> None:
    which, db_path, size = argv
    width, height = (int(n) for n in size.split("x"))
    if which == "review":
        from workbench.tui import make_app

        app = make_app(db_path, "bench")
    else:
        from textual.app import App
        from textual.widgets import Footer

        class Bare(App):
            def compose(self):
                yield Footer()

        app = Bare()
    print(json.dumps({"painted": asyncio.run(_first_screen(app, (width, height)))}))


if __name__ == "__main__":
    main(sys.argv[1:])
