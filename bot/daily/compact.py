"""A channel's compact style: the thread's papers as lines, up to ten a reply.

A compact reply carries several papers, but the ledger keeps one row per paper, so what a
channel received (and "papers it got on other days") means the same in both styles. Replies
are cut from the *planned* order in fixed groups of `PER_REPLY` — the plan is written once and
never reordered — so a resumed delivery rebuilds exactly the same groups. Each group is sent
under the message key of its first paper, so the platform's own idempotency (Discord nonce
and ref, Slack metadata) recognises a group whose answer was lost, and all of a group's rows
are marked sent in one transaction with the group's message id.
"""

from __future__ import annotations

from bot.model import Reply

PER_REPLY = 10


def compact_items(items: tuple[Reply, ...], per_reply: int = PER_REPLY) -> tuple[Reply, ...]:
    """One-card replies (the full style's items, best first) grouped `per_reply` at a time."""
    out = []
    for start in range(0, len(items), per_reply):
        group = items[start : start + per_reply]
        mentions = dict.fromkeys(u for item in group for u in item.mention_user_ids)
        out.append(
            Reply(
                text="",
                cards=tuple(c for item in group for c in item.cards),
                mention_user_ids=tuple(mentions),
                compact=True,
            )
        )
    return tuple(out)


def item_papers(item: Reply) -> list[str]:
    """The paper ids a thread reply carries: one in the full style, several compact."""
    return [c.paper_id for c in item.cards]
