"""Configuration: a TOML file for settings, environment variables for secrets.

pydantic validates the file because its errors carry the exact key path (`digest.default_time`)
and the expected type, which is what a user needs to fix a typo. Unknown keys are refused so a
misspelt key cannot silently fall back to a default.

A token pasted where its variable's *name* belongs (or into any key) is an easy mistake, and
an error that quotes it leaks it into terminals and logs: `*_env` keys refuse token-shaped
values, and every message built from the file goes through `redact_tokens`.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

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


# An archive ("hep-ex", "astro-ph") or a subject class of one ("cs.LG", "math.AP",
# "physics.optics"), as https://arxiv.org/category_taxonomy names them and the feed URL takes them.
_ARXIV_CATEGORY = re.compile(r"^[a-z]+(-[a-z]+)*(\.[A-Za-z]+(-[A-Za-z]+)*)?$")


def check_arxiv_category(v: str) -> str:
    if not isinstance(v, str) or not _ARXIV_CATEGORY.match(v.strip()):
        raise ValueError(f"expected arXiv categories like 'cs.LG' or 'hep-ex', got {v!r}")
    return v.strip()


# --- secrets typed in the wrong place --------------------------------------------------------
HIDDEN = "[hidden: this looks like a token]"
TOKEN_HINT = "the value looks like a token (not shown): secrets belong in environment variables"
_TOKEN_SHAPES = re.compile(
    r"\bxox[a-z]-[\w-]+"  # Slack bot / user / legacy tokens
    r"|\bxapp-[\w-]+"  # Slack app-level tokens
    r"|\bsk-[\w-]{16,}"  # OpenAI-style API keys
    r"|[\w-]{20,}\.[\w-]{5,}\.[\w-]{20,}"  # Discord bot tokens: id.timestamp.hmac
    r"|\b[0-9a-f]{32,}\b",  # hex secrets (a Slack signing secret is 32 hex digits)
    re.ASCII,
)
_LONG_RUN = re.compile(r"[A-Za-z0-9]{24,}")  # random-looking when it mixes cases and digits


def redact_tokens(text: str) -> str:
    """`text` with everything shaped like a token replaced by HIDDEN."""
    text = _TOKEN_SHAPES.sub(HIDDEN, text)
    return _LONG_RUN.sub(lambda m: HIDDEN if _random_looking(m.group()) else m.group(), text)


def looks_like_token(value: str) -> bool:
    return redact_tokens(value) != value


def _random_looking(run: str) -> bool:
    return not run.isupper() and not run.islower() and any(c.isdigit() for c in run)


def _env_name(cls: type[BaseModel], value: str, info: ValidationInfo) -> str:
    """An `*_env` key holds a variable's name; a token there would be read as a name (and
    echoed by every message that names the variable)."""
    if looks_like_token(value):
        example = cls.model_fields[info.field_name or ""].default
        raise ValueError(
            f"this looks like a token; put the variable's name here (e.g. {example}) and"
            " the token in that environment variable"
        )
    return value


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
    # arXiv's daily announcement feeds (a second source beside HF): empty = off.
    arxiv_categories: list[str] = Field(default_factory=list)
    arxiv_rss_base_url: str = "https://rss.arxiv.org"

    @field_validator("arxiv_categories")
    @classmethod
    def _categories(cls, v: list[str]) -> list[str]:
        return [check_arxiv_category(c) for c in v]

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

    _env = field_validator("api_key_env")(classmethod(_env_name))

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
    # The live thread (bot/daily/live.py): later fetches update a posted thread until the end
    # of its day in the channel's zone plus this many hours; a reply's counts are edited when
    # one moved by at least `live_edit_min` or by `live_edit_ratio` of what it shows.
    live_tail_hours: float = Field(default=12, ge=0, le=72)
    live_edit_min: int = Field(default=5, ge=1)
    live_edit_ratio: float = Field(default=0.10, gt=0)

    _t = field_validator("default_time")(classmethod(lambda cls, v: check_time(v)))
    _tz = field_validator("default_timezone")(classmethod(lambda cls, v: check_timezone(v)))


class DiscordConfig(_Section):
    token_env: str = "DISCORD_TOKEN"
    api_base_url: str = "https://discord.com/api/v10"
    guild_ids: list[int] = Field(default_factory=list)
    forum_tag: str = ""
    clear_global_commands: bool = False

    _env = field_validator("token_env")(classmethod(_env_name))

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

    _env = field_validator("bot_token_env", "app_token_env", "signing_secret_env")(
        classmethod(_env_name)
    )

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
    if isinstance(got, str) and looks_like_token(got) and "looks like a token" not in msg:
        return f"key '{key}': {msg}; {TOKEN_HINT}"  # and never the value (see parse_config)
    if first["type"].endswith("_type") or first["type"].startswith(("int_", "float_", "bool_")):
        return f"key '{key}': {msg} (got {got!r})"
    return f"key '{key}': {msg}"


def parse_config(text: str, source: str = "config") -> Config:
    """The validated config; a ConfigError of one line, with no token in it, if it is bad."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(redact_tokens(f"{source}: not valid TOML: {e}")) from None
    try:
        return Config.model_validate(data)
    except ValidationError as e:
        raise ConfigError(redact_tokens(f"{source}: {_describe(e)}")) from None


def config_file(path: str | Path | None = None) -> Path | None:
    """The file `load_config(path)` reads: `path`, else $PAPERBOT_CONFIG, else ./config.toml
    if present; None when it uses the defaults. A named file that is missing is an error."""
    explicit = path or os.environ.get("PAPERBOT_CONFIG")
    p = Path(explicit) if explicit else Path("config.toml")
    if not p.exists():
        if explicit:
            raise ConfigError(f"config file not found: {p}")
        return None
    return p


def load_config(path: str | Path | None = None) -> Config:
    """Load `path`, else $PAPERBOT_CONFIG, else ./config.toml if present, else all defaults."""
    p = config_file(path)
    if p is None:
        return Config()
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as e:
        raise ConfigError(f"cannot read config file {p}: {e.strerror}") from None
    return parse_config(text, str(p))
