"""Article text -> statements with annotations.

Pure stages: segment (spans), dates, numbers, entities, checkworthy; analyse composes them.
"""

DEFAULT_THRESHOLD = 0.5
"""The check-worthiness score from which a statement is a claim (the ``claim_threshold`` setting's default).
Here rather than in :mod:`~workbench.claims.checkworthy` (which re-exports it) so that reading the settings does
not build that module's cue tables (~8 ms at every start of the review screen)."""
