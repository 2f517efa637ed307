"""paperbot core: sources, summaries, search, commands. Knows no platform SDK."""

__version__ = "0.1.0"
