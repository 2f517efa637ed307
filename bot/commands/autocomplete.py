"""Suggestions while a user types an option (Discord autocomplete): their topics, recent papers.

Platform limits (Discord: 25 choices, 100 characters each) are the adapter's to apply; these
return every suggestion, best first, as (value, label) pairs.
"""

from __future__ import annotations

from bot.core import Core
from bot.text import collapse_whitespace
from storage import papers as paper_store
from storage import users as user_store


def topic_choices(
    core: Core, platform: str, workspace_id: str, user_id: str, prefix: str = ""
) -> list[tuple[str, str]]:
    """The user's topics as ("3", "3. diffusion video") whose label contains `prefix`."""
    user = user_store.UserKey(platform, workspace_id, user_id)
    out = []
    for n, t in enumerate(user_store.list_topics(core.db, user), 1):
        label = f"{n}. {t['query']}"
        if prefix.lower() in label.lower():
            out.append((str(n), label))
    return out


def paper_choices(core: Core, prefix: str, limit: int = 25) -> list[tuple[str, str]]:
    """Recent papers whose id or title contains `prefix`, as (id, "id — title")."""
    rows = paper_store.recent_papers(core.db, prefix.strip(), limit)
    return [(r["id"], f"{r['id']} — {collapse_whitespace(r['title'])}") for r in rows]


def library_choices(
    core: Core, platform: str, workspace_id: str, user_id: str, prefix: str = ""
) -> list[tuple[str, str]]:
    """The user's saved papers whose id or title contains `prefix`, as (id, "id — title"):
    what `unsave` can remove."""
    user = user_store.UserKey(platform, workspace_id, user_id)
    out = []
    for r in user_store.library_rows(core.db, user):
        label = f"{r['id']} — {collapse_whitespace(r['title'])}"
        if prefix.strip().lower() in label.lower():
            out.append((r["id"], label))
    return out
