"""SQLite storage through sqlite-utils. Imports neither `bot` nor `adapters`."""

from storage.db import open_db

__all__ = ["open_db"]
