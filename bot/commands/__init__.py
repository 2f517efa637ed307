"""The platform-neutral command layer: text in, neutral `Reply` objects out."""
