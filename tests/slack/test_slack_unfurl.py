"""Papers pasted in Slack, end to end: a real `link_shared` event over Socket Mode for a message
with arXiv / Hugging Face links is answered with chat.unfurl, one card per paper link (a stored
paper, and one looked up on the Hugging Face fake, summarised and stored), escaped; a message
whose links are no paper pages gets no unfurl at all."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import pytest

from adapters.slack.app import run_slack
from adapters.slack.doctor import manifest_bot_scopes
from storage import papers as paper_store
from tests.fakes.hf import FakeHF
from tests.fakes.slack.payloads import link_shared_event
from tests.fakes.slack.socket_mode import ACK_DEADLINE, FakeSocketModeServer
from tests.fakes.slack.web_api import FakeSlackWebApi
from tests.support.chat import until
from tests.support.pasted import (
    NEW,
    NEW_URL,
    NOT_A_PAPER_URL,
    STORED_TITLE,
    STORED_URL,
    hostile_paper,
)
from tests.support.slack_app import make_config, make_core

SOCKET_MODE = True  # `fake` answers apps.connections.open with `socket_fake`
pytestmark = pytest.mark.usefixtures("slack_env")


@pytest.fixture
def hf() -> Iterator[FakeHF]:
    with FakeHF(papers={NEW: hostile_paper()}) as f:
        yield f


async def _share(socket_fake: FakeSocketModeServer, fake: FakeSlackWebApi, urls: list[str]) -> str:
    ts = fake.share_links("C1", urls)
    envelope = socket_fake.deliver(
        "events_api", link_shared_event(channel_id="C1", message_ts=ts, urls=urls)
    )
    ack = await asyncio.to_thread(socket_fake.wait_ack, envelope)
    assert ack is not None and ack.latency < ACK_DEADLINE
    return ts


def test_the_manifest_asks_for_link_unfurling() -> None:
    assert {"links:read", "links:write"} <= set(manifest_bot_scopes() or [])
    import yaml

    from adapters.slack.doctor import MANIFEST

    manifest = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    assert manifest["features"]["unfurl_domains"] == ["arxiv.org", "huggingface.co", "hf.co"]
    assert "link_shared" in manifest["settings"]["event_subscriptions"]["bot_events"]


async def test_pasted_paper_links_are_unfurled_with_their_cards(
    fake: FakeSlackWebApi, socket_fake: FakeSocketModeServer, hf: FakeHF
) -> None:
    config = make_config(fake, "socket")
    sources = config.sources.model_copy(update={"hf_base_url": hf.url})
    config = config.model_copy(update={"sources": sources})
    core = make_core(config)
    assert paper_store.get_paper_row(core.db, NEW) is None
    task = asyncio.create_task(run_slack(core, config))
    try:
        assert await asyncio.to_thread(socket_fake.wait_connected)
        quiet = await _share(socket_fake, fake, [NOT_A_PAPER_URL])  # on the domain, no paper
        ts = await _share(socket_fake, fake, [STORED_URL, NOT_A_PAPER_URL, NEW_URL])
        await until(lambda: len(fake.unfurls.unfurled) == 1)
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):  # the app stopped, not left running
            await task
    [call] = fake.unfurls.unfurled
    assert (call["channel"], call["ts"]) == ("C1", ts) and ts != quiet
    assert set(call["unfurls"]) == {STORED_URL, NEW_URL}  # the URLs exactly as Slack sent them
    stored = json.dumps(call["unfurls"][STORED_URL])
    assert STORED_TITLE in stored
    new = json.dumps(call["unfurls"][NEW_URL], ensure_ascii=False)
    assert "&lt;!channel&gt;" in new and "Pwn" in new  # shown, escaped: Slack's only markup is <…>
    for ping in ("<!channel>", "<!here>", "<!everyone>", "<@U1>"):
        assert ping not in new
    assert paper_store.get_paper_row(core.db, NEW) is not None  # looked up, then stored
    assert not fake.rejected
    await core.aclose()
