"""The Slack Web API fake behaves like Slack where paperbot depends on it."""

from __future__ import annotations

import httpx
import pytest

from tests.fakes.slack.web_api import BOT_TOKEN, FakeSlackWebApi

AUTH = {"Authorization": f"Bearer {BOT_TOKEN}"}


def post(fake: FakeSlackWebApi, method: str, body: dict, auth: dict = AUTH) -> httpx.Response:
    return httpx.post(fake.api_url + method, json=body, headers=auth, timeout=5)


def section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def test_rejects_bad_token(fake: FakeSlackWebApi) -> None:
    r = post(fake, "chat.postMessage", {"channel": "C1", "text": "x"}, auth={})
    assert r.json() == {"ok": False, "error": "not_authed"}
    assert not fake.posted


@pytest.mark.parametrize(
    ("blocks", "text", "error"),
    [
        ([section("x")] * 51, "x", "invalid_blocks"),
        ([section("x" * 3001)], "x", "invalid_blocks"),
        (
            [{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}],
            "x",
            "invalid_blocks",
        ),
        ([{"type": "header", "text": {"type": "mrkdwn", "text": "h"}}], "x", "invalid_blocks"),
        (
            [{"type": "context", "elements": [{"type": "mrkdwn", "text": "c"}] * 11}],
            "x",
            "invalid_blocks",
        ),
        ([{"type": "image"}], "x", "invalid_blocks"),
        ([section("x" * 2900)] * 4, "y" * 400, "msg_too_long"),
        ([], "", "no_text"),
    ],
)
def test_rejects_over_limit_bodies_like_slack(
    fake: FakeSlackWebApi, blocks: list, text: str, error: str
) -> None:
    r = post(fake, "chat.postMessage", {"channel": "C1", "text": text, "blocks": blocks})
    assert r.status_code == 200 and r.json()["ok"] is False
    assert r.json()["error"] == error
    assert not fake.posted and fake.rejected


def test_response_url_validates_too(fake: FakeSlackWebApi) -> None:
    r = httpx.post(fake.response_url(), json={"text": "x", "blocks": [section("x")] * 51})
    assert r.status_code == 400 and r.text == "invalid_blocks"
    r = httpx.post(fake.response_url(), json={"text": "ok", "response_type": "ephemeral"})
    assert r.status_code == 200
    assert fake.messages("response_url")[0].body["response_type"] == "ephemeral"


def test_one_message_per_interval_per_channel(fake: FakeSlackWebApi) -> None:
    fake.min_interval = 30.0
    assert post(fake, "chat.postMessage", {"channel": "C1", "text": "a"}).json()["ok"]
    limited = post(fake, "chat.postMessage", {"channel": "C1", "text": "b"})
    assert limited.status_code == 429 and limited.headers["Retry-After"] == "30"
    assert post(fake, "chat.postMessage", {"channel": "C2", "text": "c"}).json()["ok"]
    assert [p.body["text"] for p in fake.posted] == ["a", "c"]
    assert fake.rate_limited == ["C1"]


def test_threads_read_back_with_metadata(fake: FakeSlackWebApi) -> None:
    meta = {"event_type": "paperbot_item", "event_payload": {"key": "k1"}}
    parent = post(fake, "chat.postMessage", {"channel": "C1", "text": "p"}).json()["ts"]
    post(
        fake,
        "chat.postMessage",
        {"channel": "C1", "text": "r", "thread_ts": parent, "metadata": meta},
    )
    orphan = {"channel": "C1", "text": "r", "thread_ts": "1.2"}
    assert post(fake, "chat.postMessage", orphan).json()["error"] == "thread_not_found"
    args = {"channel": "C1", "ts": parent, "include_all_metadata": "true"}
    got = httpx.get(fake.api_url + "conversations.replies", params=args, headers=AUTH).json()
    assert [m["text"] for m in got["messages"]] == ["p", "r"]
    assert got["messages"][1]["metadata"] == meta


def test_dm_open_and_users_info(fake: FakeSlackWebApi) -> None:
    assert post(fake, "conversations.open", {"users": "U1"}).json()["channel"]["id"] == "DU1"
    assert post(fake, "conversations.open", {"users": "U404"}).json()["error"] == "user_not_found"
    fake.add_user("UADM", admin=True)
    info = httpx.get(fake.api_url + "users.info", params={"user": "UADM"}, headers=AUTH).json()
    assert info["user"]["is_admin"] is True


def history(fake: FakeSlackWebApi, **params: str) -> dict:
    r = httpx.get(fake.api_url + "conversations.history", params=params, headers=AUTH, timeout=5)
    return r.json()


def test_history_is_top_level_newest_first_paged_with_metadata_on_request(
    fake: FakeSlackWebApi,
) -> None:
    meta = {"event_type": "paperbot_item", "event_payload": {"key": "k"}}
    tss = [
        post(fake, "chat.postMessage", {"channel": "C1", "text": t, "metadata": meta}).json()["ts"]
        for t in ("a", "b", "c")
    ]
    post(fake, "chat.postMessage", {"channel": "C1", "text": "reply", "thread_ts": tss[0]})
    post(fake, "chat.postMessage", {"channel": "C2", "text": "elsewhere"})
    page = history(fake, channel="C1", limit="2", include_all_metadata="true")
    assert [m["text"] for m in page["messages"]] == ["c", "b"] and page["has_more"]
    assert all(m["metadata"] == meta for m in page["messages"])
    rest = history(fake, channel="C1", cursor=page["response_metadata"]["next_cursor"])
    assert [m["text"] for m in rest["messages"]] == ["a"] and not rest["has_more"]
    assert "metadata" not in rest["messages"][0]  # only with include_all_metadata
    assert rest["messages"][0]["thread_ts"] == tss[0]  # a thread parent


def test_reads_can_be_refused_while_posting_works(fake: FakeSlackWebApi) -> None:
    """A public channel posted to through chat:write.public, without being a member."""
    fake.read_errors["C1"] = "not_in_channel"
    assert post(fake, "chat.postMessage", {"channel": "C1", "text": "a"}).json()["ok"]
    assert history(fake, channel="C1") == {"ok": False, "error": "not_in_channel"}


def test_a_lost_answer_stores_the_message_then_fails(fake: FakeSlackWebApi) -> None:
    fake.lose_answer("500", after=1)
    fake.lose_answer("drop")
    assert post(fake, "chat.postMessage", {"channel": "C1", "text": "a"}).json()["ok"]
    r = post(fake, "chat.postMessage", {"channel": "C1", "text": "b"})
    assert r.status_code == 500
    with pytest.raises(httpx.RemoteProtocolError):  # the server closed the connection
        post(fake, "chat.postMessage", {"channel": "C1", "text": "c"})
    assert [p.body["text"] for p in fake.messages()] == ["a", "b", "c"]
    assert [kind for kind, _ in fake.answers_lost] == ["500", "drop"]
    assert [ts for _, ts in fake.answers_lost] == [p.ts for p in fake.messages()[1:]]
    fake.lose_answer("500")
    rejected = post(fake, "chat.postMessage", {"channel": "C1", "text": ""})
    assert rejected.status_code == 200 and rejected.json()["error"] == "no_text"
    assert len(fake.lost_answers) == 1  # only a stored message loses its answer
