"""Storage: schema, migrations and writes on in-memory or temp-dir databases.

The shared fixtures (`core`, `bot`, `clock`, `http`) come from tests/conftest.py."""
