"""The core (pipeline stages, store, audit, exports) can be used with no terminal: it never imports Textual or Rich."""

from __future__ import annotations

import subprocess
import sys

CORE = [
    "workbench.model", "workbench.ingest", "workbench.claims.analyse", "workbench.linking", "workbench.store",
    "workbench.store.review", "workbench.store.links", "workbench.pipeline", "workbench.audit", "workbench.export",
    "workbench.dedup", "workbench.safe_text", "workbench.scales",
]


def test_core_modules_import_neither_textual_nor_rich():
    code = (
        "import importlib, sys\n"
        f"for name in {CORE!r}: importlib.import_module(name)\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'rich'}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]", result.stdout
