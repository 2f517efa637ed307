"""The platform-neutral half of "papers pasted in chat": which links in a message are papers,
and the answer both adapters send (`bot/commands/pasted.py`)."""

from __future__ import annotations

from bot.commands.pasted import MAX_CARDS, NO_LINK, pasted_reply
from bot.core import Core
from bot.sources.arxiv_ids import linked_arxiv_ids

STORED = ["2509.24006", "2509.23102", "2509.24897", "2509.25190", "2509.24900", "2509.23426"]


def test_every_paper_page_in_a_message_counts_once_without_its_version() -> None:
    text = (
        "see <https://arxiv.org/abs/2509.24006v2|this>, arxiv.org/pdf/2509.24006 again,"
        " https://hf.co/papers/2509.23102 and https://huggingface.co/papers/2509.24897,"
        " arXiv:2509.25190, https://arxiv.org/list/cs.LG/new, https://evil.example/2509.24900"
    )
    assert linked_arxiv_ids(text) == ["2509.24006", "2509.23102", "2509.24897", "2509.25190"]
    assert (
        linked_arxiv_ids("bare 2509.24006 ids are not links; nor https://arxiv.org/abs/2401.1234٥")
        == []
    )


async def test_stored_papers_get_their_cards_privately(core: Core) -> None:
    reply = await pasted_reply(core, f"https://arxiv.org/abs/{STORED[0]} hf.co/papers/{STORED[1]}")
    assert reply.private and [c.paper_id for c in reply.cards] == STORED[:2]
    assert reply.title == "2 papers linked in this message"


async def test_more_links_than_cards_says_how_many_were_left_out(core: Core) -> None:
    text = " ".join(f"https://arxiv.org/abs/{pid}" for pid in STORED)
    reply = await pasted_reply(core, text)
    assert len(reply.cards) == MAX_CARDS
    assert reply.title and f"the first {MAX_CARDS} of {len(STORED)} links" in reply.title


async def test_no_link_and_unknown_papers_get_one_line_not_an_error(core: Core) -> None:
    none = await pasted_reply(core, "lunch at noon? <!channel>")
    assert none.text == NO_LINK and none.private and not none.cards
    # not stored, and Hugging Face / arXiv are unreachable in this core: no card, one line
    unknown = await pasted_reply(core, "https://arxiv.org/abs/2511.00001")
    assert not unknown.cards and not unknown.is_error and "\n" not in unknown.text
    assert unknown.text.startswith("No paper found for 2511.00001")
