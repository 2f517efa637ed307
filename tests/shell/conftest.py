"""The interactive shell on a real pseudo-terminal (helpers: tests/support/cli.py).

The shared fixtures (`core`, `bot`, `clock`, `http`) come from tests/conftest.py."""
