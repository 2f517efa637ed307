"""Reactions are votes: 👍 and ✅ on a paper the daily thread posted are +1 for that user, 👎
and ❌ are −1, and taking the reaction back takes the vote back. They feed that user's
recommender (`rank.user_signals`); `forget-me` deletes them.

A reaction names a message, not a paper: the delivery ledger, which recorded the id of every
message it sent, says which paper that message was. Reactions on anything else (the thread's
parent, a message the bot did not post) are ignored.
"""

from __future__ import annotations

import sqlite_utils

from bot.sources.arxiv_ids import find_arxiv_id
from storage import recommend as rec_store
from storage.users import UserKey

# Slack names its emoji (https://api.slack.com/events/reaction_added: "reaction": "thumbsup"
# — the standard set also answers to "+1"/"-1"); Discord sends the unicode character.
VOTES = {
    "+1": 1,
    "thumbsup": 1,
    "white_check_mark": 1,
    "heavy_check_mark": 1,
    "-1": -1,
    "thumbsdown": -1,
    "x": -1,
    "👍": 1,
    "✅": 1,
    "✔️": 1,
    "👎": -1,
    "❌": -1,
}


def vote_of(reaction: str) -> int:
    """+1, −1, or 0 for a reaction that is no vote (skin tones count as their emoji)."""
    base = reaction.split("::", 1)[0]
    return VOTES.get(base, 0)


def record_reaction(
    db: sqlite_utils.Database,
    user: UserKey,
    target: str,
    message_id: str,
    reaction: str,
    *,
    added: bool,
) -> str | None:
    """Store (or take back) one reaction; return the paper it voted on, None when ignored."""
    vote = vote_of(reaction)
    if not vote:
        return None
    found = rec_store.sent_message(db, target, message_id)
    if found is None or find_arxiv_id(found[0]) != found[0]:
        return None
    item, channel = found
    name = reaction.split("::", 1)[0]
    if added:
        rec_store.add_vote(db, user, item, name, vote, channel)
    else:
        rec_store.remove_vote(db, user, item, name)
    return item
