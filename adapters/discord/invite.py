"""The one link that adds paperbot to a server, asking for exactly what it needs.

Bits from https://discord.com/developers/docs/topics/permissions. Nothing else is requested:
no Manage Messages, no Mention Everyone, no Administrator.
"""

from __future__ import annotations

from urllib.parse import urlencode

PERMISSION_BITS = {
    "View Channel": 1 << 10,
    "Send Messages": 1 << 11,
    "Embed Links": 1 << 14,
    "Read Message History": 1 << 16,
    "Create Public Threads": 1 << 35,
    "Send Messages in Threads": 1 << 38,
}
REQUIRED_PERMISSIONS = sum(PERMISSION_BITS.values())

# The gateway intents the bot identifies with, by discord.py's `Intents` flag names, and their
# bits (https://discord.com/developers/docs/events/gateway#list-of-intents): GUILDS for the
# guilds and channels it posts in, GUILD_MESSAGE_REACTIONS for 👍/👎 votes (votes.py). Neither
# is privileged, so nothing is switched on in the Developer Portal; `paperbot doctor` checks.
INTENT_BITS = {
    "guilds": ("GUILDS", 1 << 0),
    "guild_reactions": ("GUILD_MESSAGE_REACTIONS", 1 << 10),
}
GATEWAY_INTENTS: tuple[str, ...] = ("guilds", "guild_reactions")
# https://discord.com/developers/docs/events/gateway#privileged-intents
PRIVILEGED_INTENTS = {
    "members": "GUILD_MEMBERS",
    "presences": "GUILD_PRESENCES",
    "message_content": "MESSAGE_CONTENT",
}
SCOPES = ("bot", "applications.commands")
AUTHORIZE_URL = "https://discord.com/oauth2/authorize"


def invite_url(application_id: str) -> str:
    """The OAuth2 URL that installs the bot with its slash commands into a server."""
    if not application_id.isdigit():
        raise ValueError(f"'{application_id}' is not a Discord application id")
    query = {
        "client_id": application_id,
        "scope": " ".join(SCOPES),
        "permissions": str(REQUIRED_PERMISSIONS),
        "integration_type": "0",  # guild install
    }
    return f"{AUTHORIZE_URL}?{urlencode(query)}"
