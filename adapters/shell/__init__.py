"""The terminal adapter: `paperbot shell`."""
