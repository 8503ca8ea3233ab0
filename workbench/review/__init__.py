"""What a reviewer does, without a terminal: :class:`~workbench.review.session.ReviewSession` (queue, shown claim,
verdicts, flags, link decisions, undo/redo, conflicts, polling) over the typed records of
:mod:`workbench.review.records`. The review screen and the CLI's review commands both go through it.

Nothing here imports textual or rich (tests/test_import_hygiene.py checks it).
"""
