"""A paper card with every signal a researcher picks by, for the per-platform card tests."""

from __future__ import annotations

from dataclasses import replace

from bot.model import Link, PaperCard

THUMB = "https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2509.25541.png"

SIGNALS = PaperCard(
    paper_id="2509.25541",
    title="Vision-Zero: Scalable VLM Self-Improvement via Strategic Gamified Self-Play",
    url="https://huggingface.co/papers/2509.25541",
    tldr="Vision-Zero trains VLMs through self-play in visual games built from image pairs.",
    authors=("Qinsi Wang", "Bo Liu", "Tianyi Zhou", "et al."),
    upvotes=55,
    keywords=("self-play", "Vision language models", "visual games", "image pairs", "RL"),
    links=(
        Link("arXiv", "https://arxiv.org/abs/2509.25541"),
        Link("PDF", "https://arxiv.org/pdf/2509.25541"),
        Link("HF", "https://huggingface.co/papers/2509.25541"),
        Link("Code", "https://github.com/wangqinsi1/Vision-Zero"),
        Link("Project", "https://vision-zero.github.io/"),
    ),
    rank=1,
    comments=3,
    stars=6300,
    organization="NVIDIA",
    thumbnail=THUMB,
    authors_total=9,
)
CONTEXT = "▲ 55 · 💬 3 · ⭐ 6.3k · NVIDIA · Qinsi Wang, Bo Liu et al."
BARE = replace(
    SIGNALS,
    comments=None,
    stars=None,
    organization="",
    thumbnail=None,
    links=SIGNALS.links[:3],
    authors=(),
    authors_total=0,
)
UNSAFE_THUMBNAILS = (
    "http://cdn.example/x.png",
    "javascript:alert(1)",
    "//cdn.example/x.png",
    "https://",  # no host: Slack refuses the whole message (found by hypothesis)
    "https://cdn.example/x y.png",
    "https://[::1/x.png",
)
