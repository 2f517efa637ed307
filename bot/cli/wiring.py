"""The one module that imports `adapters/` (SPEC §2's composition root), each adapter when
first needed — lazily, so a command never imports a platform SDK it does not use (and a
missing platform extra is an ImportError the caller turns into one line).
"""

from __future__ import annotations

from typing import Any


def shell_app() -> Any:
    from adapters.shell import app

    return app


def shell_render_reply() -> Any:
    from adapters.shell.render import render_reply

    return render_reply


def digest_api_calls(platform: str) -> Any:
    """The adapter's `digest_api_calls` for `paperbot digest --format slack|discord`."""
    if platform == "slack":
        from adapters.slack.render import digest_api_calls as slack_calls

        return slack_calls
    from adapters.discord.render import digest_api_calls as discord_calls

    return discord_calls


def platform_runner(platform: str) -> Any:
    """`run_discord` / `run_slack`; ImportError when the platform's extra is not installed."""
    if platform == "discord":
        from adapters.discord.client import run_discord

        return run_discord
    from adapters.slack.app import run_slack

    return run_slack


def discord_invite_url(application_id: str) -> str:
    from adapters.discord.invite import invite_url

    return invite_url(application_id)


def doctor_checks(platform: str) -> Any:
    """The adapter's `paperbot doctor` checks: `async (config, channels) -> list[Check]`."""
    if platform == "slack":
        from adapters.slack.doctor import slack_checks

        return slack_checks
    from adapters.discord.doctor import discord_checks

    return discord_checks
