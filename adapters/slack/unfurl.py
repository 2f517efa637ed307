"""Pasted paper links on Slack get the paper's card, as a link unfurl.

The manifest lists arxiv.org, huggingface.co and hf.co as `unfurl_domains` and subscribes to
`link_shared` (scope `links:read`): when someone posts a link on those domains, Slack sends
the message's `channel`, `message_ts` and its `links` (https://api.slack.com/events/link_shared);
paperbot answers with chat.unfurl (scope `links:write`, https://api.slack.com/methods/chat.unfurl),
`unfurls` mapping each paper URL exactly as Slack sent it to `{"blocks": card}`
(https://api.slack.com/reference/messaging/link-unfurling). A link that is no paper page, or a
paper no source knows, is left alone: Slack then shows nothing for it, and nothing is posted.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from adapters.slack.errors import error_code
from adapters.slack.render import card_blocks
from bot.commands.pasted import MAX_CARDS, cards_for_ids
from bot.sources.arxiv_ids import find_arxiv_id

if TYPE_CHECKING:
    from slack_bolt.async_app import AsyncApp

    from adapters.slack.poster import SlackPoster
    from bot.core import Core

log = logging.getLogger(__name__)


def register_unfurls(app: AsyncApp, core: Core, poster: SlackPoster) -> None:
    @app.event("link_shared")
    async def on_link_shared(event: dict[str, Any]) -> None:
        await unfurl_links(core, poster, event)


def paper_links(event: dict[str, Any]) -> dict[str, str]:
    """The event's paper URLs (as Slack sent them) → their arXiv id, first MAX_CARDS ids."""
    out: dict[str, str] = {}
    for link in event.get("links") or []:
        url = str((link or {}).get("url") or "")
        pid = find_arxiv_id(url) if url else None
        if pid and (pid in out.values() or len(set(out.values())) < MAX_CARDS):
            out[url] = pid
    return out


async def unfurl_links(core: Core, poster: SlackPoster, event: dict[str, Any]) -> None:
    """Answer one link_shared event; any failure is logged, never raised into Bolt."""
    channel, ts = str(event.get("channel") or ""), str(event.get("message_ts") or "")
    links = paper_links(event)
    if not (channel and ts and links):
        return
    cards = await cards_for_ids(core, list(dict.fromkeys(links.values())))
    unfurls = {
        url: {"blocks": card_blocks(cards[pid], i)}
        for i, (url, pid) in enumerate(links.items())
        if pid in cards
    }
    if not unfurls:
        return
    try:
        await poster.client.chat_unfurl(channel=channel, ts=ts, unfurls=unfurls)
    except Exception as e:
        code, _ = error_code(e)
        log.warning("slack: chat.unfurl for %s in %s refused (%s)", ts, channel, code or e)
