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

REFUSALS = {  # Slack says the bot cannot be in this channel: nothing is stored
    "channel_not_found": (
        "paperbot is not in this private channel: invite @paperbot first"
        " (/invite @paperbot), then run /papers channel enable again."
    ),
    "is_archived": "This channel is archived: paperbot cannot post a daily thread here.",
}
MISSING_SCOPE = (
    "paperbot could not join this channel: its Slack app lacks the channels:join scope."
    " Update the app from slack/manifest.yml and reinstall it; meanwhile /invite @paperbot"
    " here, so it can read its own thread back."
)
ALREADY_IN = "method_not_supported_for_channel_type"  # a private channel or DM it can see


async def ensure_member(client: AsyncWebClient, channel_id: str) -> tuple[bool, Reply | None]:
    """(may the channel be enabled, a private note for the admin). Only a definite "the bot
    cannot be here" refuses; an install without `channels:join` (or a join that failed) is
    enabled with a note saying what to do."""
    try:
        await client.conversations_join(channel=channel_id)
        return True, None
    except Exception as e:
        code, status = error_code(e)
    if code == ALREADY_IN:
        return True, None
    if code in REFUSALS:
        return False, Reply(text=REFUSALS[code], private=True, is_error=True)
    log.warning("slack: conversations.join %s failed: %s (HTTP %s)", channel_id, code, status)
    text = (
        MISSING_SCOPE
        if code == "missing_scope"
        else (
            f"paperbot could not join this channel ({code or 'Slack did not answer'});"
            " /invite @paperbot here so it can read its own thread back."
        )
    )
    return True, Reply(text=text, private=True, is_error=True)
