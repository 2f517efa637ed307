"""The query language, search and the day index (helpers: tests/support/search.py, fts.py).

The shared fixtures (`core`, `bot`, `clock`, `http`) come from tests/conftest.py."""
