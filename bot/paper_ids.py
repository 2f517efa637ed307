"""Links for a paper id. Recognising ids in what users type is `bot.sources.arxiv_ids`."""

from __future__ import annotations


def arxiv_links(paper_id: str) -> dict[str, str]:
    return {
        "arXiv": f"https://arxiv.org/abs/{paper_id}",
        "PDF": f"https://arxiv.org/pdf/{paper_id}",
        "HF": f"https://huggingface.co/papers/{paper_id}",
    }
