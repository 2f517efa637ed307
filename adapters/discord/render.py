"""Neutral replies → Discord message bodies (the JSON of `POST /channels/{id}/messages`).

Pure: no SDK, no I/O, so `paperbot digest --format discord` and the poster send exactly the
same bodies. Every body fits Discord's limits (limits.py): long text is split across
messages and embeds rather than cut, and every body carries `allowed_mentions` that can ping
only the users the core named.

A message the scheduler posts carries a short ref derived from its ledger key (`ref 1a2b…`, in
the last embed's footer, or as a small `-#` line under plain text). Discord keeps a nonce for
only a few minutes, so a bot restarted later finds what it already posted by reading the
channel back and looking for its own refs (see poster.py).
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from adapters.discord.cards import card_embeds, embed_length, link_label, safe_url
from adapters.discord.escape import ZWSP, clean, defang_mentions, plain, safe
from adapters.discord.limits import (
    ALLOWED_USERS_MAX,
    CONTENT_MAX,
    EMBEDS_PER_MESSAGE,
    EMBEDS_TOTAL_MAX,
    NONCE_MAX,
    THREAD_NAME_MAX,
    shorten,
    split_text,
)
from bot.daily.posting import PARENT, message_key
from bot.model import PaperCard, Reply
from bot.sources.arxiv_ids import find_arxiv_id

Body = dict[str, Any]
ARCHIVE_ONE_DAY = 1440
EMPTY_REPLY = "(nothing to show)"
HEADER_MAX = 256  # a reply title is a heading, not prose: long ones end in a visible "…"
REF_HEX = 10
_REF = re.compile(rf"\bref [0-9a-f]{{{REF_HEX}}}\b")
REF_ROOM = 20  # what a ref takes: " · ref " + 10 hex in a footer, "\n-# ref " + 10 in content


def message_ref(key: str, part: int = 0) -> str:
    """The tag shown in the `part`-th message of the item `key`; stable across restarts."""
    return "ref " + hashlib.sha256(f"{key}#{part}".encode()).hexdigest()[:REF_HEX]


def shown_refs(message: dict[str, Any]) -> set[str]:
    """The refs a message object (as Discord returns it) shows, in its content or footers."""
    texts = [message.get("content") or ""]
    texts += [((e.get("footer") or {}).get("text") or "") for e in message.get("embeds") or []]
    return {ref for text in texts for ref in _REF.findall(text)}


def _tagged(body: Body, ref: str) -> Body:
    if body.get("embeds"):
        embeds = [dict(e) for e in body["embeds"]]
        footer = (embeds[-1].get("footer") or {}).get("text") or ""
        embeds[-1]["footer"] = {"text": f"{footer} · {ref}" if footer else ref}
        return {**body, "embeds": embeds}
    content = body.get("content") or ""
    return {**body, "content": f"{content}\n-# {ref}" if content else f"-# {ref}"}


def allowed_mentions(user_ids: list[str]) -> dict[str, Any]:
    """Ping nobody — no roles, no @everyone/@here — except exactly `user_ids`."""
    am: dict[str, Any] = {"parse": [], "replied_user": False}
    if user_ids:
        am["users"] = list(user_ids)
    return am


def _mention_chunks(user_ids: tuple[str, ...], limit: int) -> list[tuple[str, list[str]]]:
    """`<@id>` lines for the users to ping, ≤100 ids and ≤`limit` characters per message."""
    ids = list(dict.fromkeys(u for u in user_ids if u.isdigit()))  # snowflakes only
    chunks: list[tuple[str, list[str]]] = []
    line, members = "", []
    for uid in ids:
        token = f"<@{uid}>"
        full = len(line) + 1 + len(token) > limit or len(members) == ALLOWED_USERS_MAX
        if members and full:
            chunks.append((line, members))
            line, members = "", []
        line = f"{line} {token}" if line else token
        members.append(uid)
    if members:
        chunks.append((line, members))
    return chunks


def _links_line(reply: Reply) -> str:
    parts = []
    for link in reply.links:
        url = safe_url(link.url)
        if url:
            parts.append(f"[{link_label(link.label)}](<{url}>)")
    return " · ".join(parts)


def _code_blocks(text: str, header: str, limit: int) -> list[str]:
    """Preformatted text (BibTeX) in code blocks, one complete block per message. Inside a
    block Discord shows markdown literally, so only a fence needs breaking; mention syntax is
    broken anyway so that nothing even looks like a ping."""
    body = defang_mentions(clean(text).replace("```", "`" + ZWSP + "``"))
    fence = len("```\n\n```")
    first = limit - fence - (len(header) + 1 if header else 0)
    blocks = [f"```\n{p}\n```" for p in split_text(body, limit - fence, first)]
    if header and blocks:
        blocks[0] = f"{header}\n{blocks[0]}"
    return blocks or ([header] if header else [])


def _content_pieces(reply: Reply, limit: int) -> list[str]:
    header = ""
    if reply.title:
        header = f"**{shorten(safe(reply.title, single_line=True), HEADER_MAX)}**"
    if reply.preformatted:
        return _code_blocks(reply.text.strip(), header, limit)
    text = safe(reply.text.strip()).strip()  # the body only: title, cards and links are apart
    joined = "\n".join(p for p in (header, text, _links_line(reply)) if p)
    return split_text(joined, limit)


def _pack(chunks: list[tuple[str, list[str]]], embeds: list[Body], total: int) -> list[Body]:
    messages: list[Body] = [{"content": t, "users": u, "embeds": []} for t, u in chunks]
    if not messages:
        messages.append({"content": None, "users": [], "embeds": []})
    for e in embeds:
        cur = messages[-1]
        size = sum(embed_length(x) for x in cur["embeds"])
        if len(cur["embeds"]) >= EMBEDS_PER_MESSAGE or size + embed_length(e) > total:
            cur = {"content": None, "users": [], "embeds": []}
            messages.append(cur)
        cur["embeds"].append(e)
    bodies = []
    for m in messages:
        body: Body = {}
        if m["content"]:
            body["content"] = m["content"]
        if m["embeds"]:
            body["embeds"] = m["embeds"]
        if not body:
            body["content"] = EMPTY_REPLY
        body["allowed_mentions"] = allowed_mentions(m["users"])
        bodies.append(body)
    return bodies


SIMILAR_ID = "paperbot:similar:"  # + paper id; answered by adapters/discord/discover.py
BUTTONS_PER_ROW, ROWS_MAX = 5, 5  # https://discord.com/developers/docs/components/reference


def similar_components(cards: list[PaperCard]) -> list[Body]:
    """A "More like this" button per card of a message (secondary style), in action rows."""
    buttons = [
        {
            "type": 2,
            "style": 2,
            "label": "More like this" if len(cards) == 1 else f"More like #{c.rank or n}",
            "custom_id": SIMILAR_ID + c.paper_id,
        }
        for n, c in enumerate(cards, 1)
        if c.paper_id and find_arxiv_id(c.paper_id) == c.paper_id
    ][: BUTTONS_PER_ROW * ROWS_MAX]
    step = BUTTONS_PER_ROW
    return [{"type": 1, "components": buttons[i : i + step]} for i in range(0, len(buttons), step)]


def _with_buttons(bodies: list[Body], firsts: dict[int, PaperCard]) -> list[Body]:
    """Each body gets the buttons of the cards whose first embed it carries."""
    for body in bodies:
        cards = [firsts[id(e)] for e in body.get("embeds", []) if id(e) in firsts]
        rows = similar_components(cards)
        if rows:
            body["components"] = rows
    return bodies


def reply_bodies(reply: Reply, *, key: str | None = None) -> list[Body]:
    """The message bodies for one reply, in posting order; at least one. With the item's
    ledger `key`, each body also shows its ref (`message_ref(key, i)`), room kept for it."""
    room = REF_ROOM if key is not None else 0
    limit = CONTENT_MAX - room
    chunks = _mention_chunks(reply.mention_user_ids, limit)
    pieces = _content_pieces(reply, limit)
    merged = chunks[:-1]
    if chunks and pieces and len(chunks[-1][0]) + 1 + len(pieces[0]) <= limit:
        merged.append((f"{chunks[-1][0]}\n{pieces[0]}", chunks[-1][1]))
        pieces = pieces[1:]
    elif chunks:
        merged.append(chunks[-1])
    merged += [(p, []) for p in pieces]
    per_card = [(card, card_embeds(card, reserve=room)) for card in reply.cards]
    embeds = [e for _, es in per_card for e in es]
    firsts = {id(es[0]): card for card, es in per_card if es}
    bodies = _with_buttons(_pack(merged, embeds, EMBEDS_TOTAL_MAX - room), firsts)
    if key is None:
        return bodies
    return [_tagged(b, message_ref(key, i)) for i, b in enumerate(bodies)]


def thread_name(name: str) -> str:
    """A thread / forum post name: one line, no mention syntax, ≤100 characters."""
    return shorten(plain(name), THREAD_NAME_MAX) or "Daily Papers"


def thread_body(name: str) -> Body:
    return {"name": thread_name(name), "auto_archive_duration": ARCHIVE_ONE_DAY}


def forum_post_body(name: str, first_message: Body) -> Body:
    return {**thread_body(name), "message": first_message}


def nonce_for(key: str, part: int = 0) -> str:
    """A stable nonce (≤25 chars) for the `part`-th message of the item `key`."""
    return hashlib.sha256(f"{key}#{part}".encode()).hexdigest()[:NONCE_MAX]


def with_nonce(body: Body, key: str, part: int = 0) -> Body:
    """A message body as the poster sends it: with the nonce of its key and part, enforced,
    so a send retried after a lost answer returns the first message instead of a second."""
    return {**body, "nonce": nonce_for(key, part), "enforce_nonce": True}


def digest_api_calls(digest: Any, channel_id: str = "0", *, forum: bool = False) -> list[Body]:
    """The day's thread as the REST calls that post it, in order, each message with its ref
    and the nonce delivery sends it with (both from its `message_key` in `channel_id`).

    Ids Discord assigns while posting are placeholders: `{parent_message_id}` (the parent
    message) and `{thread_id}` (the thread; for a thread started from a message it equals
    the parent message id, for a forum post the new post's id).
    """
    parent_key = message_key(digest.day, PARENT, channel_id)
    parent = reply_bodies(digest.parent, key=parent_key)
    calls: list[Body] = []
    if forum:  # a forum post is a thread, created with its first message (no nonce)
        body = forum_post_body(digest.thread_name, parent[0])
        calls.append({"api": f"POST /channels/{channel_id}/threads", "body": body})
    else:
        first = with_nonce(parent[0], parent_key)
        calls.append({"api": f"POST /channels/{channel_id}/messages", "body": first})
        api = f"POST /channels/{channel_id}/messages/{{parent_message_id}}/threads"
        calls.append({"api": api, "body": thread_body(digest.thread_name)})
    rest = [with_nonce(b, parent_key, part) for part, b in enumerate(parent) if part]
    for item in digest.items:
        key = message_key(digest.day, item.cards[0].paper_id, channel_id)
        rest += [with_nonce(b, key, part) for part, b in enumerate(reply_bodies(item, key=key))]
    calls += [{"api": "POST /channels/{thread_id}/messages", "body": b} for b in rest]
    return calls
