"""`paperbot` as a subprocess and `paperbot run` end to end (helpers: tests/support/cli.py, run.py).

The shared fixtures (`core`, `bot`, `clock`, `http`) come from tests/conftest.py."""
