"""Paths to the recorded data and an offline configuration: what every test package shares."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Config

TESTS = Path(__file__).resolve().parents[1]
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"
DAYS = FIXTURES / "days"
SHARED_DATA = ROOT.parent / "shared" / "data"
# A closed loopback port: anything that tries the network by mistake fails fast, locally.
NOWHERE = "http://127.0.0.1:9"


def offline_config(**sections: dict) -> Config:
    base = {"sources": {"hf_base_url": NOWHERE, "arxiv_base_url": NOWHERE, "max_retries": 0}}
    for k, v in sections.items():
        base[k] = {**base.get(k, {}), **v}
    return Config.model_validate(base)


def shared_data(name: str) -> Path:
    path = SHARED_DATA / name
    if not path.exists():
        pytest.skip(f"shared data {path} not available")
    return path
