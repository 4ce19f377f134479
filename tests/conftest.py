"""pytest's entry point for the suite: the fixtures live in tests/support/fixtures.py.

Tests import what they share from the ``support`` package, never from this file.
"""

pytest_plugins = ("support.fixtures",)
