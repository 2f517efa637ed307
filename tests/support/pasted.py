"""Shared by the Slack and Discord "papers pasted in chat" tests: a stored paper, a paper only
the Hugging Face fake knows (its title and summary hostile: mentions, markup, a fake link), and
the links people paste."""

from __future__ import annotations

from typing import Any

STORED = "2510.01180"  # BroRL, in the recorded days
STORED_TITLE = "BroRL"
NEW = "2511.04242"  # not stored: looked up on the HF fake
HOSTILE_TITLE = "<!channel> @everyone <@U1> *Pwn* [x](https://evil.example) `tick`"
STORED_URL = f"https://arxiv.org/abs/{STORED}v2"
NEW_URL = f"https://huggingface.co/papers/{NEW}"
NOT_A_PAPER_URL = "https://arxiv.org/list/cs.LG/new"


def hostile_paper() -> dict[str, Any]:
    """The HF API's /api/papers/{id} answer for NEW (the fields the parser reads)."""
    return {
        "id": NEW,
        "title": HOSTILE_TITLE,
        "summary": "We study <!here> pings and @here in abstracts. " * 3,
        "authors": [{"name": "Mallory @everyone"}],
        "publishedAt": "2025-11-05T00:00:00.000Z",
        "upvotes": 3,
    }
