"""The daily engine on an injected clock (helpers: tests/support/scheduling.py).

The shared fixtures (`core`, `bot`, `clock`, `http`) come from tests/conftest.py."""
