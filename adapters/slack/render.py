"""Neutral replies → Slack message bodies (Block Kit + plain fallback). Pure: no SDK, no I/O.

A reply that does not fit one message (50 blocks, ~12,000 chars) is split over several, each
whole card kept together; single over-long strings are clipped with a visible "…". Untrusted
text is always escaped; the only mentions emitted are the core's `mention_user_ids`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from adapters.slack import blocks as bk
from adapters.slack.mrkdwn import ELLIPSIS, clip, escape, link, mention, one_line, safe_url
from bot.cards import (
    SAVE_LABEL,
    card_keywords,
    card_links,
    compact_facts,
    compact_tldr,
    context_facts,
    safe_image_url,
)
from bot.commands.share import share_action_id
from bot.daily.posting import PARENT, message_key
from bot.model import DayHeadline, Digest, Link, PaperCard, Reply, TopPaper
from bot.sources.arxiv_ids import find_arxiv_id

PARENT_TS_PLACEHOLDER = "{parent_ts}"
METADATA_EVENT_TYPE = "paperbot_item"
CARD_TITLE = 300
CARD_TLDR = 1500
CARD_META = 300
PARENT_TITLE = 200  # a most-upvoted title in the parent
PARENT_OVERVIEW = 1500
MENTIONS_PER_SECTION = 100
SAVE_ACTION = "paperbot_save"  # + "_<n>"; the paper id rides in the button's value

Body = dict[str, Any]


# --- splitting ---------------------------------------------------------------------------
def split_escaped(text: str, limit: int = bk.MAX_SECTION_TEXT) -> list[str]:
    """Split escaped text into pieces ≤ limit at line breaks, else spaces, never in an entity."""
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[:limit]
        cut = window.rfind("\n")
        if cut < limit // 2:
            cut = window.rfind(" ")
        if cut < limit // 2:
            cut = limit
            amp = window.rfind("&", limit - 5)
            if amp != -1 and ";" not in window[amp:]:
                cut = amp
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return [p for p in pieces if p]


# --- cards ---------------------------------------------------------------------------------
def _link_buttons(links: tuple[Link, ...], card_index: int) -> list[dict[str, Any]]:
    buttons = []
    for j, item in enumerate(links):
        url = safe_url(item.url)
        label = one_line(item.label, bk.MAX_BUTTON_TEXT)
        if url and label and len(url) <= bk.MAX_BUTTON_URL:
            buttons.append(bk.button(label, url, f"paperbot_link_{card_index}_{j}"))
    return buttons[:5]


def card_buttons(card: PaperCard, card_index: int) -> list[dict[str, Any]]:
    """Every button of a card, in order — the one place they are built (a new button is one
    line here): PDF, Code ⭐N, Project (`bot.cards.card_links`), then Save and More like this."""
    buttons = _link_buttons(card_links(card), card_index)
    save_id = f"{SAVE_ACTION}_{card_index}"  # action ids must be unique within a message
    buttons.append(bk.action_button(SAVE_LABEL, save_id, card.paper_id[: bk.MAX_BUTTON_VALUE]))
    buttons += [b for b in (similar_button(card),) if b]
    return buttons


def _thumbnail(card: PaperCard) -> dict[str, Any] | None:
    """The HF thumbnail as the section's accessory; `card.thumbnail` is checked already,
    checked again here (`safe_image_url`: https, a host, no space) because Slack's own servers
    fetch whatever URL a block names, and refuse the whole message over one they cannot."""
    url = safe_image_url(card.thumbnail)
    if url is None or len(url) > bk.MAX_IMAGE_URL:
        return None
    return bk.image(url, one_line(card.title, 200))


def _context_line(card: PaperCard) -> list[str]:
    """`▲ 55 · 💬 3 · ⭐ 6.3k · NVIDIA · Qinsi Wang, Bo Liu et al. · _kw · kw · kw_`: the facts
    and up to 3 keywords as *one* element, so they wrap as one run of text — two elements
    would each start a line once they no longer fit side by side (#11: a reply's height)."""
    facts = " · ".join(f for f in (one_line(x, CARD_META) for x in context_facts(card)) if f)
    keywords = one_line(" · ".join(card_keywords(card)), CARD_META)
    line = " · ".join(
        t for t in (clip(facts, CARD_META * 2), f"_{keywords}_" if keywords else "") if t
    )
    return [line] if line else []


SIMILAR_ACTION = "paperbot:similar:"  # + paper id; answered by adapters/slack/discover.py


def similar_button(card: PaperCard) -> dict[str, Any] | None:
    """ "More like this": the caller alone gets `/papers similar <id>`'s answer."""
    if not card.paper_id or find_arxiv_id(card.paper_id) != card.paper_id:
        return None  # only a real id: action ids are unique per message, and a paper is once
    action_id = SIMILAR_ACTION + card.paper_id
    return {"type": "button", "text": bk.plain("More like this"), "action_id": action_id}


def card_blocks(card: PaperCard, card_index: int = 0) -> list[bk.Block]:
    """One paper, compact: linked title + TL;DR beside the thumbnail, one context line, and
    the buttons. No HF button: the title is that link."""
    rank = f"{card.rank}. " if card.rank is not None else ""
    lines = [f"*{rank}{link(card.url, card.title, CARD_TITLE) or ELLIPSIS}*"]
    if card.tldr.strip():
        lines.append(one_line(card.tldr, CARD_TLDR))
    if card.matched_label():
        lines.append(f"_{one_line(card.matched_label(), CARD_META)}_")
    if card.like.strip():
        lines.append(f"like _{one_line(card.like, CARD_TITLE)}_")
    out = [bk.section("\n".join(lines), _thumbnail(card))]
    meta = _context_line(card)
    if meta:
        out.append(bk.context(meta))
    out.append(bk.actions(card_buttons(card, card_index)))
    return out


def compact_line(card: PaperCard) -> str:
    """A compact channel's line: `*1. <url|title>* · ▲ 55 · ⭐ 6.3k · the TL;DR`."""
    rank = f"{card.rank}. " if card.rank is not None else ""
    parts = [f"*{rank}{link(card.url, card.title, CARD_TITLE) or ELLIPSIS}*"]
    parts += [escape(f) for f in compact_facts(card)]
    tldr = one_line(compact_tldr(card), CARD_TLDR)
    return " · ".join(parts + ([tldr] if tldr else []))


def share_actions(card: PaperCard) -> bk.Block:
    """The Share button under a private card: its click (block_actions, handled in
    `adapters/slack/interactive.py`) posts the card to the channel."""
    button = {
        "type": "button",
        "text": bk.plain("Share to channel"),
        "action_id": share_action_id(card.paper_id),
        "value": card.paper_id,
    }
    return bk.actions([button])


# --- mentions -----------------------------------------------------------------------------
def mention_tokens(user_ids: tuple[str, ...]) -> list[str]:
    """`<@U…>` for each well-formed id the core named, deduplicated, in order."""
    seen: dict[str, None] = {}
    for uid in user_ids:
        token = mention(uid)
        if token:
            seen.setdefault(token, None)
    return list(seen)


def _mention_units(tokens: list[str]) -> list[list[bk.Block]]:
    return [
        [bk.section(" ".join(tokens[i : i + MENTIONS_PER_SECTION]))]
        for i in range(0, len(tokens), MENTIONS_PER_SECTION)
    ]


# --- packing into messages -----------------------------------------------------------------
Unit = tuple[str, list[bk.Block], PaperCard | None]  # kind, blocks, the card it shows


def _pack(units: list[Unit]) -> list[tuple[list[bk.Block], list[PaperCard]]]:
    """Greedy: keep adding whole units (a card, a text section) while the message fits; a
    header never ends a message (it moves on with what it heads)."""
    messages: list[tuple[list[bk.Block], list[PaperCard]]] = []
    blocks: list[bk.Block] = []
    cards: list[PaperCard] = []
    for kind, unit, card in units:
        needs_divider = kind == "card" and blocks and blocks[-1]["type"] != "header"
        add = [bk.divider(), *unit] if needs_divider else unit
        too_many = len(blocks) + len(add) > bk.MAX_BLOCKS
        too_long = bk.text_size(blocks) + bk.text_size(add) > bk.BLOCKS_TEXT_BUDGET
        if blocks and (too_many or too_long):
            carried = [blocks.pop()] if len(blocks) > 1 and blocks[-1]["type"] == "header" else []
            messages.append((blocks, cards))
            blocks, cards, add = carried, [], unit
        blocks = blocks + add
        cards = cards + [card] if card is not None else cards
    if blocks:
        messages.append((blocks, cards))
    return messages


def _fallback(title: str, mentions: list[str], cards: list[PaperCard]) -> str:
    """The notification / screen-reader text: mentions, the title, then one line per card."""
    head: list[str] = []
    budget = 400
    for token in mentions:
        if budget - len(token) < 0:
            break
        head.append(token)
        budget -= len(token) + 1
    lines = [" ".join(head)] if head else []
    lines.append(one_line(title, 300))
    for c in cards:
        rank = f"{c.rank}. " if c.rank is not None else ""
        lines.append(one_line(f"{rank}{c.title}", 200))
    text = "\n".join(line for line in lines if line)
    return clip(text, bk.MAX_FALLBACK_TEXT) or "paperbot"


def _reply_units(reply: Reply, tokens: list[str], first_card: int = 0) -> list[Unit]:
    """The blocks of one reply; `first_card` numbers its buttons after those of earlier
    replies packed into the same message (action ids must be unique in a message)."""
    units: list[Unit] = []
    if reply.title and reply.title.strip():
        units.append(("header", [bk.header(one_line(reply.title, bk.MAX_HEADER_TEXT))], None))
    units += [("mention", u, None) for u in _mention_units(tokens)]
    text = escape(reply.text.strip())
    if reply.is_error and text:
        text = f":warning: {text}"
    if reply.preformatted and text:  # BibTeX and the like: a code block, never reflowed
        pieces = split_escaped(text, bk.MAX_SECTION_TEXT - 6)
        units += [("text", [bk.section(f"```{piece}```")], None) for piece in pieces]
    else:
        units += [("text", [bk.section(piece)], None) for piece in split_escaped(text)]
    if reply.headline is not None:  # the parent of a day's thread
        units.append(("text", headline_blocks(reply.headline), None))
    # Links the core asks for on a message itself (an optional `links` on Reply).
    links = tuple(getattr(reply, "links", ()) or ())
    buttons = _link_buttons(links, first_card + len(reply.cards))
    if buttons:
        units.append(("links", [bk.actions(buttons)], None))
    if reply.compact:  # a line per paper, kept whole; no buttons
        units += [("line", [bk.section(compact_line(c))], c) for c in reply.cards]
    else:
        for i, c in enumerate(reply.cards):
            share = [share_actions(c)] if reply.shareable and reply.private else []
            units.append(("card", card_blocks(c, first_card + i) + share, c))
    if not units:
        units.append(("text", [bk.section(ELLIPSIS)], None))
    return units


def render_reply(reply: Reply) -> list[Body]:
    """A neutral reply → one or more `{"text", "blocks"}` message bodies, in order."""
    return render_replies([reply])


def render_replies(replies: Sequence[Reply]) -> list[Body]:
    """Several replies shown together (one command's answer), packed into as few messages as
    Slack's limits allow — whole cards kept together, in order."""
    units: list[Unit] = []
    tokens: list[str] = []
    first_card = 0
    for reply in replies:
        mine = mention_tokens(reply.mention_user_ids)
        units += _reply_units(reply, mine, first_card)
        tokens += [t for t in mine if t not in tokens]
        first_card += len(reply.cards) + 1
    head = replies[0] if replies else Reply(text="")
    title = (head.title or head.text.strip().split("\n", 1)[0]).strip()
    if head.headline is not None:  # the notification says the day's count too
        title = f"{title} · {''.join(head.headline.count_parts)}"
    bodies = []
    for n, (blocks, cards) in enumerate(_pack(units)):
        shown = title if n == 0 else f"{title} (continued)".strip()
        bodies.append({"text": _fallback(shown, tokens if n == 0 else [], cards), "blocks": blocks})
    return bodies


# --- the daily thread -----------------------------------------------------------------------
def headline_blocks(headline: DayHeadline) -> list[bk.Block]:
    """The parent of a day's thread under its header: the count, the themes (or the LLM's
    overview), the most upvoted titles linked with their ▲. The button to the day's page is
    the reply's link; no raw URL is shown."""
    count, rest = headline.count_parts
    out = [bk.section(f"*{escape(count)}* {one_line(rest, CARD_META)}")]
    if headline.overview.strip():
        out.append(bk.section(one_line(headline.overview, PARENT_OVERVIEW)))
    elif headline.themes:
        themes = " · ".join(f"{one_line(t.label, CARD_META)} ({t.count})" for t in headline.themes)
        out.append(bk.section(f"*Themes:* {themes}"))
    if headline.top:
        lines = [_top_line(t) for t in headline.top]
        out.append(bk.section("*Most upvoted*\n" + "\n".join(lines)))
    return out


def _top_line(top: TopPaper) -> str:
    title = link(top.url, top.title, PARENT_TITLE) or ELLIPSIS
    return f"▲ {top.upvotes}  {title}" if top.upvotes is not None else title


def item_metadata(key: str, day: str, paper_id: str, part: int = 0) -> dict[str, Any]:
    """Slack message metadata that lets a restarted delivery recognise what it already sent."""
    payload: dict[str, Any] = {"key": key, "day": day, "paper_id": paper_id}
    if part:
        payload["part"] = part
    return {"event_type": METADATA_EVENT_TYPE, "event_payload": payload}


def post_body(
    channel: str,
    message: Body,
    *,
    thread_ts: str | None = None,
    metadata: dict[str, Any] | None = None,
) -> Body:
    """A chat.postMessage body: never unfurl, never auto-link names (@channel stays text)."""
    body: Body = {"channel": channel, **message, "unfurl_links": False, "unfurl_media": False}
    body["link_names"] = False
    if thread_ts:
        body["thread_ts"] = thread_ts
    if metadata:
        body["metadata"] = metadata
    return body


def digest_item_key(day: str, item: Reply, channel: str) -> tuple[str, str]:
    """(key, paper_id) of one thread reply: the key delivery sends it under."""
    paper_id = item.cards[0].paper_id if item.cards else ""
    return message_key(day, paper_id or "item", channel), paper_id


def digest_api_calls(digest: Digest, channel: str = "C0") -> list[dict[str, Any]]:
    """Every chat.postMessage call of the day's thread, in order, as the adapter sends them.

    Replies cannot know the parent's `ts` offline: their `thread_ts` is the literal
    placeholder "{parent_ts}", to be replaced with the `ts` the first call returns.
    """
    calls = []
    for part, message in enumerate(render_reply(digest.parent)):
        meta = item_metadata(message_key(digest.day, PARENT, channel), digest.day, "", part)
        body = post_body(channel, message, metadata=meta)
        if part:  # a parent too long for one message continues inside its own thread
            body["thread_ts"] = PARENT_TS_PLACEHOLDER
        calls.append({"api": "chat.postMessage", "body": body})
    for item in digest.items:
        key, paper_id = digest_item_key(digest.day, item, channel)
        for part, message in enumerate(render_reply(item)):
            body = post_body(
                channel,
                message,
                thread_ts=PARENT_TS_PLACEHOLDER,
                metadata=item_metadata(key, digest.day, paper_id, part),
            )
            calls.append({"api": "chat.postMessage", "body": body})
    return calls
