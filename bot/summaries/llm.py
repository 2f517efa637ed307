"""TL;DRs and day overviews from any OpenAI-compatible chat endpoint (OpenAI, Ollama, vLLM, …).

Every failure becomes one `LLMError` with a short, stable `reason`, so the summary chain can
fall through to the next source and log each kind of failure once. The API key only ever
travels in the Authorization header; it is never logged or put in an error.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import httpx

from bot.summaries.sentences import split_sentences
from bot.summaries.shorten import fit_to_length

log = logging.getLogger(__name__)

# Abstracts are short, but a pathological one should not blow the context or the bill.
MAX_ABSTRACT_CHARS = 4000
TLDR_MAX_TOKENS = 120
OVERVIEW_MAX_TOKENS = 200
TEMPERATURE = 0.2
# Models do not always obey "at most two sentences"; the chat message must stay a TL;DR.
TLDR_MAX_CHARS = 600
OVERVIEW_MAX_CHARS = 900

LANGUAGE_NAMES = {
    "en": "English",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "it": "Italian",
    "pt": "Portuguese",
    "nl": "Dutch",
    "pl": "Polish",
    "ru": "Russian",
    "uk": "Ukrainian",
    "tr": "Turkish",
    "zh": "Chinese",
    "ja": "Japanese",
    "ko": "Korean",
    "ar": "Arabic",
    "hi": "Hindi",
}

_THINK = re.compile(r"<think>.*?</think>", re.DOTALL | re.IGNORECASE)
_LABEL = re.compile(r"^(?:tl;?dr|summary|overview)\s*[:\-–—]\s*", re.IGNORECASE)
_MARKDOWN = re.compile(r"(\*\*|__|`|^#+\s*|^\s*[-*•]\s+)", re.MULTILINE)
_QUOTES = "\"'“”‘’«»"


class LLMError(Exception):
    """The LLM did not give a usable answer. `reason` is short and stable, for log dedup."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code.lower().split("-")[0], code)


def clean_answer(text: str) -> str:
    """The model's text without reasoning blocks, a "TL;DR:" label, markdown or wrapping quotes."""
    text = _THINK.sub("", text)
    text = _MARKDOWN.sub("", text)
    text = " ".join(text.split())
    text = _LABEL.sub("", text)
    while len(text) >= 2 and text[0] in _QUOTES and text[-1] in _QUOTES:
        text = text[1:-1].strip()
    return text


class LLMSummariser:
    """One OpenAI-compatible endpoint and model, used through a shared `httpx.AsyncClient`."""

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str | None,
        http: httpx.AsyncClient,
        language: str = "en",
        timeout: float = 30.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.model = model
        self._api_key = api_key
        self._http = http
        self.language = language
        self.timeout = timeout

    def __repr__(self) -> str:  # never show the key
        return f"LLMSummariser(base_url={self.base_url!r}, model={self.model!r})"

    async def tldr(self, title: str, abstract: str) -> str:
        """A TL;DR of at most two sentences in the configured language."""
        lang = language_name(self.language)
        system = (
            "You summarise research papers for a team chat. Reply with a TL;DR of at most two "
            f"sentences, in {lang}, plain text only: no markdown, no quotes, no preamble. "
            "State what the paper contributes and its main result."
        )
        user = f"Title: {_one_line(title)}\n\nAbstract: {_one_line(abstract)[:MAX_ABSTRACT_CHARS]}"
        answer = await self._complete(system, user, TLDR_MAX_TOKENS)
        return _at_most(answer, sentences=2, max_chars=TLDR_MAX_CHARS)

    async def overview(self, day: str, items: list[tuple[str, str]]) -> str:
        """A 2–3 sentence overview of a day's papers, from (title, summary) pairs."""
        lang = language_name(self.language)
        system = (
            "You write the opening of a daily research-paper digest. Reply with 2 to 3 "
            f"sentences in {lang}, plain text only, naming the day's main themes and the "
            "most notable papers. No markdown, no lists, no preamble."
        )
        lines = [f"- {_one_line(t)}: {_one_line(s)[:400]}" for t, s in items[:40]]
        user = f"Day: {day}\nPapers:\n" + "\n".join(lines)
        answer = await self._complete(system, user, OVERVIEW_MAX_TOKENS)
        return _at_most(answer, sentences=3, max_chars=OVERVIEW_MAX_CHARS)

    async def _complete(self, system: str, user: str, max_tokens: int) -> str:
        payload = {
            "model": self.model,
            "messages": [
                {"role": "system", "content": system},
                {"role": "user", "content": user},
            ],
            "temperature": TEMPERATURE,
            "max_tokens": max_tokens,
        }
        headers = {"Authorization": f"Bearer {self._api_key}"} if self._api_key else {}
        try:
            response = await self._http.post(
                f"{self.base_url}/chat/completions",
                json=payload,
                headers=headers,
                timeout=self.timeout,
            )
        except httpx.TimeoutException:
            raise LLMError("timeout", f"no answer within {self.timeout:g} s") from None
        except httpx.HTTPError as e:
            raise LLMError("network error", type(e).__name__) from None
        if response.status_code >= 400:
            raise LLMError(f"HTTP {response.status_code}")
        text = clean_answer(_content_of(response))
        if not text:
            raise LLMError("empty answer")
        return text


def _content_of(response: httpx.Response) -> str:
    """`choices[0].message.content` of an OpenAI-shaped body, or LLMError("malformed response")."""
    try:
        body: Any = response.json()
        content = body["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError):
        raise LLMError("malformed response") from None
    if content is None:
        return ""
    if not isinstance(content, str):
        raise LLMError("malformed response", "content is not text")
    return content


def _at_most(text: str, sentences: int, max_chars: int) -> str:
    """The first `sentences` sentences, within `max_chars`, never cutting a word."""
    return fit_to_length(" ".join(split_sentences(text)[:sentences]) or text, max_chars)


def _one_line(text: str) -> str:
    return " ".join(text.split())
