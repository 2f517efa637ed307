"""A token typed in the wrong place is never printed (issue #9, item 7).

Pasting the token itself as the value of `token_env` (or into any key) is an easy mistake;
config errors, `check-config` and `run` must then say "this looks like a token" and never echo
it. The tokens below are fakes in the real shapes (Slack xoxb-/xapp-, OpenAI sk-, Discord's
three dot-separated parts, a Slack signing secret's 32 hex digits, a long random string).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, looks_like_token, parse_config
from tests.support.cli import paperbot

TOKENS = {
    "slack bot": "xoxb-0000000000-0000000000000-FAKEfakeFAKEfakeFAKEfake",
    "slack app": "xapp-1-A00000FAKE0-0000000000000-0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f",
    "openai": "sk-proj-FAKEfake0000FAKEfake0000FAKEfake",
    "discord": "MTAwMDAwMDAwMDAwMDAwMDAw.GfAkE1.fAkEfAkEfAkEfAkEfAkEfAkEfAkEfAkE0000",
    "signing secret": "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
    "random": "Zq7LpX2mRv9TnB4kWc8YhJ3dFs6G",
}
ENV_KEYS = [
    ("discord", "token_env"),
    ("slack", "bot_token_env"),
    ("slack", "app_token_env"),
    ("slack", "signing_secret_env"),
    ("llm", "api_key_env"),
]
NOT_TOKENS = [
    "DISCORD_TOKEN", "PAPERBOT_LLM_API_KEY", "SLACK_SIGNING_SECRET", "MY_APP_SLACK_BOT_TOKEN_2",
    "gpt-4o-mini", "Meta-Llama-3.1-70B-Instruct", "llama3.1:8b-instruct-q4_K_M",
    "http://127.0.0.1:11434/v1", "https://api.openai.com/v1", "https://discord.com/api/v10",
    "America/Argentina/Buenos_Aires", "/var/lib/paperbot/paperbot.db", "U012AB3CD",
    "export.arxiv.org", "desk-0123456789abcdefghij",
]  # fmt: skip


def _leaks(text: str, token: str) -> bool:
    """The token, or any 12-character piece of it, appears in `text`."""
    return any(token[i : i + 12] in text for i in range(len(token) - 11))


@pytest.mark.parametrize("kind", sorted(TOKENS))
def test_token_shapes_are_recognised(kind: str) -> None:
    assert looks_like_token(TOKENS[kind])


@pytest.mark.parametrize("value", NOT_TOKENS)
def test_names_models_urls_and_paths_are_not_tokens(value: str) -> None:
    assert not looks_like_token(value)


@pytest.mark.parametrize("kind", sorted(TOKENS))
@pytest.mark.parametrize(("section", "key"), ENV_KEYS)
def test_a_token_as_an_env_name_is_refused_without_echoing_it(
    section: str, key: str, kind: str
) -> None:
    token = TOKENS[kind]
    with pytest.raises(ConfigError) as e:
        parse_config(f'[{section}]\n{key} = "{token}"\n', "config.toml")
    msg = str(e.value)
    assert f"key '{section}.{key}'" in msg and "looks like a token" in msg
    assert "name" in msg and not _leaks(msg, token) and "\n" not in msg


@pytest.mark.parametrize(
    "text",
    [
        '[digest]\ndefault_time = "{t}"',  # a validator that quotes what it got
        '[digest]\ndefault_max = "{t}"',  # pydantic's own type error quotes it too
        '[sources]\nfetch_times = ["06:00", "{t}"]',
        '[slack]\nmode = "{t}"',
        '[slack]\n"{t}" = 1',  # pasted as a key
        '[discord]\nguild_ids = ["{t}"]',
    ],
)
@pytest.mark.parametrize("kind", ["slack bot", "discord", "openai"])
def test_a_token_in_any_key_is_never_echoed_by_an_error(text: str, kind: str) -> None:
    token = TOKENS[kind]
    with pytest.raises(ConfigError) as e:
        parse_config(text.format(t=token), "config.toml")
    assert not _leaks(str(e.value), token) and "looks like a token" in str(e.value)


def test_other_bad_values_are_still_quoted() -> None:
    with pytest.raises(ConfigError) as e:
        parse_config('[digest]\ndefault_max = "ten"', "config.toml")
    assert "'ten'" in str(e.value)


def _config(tmp_path: Path, text: str) -> str:
    path = tmp_path / "config.toml"
    path.write_text(text)
    return str(path)


@pytest.mark.parametrize("command", ["check-config", "run"])
def test_check_config_and_run_refuse_a_token_as_env_name(tmp_path: Path, command: str) -> None:
    token = TOKENS["slack bot"]
    cfg = _config(tmp_path, f'[slack]\nbot_token_env = "{token}"\n')
    out = paperbot("--config", cfg, "--db", str(tmp_path / "x.db"), command)
    assert out.returncode == 2 and "looks like a token" in out.stderr
    assert not _leaks(out.stdout + out.stderr, token) and "Traceback" not in out.stderr


def test_check_config_never_prints_a_token_pasted_into_a_valid_key(tmp_path: Path) -> None:
    token, key = TOKENS["openai"], TOKENS["discord"]
    cfg = _config(
        tmp_path,
        f'[llm]\nbase_url = "http://127.0.0.1:9/v1"\nmodel = "{token}"\n'
        f'[discord]\napi_base_url = "https://discord.com/api/{key}"\n',
    )
    out = paperbot("--config", cfg, "check-config", env={"DISCORD_TOKEN": "set"})
    assert out.returncode == 0, out.stderr
    assert "LLM:" in out.stdout and "Discord" in out.stdout
    assert not _leaks(out.stdout, token) and not _leaks(out.stdout, key)
    assert "looks like a token" in out.stdout


def test_run_never_prints_a_token_pasted_into_a_valid_key(tmp_path: Path) -> None:
    token = TOKENS["slack bot"]
    cfg = _config(tmp_path, f'[discord]\napi_base_url = "https://x.org/{token}"\n')
    out = paperbot("--config", cfg, "--db", str(tmp_path / "x.db"), "run")
    assert out.returncode != 0 and "Traceback" not in out.stderr  # nothing to start
    assert not _leaks(out.stdout + out.stderr, token)
