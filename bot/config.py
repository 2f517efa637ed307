"""Configuration: a TOML file for settings, environment variables for secrets.

pydantic validates the file because its errors carry the exact key path (`digest.default_time`)
and the expected type, which is what a user needs to fix a typo. Unknown keys are refused so a
misspelt key cannot silently fall back to a default.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from bot.text import parse_hhmm


class ConfigError(Exception):
    """A one-line, user-facing configuration problem."""


def check_time(v: str) -> str:
    """A time as HH:MM (24-hour; `9:05` reads as `09:05`), or ValueError."""
    hhmm = parse_hhmm(v) if isinstance(v, str) else None
    if hhmm is None:
        raise ValueError(f"expected a time as HH:MM (24-hour), got {v!r}")
    return hhmm


def check_timezone(v: str) -> str:
    try:
        ZoneInfo(v)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"expected an IANA time zone like 'Europe/Berlin', got {v!r}") from None
    return v


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StorageConfig(_Section):
    path: str = "paperbot.db"


class SourcesConfig(_Section):
    hf_base_url: str = "https://huggingface.co"
    arxiv_base_url: str = "https://export.arxiv.org"
    fetch_times: list[str] = Field(default_factory=lambda: ["06:00", "12:00"])
    timezone: str = "UTC"
    timeout_seconds: float = 20.0
    max_retries: int = Field(default=4, ge=0, le=10)
    arxiv_enrich: bool = True

    @field_validator("fetch_times")
    @classmethod
    def _times(cls, v: list[str]) -> list[str]:
        return [check_time(t) for t in v]

    _tz = field_validator("timezone")(classmethod(lambda cls, v: check_timezone(v)))


class SummariesConfig(_Section):
    order: list[Literal["llm", "hf", "extractive"]] = Field(
        default_factory=lambda: ["llm", "hf", "extractive"]
    )
    language: str = "en"


class LLMConfig(_Section):
    base_url: str = ""
    model: str = ""
    api_key_env: str = "PAPERBOT_LLM_API_KEY"
    max_calls_per_day: int = Field(default=200, ge=0)
    timeout_seconds: float = 30.0

    @property
    def enabled(self) -> bool:
        return bool(self.base_url and self.model)

    def api_key(self) -> str | None:
        return os.environ.get(self.api_key_env) or None


class DigestConfig(_Section):
    default_time: str = "09:00"
    default_timezone: str = "UTC"
    default_max: int = Field(default=15, ge=1, le=50)
    catch_up_hours: float = Field(default=6, ge=0)

    _t = field_validator("default_time")(classmethod(lambda cls, v: check_time(v)))
    _tz = field_validator("default_timezone")(classmethod(lambda cls, v: check_timezone(v)))


class DiscordConfig(_Section):
    token_env: str = "DISCORD_TOKEN"
    api_base_url: str = "https://discord.com/api/v10"
    guild_ids: list[int] = Field(default_factory=list)
    forum_tag: str = ""
    clear_global_commands: bool = False

    def token(self) -> str | None:
        return os.environ.get(self.token_env) or None


class SlackConfig(_Section):
    mode: Literal["socket", "http"] = "socket"
    bot_token_env: str = "SLACK_BOT_TOKEN"
    app_token_env: str = "SLACK_APP_TOKEN"
    signing_secret_env: str = "SLACK_SIGNING_SECRET"
    api_base_url: str = "https://slack.com/api/"
    admins: list[str] = Field(default_factory=list)
    port: int = Field(default=3000, ge=0, le=65535)

    def bot_token(self) -> str | None:
        return os.environ.get(self.bot_token_env) or None

    def app_token(self) -> str | None:
        return os.environ.get(self.app_token_env) or None

    def signing_secret(self) -> str | None:
        return os.environ.get(self.signing_secret_env) or None


class Config(_Section):
    storage: StorageConfig = Field(default_factory=StorageConfig)
    sources: SourcesConfig = Field(default_factory=SourcesConfig)
    summaries: SummariesConfig = Field(default_factory=SummariesConfig)
    llm: LLMConfig = Field(default_factory=LLMConfig)
    digest: DigestConfig = Field(default_factory=DigestConfig)
    discord: DiscordConfig = Field(default_factory=DiscordConfig)
    slack: SlackConfig = Field(default_factory=SlackConfig)


def _describe(err: ValidationError) -> str:
    first = err.errors()[0]
    key = ".".join(str(p) for p in first["loc"])
    if first["type"] == "extra_forbidden":
        return f"unknown key '{key}'"
    msg = first["msg"].removeprefix("Value error, ")
    got = first.get("input")
    if first["type"].endswith("_type") or first["type"].startswith(("int_", "float_", "bool_")):
        return f"key '{key}': {msg} (got {got!r})"
    return f"key '{key}': {msg}"


def parse_config(text: str, source: str = "config") -> Config:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{source}: not valid TOML: {e}") from None
    try:
        return Config.model_validate(data)
    except ValidationError as e:
        raise ConfigError(f"{source}: {_describe(e)}") from None


def load_config(path: str | Path | None = None) -> Config:
    """Load `path`, else $PAPERBOT_CONFIG, else ./config.toml if present, else all defaults."""
    explicit = path or os.environ.get("PAPERBOT_CONFIG")
    p = Path(explicit) if explicit else Path("config.toml")
    if not p.exists():
        if explicit:
            raise ConfigError(f"config file not found: {p}")
        return Config()
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as e:
        raise ConfigError(f"cannot read config file {p}: {e.strerror}") from None
    return parse_config(text, str(p))
