"""Being in the channel a daily thread goes to, before `/papers channel enable` stores it.

`chat:write.public` lets a bot post in a public channel it is not in, but Slack lets it read
only the conversations it is a member of (https://api.slack.com/scopes/chat:write.public), and
reading back is how paperbot avoids posting a message twice. So enabling a public channel
joins it (conversations.join, scope `channels:join`, https://api.slack.com/methods/conversations.join).
A private channel cannot be joined, only invited to: one the bot is in answers
`method_not_supported_for_channel_type` (it is in, nothing to do); one it is not in does not
exist for it (`channel_not_found`), and the admin is asked to invite @paperbot first.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from adapters.slack.errors import error_code
from bot.model import Reply

if TYPE_CHECKING:
    from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)

REFUSALS = {
    "channel_not_found": (
        "paperbot is not in this private channel: invite @paperbot first"
        " (/invite @paperbot), then run /papers channel enable again."
    ),
    "is_archived": "This channel is archived: paperbot cannot post a daily thread here.",
    "missing_scope": (
        "paperbot's Slack app lacks the channels:join scope: update the app from"
        " slack/manifest.yml and reinstall it, then try again."
    ),
}
ALREADY_IN = "method_not_supported_for_channel_type"  # a private channel or DM it can see


async def ensure_member(client: AsyncWebClient, channel_id: str) -> Reply | None:
    """None once the bot is in the channel; otherwise the private refusal to answer with."""
    try:
        await client.conversations_join(channel=channel_id)
        return None
    except Exception as e:
        code, status = error_code(e)
    if code == ALREADY_IN:
        return None
    text = REFUSALS.get(code or "")
    if text is None:
        log.warning("slack: conversations.join %s failed: %s (HTTP %s)", channel_id, code, status)
        text = f"Could not join this channel ({code or 'Slack did not answer'}); try again."
    return Reply(text=text, private=True, is_error=True)
