"""Which tag a forum post gets. A forum with the REQUIRE_TAG flag refuses a post without
`applied_tags` (40067); flags and tag objects:
https://discord.com/developers/docs/resources/channel#channel-object-channel-flags and
#forum-tag-object. A moderated tag can only be applied by members with Manage Threads, which
the bot does not ask for, so it never picks one.
"""

from __future__ import annotations

from typing import Any

REQUIRE_TAG = 1 << 4
LIKELY = "paper"  # a tag named like "papers", "Paper of the day", "📄 Papers"


def forum_tags(forum: dict[str, Any], configured: str = "") -> list[str] | None:
    """The tag ids for a new post: the configured tag when it exists, else (only when the
    forum requires one) the first tag named like "papers"; `[]` when no tag is needed, None
    when one is required and none can be used."""
    usable = [t for t in forum.get("available_tags") or [] if not t.get("moderated")]
    if configured:
        named = [t for t in usable if t.get("name", "").casefold() == configured.casefold()]
        if named:
            return [str(named[0]["id"])]
    if not int(forum.get("flags") or 0) & REQUIRE_TAG:
        return []
    likely = [t for t in usable if LIKELY in t.get("name", "").casefold()]
    return [str(likely[0]["id"])] if likely else None
