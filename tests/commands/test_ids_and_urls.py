"""Ids and URLs as people paste them (#12 item 10): hf.co and alphaxiv.org pages, several ids
for `save` and `bibtex`, and `show <title words>` suggesting papers."""

from __future__ import annotations

import pytest

from adapters.memory import MemoryAdapter
from tests.support.chat import one

MCPMARK = "2509.24002"
VISION_ZERO = "2509.25541"


@pytest.mark.parametrize(
    "text",
    [
        f"https://hf.co/papers/{MCPMARK}",
        f"hf.co/papers/{MCPMARK}v2",
        f"https://www.alphaxiv.org/abs/{MCPMARK}",
        f"https://alphaxiv.org/overview/{MCPMARK}v1",
        f"https://huggingface.co/papers/{MCPMARK}",
    ],
)
async def test_show_takes_the_pages_people_paste(bot: MemoryAdapter, text: str) -> None:
    r = await one(bot, f"/papers show {text}")
    assert not r.is_error and r.cards[0].paper_id == MCPMARK


async def test_save_and_bibtex_take_several_ids(bot: MemoryAdapter) -> None:
    r = await one(bot, f"/papers save {MCPMARK} hf.co/papers/{VISION_ZERO}")
    assert f"Saved {MCPMARK}" in r.text and f"Saved {VISION_ZERO}" in r.text
    r = await one(bot, f"/papers save {VISION_ZERO}")
    assert "already saved in your library" in r.text
    assert "(2 papers)" in (await one(bot, "/papers library")).text
    r = await one(bot, f"/papers bibtex {MCPMARK} https://alphaxiv.org/abs/{VISION_ZERO}")
    assert r.text.count("@") == 2 and MCPMARK in r.text and VISION_ZERO in r.text


async def test_one_bad_id_saves_nothing(bot: MemoryAdapter) -> None:
    r = await one(bot, f"/papers save {MCPMARK} 2509.2400")
    assert (
        r.is_error and "'2509.2400' is not an arXiv id" in r.text and "nothing was saved" in r.text
    )
    assert "empty" in (await one(bot, "/papers library")).text


async def test_show_title_words_suggests_the_matching_papers(bot: MemoryAdapter) -> None:
    r = await one(bot, "/papers show MCPMark")  # one stored paper: shown at once
    assert r.cards and r.cards[0].paper_id == MCPMARK
    r = await one(bot, "/papers show reinforcement learning")
    assert not r.cards and not r.is_error
    lines = r.text.splitlines()
    assert "stored papers match reinforcement learning; show one by its id:" in lines[0]
    assert 2 <= len(lines) - 1 <= 6 and lines[1].startswith("/papers show 25")
    r = await one(bot, "/papers show 2509.2400")  # id-like: refused as an id, not searched
    assert r.is_error and "not an arXiv id" in r.text
