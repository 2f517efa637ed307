"""Remote paper sources: Hugging Face Daily Papers (primary) and the arXiv API (enrichment).

Parsers are pure functions over recorded-shape data; clients do HTTP through `RetryingClient`
so rate limits, retries and pacing live in one place and are driven by an injected clock.
"""
