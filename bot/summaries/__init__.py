"""Paper summaries (SPEC §4): the LLM → ai_summary → extractive chain, and the day overview.

Modules: `chain` (Summariser, Summary), `llm` (LLMSummariser, LLMError), `budget` (LLMBudget),
`extractive` (extractive_tldr), `overview` (headline_text, top_keywords), `themes` (day_themes),
`vocab` (title words, stopwords, the stemmer); `sentences` and `shorten` are
the text tools behind the extractive TL;DR.
"""
