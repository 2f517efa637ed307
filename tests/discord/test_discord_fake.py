"""The Discord fake behaves like Discord where the adapter depends on it: limits → 400,
rate limits → 429 + retry_after, permissions → 403, nonces de-duplicate, calls recorded."""

from __future__ import annotations

import httpx

from tests.fakes.discord import FakeDiscord, RateLimits
from tests.fakes.discord.messages import NONCE_WINDOW


def _client(fake: FakeDiscord) -> httpx.Client:
    return httpx.Client(base_url=fake.api_base, headers={"Authorization": f"Bot {fake.token}"})


def test_over_limit_bodies_get_400_invalid_form_body(fake: FakeDiscord) -> None:
    bad = [
        {"content": "x" * 2001},
        {"embeds": [{"title": "t"}] * 11},
        {"embeds": [{"title": "x" * 257}]},
        {"embeds": [{"description": "x" * 4097}]},
        {"embeds": [{"fields": [{"name": "n", "value": "v" * 1025}]}]},
        {"embeds": [{"fields": [{"name": "n", "value": "v"}] * 26}]},
        {"embeds": [{"footer": {"text": "f" * 2049}}]},
        {"embeds": [{"description": "d" * 4000}, {"description": "d" * 2001}]},
        {"content": "hi", "allowed_mentions": {"parse": ["users"], "users": ["1"]}},
        {"content": "hi", "nonce": "n" * 26},
        {},
    ]
    with _client(fake) as c:
        for body in bad:
            r = c.post(f"/channels/{fake.text_channel_id}/messages", json=body)
            assert r.status_code == 400, body
            assert r.json()["code"] == 50035 and r.json()["errors"]
            assert r.headers["Content-Type"] == "application/json"
    assert not fake.posted
    # Discord's OpenAPI spec caught the ones it can express; the rest are documented limits
    # it cannot (content over 2,000, mutually exclusive mentions, an empty message)
    violations = fake.take_schema_violations()
    assert len(violations) == 7 and any("nonce" in v for v in violations)


def test_thread_names_over_100_are_refused(fake: FakeDiscord) -> None:
    with _client(fake) as c:
        msg = c.post(f"/channels/{fake.text_channel_id}/messages", json={"content": "p"}).json()
        url = f"/channels/{fake.text_channel_id}/messages/{msg['id']}/threads"
        assert c.post(url, json={"name": "x" * 101}).status_code == 400
        ok = c.post(url, json={"name": "Daily", "auto_archive_duration": 1440})
        assert ok.status_code == 200 and ok.json()["id"] == msg["id"]
        assert c.post(url, json={"name": "again"}).json()["code"] == 160004
    (violation,) = fake.take_schema_violations()  # the spec, too, caps a name at 100
    assert "name" in violation


def test_rate_limit_answers_429_with_retry_after_per_channel() -> None:
    fake = FakeDiscord(limits=RateLimits(per_route=3, per_route_window=60)).start()
    other = fake.add_channel("other")
    with _client(fake) as c:
        codes = [
            c.post(f"/channels/{fake.text_channel_id}/messages", json={"content": str(i)})
            for i in range(4)
        ]
        assert [r.status_code for r in codes] == [200, 200, 200, 429]
        limited = codes[-1]
        assert limited.json()["retry_after"] > 0 and limited.json()["global"] is False
        assert limited.headers["Via"] and limited.headers["X-RateLimit-Remaining"] == "0"
        assert codes[1].headers["X-RateLimit-Remaining"] == "1"
        # another channel has its own bucket
        assert c.post(f"/channels/{other}/messages", json={"content": "x"}).status_code == 200
    assert len(fake.posted) == 4
    fake.stop()


def test_global_rate_limit() -> None:
    limits = RateLimits(per_route=100, global_per_window=2, global_window=60)
    with FakeDiscord(limits=limits) as fake, _client(fake) as c:  # type: ignore[union-attr]
        chans = [fake.add_channel(f"c{i}") for i in range(3)]
        codes = [c.post(f"/channels/{ch}/messages", json={"content": "x"}) for ch in chans]
        assert [r.status_code for r in codes] == [200, 200, 429]
        assert codes[2].json()["global"] is True
        assert codes[2].headers["X-RateLimit-Global"] == "true"


def test_enforce_nonce_returns_the_first_message(fake: FakeDiscord) -> None:
    body = {"content": "once", "nonce": "abc", "enforce_nonce": True}
    with _client(fake) as c:
        a = c.post(f"/channels/{fake.text_channel_id}/messages", json=body).json()
        b = c.post(f"/channels/{fake.text_channel_id}/messages", json=body).json()
    assert a["id"] == b["id"] and len(fake.posted) == 1


def test_missing_permission_is_403_50013(fake: FakeDiscord) -> None:
    fake.deny(fake.text_channel_id, "SEND_MESSAGES")
    with _client(fake) as c:
        r = c.post(f"/channels/{fake.text_channel_id}/messages", json={"content": "x"})
    assert r.status_code == 403 and r.json()["code"] == 50013


def test_forum_channels_take_posts_not_messages(fake: FakeDiscord) -> None:
    with _client(fake) as c:
        r = c.post(f"/channels/{fake.forum_channel_id}/messages", json={"content": "x"})
        assert r.status_code == 400 and r.json()["code"] == 40058
        url = f"/channels/{fake.forum_channel_id}/threads"
        assert c.post(url, json={"name": "no message"}).status_code == 400
        post = c.post(url, json={"name": "Daily", "message": {"content": "hi"}}).json()
    assert post["message"]["id"] == post["id"] and post["parent_id"] == fake.forum_channel_id


def test_command_sync_validates_like_discord(fake: FakeDiscord) -> None:
    app = fake.application_id
    with _client(fake) as c:
        bad = [{"name": "Papers", "description": "x"}]
        assert c.put(f"/applications/{app}/commands", json=bad).status_code == 400
        opts = [
            {"name": "a", "description": "a", "type": 3},
            {"name": "b", "description": "b", "type": 3, "required": True},
        ]
        bad = [{"name": "papers", "description": "d", "options": opts}]
        assert c.put(f"/applications/{app}/commands", json=bad).status_code == 400
        good = [{"name": "papers", "description": "d", "options": opts[::-1]}]
        r = c.put(f"/applications/{app}/guilds/{fake.guild_id}/commands", json=good)
        assert r.status_code == 200 and r.json()[0]["id"]
    assert fake.commands[fake.guild_id][0]["name"] == "papers"


def test_every_call_is_recorded_and_auth_is_checked(fake: FakeDiscord) -> None:
    with httpx.Client(base_url=fake.api_base) as anon:
        assert anon.get("/users/@me").status_code == 401
    with _client(fake) as c:
        assert c.get("/users/@me").json()["bot"] is True
        assert c.get("/gateway/bot").json()["url"] == fake.gateway_url
    assert [x.path for x in fake.calls] == ["/api/v10/users/@me"] * 2 + ["/api/v10/gateway/bot"]


def test_a_nonce_is_remembered_for_a_few_minutes_only(fake: FakeDiscord) -> None:
    body = {"content": "once", "nonce": "abc", "enforce_nonce": True}
    url = f"/channels/{fake.text_channel_id}/messages"
    with _client(fake) as c:
        a = c.post(url, json=body).json()
        fake.advance(NONCE_WINDOW - 1)
        b = c.post(url, json=body).json()
        fake.advance(2)
        late = c.post(url, json=body).json()
    assert a["id"] == b["id"] != late["id"] and len(fake.posted) == 2


def test_no_view_channel_is_50001_and_a_missing_permission_50013(fake: FakeDiscord) -> None:
    other = fake.add_channel("hidden")
    fake.deny(other, "VIEW_CHANNEL")
    fake.deny(fake.text_channel_id, "SEND_MESSAGES")
    with _client(fake) as c:
        hidden = c.post(f"/channels/{other}/messages", json={"content": "x"})
        denied = c.post(f"/channels/{fake.text_channel_id}/messages", json={"content": "x"})
    assert (hidden.status_code, hidden.json()["code"]) == (403, 50001)
    assert (denied.status_code, denied.json()["code"]) == (403, 50013)


def test_history_reads_back_newest_first_without_nonces(fake: FakeDiscord) -> None:
    url = f"/channels/{fake.text_channel_id}/messages"
    with _client(fake) as c:
        ids = [
            c.post(url, json={"content": str(i), "nonce": str(i)}).json()["id"] for i in range(3)
        ]
        page = c.get(url, params={"limit": 2}).json()
        older = c.get(url, params={"before": page[-1]["id"]}).json()
        fake.deny(fake.text_channel_id, "READ_MESSAGE_HISTORY")
        blind = c.get(url).json()
    assert [m["id"] for m in page] == ids[:0:-1] and [m["id"] for m in older] == ids[:1]
    assert all("nonce" not in m for m in page) and blind == []


def test_a_forum_that_requires_a_tag_refuses_an_untagged_post(fake: FakeDiscord) -> None:
    forum = fake.add_channel("tagged", 15, tags=("Papers",), require_tag=True)
    (tag,) = fake.channels[forum]["available_tags"]
    post = {"name": "Daily", "message": {"content": "hi"}}
    with _client(fake) as c:
        untagged = c.post(f"/channels/{forum}/threads", json=post)
        tagged = c.post(f"/channels/{forum}/threads", json={**post, "applied_tags": [tag["id"]]})
        active = c.get(f"/guilds/{fake.guild_id}/threads/active").json()
    assert (untagged.status_code, untagged.json()["code"]) == (400, 40067)
    assert tagged.status_code == 200 and [t["id"] for t in active["threads"]] == [
        tagged.json()["id"]
    ]


def test_command_limits_size_daily_creates_and_unknown_guilds(fake: FakeDiscord) -> None:
    app = fake.application_id
    url = f"/applications/{app}/guilds/{fake.guild_id}/commands"
    big = {"name": "big", "description": "d", "options": [
        {"name": f"o{i}", "description": "x" * 100, "type": 3,
         "choices": [{"name": "n" * 100, "value": "v" * 100} for _ in range(25)]}
        for i in range(2)
    ]}  # fmt: skip
    fake.daily_create_limit = 2
    with _client(fake) as c:
        assert c.put(url, json=[big]).json()["code"] == 50035  # over 8,000 characters
        one = [{"name": "a", "description": "a"}, {"name": "b", "description": "b"}]
        assert c.put(url, json=one).status_code == 200
        assert c.put(url, json=one).status_code == 200  # existing commands are no creates
        more = c.put(url, json=[*one, {"name": "c", "description": "c"}])
        assert (more.status_code, more.json()["code"]) == (400, 30034)
        stranger = c.put(f"/applications/{app}/guilds/1234/commands", json=one)
        assert (stranger.status_code, stranger.json()["code"]) == (403, 50001)
