"""The fake refuses what Discord refuses in a message's buttons
(https://discord.com/developers/docs/components/reference#action-row, #button)."""

from __future__ import annotations

import pytest

from tests.fakes.discord.validate import message_problems

LINK = {"type": 2, "style": 5, "label": "PDF", "url": "https://arxiv.org/pdf/2509.1"}
SAVE = {"type": 2, "style": 2, "label": "Save", "custom_id": "paperbot:save:2509.1"}


def _body(*rows: list[dict]) -> dict:
    return {"content": "x", "components": [{"type": 1, "components": r} for r in rows]}


def test_link_and_custom_buttons_pass() -> None:
    assert message_problems(_body([LINK, SAVE])) == []


@pytest.mark.parametrize(
    "body",
    [
        _body(*[[LINK]] * 6),  # six rows
        _body([LINK] * 6),  # six buttons in a row
        _body([]),  # an empty row
        _body([SAVE, SAVE]),  # a custom id twice
        _body([{**SAVE, "custom_id": "x" * 101}]),
        _body([{**SAVE, "label": "x" * 81}]),
        _body([{**LINK, "custom_id": "c"}]),  # a link button takes no custom id
        _body([{**SAVE, "custom_id": None}]),
    ],
)
def test_bad_components_are_refused(body: dict) -> None:
    assert message_problems(body)
