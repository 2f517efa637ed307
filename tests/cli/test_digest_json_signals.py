"""`paperbot digest --format json` carries every signal a card has (#11 item 4): upvotes,
comments, stars, organisation, the HF day, the thumbnail; authors without "et al." and
their total."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from bot.cards import card_for
from bot.cli.commands import neutral_digest
from bot.clock import FakeClock
from bot.core import Core
from bot.model import Digest, Paper, Reply
from tests.support.cli import paperbot
from tests.support.core import DAYS, offline_config


def test_json_digest_has_every_signal(tmp_path) -> None:
    db = str(tmp_path / "p.db")
    assert paperbot("--db", db, "import", str(DAYS)).returncode == 0
    out = paperbot("--db", db, "digest", "--date", "2025-10-01", "--format", "json")
    assert out.returncode == 0, out.stderr
    papers = {p["id"]: p for p in json.loads(out.stdout)["papers"]}
    vision_zero = papers["2509.25541"]  # the recorded entry: 9 authors, 6 stars, 1 comment
    assert vision_zero["authors"] == ["Qinsi Wang", "Bo Liu", "Tianyi Zhou"]
    assert vision_zero["authors_total"] == 9
    assert (vision_zero["upvotes"], vision_zero["stars"], vision_zero["comments"]) == (55, 6, 1)
    assert vision_zero["date"] == "2025-10-01"  # the HF day, not the arXiv date (09-29)
    for p in papers.values():
        assert {"organization", "thumbnail", "comments", "stars", "date"} <= set(p)
        assert "et al." not in p["authors"] and p["authors_total"] >= len(p["authors"])


async def test_json_carries_organisation_name_and_thumbnail_from_the_model() -> None:
    """Built through the model: storing organization_name/thumbnail is another change."""
    core = Core.open(offline_config(), ":memory:", FakeClock(datetime(2025, 10, 2, tzinfo=UTC)))
    paper = Paper(
        "2509.00001",
        "T",
        "An abstract.",
        authors=("A", "B"),
        organization="nvidia",
        organization_name="NVIDIA",
        thumbnail="https://cdn-thumbnails.huggingface.co/x.png",
    )
    card = await card_for(core, paper, rank=1, offline=True, day="2025-10-01")
    item = Reply(text="", cards=(card,))
    digest = Digest("2025-10-01", "t", "o", "u", Reply(text=""), (item,), "t")
    [p] = neutral_digest(digest)["papers"]
    assert p["organization"] == "NVIDIA" and p["thumbnail"].startswith("https://")
    assert p["authors"] == ["A", "B"] and p["authors_total"] == 2 and p["date"] == "2025-10-01"
