"""Hostile papers for the flood and terminal-injection tests (issue #9, items 5 and 6).

Papers with huge fields, and the day's thread and command replies the real core builds from one
(storage, summary chain, `card_for`, the day overview): a source can send a megabyte where a line
belongs. These are what the parser lets through (no lone surrogates), just very long. And
control characters, in a database written directly, as papers stored before the parser
cleaned its input still hold them.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from adapters.memory import MemoryAdapter
from bot.clock import FakeClock
from bot.core import Core
from bot.daily.thread import build_digest
from bot.model import Digest, Paper, Reply
from storage import open_db
from storage import papers as paper_store
from tests.support.core import offline_config

DAY = "2025-10-01"
PAPER_ID = "2510.00001"
UNITS = ["word ", "x", "@everyone ", "line\n", "**b** ", "<@123456789012345678> ", "ü", "数学"]
_text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=6)


def huge(max_chars: int = 300_000) -> st.SearchStrategy[str]:
    """Text up to `max_chars` long: one unit repeated (long words, long lines, many lines)."""
    unit = st.one_of(st.sampled_from(UNITS), _text)
    return st.builds(lambda u, n: (u * n)[:max_chars], unit, st.integers(1, max_chars))


def hostile_papers() -> st.SearchStrategy[Paper]:
    return st.builds(
        Paper,
        id=st.just(PAPER_ID),
        title=huge(),
        abstract=huge(),
        authors=st.lists(huge(20_000), min_size=1, max_size=50).map(tuple),
        upvotes=st.integers(0, 2**63 - 1),
        ai_summary=st.one_of(st.none(), huge(1_000_000)),
        ai_keywords=st.lists(huge(100_000), max_size=12).map(tuple),
        github_repo=st.one_of(st.none(), huge(10_000).map(lambda t: "https://github.com/a/" + t)),
        project_page=st.one_of(st.none(), huge(10_000).map(lambda t: "https://x.org/" + t)),
        organization=st.one_of(st.none(), huge(100_000)),
    )


def flood(title_chars: int = 1_000_000) -> Paper:
    """The issue's own cases at once: a 1 MB ai_summary, a 100 KB keyword, a 1 MB title."""
    return Paper(
        id=PAPER_ID,
        title="T" * title_chars,
        abstract="An abstract. " * 80_000,
        authors=("A" * 100_000, "B " * 50_000, "C", "D"),
        upvotes=10,
        ai_summary="summary " * 130_000,
        ai_keywords=("k" * 100_000, "kw " * 40_000),
        organization="O" * 100_000,
    )


def _core_with(paper: Paper) -> Core:
    core = Core.open(offline_config(), ":memory:", clock=FakeClock())
    paper_store.upsert_day(core.db, DAY, [paper])
    return core


def digest_of(paper: Paper) -> Digest:
    """The day's thread for a day whose only paper is `paper`, as `paperbot digest` builds it."""
    core = _core_with(paper)
    try:
        digest = asyncio.run(build_digest(core, DAY, offline=True))
    finally:
        core.db.close()
    assert digest is not None
    return digest


def replies_to(paper: Paper, command: str = f"/papers show {PAPER_ID}") -> list[Reply]:
    """What the real command layer answers (`/papers show` by default) with `paper` stored."""
    core = _core_with(paper)
    try:
        return asyncio.run(MemoryAdapter(core).push(command))
    finally:
        core.db.close()


# --- control characters (issue #9, item 6) ----------------------------------------------------
EVIL = [
    "\x1b]0;pwned\x07",  # OSC: set the window title
    "\x1b[2J\x1b[H",  # clear the screen
    "\x1b[21t",  # report the title back (typed into stdin on old xterms)
    "\x9b2J",  # the same through the one-byte C1 CSI
    "\x9d0;t\x9c",  # C1 OSC … ST
    "\x07\x08\x7f\r\x00",
    "\u202eevil\u202c",  # right-to-left override
]
# What must never reach a terminal raw: C0 but the line break, DEL, C1, bidi controls.
CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
STORED_TITLE = "Clean \x1b]0;owned\x07title"


def db_with_control_characters(path: Path) -> Path:
    """A database holding a paper stored before the parser cleaned its input (written directly)."""
    db = open_db(path)
    paper = Paper(
        id=PAPER_ID,
        title=STORED_TITLE,
        abstract="An abstract \x1b[2J that clears. It does \x9b2J more.",
        authors=("Eve \x1b[31m",),
        upvotes=5,
        ai_summary="A summary \x1b]0;x\x07 with a title change \u202eevil.",
        ai_keywords=("kw\x1b[5m",),
    )
    paper_store.upsert_day(db, DAY, [paper])
    db.close()
    return path


# Issue #9: every item is bounded to this many messages on each platform, whatever its fields.
MAX_MESSAGES_PER_ITEM = 2
# The property tests render through the real command layer: a dozen hostile papers is enough.
SLOW = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
