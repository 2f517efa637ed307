"""The command layer through the memory adapter (the root conftest's `bot` and `core`).

The shared fixtures (`core`, `bot`, `clock`, `http`) come from tests/conftest.py."""
