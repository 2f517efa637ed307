"""LLMSummariser against a loopback OpenAI-compatible server: requests, answers, failures."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import httpx
import pytest

from bot.summaries.llm import LLMError, LLMSummariser, clean_answer
from tests.fakes.llm import FakeLLM

SECRET = "sk-test-very-secret-key"


@pytest.fixture
def fake() -> Iterator[FakeLLM]:
    server = FakeLLM()
    server.start()
    yield server
    server.stop()


def summariser(fake: FakeLLM, http: httpx.AsyncClient, **kw: object) -> LLMSummariser:
    args: dict = {"base_url": fake.url, "model": "m-1", "api_key": None, "http": http}
    args.update(kw)
    return LLMSummariser(**args)


async def test_tldr_sends_an_openai_chat_request_and_returns_the_answer(
    fake: FakeLLM, http: httpx.AsyncClient
) -> None:
    llm = summariser(fake, http)
    text = await llm.tldr("Vision-Zero:\n  Self-Play", "We propose Vision-Zero.\n  It works.")
    assert text == "TL;DR of Vision-Zero: Self-Play."
    (call,) = fake.chat_calls()
    assert call.method == "POST" and call.path == "/chat/completions"
    body = call.json()
    assert body["model"] == "m-1"
    assert body["temperature"] == 0.2 and 50 <= body["max_tokens"] <= 200
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    system, user = (m["content"] for m in body["messages"])
    assert "at most two sentences" in system and "English" in system
    assert "Abstract: We propose Vision-Zero. It works." in user
    assert "Authorization" not in call.headers


async def test_language_and_a_v1_base_url_are_honoured(
    fake: FakeLLM, http: httpx.AsyncClient
) -> None:
    llm = summariser(fake, http, base_url=f"{fake.url}/v1/", language="de")
    await llm.tldr("T", "A")
    (call,) = fake.chat_calls()
    assert call.path == "/v1/chat/completions"
    assert "German" in call.json()["messages"][0]["content"]


async def test_bearer_key_is_sent_and_never_logged(
    fake: FakeLLM, http: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    fake.expected_key = SECRET
    llm = summariser(fake, http, api_key=SECRET)
    assert await llm.tldr("T", "A") == "TL;DR of T."
    assert fake.chat_calls()[0].headers["Authorization"] == f"Bearer {SECRET}"
    fake.inject("500")
    with pytest.raises(LLMError) as err:
        await llm.tldr("T", "A")
    assert SECRET not in caplog.text and SECRET not in str(err.value) and SECRET not in repr(llm)


async def test_a_wrong_key_is_an_http_error(fake: FakeLLM, http: httpx.AsyncClient) -> None:
    fake.expected_key = SECRET
    with pytest.raises(LLMError) as err:
        await summariser(fake, http, api_key="sk-wrong").tldr("T", "A")
    assert err.value.reason == "HTTP 401"


@pytest.mark.parametrize(
    ("fault", "reason"),
    [("500", "HTTP 500"), ("503", "HTTP 503"), ("429", "HTTP 429"), ("bad_body", "malformed")],
)
async def test_server_faults_become_llm_errors(
    fake: FakeLLM, http: httpx.AsyncClient, fault: str, reason: str
) -> None:
    fake.inject(fault)
    with pytest.raises(LLMError) as err:
        await summariser(fake, http).tldr("T", "A")
    assert err.value.reason.startswith(reason)


@pytest.mark.parametrize("content", [None, "", "   ", '""', "**  **"])
async def test_an_empty_answer_is_an_error(
    fake: FakeLLM, http: httpx.AsyncClient, content: str | None
) -> None:
    fake.content = content
    with pytest.raises(LLMError) as err:
        await summariser(fake, http).tldr("T", "A")
    assert err.value.reason == "empty answer"


async def test_a_wrong_shape_is_malformed(fake: FakeLLM, http: httpx.AsyncClient) -> None:
    fake.inject("bad_body", body='{"choices": []}')
    fake.inject("bad_body", body='{"choices": [{"message": {"content": 42}}]}')
    llm = summariser(fake, http)
    for _ in range(2):
        with pytest.raises(LLMError) as err:
            await llm.tldr("T", "A")
        assert err.value.reason == "malformed response"


async def test_a_slow_server_times_out(fake: FakeLLM, http: httpx.AsyncClient) -> None:
    fake.inject("timeout", delay=1.0)
    with pytest.raises(LLMError) as err:
        await summariser(fake, http, timeout=0.2).tldr("T", "A")
    assert err.value.reason == "timeout"


async def test_an_unreachable_server_is_a_network_error(http: httpx.AsyncClient) -> None:
    llm = LLMSummariser("http://127.0.0.1:9", "m", None, http, timeout=2.0)
    with pytest.raises(LLMError) as err:
        await llm.tldr("T", "A")
    assert err.value.reason == "network error"


async def test_overview_asks_for_a_short_day_summary(
    fake: FakeLLM, http: httpx.AsyncClient
) -> None:
    items = [("Paper One", "Does one thing."), ("Paper Two", "Does another.")]
    text = await summariser(fake, http).overview("2025-10-01", items)
    assert text == "Overview of 2025-10-01: 2 papers."
    system, user = (m["content"] for m in fake.chat_calls()[0].json()["messages"])
    assert "2 to 3 sentences" in system
    assert "- Paper One: Does one thing." in user


async def test_a_rambling_answer_is_cut_to_two_sentences(
    fake: FakeLLM, http: httpx.AsyncClient
) -> None:
    fake.content = "One thing. Two things. Three things. " + "word " * 300
    assert await summariser(fake, http).tldr("T", "A") == "One thing. Two things."
    fake.content = "A single endless sentence " + "with more words " * 100
    text = await summariser(fake, http).tldr("T", "A")
    assert len(text) <= 600 and text.endswith("…")


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ('"A quoted answer."', "A quoted answer."),
        ("**TL;DR:** Bold\n  and wrapped.", "Bold and wrapped."),
        ("<think>hmm, let me see</think>\nThe answer.", "The answer."),
        ("TL;DR - `X` beats Y.", "X beats Y."),
        ("- Point one\n- point two", "Point one point two"),
        ("“Curly.”", "Curly."),
    ],
)
def test_answers_are_cleaned_of_quotes_and_markdown(raw: str, clean: str) -> None:
    assert clean_answer(raw) == clean
