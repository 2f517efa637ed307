"""Loopback fakes of the Discord REST API and gateway (see rest.py)."""

from tests.fakes.discord.interactions import ADMIN_PERMS, MEMBER_PERMS, FakeInteraction
from tests.fakes.discord.ratelimit import RateLimits
from tests.fakes.discord.responses import Posted
from tests.fakes.discord.rest import FakeDiscord

__all__ = ["ADMIN_PERMS", "MEMBER_PERMS", "FakeDiscord", "FakeInteraction", "Posted", "RateLimits"]
