"""Shared test configuration.

Hypothesis runs derandomized and without an example database, so every run (local or CI)
tries the same examples and nothing is written into the working tree.
"""

from hypothesis import settings

settings.register_profile("celoss", deadline=None, derandomize=True, database=None)
settings.load_profile("celoss")
