"""Article text -> statements with annotations.

Pure stages: segment (spans), dates, numbers, entities, checkworthy; analyse composes them.
"""
