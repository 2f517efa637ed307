"""Floods (issue #9, item 5): Discord splits rather than cuts, so the core caps every field a
source sends before it reaches a card. However long a paper's fields, its reply in the day's
thread — and the parent, and `/papers show` — is at most two messages, each valid for Discord.

The papers go through the real path (storage, summary chain, `card_for`, the overview) and
the bodies are the renderer's real output, checked by the fake's own validator.
"""

from __future__ import annotations

from hypothesis import example, given

from adapters.discord.render import reply_bodies
from bot.model import Paper, Reply
from tests.fakes.discord.validate import message_problems
from tests.support.hostile import (
    MAX_MESSAGES_PER_ITEM,
    SLOW,
    digest_of,
    flood,
    hostile_papers,
    replies_to,
)


def _bodies(reply: Reply) -> list[dict]:
    bodies = reply_bodies(reply)
    assert all(not message_problems(b) for b in bodies)
    return bodies


def test_the_issue_cases_are_one_message_each() -> None:
    digest = digest_of(flood())  # before the caps: 111 messages for the parent, 498 for the paper
    assert [len(_bodies(r)) for r in (digest.parent, *digest.items)] == [1, 1]
    assert [len(_bodies(r)) for r in replies_to(flood())] == [1]


@SLOW
@given(hostile_papers())
@example(flood())
def test_a_paper_with_huge_fields_is_at_most_two_messages_in_the_thread(paper: Paper) -> None:
    digest = digest_of(paper)
    for reply in (digest.parent, *digest.items):
        assert len(_bodies(reply)) <= MAX_MESSAGES_PER_ITEM


@SLOW
@given(hostile_papers())
def test_show_and_today_answer_a_huge_paper_in_at_most_two_messages(paper: Paper) -> None:
    for command in ("/papers show 2510.00001", "/papers today"):
        for reply in replies_to(paper, command):
            assert len(_bodies(reply)) <= MAX_MESSAGES_PER_ITEM
