from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from bot.config import Config, ConfigError, load_config, parse_config

ROOT = Path(__file__).resolve().parents[2]


def model_keys(model: type, prefix: str = "") -> set[str]:
    keys = set()
    for name, field in model.model_fields.items():
        ann = field.annotation
        if isinstance(ann, type) and hasattr(ann, "model_fields"):
            keys |= model_keys(ann, f"{prefix}{name}.")
        else:
            keys.add(prefix + name)
    return keys


def toml_keys(data: dict, prefix: str = "") -> set[str]:
    keys = set()
    for k, v in data.items():
        if isinstance(v, dict):
            keys |= toml_keys(v, f"{prefix}{k}.")
        else:
            keys.add(prefix + k)
    return keys


def test_example_config_documents_every_key_with_its_default() -> None:
    text = (ROOT / "config.example.toml").read_text()
    assert toml_keys(tomllib.loads(text)) == model_keys(Config)
    assert parse_config(text) == Config()


def test_every_key_has_a_default() -> None:
    assert Config().storage.path == "paperbot.db"
    assert Config().sources.arxiv_categories == []  # the arXiv feed is off unless asked for
    assert Config().sources.arxiv_rss_base_url == "https://rss.arxiv.org"


def test_arxiv_categories_accept_archives_and_subject_classes() -> None:
    text = '[sources]\narxiv_categories = ["cs.LG", "hep-ex", "astro-ph.CO", "physics.optics"]'
    cfg = parse_config(text)
    assert cfg.sources.arxiv_categories == ["cs.LG", "hep-ex", "astro-ph.CO", "physics.optics"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[digest]\ndefault_time = "9am"', "key 'digest.default_time': expected a time as HH:MM"),
        ('[digest]\ndefault_max = "ten"', "key 'digest.default_max'"),
        ('[slack]\nmode = "websocket"', "key 'slack.mode'"),
        ("[slak]\nmode = 1", "unknown key 'slak'"),
        ('[sources]\ntimezone = "Mars/Olympus"', "key 'sources.timezone'"),
        ("[llm]\nmax_calls_per_day = -1", "key 'llm.max_calls_per_day'"),
        ("[storage\npath = 1", "not valid TOML"),
        (
            '[sources]\narxiv_categories = ["cs.LG", "cs LG"]',
            "key 'sources.arxiv_categories': expected arXiv categories like 'cs.LG'",
        ),
        ('[sources]\narxiv_categories = "cs.LG"', "key 'sources.arxiv_categories'"),
    ],
)
def test_bad_config_names_the_key(text: str, expected: str) -> None:
    with pytest.raises(ConfigError) as e:
        parse_config(text, "config.toml")
    msg = str(e.value)
    assert expected in msg and "\n" not in msg


def test_secrets_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = parse_config('[discord]\ntoken_env = "MY_TOKEN"')
    monkeypatch.delenv("MY_TOKEN", raising=False)
    assert cfg.discord.token() is None
    monkeypatch.setenv("MY_TOKEN", "s3cret")
    assert cfg.discord.token() == "s3cret"


def test_missing_explicit_config_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.toml")
