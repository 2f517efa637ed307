"""The summary chain, the LLM client and the offline summariser.

The shared fixtures (`core`, `bot`, `clock`, `http`) come from tests/conftest.py."""
