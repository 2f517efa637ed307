"""Floods (issue #9, item 5): however long a paper's fields, its reply in the day's thread —
and the parent, and `/papers show` — is at most two Slack messages, each valid Block Kit.

The papers go through the real path (storage, summary chain, `card_for`, the overview) and
the bodies are the renderer's real output, checked by the fake's own Block Kit rules.
"""

from __future__ import annotations

from hypothesis import example, given

from adapters.slack.render import render_reply
from bot.model import Paper, Reply
from tests.fakes.slack.block_kit_rules import validate_message
from tests.support.hostile import (
    MAX_MESSAGES_PER_ITEM,
    SLOW,
    digest_of,
    flood,
    hostile_papers,
    replies_to,
)


def _bodies(reply: Reply) -> list[dict]:
    bodies = render_reply(reply)
    for body in bodies:
        verdict = validate_message(body)
        assert verdict.ok, verdict
    return bodies


def test_the_issue_cases_are_one_message_each() -> None:
    digest = digest_of(flood())
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
